/**
 * The dashboard's counters against a direct computation over the same cases: cases filed and
 * handled through the API (and cases received earlier, then handled late and scanned), every
 * figure compared for every scope; a rebuild from the cases gives the same figures; scope limits.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import { scanOnce } from '../../bff/src/jobs/deadlines';
import { Collection } from 'mongodb';
import { COUNTERS_COLLECTION, recordCaseChange, rebuildStats, scopeKeys, type CaseFacts } from '../../bff/src/modules/insight/counters';
import { beijingDate, workingDaysBetween } from '../../shared/calendar/working-days';
import { FINAL_STATUSES, type ComplaintStatus } from '../../shared/complaint/status';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { BUREAUS, createStaff, insertCase, seedBureaus, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';
import { complaintBody, reportBody, verifiedConsumer } from '../support/consumers';

let h: Harness;
let chaoyang: StaffClient;
let haidian: StaffClient;
let bjSuper: StaffClient;
let shSuper: StaffClient;
let admin: StaffClient;
const today = beijingDate(new Date());
const shift = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const from = shift(today, -40);

async function act(c: StaffClient, number: string, action: string, extra: Record<string, unknown> = {}) {
  const detail = await c.get(`/admin/cases/${number}`);
  const res = await c.post(`/admin/cases/${number}/transitions`, { action, version: detail.body.version, ...extra });
  if (res.status !== 200) throw new Error(`${action} ${number}: ${res.status} ${JSON.stringify(res.body)}`);
}

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  await seedBureaus(h);
  await createStaff(h, { username: 'ins-hd', role: 'handler', bureauCode: BUREAUS.haidian.code, regionPrefix: '110108' });
  await createStaff(h, { username: 'ins-bj', role: 'supervisor', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '11' });
  await createStaff(h, { username: 'ins-sh', role: 'supervisor', bureauCode: BUREAUS.xuhui.code, regionPrefix: '31' });
  await createStaff(h, { username: 'ins-root', role: 'admin', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '' });
  [chaoyang, haidian, bjSuper, shSuper, admin] = await Promise.all(['demo', 'ins-hd', 'ins-bj', 'ins-sh', 'ins-root'].map((u) => signIn(h, u)));

  // Filed through the API today, then handled along every kind of path.
  const consumer = await verifiedConsumer(h, 'wechat', 'wx-insight-1');
  const file = async (path: '/complaints' | '/reports', body: Record<string, unknown>, key: string) => {
    const res = await h.http('POST', `/api/v1${path}`, { token: consumer.accessToken, headers: { 'idempotency-key': randomUUID() }, body });
    if (res.status !== 201 && res.status !== 200) throw new Error(`${path}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.number as string;
  };
  const shops = [
    { name: '北京甲电器有限公司', creditCode: '91350100M000100Y43' },
    { name: '北京乙餐饮店' },
    { name: '北京丙健身中心' },
  ];
  const numbers: string[] = [];
  for (let i = 0; i < 12; i++) {
    const shop = shops[i % 3];
    numbers.push(
      await file(
        '/complaints',
        complaintBody({
          respondent: { ...shop, address: '北京市朝阳区建国路88号', regionCode: '110105', ...(i % 3 === 1 ? { platform: { name: '某电商平台', regionCode: '330106' } } : {}) },
          business: {
            kind: i % 2 ? 'services' : 'goods',
            categoryCode: i % 2 ? 'services.catering' : 'goods.appliance',
            problemTypeCode: i % 3 ? 'quality.defect' : 'after_sales.refuse_repair',
            channel: ['store', 'online_platform', 'tv_phone'][i % 3],
            productName: '商品',
            amountCents: 1000 * (i + 1),
            occurredOn: shift(today, -3),
            demands: [{ type: 'refund' }],
          },
          fileAnyway: true,
        }),
        `ins-c-${i}`,
      ),
    );
  }
  const reports = [await file('/reports', reportBody(), 'ins-r-1'), await file('/reports', reportBody({ respondent: { name: '徐汇某超市', address: '上海市徐汇区漕溪北路1号', regionCode: '310104' } }), 'ins-r-2')];

  const [a, b, c, d, e, f, g] = numbers;
  await act(chaoyang, a, 'accept');
  await act(chaoyang, a, 'start_mediation');
  await act(chaoyang, a, 'agree');
  await act(chaoyang, a, 'close');
  await act(chaoyang, b, 'reject', { reasonCode: 'materials_missing', reason: '材料不全' });
  await act(chaoyang, c, 'accept');
  await act(chaoyang, c, 'terminate', { reasonCode: 'party_refuses', reason: '被投诉人拒绝调解' });
  await act(chaoyang, d, 'transfer', { toBureau: BUREAUS.haidian.code, reasonCode: 'no_jurisdiction', reason: '应由海淀处理' });
  await act(haidian, d, 'accept');
  await act(chaoyang, e, 'accept');
  await act(bjSuper, f, 'reassign', { toBureau: BUREAUS.haidian.code, reason: '统筹安排' });
  const withdrawn = await h.http('POST', `/api/v1/complaints/${g}/withdraw`, { token: consumer.accessToken, body: {} });
  expect(withdrawn.status).toBe(200);
  const shHandler = await (async () => {
    await createStaff(h, { username: 'ins-xh', role: 'handler', bureauCode: BUREAUS.xuhui.code, regionPrefix: '310104' });
    return signIn(h, 'ins-xh');
  })();
  const rep = (await h.deps.models.Case.findOne({ number: reports[1] }).lean())!;
  await act(rep.bureauCode === BUREAUS.xuhui.code ? shHandler : admin, reports[1], 'open_case');

  // Received weeks ago (their intake counted as it happens), then handled late, and scanned.
  const owner = { userId: consumer.user.id, platform: 'wechat' as const };
  for (const [days, bureau, status] of [
    [-30, BUREAUS.chaoyang.code, 'submitted'],
    [-25, BUREAUS.chaoyang.code, 'submitted'],
    [-20, BUREAUS.haidian.code, 'submitted'],
    [-12, BUREAUS.xuhui.code, 'submitted'],
    [-3, BUREAUS.chaoyang.code, 'submitted'],
  ] as const) {
    const receivedAt = new Date(`${shift(today, days)}T10:00:00+08:00`);
    const number = await insertCase(h, {
      owner,
      bureauCode: bureau,
      status,
      receivedAt,
      respondentName: days === -30 ? '北京乙餐饮店' : '某某电器有限公司',
      extra: {
        respondent: { name: days === -30 ? '北京乙餐饮店' : '某某电器有限公司', nameKey: days === -30 ? '北京乙餐饮店' : '某某电器有限公司' },
        business: { kind: 'goods', categoryCode: 'goods.food', problemTypeCode: 'quality.defect', channel: 'store', categoryTreeVersion: '2026.2', productName: '牛奶', amountCents: 500, occurredOn: shift(today, days - 1), demands: [] },
      },
    });
    await recordCaseChange(h.deps, null, (await h.deps.models.Case.findOne({ number }).lean()) as unknown as CaseFacts);
    numbers.push(number);
  }
  await scanOnce(h.deps);
  const late = numbers[numbers.length - 5];
  await act(chaoyang, late, 'accept');
  await act(chaoyang, late, 'start_mediation');
  await act(chaoyang, late, 'agree');
  await act(chaoyang, late, 'close');
}, 180_000);
afterAll(() => h.close());

interface CaseRow {
  type: string;
  status: string;
  bureauCode: string;
  receivedAt: Date;
  deadlineState?: string;
  wasOverdue?: boolean;
  respondent: { name: string; creditCode?: string; nameKey?: string };
  business?: { categoryCode?: string; problemTypeCode?: string; channel?: string };
  timeline: Array<{ at: Date; action: string }>;
}

const nearestRank = (values: number[], q: number) => {
  if (!values.length) return null;
  const sorted = [...values].sort((x, y) => x - y);
  return sorted[Math.max(1, Math.ceil(q * sorted.length)) - 1];
};
const tally = (values: string[]) => {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
};
const asMap = (buckets: Array<{ key: string; count: number }>) => Object.fromEntries(buckets.map((b) => [b.key, b.count]));

/** The figures computed straight from the cases, written independently of the counters. */
async function direct(regionPrefix: string | null, bureauCode: string | null, period: { from: string; to: string }) {
  const bureaus = await h.deps.models.Bureau.find({}).lean();
  const regionOf = new Map(bureaus.map((b) => [b.code, b.regionCode]));
  const all = (await h.deps.models.Case.find({}).lean()) as unknown as CaseRow[];
  const cases = all.filter((c) => {
    const day = beijingDate(c.receivedAt);
    if (day < period.from || day > period.to) return false;
    if (bureauCode !== null) return c.bureauCode === bureauCode;
    return (regionOf.get(c.bureauCode) ?? '').startsWith(regionPrefix ?? '');
  });
  const decided = (c: CaseRow) => c.timeline.find((t) => ['accept', 'reject', 'open_case', 'decline'].includes(t.action));
  const closedAt = (c: CaseRow) => (c.status === 'closed' ? c.timeline.filter((t) => t.action === 'close').pop() : undefined);
  const late = cases.filter((c) => c.wasOverdue || c.deadlineState === 'overdue').length;
  const agreed = cases.filter((c) => c.timeline.some((t) => t.action === 'agree')).length;
  const ended = cases.filter((c) => !c.timeline.some((t) => t.action === 'agree') && c.timeline.some((t) => t.action === 'terminate')).length;
  const decisionDays = cases.filter(decided).map((c) => workingDaysBetween(beijingDate(c.receivedAt), beijingDate(decided(c)!.at)));
  const closureDays = cases.filter(closedAt).map((c) => workingDaysBetween(beijingDate(c.receivedAt), beijingDate(closedAt(c)!.at)));
  const perDay = tally(cases.map((c) => beijingDate(c.receivedAt)));
  return {
    totals: {
      received: cases.length,
      complaints: cases.filter((c) => c.type === 'complaint').length,
      reports: cases.filter((c) => c.type === 'report').length,
      open: cases.filter((c) => !FINAL_STATUSES.includes(c.status as ComplaintStatus)).length,
      overdueNow: cases.filter((c) => c.deadlineState === 'overdue').length,
      late,
      overdueRate: cases.length ? Math.round((late / cases.length) * 10_000) / 10_000 : null,
    },
    perDay,
    byStatus: tally(cases.map((c) => c.status)),
    byCategory: tally(cases.map((c) => c.business?.categoryCode ?? 'none')),
    byProblemType: tally(cases.map((c) => c.business?.problemTypeCode ?? 'none')),
    byChannel: tally(cases.map((c) => c.business?.channel ?? 'none')),
    byCounty: tally(cases.map((c) => regionOf.get(c.bureauCode) ?? 'none')),
    toDecision: { count: decisionDays.length, median: nearestRank(decisionDays, 0.5), p90: nearestRank(decisionDays, 0.9) },
    toClosure: { count: closureDays.length, median: nearestRank(closureDays, 0.5), p90: nearestRank(closureDays, 0.9) },
    mediation: { agreed, ended, successRate: agreed + ended ? Math.round((agreed / (agreed + ended)) * 10_000) / 10_000 : null },
    respondents: tally(cases.map((c) => c.respondent.creditCode ?? c.respondent.name)),
  };
}

