/** Debian's Chromium driven by playwright-core (each launch gets a fresh profile), with the flags this closed network needs. */
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const BASE_URL = process.env.E2E_BASE_URL ?? '';
export const SCREENSHOTS = path.resolve(__dirname, '../../.run/screenshots');

export async function launch(): Promise<Browser> {
  if (!BASE_URL) throw new Error('E2E_BASE_URL is not set: run the suites through `npm test`');
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

export const shot = (name: string) => path.join(SCREENSHOTS, `${name}.png`);

/** Signs a staff member in on the admin page (the demo handler unless named). */
export async function staffLogin(page: Page, username = process.env.E2E_STAFF_USERNAME ?? 'demo'): Promise<void> {
  await page.goto(`${BASE_URL}/admin/`);
  await page.locator('#username').fill(username);
  await page.locator('#password').fill(process.env.E2E_STAFF_PASSWORD ?? '');
  await page.getByRole('button', { name: /登\s*录/ }).click();
}
