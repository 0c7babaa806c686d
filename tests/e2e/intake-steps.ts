/** Steps of the H5 intake form that several browser tests take, and the verified identity a complaint needs. */
import type { Page } from 'playwright-core';
import { ID_CONSENT_VERSION } from '../../shared/api/identity';
import { fictitiousPerson } from '../support/consumers';
import { BASE_URL } from './browser';

/** Verifies the sandbox WeChat user `identity` through the API, as the 实名认证 page would. */
export async function markVerified(identity: string): Promise<void> {
  const post = async (path: string, body: unknown, token?: string) => {
    const res = await fetch(`${BASE_URL}/api/v1${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
    return res.json();
  };
  const person = fictitiousPerson();
  await post('/sandbox/identity/people', person);
  const { code } = await post('/sandbox/wechat/code', { openid: identity });
  const { accessToken } = await post('/auth/login', { platform: 'wechat', code });
  await post('/identity/verify', { ...person, consent: true, consentVersion: ID_CONSENT_VERSION }, accessToken);
}

/** Chooses 省 -> 市 -> 区县 in a region picker. */
export async function pickRegion(page: Page, picker: string, names: string[]): Promise<void> {
  await page.locator(`${picker} .region-value`).click();
  for (const name of names) await page.locator(`${picker} .region-item`, { hasText: new RegExp(`^${name}$`) }).click();
}

export const chip = (page: Page, field: string, label: string) => page.locator(`${field} .chip`, { hasText: new RegExp(`^${label}$`) });

export interface ComplaintInput {
  respondent: string;
  description: string;
  /** Files to attach as image evidence. */
  images?: string[];
  /** Files to attach as PDF evidence. */
  documents?: string[];
  /** Called after each step is filled, e.g. for a screenshot. */
  onStep?: (name: string) => Promise<void>;
}

/** Fills every step of the complaint form, from the respondent to the review page (not submitted). */
export async function fillComplaint(page: Page, input: ComplaintInput): Promise<void> {
  const step = input.onStep ?? (async () => undefined);
  await page.locator('.field-respondent input').fill(input.respondent);
  await page.locator('.field-credit-code input').fill('91350100M000100Y43');
  await pickRegion(page, '.field-region', ['北京市', '市辖区', '朝阳区']);
  await page.locator('.field-address input').fill('北京市朝阳区建国路88号');
  await step('respondent');
  await page.locator('.btn-next').click();

  await page.locator('.field-phone input').fill('13812345678');
  await page.locator('.field-consumer-address input').fill('北京市海淀区中关村大街1号');
  await step('consumer');
  await page.locator('.btn-next').click();

  await chip(page, '.field-category', '家用电器').click();
  await chip(page, '.field-problem', '售后服务').click();
  await chip(page, '.field-problem', '拒绝维修').click();
  await chip(page, '.field-channel', '实体店').click();
  await page.locator('.field-product input').fill('电饭煲');
  await page.locator('.field-amount input').fill('399.50');
  await page.locator('.field-description textarea').fill(input.description);
  await chip(page, '.field-demands', '退货').click();
  await chip(page, '.field-demands', '退款').click();
  await step('business');
  await page.locator('.btn-next').click();

  for (const image of input.images ?? []) {
    const chooser = page.waitForEvent('filechooser');
    await page.locator('.btn-add-image').click();
    await (await chooser).setFiles(image);
    await page.locator('.evidence-item').nth((input.images ?? []).indexOf(image)).waitFor({ timeout: 15_000 });
  }
  for (const [i, document] of (input.documents ?? []).entries()) {
    const chooser = page.waitForEvent('filechooser');
    await page.locator('.btn-add-pdf').click();
    await (await chooser).setFiles(document);
    await page.locator('.evidence-item').nth((input.images ?? []).length + i).waitFor({ timeout: 15_000 });
  }
  await step('evidence');
  await page.locator('.btn-next').click();
  await page.locator('.recommendation').waitFor({ timeout: 15_000 });
}