function comparable(view: any) {
  return {
    totals: view.totals,
    perDay: Object.fromEntries(view.perDay.filter((d: { count: number }) => d.count > 0).map((d: { day: string; count: number }) => [d.day, d.count])),
    byStatus: asMap(view.byStatus),
    byCategory: asMap(view.byCategory),
    byProblemType: asMap(view.byProblemType),
    byChannel: asMap(view.byChannel),
    byCounty: asMap(view.byCounty),
    toDecision: view.toDecision,
    toClosure: view.toClosure,
    mediation: view.mediation,
    respondents: Object.values(asMap(view.topRespondents)).sort(),
  };
}

const SCOPES: Array<[string, () => StaffClient, string, string | null, string | null]> = [
  ['a handler of 朝阳', () => chaoyang, '', null, BUREAUS.chaoyang.code],
  ['a handler of 海淀', () => haidian, '', null, BUREAUS.haidian.code],
  ['the Beijing supervisor', () => bjSuper, '', '11', null],
  ['the Beijing supervisor narrowed to 海淀', () => bjSuper, '&region=110108', '110108', null],
  ['the Shanghai supervisor', () => shSuper, '', '31', null],
  ['an admin, everywhere', () => admin, '', '', null],
  ['an admin narrowed to Beijing city', () => admin, '&region=1101', '1101', null],
];

