/**
 * The whole complaint form in the H5 build: every step filled, an image uploaded, the review
 * page with the recommended bureau, submit, and the case number and acceptance deadline shown.
 * Also: a report needs no verified identity, and a draft resumes after reloading the page.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot } from './browser';
import { chip, fillComplaint, markVerified, pickRegion } from './intake-steps';

/** A real 2x2 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAFklEQVR4nGP8z8DAwMDAxMDAwMDAAAANHQEDasKb6QAAAABJRU5ErkJggg==', 'base64');

let browser: Browser;
let image: string;
let invoice: string;
beforeAll(async () => {
  browser = await launch();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'intake-e2e-'));
  image = path.join(dir, 'receipt.png');
  fs.writeFileSync(image, PNG);
  invoice = path.join(dir, 'invoice.pdf');
  fs.writeFileSync(invoice, '%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
});
afterAll(() => browser?.close());

async function consumerPage(identity: string, page = 'complaint-new'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  await context.addInitScript((id) => window.localStorage.setItem('sandbox.identity', id), identity);
  const p = await context.newPage();
  await p.goto(`${BASE_URL}/h5/#/pages/${page}/index`);
  await p.locator('.steps').waitFor({ timeout: 15_000 });
  return p;
}

test('a verified consumer fills every step, uploads an image and a PDF, submits and sees the number and deadline', async () => {
  const identity = `e2e-intake-${Date.now().toString(36)}`;
  const page = await consumerPage(identity);
  await markVerified(identity);
  await fillComplaint(page, {
    respondent: `端到端电器店${Date.now().toString(36).slice(-4)}`,
    description: '在该店购买的电饭煲使用一周后无法加热，商家拒绝退换，要求退货退款。',
    images: [image],
    documents: [invoice],
    onStep: (name) => page.screenshot({ path: shot(`intake-${name}`), fullPage: true }).then(() => undefined),
  });

  expect(await page.locator('.recommendation').innerText()).toContain('北京市朝阳区市场监督管理局');
  expect(await page.locator('.review').innerText()).toContain('2 个文件');
  await page.screenshot({ path: shot('intake-review'), fullPage: true });
  await page.locator('.btn-submit').click();

  const numberText = page.locator('.result-number');
  await numberText.waitFor({ timeout: 15_000 });
  expect((await numberText.innerText()).trim()).toMatch(/^TS\d{14}[0-9X]$/);
  expect(await page.locator('.result-deadline').innerText()).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  expect(await page.locator('.result-bureau').innerText()).toBe('北京市朝阳区市场监督管理局');
  await page.screenshot({ path: shot('intake-submitted'), fullPage: true });
  await page.context().close();
});

test('a step with mistakes shows the shared schema’s messages and does not move on', async () => {
  const page = await consumerPage(`e2e-intake-bad-${Date.now().toString(36)}`);
  await page.locator('.field-respondent input').fill('某');
  await page.locator('.field-credit-code input').fill('91350100M000100Y44');
  await page.locator('.btn-next').click();
  expect(await page.locator('.field-respondent .field-error').innerText()).toContain('至少 2 个字');
  expect(await page.locator('.field-credit-code .field-error').innerText()).toContain('统一社会信用代码有误');
  expect(await page.locator('.field-region .field-error').innerText()).toContain('请选择');
  await page.screenshot({ path: shot('intake-errors'), fullPage: true });
  await page.context().close();
});

test('a draft saved while typing comes back after reloading', async () => {
  const identity = `e2e-intake-draft-${Date.now().toString(36)}`;
  const page = await consumerPage(identity);
  await page.locator('.field-respondent input').fill('草稿测试商店');
  await pickRegion(page, '.field-region', ['上海市', '市辖区', '长宁区']);
  await page.waitForTimeout(1500);
  await page.reload();
  await page.locator('.draft-note').waitFor({ timeout: 15_000 });
  expect(await page.locator('.field-respondent input').inputValue()).toBe('草稿测试商店');
  expect(await page.locator('.field-region .region-value').innerText()).toContain('长宁区');
  await page.context().close();
});

test('an anonymous report needs no verified identity', async () => {
  const page = await consumerPage(`e2e-report-${Date.now().toString(36)}`, 'report-new');
  await page.locator('.field-respondent input').fill('某某食品店');
  await pickRegion(page, '.field-region', ['上海市', '市辖区', '长宁区']);
  await page.locator('.field-address input').fill('上海市长宁区愚园路100号');
  await page.locator('.btn-next').click();
  await page.locator('.field-description textarea').fill('该店长期销售过期食品，货架上的牛奶生产日期已超过保质期一个月。');
  await chip(page, '.field-anonymous', '匿名举报').click();
  await page.locator('.btn-next').click();
  await page.locator('.btn-next').click();
  await page.locator('.recommendation').waitFor({ timeout: 15_000 });
  await page.locator('.btn-submit').click();
  await page.locator('.result-number').waitFor({ timeout: 15_000 });
  expect((await page.locator('.result-number').innerText()).trim()).toMatch(/^JB\d{14}[0-9X]$/);
  expect(await page.locator('.submitted-title').innerText()).toBe('举报已提交');
  await page.screenshot({ path: shot('report-submitted'), fullPage: true });
  await page.context().close();
});
