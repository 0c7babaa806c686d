/**
 * The privacy policy page and account cancellation (注销) in the H5 build: the policy states the
 * retention the code applies, and a consumer with no open case cancels from 我的 after confirming,
 * after which the old session no longer works.
 */
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot } from './browser';
import { RETENTION_CLOSED_CASE_DAYS } from '../../shared/privacy/retention';

const stamp = Date.now().toString(36);
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});
afterAll(() => browser?.close());

async function consumerPage(): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  await context.addInitScript((id) => {
    window.localStorage.setItem('sandbox.identity', id);
    window.localStorage.setItem('sandbox.platform', 'wechat');
  }, `e2e-privacy-${stamp}`);
  return context.newPage();
}

test('the privacy policy says how long personal data is kept, as the code keeps it', async () => {
  const page = await consumerPage();
  await page.goto(`${BASE_URL}/h5/#/pages/me/index`);
  await page.locator('.btn-privacy').click();
  await page.locator('.privacy-section').first().waitFor({ timeout: 15_000 });
  // The page slides in: the picture is taken once it has come to rest.
  await page.waitForFunction(() => Math.abs(document.querySelector('.privacy')!.getBoundingClientRect().left) < 1);
  const text = await page.locator('.privacy').innerText();
  expect(text).toContain(`${RETENTION_CLOSED_CASE_DAYS} 天`);
  expect(text).toContain('注销账号');
  expect(text).toContain('撤回身份信息授权');
  await page.screenshot({ path: shot('h5-privacy-policy'), fullPage: true });
  await page.context().close();
});

test('a consumer without an open case cancels the account from 我的, after confirming', async () => {
  const page = await consumerPage();
  await page.goto(`${BASE_URL}/h5/#/pages/me/index`);
  await page.locator('.btn-cancel-account').waitFor({ timeout: 15_000 });
  await page.screenshot({ path: shot('h5-me-privacy'), fullPage: true });
  const session = await page.evaluate(() => JSON.parse(window.localStorage.getItem('session') ?? '{}') as { data?: { accessToken: string } });
  expect(session.data?.accessToken).toBeTruthy();

  // Cancelling the dialog changes nothing.
  await page.locator('.btn-cancel-account').click();
  await page.locator('.taro-modal__content').waitFor({ timeout: 5_000 });
  expect(await page.locator('.taro-modal__text').innerText()).toContain('无法恢复');
  await page.waitForTimeout(400); // the dialog fades in
  await page.screenshot({ path: shot('h5-cancel-confirm'), fullPage: true });
  await page.locator('.taro-model__cancel').click();
  const still = await fetch(`${BASE_URL}/api/v1/me`, { headers: { authorization: `Bearer ${session.data!.accessToken}` } });
  expect(still.status).toBe(200);

  await page.locator('.btn-cancel-account').click();
  await page.locator('.taro-model__confirm').click();
  await page.waitForURL(/pages\/index\/index/, { timeout: 15_000 });
  const after = await fetch(`${BASE_URL}/api/v1/me`, { headers: { authorization: `Bearer ${session.data!.accessToken}` } });
  expect(after.status).toBe(401);
  await page.context().close();
});
