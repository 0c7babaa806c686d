/**
 * The dashboard in a real browser: an admin opens 统计看板, the figures match the stats API, the
 * period changes to the last 7 days, and the queue's CSV export downloads the filtered cases.
 */
import fs from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { BASE_URL, launch, shot, staffLogin } from './browser';
import { parseCsv } from '../support/csv';

let browser: Browser;
let page: Page;

beforeAll(async () => {
  browser = await launch();
  page = await browser.newPage({ viewport: { width: 1440, height: 1000 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true });
  await staffLogin(page, 'admin');
  await page.locator('.staff-name').waitFor();
});
afterAll(() => browser?.close());

const beijingDay = (offset: number) => new Date(Date.now() + 8 * 3_600_000 + offset * 86_400_000).toISOString().slice(0, 10);
const received = async () => Number((await page.locator('.kpi-received .ant-statistic-content-value').innerText()).replace(/\D/g, ''));

test('opens the dashboard; its figures are the stats of the chosen period', async () => {
  const firstStats = page.waitForResponse((r) => r.url().includes('/api/v1/admin/stats?') && r.status() === 200);
  await page.locator('.nav-insight').click();
  const first = await (await firstStats).json();
  expect(first.period).toEqual({ from: beijingDay(-29), to: beijingDay(0) });
  await page.locator('.kpi-received').waitFor();
  expect(await received()).toBe(first.totals.received);
  expect(first.totals.received).toBeGreaterThan(0);
  await page.locator('.chart-per-day canvas').first().waitFor();
  await page.screenshot({ path: shot('insight-01-dashboard-30-days'), fullPage: true });

  const weekStats = page.waitForResponse((r) => r.url().includes(`from=${beijingDay(-6)}`) && r.status() === 200);
  await page.locator('.insight-period').getByText('近7天').click();
  const week = await (await weekStats).json();
  expect(week.period).toEqual({ from: beijingDay(-6), to: beijingDay(0) });
  await page.locator('.kpi-received .ant-statistic-content-value', { hasText: String(week.totals.received) }).waitFor();
  expect(await received()).toBe(week.totals.received);
  expect(week.perDay).toHaveLength(7);
  await page.screenshot({ path: shot('insight-02-dashboard-7-days'), fullPage: true });
});

test('downloads the CSV of the period from the queue; its rows are the filtered cases', async () => {
  await page.locator('a', { hasText: '在案件列表中查看并导出' }).click();
  await page.locator('.export-csv').waitFor();
  await page.screenshot({ path: shot('insight-03-queue-from-dashboard'), fullPage: true });
  const from = beijingDay(-6);
  const to = beijingDay(0);
  // The queue opens with the dashboard's period as its filter.
  expect(page.url()).toContain(`from=${from}&to=${to}`);
  // The cases the queue lists for the same filters, every page of them.
  const numbers: string[] = [];
  for (let p = 1; ; p++) {
    const res = await page.request.get(`${BASE_URL}/api/v1/admin/cases?from=${from}&to=${to}&pageSize=100&page=${p}`);
    const body = await res.json();
    numbers.push(...body.items.map((i: { number: string }) => i.number));
    if (numbers.length >= body.total) break;
  }
  expect(numbers.length).toBeGreaterThan(0);

  const download = page.waitForEvent('download');
  await page.locator('.export-csv').click();
  const file = await download;
  expect(file.suggestedFilename()).toMatch(/\.csv$/);
  const text = fs.readFileSync((await file.path())!, 'utf8');
  const rows = parseCsv(text).filter((r) => r.length > 1);
  const [header, ...data] = rows;
  expect(header[0]).toBe('编号');
  expect(data.map((r) => r[0]).sort()).toEqual([...numbers].sort());
  // Masked by default: no full mainland mobile number in the file.
  expect(text).not.toMatch(/(?<!\d)1[3-9]\d{9}(?!\d)/);
  // The page follows the export to its end.
  await page.locator('.ant-message', { hasText: `导出完成，共 ${numbers.length} 件` }).waitFor({ timeout: 30_000 });
  await page.screenshot({ path: shot('insight-04-queue-exported'), fullPage: true });
});
