/**
 * Bureau handling in a real browser: a consumer files a complaint in the H5 build; a handler
 * logs in to the admin page, filters the queue, accepts, starts mediation, ends it with a legal
 * ground, closes; the consumer sees every step on the case page and leaves feedback.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, SCREENSHOTS, staffLogin } from './browser';
import { fillComplaint, markVerified } from './intake-steps';

const SHOTS = process.env.E2E_SHOTS_DIR ?? SCREENSHOTS;
const shot = (name: string) => path.join(SHOTS, `handling-${name}.png`);
const identity = `e2e-h-${Date.now().toString(36)}`;
const respondent = `办理测试商店${Date.now().toString(36).slice(-4)}`;
let browser: Browser;
let number = '';

beforeAll(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  browser = await launch();
});
afterAll(() => browser?.close());

async function consumerPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  await context.addInitScript((id) => window.localStorage.setItem('sandbox.identity', id), identity);
  return context.newPage();
}

/** Files a complaint through the H5 form, as the intake flow does. */
async function fileComplaint(page: Page): Promise<string> {
  await markVerified(identity);
  await page.goto(`${BASE_URL}/h5/#/pages/complaint-new/index`);
  await fillComplaint(page, { respondent, description: '在该店购买的洗衣机漏水，多次联系商家均被拒绝维修，要求退货退款。' });
  await page.locator('.btn-submit').click();
  const numberText = page.locator('.result-number');
  await numberText.waitFor({ timeout: 15_000 });
  return (await numberText.innerText()).trim();
}

async function act(page: Page, action: string, expectStatus: string) {
  await page.locator(`[data-action="${action}"]`).click();
  await page.locator(`.status-${expectStatus}`).first().waitFor({ timeout: 15_000 });
}

test('a consumer files a complaint in the H5 build', async () => {
  const page = await consumerPage();
  number = await fileComplaint(page);
  expect(number).toMatch(/^TS\d{14}[0-9X]$/);
  await page.context().close();
});