async function checkAll() {
  for (const [who, client, extra, region, bureau] of SCOPES) {
    const res = await client().get(`/admin/stats?from=${from}&to=${today}${extra}`);
    expect({ who, status: res.status }).toEqual({ who, status: 200 });
    const want = await direct(region, bureau, { from, to: today });
    const got = comparable(res.body);
    expect({ who, ...got, respondents: got.respondents }).toEqual({ who, ...want, respondents: Object.values(want.respondents).sort().slice(-10) });
  }
}

describe('counters kept by each change equal a direct computation', () => {
  it('for every scope and every figure', async () => {
    const all = await admin.get(`/admin/stats?from=${from}&to=${today}`);
    // The fixture reaches the figures it compares: not a comparison of zeros.
    expect(all.body.totals.received).toBeGreaterThanOrEqual(19);
    expect(all.body.totals.late).toBeGreaterThan(0);
    expect(all.body.toDecision.median).not.toBeNull();
    expect(all.body.toClosure.p90).toBeGreaterThan(0);
    expect(all.body.mediation).toEqual({ agreed: 2, ended: 1, successRate: 0.6667 });
    await checkAll();
  });

  it('a rebuild from the cases gives the same figures', async () => {
    const before = await admin.get(`/admin/stats?from=${from}&to=${today}`);
    const rebuilt = await rebuildStats(h.deps);
    expect(rebuilt.cases).toBe(await h.deps.models.Case.countDocuments({}));
    const after = await admin.get(`/admin/stats?from=${from}&to=${today}`);
    expect(comparable(after.body)).toEqual(comparable(before.body));
    await checkAll();
  });

  it('reads one counter document per day, not the cases', async () => {
    const res = await admin.get(`/admin/stats?from=${from}&to=${today}`);
    const days = new Set((await h.deps.models.Case.find({}, { receivedAt: 1 }).lean()).map((c) => beijingDate(c.receivedAt)));
    expect(res.body.source.documents).toBe(days.size);
  });

  it('keeps the counters in one collection, one document per scope and day, read with one indexed query', async () => {
    const docs = await h.deps.conn.db!.collection(COUNTERS_COLLECTION).find({}, { projection: { scope: 1, day: 1 } }).toArray();
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) expect(d._id).toBe(`${d.scope}|${d.day}`);
    // Exactly the documents of the cases: each case's day, for its bureau and every level of its region.
    const regionOf = new Map((await h.deps.models.Bureau.find({}).lean()).map((b) => [b.code, b.regionCode]));
    const want = new Set<string>();
    for (const c of await h.deps.models.Case.find({}, { bureauCode: 1, receivedAt: 1 }).lean()) {
      for (const key of scopeKeys(c.bureauCode, regionOf.get(c.bureauCode)!)) want.add(`${key}|${beijingDate(c.receivedAt)}`);
    }
    expect(new Set(docs.map((d) => d._id))).toEqual(want);
    const indexes = await h.deps.models.InsightCounter.collection.indexes();
    expect(indexes.map((i) => i.key)).toContainEqual({ scope: 1, day: 1 });

    // One find on the counters per dashboard read, for the period and the hotspot weeks together.
    const spy = jest.spyOn(Collection.prototype, 'find');
    try {
      const res = await bjSuper.get(`/admin/stats?from=${shift(today, -179)}&to=${today}`);
      expect(res.status).toBe(200);
      const calls = spy.mock.contexts.map((c, i) => [(c as Collection).collectionName, spy.mock.calls[i][0]]).filter(([name]) => name === COUNTERS_COLLECTION);
      expect(calls).toEqual([[COUNTERS_COLLECTION, { scope: 'r:11', day: { $gte: shift(today, -179), $lte: today } }]]);
      // The respondents' names (the top ones and any hotspot's) in one `$in` query too.
      const names = spy.mock.contexts.filter((c) => (c as Collection).collectionName === 'insight_respondents');
      expect(names).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }

    // Answered from the {scope, day} index, not by reading the collection.
    const plan = await h.deps.conn.db!.command({ explain: { find: COUNTERS_COLLECTION, filter: { scope: 'r:11', day: { $gte: shift(today, -179), $lte: today } } } });
    const text = JSON.stringify(plan.queryPlanner ?? plan);
    if (plan.serverInfo?.ferretdbVersion !== undefined || text.includes('documentdb')) expect(text).toContain('scope_1_day_1');
    else {
      expect(text).toContain('IXSCAN');
      expect(text).not.toContain('COLLSCAN');
    }
  });
});

