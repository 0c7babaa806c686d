/**
 * The walking skeleton in a real browser: a consumer files a complaint in the H5 build and
 * subscribes, a staff member accepts it on the admin page, the WeChat stand-in receives the
 * message, and the consumer sees the new status.
 */
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot, staffLogin } from './browser';
import { fillComplaint, markVerified } from './intake-steps';

const identity = `e2e-${Date.now().toString(36)}`;
const respondent = `端到端测试商店${Date.now().toString(36).slice(-4)}`;
let browser: Browser;
let number = '';

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function consumerPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  await context.addInitScript((id) => window.localStorage.setItem('sandbox.identity', id), identity);
  return context.newPage();
}

test('a consumer signs in silently and files a complaint in the H5 build', async () => {
  const page = await consumerPage();
  await page.goto(`${BASE_URL}/h5/#/pages/complaint-new/index`);
  // Filing a complaint needs a verified identity (the form has several steps since intake).
  await markVerified(identity);
  await fillComplaint(page, { respondent, description: '在该店购买的电饭煲使用一周后无法加热，商家拒绝退换，要求退货退款。' });
  await page.locator('.btn-submit').click();

  const numberText = page.locator('.result-number');
  await numberText.waitFor({ timeout: 15_000 });
  number = (await numberText.innerText()).trim();
  expect(number).toMatch(/^TS\d{14}[0-9X]$/);
  expect(await page.locator('.result-deadline').innerText()).toMatch(/^\d{4}-\d{2}-\d{2}$/);

  await page.locator('.btn-subscribe').click();
  await page.locator('.subscribe-status').waitFor();
  expect(await page.locator('.subscribe-status').innerText()).toContain('已订阅');
  await page.screenshot({ path: shot('h5-submitted'), fullPage: true });
  await page.context().close();
});

test('staff log in to the admin page and accept the case', async () => {
  expect(number).not.toBe('');
  const page = await browser.newPage({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
  await staffLogin(page);

  const row = page.locator(`tr[data-row-key="${number}"]`);
  await row.waitFor({ timeout: 15_000 });
  expect(await row.innerText()).toContain(respondent);
  await page.screenshot({ path: shot('admin-queue'), fullPage: true });

  await row.click();
  await page.locator('[data-action="accept"]').click();
  await page.locator('.status-accepted').first().waitFor({ timeout: 15_000 });
  await page.screenshot({ path: shot('admin-accepted'), fullPage: true });
  await page.close();
});

test('the WeChat stand-in receives the acceptance message once, and the consumer sees 已受理', async () => {
  let messages: Array<{ touser: string; data: unknown }> = [];
  for (let i = 0; i < 100 && messages.length === 0; i++) {
    const res = await fetch(`${BASE_URL}/api/v1/sandbox/messages`);
    messages = ((await res.json()) as { items: typeof messages }).items.filter((m) => m.touser === identity);
    if (messages.length === 0) await new Promise((r) => setTimeout(r, 200));
  }
  expect(messages).toHaveLength(1);
  expect(JSON.stringify(messages[0].data)).toContain(number);

  const page = await consumerPage();
  await page.goto(`${BASE_URL}/h5/#/pages/complaints/index`);
  const item = page.locator('.complaint-item', { hasText: number });
  await item.waitFor({ timeout: 15_000 });
  expect(await item.innerText()).toContain('已受理');
  await page.screenshot({ path: shot('h5-my-complaints'), fullPage: true });
  await page.context().close();
});
