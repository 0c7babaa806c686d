/**
 * Real-name verification in the H5 build: inline errors before anything is sent, a mismatch answered
 * by the provider, then a pass showing only masked values, the 我的 page with identity and phone,
 * and linking the person's Alipay account with a code shown in their WeChat account.
 */
import type { Browser, Page } from 'playwright-core';
import { idNumberCheckChar } from '../../shared/identity/id-number';
import { BASE_URL, launch, shot } from './browser';

const stamp = Date.now().toString(36);
// A fictitious person no earlier run used: registered with the identity stand-in first.
const first17 = `33010619900101${String(Date.now() % 1000).padStart(3, '0')}`;
const person = { name: '钱多多', idNumber: first17 + idNumberCheckChar(first17) };
const wrongCheck = first17 + (idNumberCheckChar(first17) === '0' ? '1' : '0');
let browser: Browser;

beforeAll(async () => {
  browser = await launch();
  const res = await fetch(`${BASE_URL}/api/v1/sandbox/identity/people`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(person),
  });
  if (!res.ok) throw new Error(`registering the test person answered ${res.status}`);
});
afterAll(() => browser?.close());

async function consumerPage(platform: 'wechat' | 'alipay' = 'wechat'): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 375, height: 812 }, deviceScaleFactor: 2, locale: 'zh-CN' });
  await context.addInitScript(
    ([id, as]) => {
      window.localStorage.setItem('sandbox.identity', id);
      window.localStorage.setItem('sandbox.platform', as);
    },
    [`e2e-idv-${platform}-${stamp}`, platform],
  );
  return context.newPage();
}

test('a consumer verifies their identity in the H5 build and sees only masked values', async () => {
  const page = await consumerPage();
  const identityCalls: string[] = [];
  page.on('request', (req) => {
    if (req.url().includes('/api/v1/identity/verify')) identityCalls.push(req.url());
  });
  await page.goto(`${BASE_URL}/h5/#/pages/verify/index`);

  // Inline errors appear when a field is left, before anything is sent.
  await page.locator('.field-name input').fill('钱多多A');
  await page.locator('.field-id input').fill(wrongCheck);
  await page.locator('.field-name input').click();
  await page.locator('.field-id .field-error').waitFor();
  expect(await page.locator('.field-id .field-error').innerText()).toContain('校验位不正确');
  await page.locator('.btn-verify').click();
  expect(await page.locator('.field-name .field-error').innerText()).toContain('只能包含汉字');
  expect(await page.locator('.consent .field-error').innerText()).toContain('请阅读并同意');
  await page.screenshot({ path: shot('h5-verify-inline-errors'), fullPage: true });
  expect(identityCalls).toHaveLength(0);

  // A well-formed pair the provider does not match is answered as a mismatch.
  await page.locator('.field-name input').fill('钱少少');
  await page.locator('.field-id input').fill(person.idNumber.toLowerCase());
  await page.locator('.consent-check').click();
  await page.locator('.btn-verify').click();
  await page.locator('.form-error').waitFor({ timeout: 15_000 });
  expect(await page.locator('.form-error').innerText()).toContain('姓名与身份证号不一致');
  expect(identityCalls).toHaveLength(1);

  await page.locator('.field-name input').fill(person.name);
  await page.locator('.btn-verify').click();
  await page.locator('.verify-done').waitFor({ timeout: 15_000 });
  expect(await page.locator('.verified-name').innerText()).toBe('钱*多');
  expect(await page.locator('.verified-id').innerText()).toBe(`330106********${person.idNumber.slice(-4)}`);
  expect(await page.content()).not.toContain(person.idNumber);
  await page.screenshot({ path: shot('h5-verify-passed'), fullPage: true });

  await page.goto(`${BASE_URL}/h5/#/pages/me/index`);
  await page.locator('.me-name').waitFor({ timeout: 15_000 });
  expect(await page.locator('.me-name').innerText()).toBe('钱*多');
  expect(await page.locator('.me-phone').innerText()).toBe('未绑定');
  await page.locator('.btn-phone').click();
  await page.locator('.me-phone', { hasText: '138****8000' }).waitFor({ timeout: 15_000 });
  expect(await page.content()).not.toContain('13800138000');
  await page.screenshot({ path: shot('h5-me'), fullPage: true });
  await page.context().close();
});

test('the same person verified on Alipay links the accounts with a code shown in the WeChat account', async () => {
  const page = await consumerPage('alipay');
  await page.goto(`${BASE_URL}/h5/#/pages/verify/index`);
  await page.locator('.field-name input').fill(person.name);
  await page.locator('.field-id input').fill(person.idNumber);
  await page.locator('.consent-check').click();
  await page.locator('.btn-verify').click();

  // Knowing the name and ID number links nothing: the page sends the person to 我的 for a code.
  await page.locator('.verify-link').waitFor({ timeout: 15_000 });
  expect(await page.locator('.verify-link-text').innerText()).toContain('微信');
  expect(await page.locator('.verify-link-text').innerText()).toContain('关联码');
  await page.screenshot({ path: shot('h5-verify-linkable'), fullPage: true });

  const wechat = await consumerPage('wechat');
  await wechat.goto(`${BASE_URL}/h5/#/pages/me/index`);
  await wechat.locator('.btn-issue-code').click();
  await wechat.locator('.me-code-value').waitFor({ timeout: 15_000 });
  const code = await wechat.locator('.me-code-value').innerText();
  await wechat.screenshot({ path: shot('h5-me-link-code'), fullPage: true });

  await page.locator('.btn-go-link').click();
  await page.locator('.input-link-code input').fill(code);
  await page.locator('.btn-link').click();
  await page.locator('.me-platforms', { hasText: '微信' }).waitFor({ timeout: 15_000 });
  expect((await page.locator('.me-platforms').innerText()).split('、').sort()).toEqual(['微信', '支付宝'].sort());
  expect(await page.locator('.me-event').first().innerText()).toContain('关联了账号（关联码）');
  await page.screenshot({ path: shot('h5-me-linked'), fullPage: true });
  await wechat.context().close();

  // Signing out everywhere revokes the stored tokens; the page signs in silently again.
  const before = await page.evaluate(() => JSON.parse(window.localStorage.getItem('session') ?? '{}') as { data?: { refreshToken: string } });
  await page.locator('.btn-logout-all').click();
  await page.waitForFunction((old) => !window.localStorage.getItem('session')?.includes(old), before.data!.refreshToken);
  await page.locator('.me-name').waitFor({ timeout: 15_000 });
  const refreshed = await fetch(`${BASE_URL}/api/v1/auth/refresh`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ refreshToken: before.data!.refreshToken }),
  });
  expect(refreshed.status).toBe(401);
  await page.context().close();
});
