/**
 * A consumer's withdrawal has the clock effects of the workflow table, as a staff step has: an
 * overdue case stops counting as overdue in the queue and the dashboard, and a case withdrawn
 * during a testing pause is no longer paused. Queue, dashboard, counters and case page agree.
 */
import { startHarness, loginAs, type Harness } from '../support/harness';
import { BUREAUS, createStaff, insertCase, seedBureaus, signIn, type StaffClient } from '../support/handling';
import { scanOnce } from '../../bff/src/jobs/deadlines';
import { rebuildStats } from '../../bff/src/modules/insight/counters';
import { addWorkingDays, beijingDate } from '../../shared/calendar/working-days';

let h: Harness;
let staff: StaffClient;
let consumer: { accessToken: string; user: { id: string } };

beforeAll(async () => {
  h = await startHarness();
  await seedBureaus(h);
  await createStaff(h, { username: 'wd-handler', role: 'handler', bureauCode: BUREAUS.chaoyang.code, regionPrefix: BUREAUS.chaoyang.regionCode });
  staff = await signIn(h, 'wd-handler');
  consumer = await loginAs(h, 'wechat', 'wx-withdraw-clocks');
}, 60_000);
afterAll(async () => h?.close());

const owner = () => ({ userId: consumer.user.id, platform: 'wechat' as const });
const raw = (number: string) => h.deps.models.Case.collection.findOne({ number });
const withdraw = (number: string) => h.http('POST', `/api/v1/complaints/${number}/withdraw`, { token: consumer.accessToken, body: { reason: '已与商家协商解决' } });
/** The dashboard counters, a count of zero the same as none (a rebuild writes no zeros, a change leaves them). */
const withoutZeros = (v: unknown): unknown =>
  v && typeof v === 'object' && !(v instanceof Date)
    ? Object.fromEntries(Object.entries(v).filter(([, x]) => x !== 0).map(([k, x]) => [k, withoutZeros(x)]))
    : v;
const counters = async () => (await h.deps.conn.db!.collection('insight_counters').find().sort({ _id: 1 }).toArray()).map(withoutZeros);

test('an overdue complaint withdrawn leaves the overdue count, the queue’s overdue filter and the case page’s clock', async () => {
  // Received a month ago and never accepted: its 7-working-day limit has passed.
  const number = await insertCase(h, { owner: owner(), bureauCode: BUREAUS.chaoyang.code, receivedAt: new Date(Date.now() - 30 * 86_400_000) });
  // Written past the intake: the counters are brought up to date from the cases first.
  await rebuildStats(h.deps);
  await scanOnce(h.deps);
  expect(await raw(number)).toMatchObject({ deadlineState: 'overdue' });
  const before = (await staff.get('/admin/dashboard')).body.overdue;
  expect((await staff.get('/admin/cases?overdue=true&pageSize=100')).body.items.map((c: { number: string }) => c.number)).toContain(number);

  expect((await withdraw(number)).status).toBe(200);

  const doc = await raw(number);
  expect(doc).toMatchObject({ status: 'withdrawn', deadlineState: 'none', wasOverdue: true });
  expect(doc!.dueOn).toBeUndefined();
  expect((await staff.get('/admin/dashboard')).body.overdue).toBe(before - 1);
  expect((await staff.get('/admin/cases?overdue=true&pageSize=100')).body.items.map((c: { number: string }) => c.number)).not.toContain(number);
  expect((await h.http('GET', `/api/v1/complaints/${number}/progress`, { token: consumer.accessToken })).body.nextDeadline).toBeNull();
  expect((await staff.get(`/admin/cases/${number}`)).body.clock).toBeNull();
  // The counters moved as a rebuild from the cases would have them.
  const moved = await counters();
  await rebuildStats(h.deps);
  expect(await counters()).toEqual(moved);
});

test('a complaint withdrawn during a testing pause is no longer paused', async () => {
  const today = beijingDate(new Date());
  const number = await insertCase(h, {
    owner: owner(),
    bureauCode: BUREAUS.chaoyang.code,
    status: 'mediating',
    deadlines: { acceptBy: today, mediationBy: addWorkingDays(today, 40) },
    extra: { pausedOn: today, pauseNote: '送检测机构检测' },
  });
  expect((await staff.get(`/admin/cases/${number}`)).body.clock).toMatchObject({ paused: true });

  expect((await withdraw(number)).status).toBe(200);

  const doc = await raw(number);
  expect(doc!.status).toBe('withdrawn');
  expect(doc!.pausedOn).toBeUndefined();
  expect(doc!.pauseNote).toBeUndefined();
  expect((await staff.get(`/admin/cases/${number}`)).body.clock).toBeNull();
  const progress = (await h.http('GET', `/api/v1/complaints/${number}/progress`, { token: consumer.accessToken })).body;
  expect(progress.statusLabel).toBe('已撤回');
  expect(progress.nextDeadline).toBeNull();
});
