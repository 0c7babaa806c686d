import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import { insertCases, type InsertResult } from '../../bff/src/seed/cases';
import { addTally, COUNTERS_COLLECTION, CounterTally, rebuildStats, type CaseFacts } from '../../bff/src/modules/insight/counters';
import { isValidCaseNumber } from '../../shared/complaint/case-number';
import { adminCaseDetail, adminCaseList } from '../../shared/api/admin';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { createStaff, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';

let h: Harness;
let demo: StaffClient;
let bjSuper: StaffClient;
let first: InsertResult;

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  first = await insertCases(h.deps, { count: 300, seed: 42 });
  await createStaff(h, { username: 'bj-super', role: 'supervisor', bureauCode: '110105', regionPrefix: '11' });
  [demo, bjSuper] = await Promise.all([signIn(h, 'demo'), signIn(h, 'bj-super')]);
});
afterAll(() => h.close());

type Lean = { number: string; status: string; bureauCode: string; deadlineState: string; owner: { userId: string }; timeline: unknown[] };
const casesOf = (filter: Record<string, unknown> = {}) =>
  h.deps.models.Case.find(filter, { number: 1, status: 1, bureauCode: 1, deadlineState: 1, owner: 1, timeline: 1 }).lean<Lean[]>();

describe('insertCases', () => {
  it('adds the cases and their consumers, with valid numbers the intake counters have moved past', async () => {
    expect(first).toMatchObject({ cases: 300, consumers: 75 });
    expect(first.complaints + first.reports).toBe(300);
    const docs = await casesOf();
    expect(docs).toHaveLength(300);
    expect(new Set(docs.map((d) => d.number)).size).toBe(300);
    expect(docs.every((d) => isValidCaseNumber(d.number))).toBe(true);
    // Each day's counter is at least the highest sequence used, so intake numbers after it.
    const counters = new Map((await h.deps.models.Counter.find({}).lean<Array<{ _id: string; seq: number }>>()).map((c) => [c._id, c.seq]));
    for (const d of docs) {
      const type = d.number.startsWith('TS') ? 'complaint' : 'report';
      const date = `${d.number.slice(2, 6)}-${d.number.slice(6, 8)}-${d.number.slice(8, 10)}`;
      expect(counters.get(`case:${type}:${date}`)).toBeGreaterThanOrEqual(Number(d.number.slice(10, 16)));
    }
    const owners = new Set(docs.map((d) => d.owner.userId));
    const users = await h.deps.models.User.find({ _id: mongoose.trusted({ $in: [...owners] }) }, { _id: 1 }).lean();
    expect(users).toHaveLength(owners.size);
    expect(await h.deps.models.Case.countDocuments({ outboxPending: mongoose.trusted({ $gt: 0 }) })).toBe(0);
  });

  it('adds more when run again: new numbers, the same consumers', async () => {
    const users = await h.deps.models.User.countDocuments({});
    const again = await insertCases(h.deps, { count: 50, seed: 42 });
    expect(again.cases).toBe(50);
    const numbers = (await casesOf()).map((d) => d.number);
    expect(numbers).toHaveLength(350);
    expect(new Set(numbers).size).toBe(350);
    expect(await h.deps.models.User.countDocuments({})).toBe(users);
  });

  it('adds to the dashboard counters what a rebuild from all the cases computes, for both runs', async () => {
    const stored = async () => ({
      counters: await h.deps.conn.db!.collection(COUNTERS_COLLECTION).find({}).sort({ _id: 1 }).toArray(),
      names: await h.deps.conn.db!.collection('insight_respondents').find({}).sort({ _id: 1 }).toArray(),
    });
    const seeded = await stored();
    // Every case of both runs is counted once in the nationwide documents.
    expect(seeded.counters.filter((d) => d.scope === 'r:').reduce((n, d) => n + d.n, 0)).toBe(350);
    expect(first.counters!.days).toBeGreaterThan(100);
    const rebuilt = await rebuildStats(h.deps);
    expect(rebuilt.cases).toBe(350);
    expect(await stored()).toEqual(seeded);
  });

  it('counts two additions of the same sums made at once, whichever inserts a document first', async () => {
    const cases = await h.deps.models.Case.find({ status: 'closed' }).limit(40).lean<CaseFacts[]>();
    const before = await rebuildStats(h.deps);
    const tally = new CounterTally();
    for (const c of cases) tally.add({ ...c, receivedAt: new Date(c.receivedAt.getTime() - 400 * 86_400_000) }, '110105');
    const [one, two] = await Promise.all([addTally(h.deps.conn, tally), addTally(h.deps.conn, tally)]);
    // Each document inserted by one addition and incremented by the other.
    expect([one.inserted + two.inserted, one.incremented + two.incremented]).toEqual([tally.docs.size, tally.docs.size]);
    const counters = h.deps.conn.db!.collection(COUNTERS_COLLECTION);
    for (const [id, counts] of tally.docs) {
      const doc = (await counters.findOne({ _id: id as never }))!;
      expect({ id, n: doc.n, closed: doc.st.kclosed }).toEqual({ id, n: 2 * counts.n, closed: 2 * counts['st.kclosed'] });
    }
    expect(await counters.countDocuments({})).toBe(before.documents + tally.docs.size);
    await rebuildStats(h.deps);
  });
});