describe('scope limits', () => {
  it('a handler cannot choose a region; a supervisor cannot leave theirs', async () => {
    const h1 = await chaoyang.get(`/admin/stats?from=${from}&to=${today}&region=110108`);
    expect(h1.status).toBe(403);
    expect(h1.body.error.code).toBe('REGION_OUT_OF_SCOPE');
    for (const region of ['31', '3101', '']) {
      const r = await bjSuper.get(`/admin/stats?from=${from}&to=${today}&region=${region}`);
      expect(r.status).toBe(region === '' ? 400 : 403);
    }
    const sh = await shSuper.get(`/admin/stats?from=${from}&to=${today}`);
    expect(sh.body.byCounty.map((b: { key: string }) => b.key).every((k: string) => k.startsWith('31'))).toBe(true);
    expect(sh.body.scope).toEqual({ region: '31', label: '上海市', level: 'province' });
  });

  it('bad periods answer 400 with the field named, never 500', async () => {
    for (const q of [`from=${today}&to=${from}`, 'from=2025-01-01&to=2026-06-30', 'from=2026-02-30&to=2026-03-01', 'from=x&to=y', '', `from=${from}&to=${today}&region=1`, `from=${from}&to=${today}&extra=1`]) {
      const res = await admin.get(`/admin/stats?${q}`);
      expect({ q, status: res.status, code: res.body.error?.code }).toEqual({ q, status: 400, code: 'VALIDATION_FAILED' });
    }
  });

  it("a supervisor's region is a province, a city or a county, so the dashboard has counters for it", async () => {
    const res = await admin.post('/admin/staff', { username: 'odd-region', displayName: '奇怪辖区', role: 'supervisor', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '110', password: 'a-long-password' });
    expect(res.status).toBe(400);
    expect(res.body.error.fields[0].path).toBe('regionPrefix');
  });

  it('a staff session is required', async () => {
    const res = await h.http('GET', `/api/v1/admin/stats?from=${from}&to=${today}`);
    expect(res.status).toBe(401);
  });
});