test('a handler filters the queue, accepts, mediates, ends mediation with a legal ground and closes', async () => {
  expect(number).not.toBe('');
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  await staffLogin(page);
  await page.locator('.dashboard').waitFor({ timeout: 15_000 });

  // Filter: only submitted complaints, then the respondent's name as keyword.
  await page.locator('#status-filter').click();
  await page.locator('.ant-select-item-option', { hasText: '待受理' }).click();
  await page.waitForURL(/status=submitted/);
  await page.locator('#keyword').fill(respondent);
  await page.locator('#keyword').press('Enter');
  await page.waitForURL(/q=/);
  const row = page.locator(`tr[data-row-key="${number}"]`);
  await row.waitFor({ timeout: 15_000 });
  await page.waitForFunction(() => document.querySelectorAll('.ant-table-tbody tr.ant-table-row').length === 1, undefined, { timeout: 15_000 });
  expect(page.url()).toContain('status=submitted');
  expect(await row.innerText()).toContain('剩余');
  await page.screenshot({ path: shot('01-queue-filtered'), fullPage: true });

  await row.click();
  await page.locator('[data-action="accept"]').waitFor();
  expect(await page.locator('[data-action]').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')))).toEqual(['accept', 'reject', 'transfer']);
  await page.screenshot({ path: shot('02-case-submitted'), fullPage: true });

  await act(page, 'accept', 'accepted');
  await act(page, 'start_mediation', 'mediating');
  await page.screenshot({ path: shot('03-case-mediating'), fullPage: true });

  await page.locator('[data-action="terminate"]').click();
  await page.locator('.ant-modal').waitFor();
  // The dialog refuses to confirm without the legal ground and the facts.
  await page.locator('#confirm-action').click();
  await page.locator('.ant-form-item-explain-error', { hasText: '请选择法定事由' }).waitFor();
  await page.locator('#reasonCode').click();
  await page.locator('.ant-select-item-option', { hasText: '明确表示无法达成调解协议' }).click();
  await page.locator('#reason').fill('经两次组织调解，被投诉人明确表示不同意退货退款。');
  await page.screenshot({ path: shot('04-terminate-dialog'), fullPage: true });
  await page.locator('#confirm-action').click();
  await page.locator('.status-mediation_ended').first().waitFor({ timeout: 15_000 });

  await act(page, 'close', 'closed');
  const timeline = await page.locator('.timeline-entry').allInnerTexts();
  expect(timeline.map((t) => t.split('\n')[0].split(/\s/)[0])).toEqual(['提交', '受理', '开始调解', '终止调解', '办结']);
  expect(timeline[3]).toContain('明确表示无法达成调解协议');
  await page.screenshot({ path: shot('05-case-closed'), fullPage: true });
  await page.close();
});

test('the consumer sees the same steps in the H5 case page and leaves feedback', async () => {
  const page = await consumerPage();
  await page.goto(`${BASE_URL}/h5/#/pages/complaints/index`);
  const item = page.locator('.complaint-item', { hasText: number });
  await item.waitFor({ timeout: 15_000 });
  await item.click();
  await page.locator('.case-status').waitFor({ timeout: 15_000 });
  expect(await page.locator('.case-status').innerText()).toBe('已办结');
  const steps = await page.locator('.step-label').allInnerTexts();
  expect(steps.map((s) => s.split(' · ')[0].trim())).toEqual(['提交', '受理', '开始调解', '终止调解', '办结']);
  await page.screenshot({ path: shot('06-h5-case-closed'), fullPage: true });

  await page.locator('.btn-unsatisfied').click();
  await page.locator('.feedback-text textarea, textarea.feedback-text').first().fill('希望商家能够退款。');
  await page.locator('.btn-feedback').click();
  await page.locator('.feedback-done').waitFor({ timeout: 15_000 });
  expect(await page.locator('.feedback-done').innerText()).toContain('不满意');
  await page.screenshot({ path: shot('07-h5-feedback'), fullPage: true });
  await page.context().close();
});

test('an admin adds a bureau and reads the audit log of those steps', async () => {
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  await staffLogin(page, 'admin');
  await page.locator('.nav-staff').click();
  await page.getByRole('tab', { name: '机构' }).click();
  await page.getByRole('button', { name: '新增机构' }).click();
  // A second bureau in 朝阳区: a county-level bureau's code begins with its county's code.
  const region = '110105';
  const code = `${region}${String(Date.now()).slice(-6)}`;
  const dialog = page.locator('.ant-modal');
  await dialog.locator('#code').fill(code);
  await dialog.locator('#name').fill('北京市端到端测试区市场监督管理局');
  await dialog.locator('#regionCode').fill(region);
  await dialog.getByRole('button', { name: '保存' }).click();
  await page.locator('.ant-message', { hasText: '已新增机构' }).waitFor({ timeout: 15_000 });
  // The dialog keeps the keyboard until it has closed: search only after that.
  await dialog.waitFor({ state: 'hidden' });
  await page.locator('.bureau-search input').fill(code);
  await page.locator('.bureau-search input').press('Enter');
  await page.locator(`tr[data-row-key="${code}"]`).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: shot('08-admin-bureaus'), fullPage: true });

  await page.locator('.nav-audit').click();
  await page.locator('.ant-input-search input').first().fill(number);
  await page.locator('.ant-input-search input').first().press('Enter');
  await page.locator('.ant-table-row', { hasText: '办理操作' }).first().waitFor({ timeout: 15_000 });
  const rows = await page.locator('.ant-table-row').allInnerTexts();
  expect(rows.filter((r) => r.includes('办理操作'))).toHaveLength(4);
  expect(rows.some((r) => r.includes('查看案件'))).toBe(true);
  expect(rows.some((r) => r.includes('终止调解：调解中 → 终止调解'))).toBe(true);
  await page.screenshot({ path: shot('09-admin-audit'), fullPage: true });
  await page.close();
});