describe('the handling views on generated cases', () => {
  it('lists the demo bureau\'s cases in its queue, and a supervisor every Beijing bureau', async () => {
    const mine = await casesOf({ bureauCode: '110105' });
    expect(mine.length).toBeGreaterThan(5);
    const list = await demo.get(`/admin/cases?pageSize=100`);
    expect(list.status).toBe(200);
    expect(adminCaseList.safeParse(list.body).success).toBe(true);
    expect(list.body.total).toBe(mine.length);
    expect(mine.length).toBeLessThanOrEqual(100);
    expect(new Set(list.body.items.map((i: { number: string }) => i.number))).toEqual(new Set(mine.map((d) => d.number)));

    const beijing = await casesOf({ bureauCode: mongoose.trusted({ $regex: '^11' }) });
    expect((await bjSuper.get('/admin/cases')).body.total).toBe(beijing.length);
    const overdue = await demo.get('/admin/cases?overdue=true&pageSize=100');
    expect(overdue.body.total).toBe(mine.filter((d) => d.deadlineState === 'overdue').length);
  });

  it('opens every generated case of the demo bureau with its timeline and the actions its status allows', async () => {
    const mine = await casesOf({ bureauCode: '110105' });
    for (const d of mine) {
      const res = await demo.get(`/admin/cases/${d.number}`);
      expect(res.status).toBe(200);
      const parsed = adminCaseDetail.safeParse(res.body);
      expect(parsed.success).toBe(true);
      expect(res.body.status).toBe(d.status);
      expect(res.body.timeline).toHaveLength(d.timeline.length);
      if (['rejected', 'closed', 'withdrawn'].includes(d.status)) expect(res.body.actions).toEqual([]);
      if (d.status === 'submitted') expect(res.body.actions.map((a: { action: string }) => a.action)).toContain(d.number.startsWith('TS') ? 'accept' : 'open_case');
    }
  });

  it('lets a generated consumer sign in and see their own cases', async () => {
    const [doc] = await casesOf({ type: 'complaint', 'owner.platform': 'wechat' });
    const user = await h.deps.models.User.findById(doc.owner.userId).lean();
    const session = await loginAs(h, user!.platform as 'wechat' | 'alipay', user!.platformUserId);
    expect(session.user.id).toBe(doc.owner.userId);
    const mine = await h.http('GET', '/api/v1/complaints', { token: session.accessToken });
    expect(mine.body.items.map((i: { number: string }) => i.number)).toContain(doc.number);
    const detail = await h.http('GET', `/api/v1/complaints/${doc.number}`, { token: session.accessToken });
    expect(detail.status).toBe(200);
    expect(detail.body.complainant.nameMasked).toMatch(/\*/);
  });
});
