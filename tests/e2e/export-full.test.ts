/**
 * A full-data export in a real browser: the handler ticks 含投诉人姓名和电话, the page asks for the
 * purpose and the password in a modal (a wrong password is refused there), then the browser
 * downloads the file with the single-use ticket and the page follows it to the end.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { launch, shot, staffLogin } from './browser';
import { parseCsv } from '../support/csv';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  await staffLogin(page);
  await page.locator('.export-full').waitFor({ timeout: 15_000 });
});
afterAll(() => browser?.close());

test('asks for the purpose and the password, refuses a wrong one, then downloads the file with the details in full', async () => {
  await page.locator('.export-full').click();
  await page.locator('.export-csv').click();
  const modal = page.locator('.ant-modal', { hasText: '导出投诉人完整信息' });
  await modal.waitFor();

  // Nothing goes to the server without a purpose and a password.
  await page.locator('#confirm-full-export').click();
  await modal.getByText('请选择导出用途').waitFor();
  await modal.getByText('请输入您的登录密码').waitFor();

  await page.locator('#purpose-category').click();
  await page.locator('.ant-select-item-option', { hasText: '调解中联系投诉人' }).click();
  await page.locator('#purpose-text').fill('调解中需电话联系投诉人核实退款情况');
  await page.locator('#reauth-password').fill('not-the-password');
  await page.locator('#confirm-full-export').click();
  await modal.getByText(/密码不正确，还可以再试 \d 次/).waitFor({ timeout: 15_000 });
  await page.screenshot({ path: shot('export-full-01-wrong-password'), fullPage: true });

  await page.locator('#reauth-password').fill(process.env.E2E_STAFF_PASSWORD ?? '');
  const download = page.waitForEvent('download');
  await page.locator('#confirm-full-export').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  // The link the browser followed carries the ticket, never the password or the purpose.
  expect(file.url()).toMatch(/\/api\/v1\/admin\/export\/full\/[A-Za-z0-9_-]{43}$/);
  const text = fs.readFileSync((await file.path())!, 'utf8');
  const [header, ...rows] = parseCsv(text).filter((r) => r.length > 1);
  expect(header[0]).toBe('编号');
  expect(rows.length).toBeGreaterThan(0);
  // In full: mainland mobile numbers as they are.
  expect(text).toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  await page.locator('.ant-message', { hasText: `导出完成，共 ${rows.length} 件` }).waitFor({ timeout: 30_000 });
  await expect(modal.isVisible()).resolves.toBe(false);
  await page.screenshot({ path: shot('export-full-02-done'), fullPage: true });
});
