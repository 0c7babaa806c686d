/**
 * Deadlines that reach into a year whose holiday schedule is not yet published are estimates: the
 * API marks them provisional (暂定) for the consumer and for staff, and they stop being so once
 * that year's schedule is entered.
 */
import { startHarness, loginAs, type Harness } from '../support/harness';
import { BUREAUS, createStaff, insertCase, seedBureaus, signIn, type StaffClient } from '../support/handling';
import { CALENDAR_LAST_YEAR, shippedSchedules, useWorkCalendar, WorkCalendar, workCalendar } from '../../shared/calendar/working-days';

let h: Harness;
let staff: StaffClient;
let consumer: { accessToken: string; user: { id: string } };
const LAST = CALENDAR_LAST_YEAR;

beforeAll(async () => {
  h = await startHarness();
  await seedBureaus(h);
  await createStaff(h, { username: 'prov-handler', role: 'handler', bureauCode: BUREAUS.chaoyang.code, regionPrefix: BUREAUS.chaoyang.regionCode });
  staff = await signIn(h, 'prov-handler');
  consumer = await loginAs(h, 'wechat', 'wx-provisional');
}, 60_000);
afterAll(async () => h?.close());

/** A complaint received at 10:00 Beijing time on the given day of the last year with a schedule. */
const receivedOn = (month: number, day: number) =>
  insertCase(h, {
    owner: { userId: consumer.user.id, platform: 'wechat' },
    bureauCode: BUREAUS.chaoyang.code,
    receivedAt: new Date(Date.UTC(LAST, month - 1, day, 2)),
  });

test('a deadline counted into a year without a schedule is provisional, for the consumer and for staff', async () => {
  const lateDecember = await receivedOn(12, 24);
  const june = await receivedOn(6, 1);

  const detail = await h.http('GET', `/api/v1/complaints/${lateDecember}`, { token: consumer.accessToken });
  expect(detail.status).toBe(200);
  expect(detail.body.deadlines.acceptBy.startsWith(String(LAST + 1))).toBe(true);
  expect(detail.body.deadlines.provisional).toEqual(['acceptBy']);
  const progress = await h.http('GET', `/api/v1/complaints/${lateDecember}/progress`, { token: consumer.accessToken });
  expect(progress.body.nextDeadline).toMatchObject({ due: detail.body.deadlines.acceptBy, provisional: true });

  const settled = await h.http('GET', `/api/v1/complaints/${june}`, { token: consumer.accessToken });
  expect(settled.body.deadlines.provisional).toBeUndefined();
  expect((await h.http('GET', `/api/v1/complaints/${june}/progress`, { token: consumer.accessToken })).body.nextDeadline.provisional).toBe(false);

  const staffView = await staff.get(`/admin/cases/${lateDecember}`);
  expect(staffView.body.clock).toMatchObject({ kind: 'accept', provisional: true });
  expect(staffView.body.deadlines.provisional).toEqual(['acceptBy']);
  const queue = await staff.get('/admin/cases?pageSize=50');
  const rows = new Map<string, { clock: { provisional: boolean } }>(queue.body.items.map((c: { number: string }) => [c.number, c]));
  expect(rows.get(lateDecember)!.clock.provisional).toBe(true);
  expect(rows.get(june)!.clock.provisional).toBe(false);

  // The export says the same: the estimated date carries 暂定, the settled one does not.
  const csv = async (number: string) => {
    const res = await fetch(`${h.url}/api/v1/admin/export?format=csv&q=${number}`, { headers: { cookie: staff.cookie } });
    expect(res.status).toBe(200);
    return res.text();
  };
  expect(await csv(lateDecember)).toContain(`${detail.body.deadlines.acceptBy}（暂定）`);
  expect(await csv(june)).not.toContain('暂定');
});

test('once the next year’s schedule is entered, the same deadline is no longer provisional', async () => {
  const number = await receivedOn(12, 28);
  expect((await h.http('GET', `/api/v1/complaints/${number}`, { token: consumer.accessToken })).body.deadlines.provisional).toEqual(['acceptBy']);
  const shipped = workCalendar();
  useWorkCalendar(new WorkCalendar([...shippedSchedules(), { year: LAST + 1, holidays: [{ name: '元旦', from: `${LAST + 1}-01-01`, to: `${LAST + 1}-01-01` }], workdays: [] }]));
  try {
    const after = await h.http('GET', `/api/v1/complaints/${number}`, { token: consumer.accessToken });
    expect(after.body.deadlines.provisional).toBeUndefined();
    expect((await staff.get(`/admin/cases/${number}`)).body.clock.provisional).toBe(false);
  } finally {
    useWorkCalendar(shipped);
  }
});
