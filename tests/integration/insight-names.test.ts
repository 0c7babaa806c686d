/**
 * The dashboard names a business after the first complaint about it (complaints come only from
 * verified consumers), or while there is none, after the first report; a later report, anonymous
 * or not, never renames it. A rebuild from the cases keeps the same names.
 */
import { randomUUID } from 'node:crypto';
import { seed } from '../../bff/src/seed';
import { rebuildStats } from '../../bff/src/modules/insight/counters';
import { beijingDate } from '../../shared/calendar/working-days';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { createStaff, seedBureaus, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';
import { complaintBody, reportBody, verifiedConsumer } from '../support/consumers';

let h: Harness;
let admin: StaffClient;
let complainant: { accessToken: string };
let reporter: { accessToken: string };
const today = beijingDate(new Date());
const CREDIT_CODE = '91350100M000100Y43';
const ADDRESS = { address: '北京市朝阳区建国路88号', regionCode: '110105' };

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  await seedBureaus(h);
  await createStaff(h, { username: 'names-root', role: 'admin', bureauCode: '110105', regionPrefix: '' });
  admin = await signIn(h, 'names-root');
  complainant = await verifiedConsumer(h, 'wechat', 'wx-names-complainant');
  // Reports need no identity verification.
  reporter = await loginAs(h, 'alipay', '2088000000009901');
});
afterAll(() => h.close());

async function file(who: { accessToken: string }, path: '/complaints' | '/reports', body: Record<string, unknown>) {
  const res = await h.http('POST', `/api/v1${path}`, { token: who.accessToken, headers: { 'idempotency-key': randomUUID() }, body });
  expect(res.status).toBe(201);
}
const complain = (respondent: Record<string, unknown>) => file(complainant, '/complaints', complaintBody({ respondent: { ...ADDRESS, ...respondent }, fileAnyway: true }));
const report = (respondent: Record<string, unknown>, anonymous = true) =>
  file(reporter, '/reports', reportBody({ respondent: { ...ADDRESS, ...respondent }, anonymous, ...(anonymous ? {} : { reporter: { phone: '13912345678', address: '北京市朝阳区某小区' } }) }));

/** The dashboard's top respondents, label -> cases. */
async function topRespondents(): Promise<Record<string, number>> {
  const res = await admin.get(`/admin/stats?from=${today}&to=${today}`);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.topRespondents.map((r: { label: string; count: number }) => [r.label, r.count]));
}

it('an anonymous report with another name for the same credit code does not rename the business', async () => {
  await complain({ name: '北京甲电器有限公司', creditCode: CREDIT_CODE });
  expect(await topRespondents()).toMatchObject({ 北京甲电器有限公司: 1 });
  await report({ name: '=骗子电器（假名）', creditCode: CREDIT_CODE });
  await report({ name: '北京甲电器欺诈公司', creditCode: CREDIT_CODE }, false);
  const top = await topRespondents();
  expect(top).toMatchObject({ 北京甲电器有限公司: 3 });
  expect(Object.keys(top)).not.toContain('=骗子电器（假名）');
  expect(Object.keys(top)).not.toContain('北京甲电器欺诈公司');
  // A name that stays is the expected outcome of the offer, not a failed counter update.
  expect(h.logs.join('')).not.toContain('case counters not updated');
});

it('a later complaint does not rename it either: the first verified name stays', async () => {
  await complain({ name: '甲电器（北京）', creditCode: CREDIT_CODE });
  expect(await topRespondents()).toMatchObject({ 北京甲电器有限公司: 4 });
});

it('a business first named by a report takes the name of the first complaint about it, and keeps it', async () => {
  // No credit code: the normalised name is the key, so spellings that normalise alike are one business.
  await report({ name: '乙 餐饮店' });
  expect(await topRespondents()).toMatchObject({ '乙 餐饮店': 1 });
  await complain({ name: '乙餐饮店' });
  await complain({ name: '乙餐饮店 ' });
  await report({ name: '乙餐 饮店' });
  const top = await topRespondents();
  expect(top).toMatchObject({ 乙餐饮店: 4 });
  expect(Object.keys(top)).not.toContain('乙 餐饮店');
});

it('a rebuild from the cases gives the same names', async () => {
  const before = await topRespondents();
  await rebuildStats(h.deps);
  expect(await topRespondents()).toEqual(before);
});