describe('hotspots', () => {
  const owner = () => ({ userId: new mongoose.Types.ObjectId().toHexString(), platform: 'wechat' as const });
  async function received(days: number, respondent: string, categoryCode: string) {
    const number = await insertCase(h, {
      owner: owner(),
      bureauCode: BUREAUS.xuhui.code,
      receivedAt: new Date(`${shift(today, days)}T09:00:00+08:00`),
      extra: {
        respondent: { name: respondent, nameKey: respondent },
        ...(categoryCode
          ? { business: { kind: 'goods', categoryCode, problemTypeCode: 'quality.defect', channel: 'store', categoryTreeVersion: '2026.2', productName: '商品', amountCents: 100, occurredOn: shift(today, days - 1), demands: [] } }
          : { type: 'report' }),
      },
    });
    await recordCaseChange(h.deps, null, (await h.deps.models.Case.findOne({ number }).lean()) as unknown as CaseFacts);
  }

  beforeAll(async () => {
    // About one case a week for eight weeks, then nine in the last week: a spike.
    for (let week = 1; week <= 8; week++) await received(-7 * week - 3, '徐汇热点餐饮', 'goods.food');
    for (let i = 0; i < 9; i++) await received(-1 - (i % 6), '徐汇热点餐饮', 'goods.food');
    // Five a week all along, six this week: its usual level.
    for (let week = 1; week <= 8; week++) for (let i = 0; i < 5; i++) await received(-7 * week - (i % 5), '徐汇稳定超市', 'goods.clothing');
    for (let i = 0; i < 6; i++) await received(-1 - (i % 6), '徐汇稳定超市', 'goods.clothing');
    // Reports without a category: many this week, none before, and still no hotspot.
    for (let i = 0; i < 8; i++) await received(-1 - (i % 6), `徐汇无类别${i}`, '');
  }, 120_000);

  it('flags a respondent and a category well above their usual level, and not a steady one', async () => {
    const res = await shSuper.get(`/admin/stats?from=${shift(today, -6)}&to=${today}`);
    const flagged = res.body.hotspots.map((x: { kind: string; label: string; recent: number; usual: number }) => [x.kind, x.label, x.recent, x.usual]);
    // The category's usual level also counts the food case received in 徐汇 12 days ago: 9 in 8 weeks.
    expect(flagged).toEqual(expect.arrayContaining([['respondent', '徐汇热点餐饮', 9, 1], ['category', '食品', 9, 1.13]]));
    expect(flagged.map((f: string[]) => f[1])).not.toContain('徐汇稳定超市');
    expect(flagged.map((f: string[]) => f[1])).not.toContain('服装鞋帽');
    expect(res.body.hotspots.map((x: { key: string }) => x.key)).not.toContain('none');
    // Beijing's view has no Shanghai hotspot.
    const bj = await bjSuper.get(`/admin/stats?from=${shift(today, -6)}&to=${today}`);
    expect(bj.body.hotspots.map((x: { label: string }) => x.label)).not.toContain('徐汇热点餐饮');
  });

  it('a supervisor of the region marks one seen; others may not; the mark is audited', async () => {
    const res = await shSuper.get(`/admin/stats?from=${shift(today, -6)}&to=${today}`);
    const spot = res.body.hotspots.find((x: { label: string }) => x.label === '徐汇热点餐饮');
    expect(spot.seen).toBeNull();
    const xh = await signIn(h, 'ins-xh');
    expect((await xh.post('/admin/stats/hotspots/seen', { kind: spot.kind, key: spot.key })).status).toBe(403);
    expect((await bjSuper.post('/admin/stats/hotspots/seen', { kind: spot.kind, key: spot.key, region: '31' })).status).toBe(403);
    // Not a hotspot in the Beijing supervisor's own view: nothing to mark.
    expect((await bjSuper.post('/admin/stats/hotspots/seen', { kind: spot.kind, key: spot.key })).status).toBe(404);
    expect((await shSuper.post('/admin/stats/hotspots/seen', { kind: spot.kind, key: '../x' })).status).toBe(400);
    const marked = await shSuper.post('/admin/stats/hotspots/seen', { kind: spot.kind, key: spot.key });
    expect(marked.status).toBe(200);
    expect(marked.body.seen.by).toBe('ins-sh');
    const again = await shSuper.get(`/admin/stats?from=${shift(today, -6)}&to=${today}`);
    expect(again.body.hotspots.find((x: { key: string }) => x.key === spot.key).seen.by).toBe('ins-sh');
    expect(again.body.hotspots.find((x: { label: string }) => x.label === '食品').seen).toBeNull();
    const entry = await h.deps.models.AuditEntry.findOne({ action: 'hotspot_seen', username: 'ins-sh' }).lean();
    expect(entry?.target).toBe('respondent:徐汇热点餐饮');
  });
});
