/**
 * Every query the product makes has an index and answers from it. The suite fills the database
 * with a realistic spread of cases and records (a few thousand each), then drives the product
 * through its API and jobs as consumers, staff and the worker would, records every read and
 * write the application sends through its models, and reads the plan of each with `explain`: a
 * plan that reads a whole collection fails, naming the query. On the embedded database the
 * statistics are refreshed first (ANALYZE through POSTGRES_URL), as they are after any bulk load.
 */
import { spawnSync } from 'node:child_process';
import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import { scanOnce } from '../../bff/src/jobs/deadlines';
import { eraseExpired } from '../../bff/src/jobs/retention';
import { eraseUnfiled } from '../../bff/src/modules/evidence/evidence.service';
import { createQueue, relayOnce } from '../../bff/src/jobs/push';
import { deliver } from '../../bff/src/modules/notify/delivery';
import { formatCaseNumber } from '../../shared/complaint/case-number';
import { nameTerms } from '../../shared/complaint/search-terms';
import { initialDeadlines } from '../../shared/complaint/deadlines';
import { beijingDate } from '../../shared/calendar/working-days';
import { startHarness, type Harness } from '../support/harness';
import { createStaff, signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';
import { complaintBody, verifiedConsumer } from '../support/consumers';
import { explainQuery, type CapturedQuery } from '../support/plans';

const CASES = 6000;
const STATUSES = ['submitted', 'accepted', 'mediating', 'resolved', 'closed', 'rejected', 'withdrawn', 'mediation_ended'];
const DEADLINE_STATES = ['ok', 'ok', 'ok', 'due_soon', 'overdue', 'none'];

let h: Harness;
let handler: StaffClient;
let supervisor: StaffClient;
let admin: StaffClient;
const captured: CapturedQuery[] = [];

/** Collections that grow with use; the rest (bureaus, categories, staff) are small directories. */
const GROWING = new Set(['cases', 'users', 'identities', 'evidences', 'drafts', 'grants', 'auditentries', 'insight_counters', 'counters']);

function record(collection: string, method: string, args: unknown[]) {
  if (!GROWING.has(collection)) return;
  const [first, second, third] = args as [Record<string, unknown> | unknown[], Record<string, unknown> | undefined, Record<string, unknown> | undefined];
  if (method === 'aggregate') {
    captured.push({ collection, method, pipeline: first as never });
    return;
  }
  if (['insertOne', 'insertMany', 'bulkWrite', 'createIndex', 'createIndexes', 'drop'].includes(method)) return;
  const options = (method === 'find' || method === 'findOne' ? second ?? {} : third ?? second ?? {}) as Record<string, unknown>;
  captured.push({
    collection,
    method,
    filter: first as Record<string, unknown>,
    ...(options.sort ? { sort: options.sort as Record<string, unknown> } : {}),
    ...(typeof options.limit === 'number' ? { limit: options.limit } : {}),
  });
}

async function fillDatabase() {
  const { models } = h.deps;
  const bureaus = (await models.Bureau.find({ regionCode: mongoose.trusted({ $regex: '^11' }) }, { code: 1 }).lean()).map((b) => b.code);
  const others = (await models.Bureau.find({}, { code: 1 }).limit(400).lean()).map((b) => b.code);
  const pool = [...bureaus, ...others];
  const now = Date.now();
  const cases = Array.from({ length: CASES }, (_, i) => {
    const receivedAt = new Date(now - (i % 180) * 86_400_000 - i * 1000);
    const type = i % 5 === 0 ? 'report' : 'complaint';
    const number = formatCaseNumber(type, beijingDate(receivedAt), 500_000 + i);
    return {
      _id: new mongoose.Types.ObjectId(),
      number,
      type,
      status: STATUSES[i % STATUSES.length],
      version: 1,
      bureauCode: pool[(i * 7) % pool.length],
      owner: { userId: new mongoose.Types.ObjectId().toString(), platform: i % 3 ? 'wechat' : 'alipay' },
      idempotencyKey: `fill-${i}`,
      respondent: { name: `填充商户${i % 900}有限公司`, nameKey: `填充商户${i % 900}有限公司`, terms: nameTerms(`填充商户${i % 900}有限公司`) },
      description: '填充数据',
      receivedAt,
      deadlines: initialDeadlines(type, beijingDate(receivedAt)),
      deadlineState: DEADLINE_STATES[i % DEADLINE_STATES.length],
      dueOn: beijingDate(new Date(receivedAt.getTime() + 10 * 86_400_000)),
      timeline: [{ at: receivedAt, actor: 'consumer', action: 'submit', from: null, to: 'submitted' }],
      deliveries: {},
      outboxPending: 0,
      outboxDead: i % 1000 === 0 ? 1 : 0,
      evidence: [],
      createdAt: receivedAt,
      updatedAt: receivedAt,
    };
  });
  for (let i = 0; i < cases.length; i += 2000) await models.Case.collection.insertMany(cases.slice(i, i + 2000));
  const users = Array.from({ length: 3000 }, (_, i) => ({ platform: i % 2 ? 'wechat' : 'alipay', platformUserId: `fill-user-${i}`, createdAt: new Date(), updatedAt: new Date() }));
  await models.User.collection.insertMany(users);
  await models.AuditEntry.collection.insertMany(
    Array.from({ length: 3000 }, (_, i) => ({ at: new Date(now - i * 60_000), staffId: 'fill', username: 'fill', role: 'handler', action: 'case_view', target: `T${i}`, caseNumber: cases[i].number })),
  );
  await models.Grant.collection.insertMany(
    Array.from({ length: 3000 }, (_, i) => ({ userId: `fill-user-${i}`, platform: 'wechat', templateId: `tpl-${i % 4}`, count: 1 })),
  );
  await models.Identity.collection.insertMany(
    Array.from({ length: 3000 }, (_, i) => ({ idIndex: `fill-index-${i}`, name: 'sealed', idNumber: 'sealed', accounts: [], linkedUserIds: [`fill-user-${i}`], version: 0 })),
  );
  await models.Draft.collection.insertMany(
    Array.from({ length: 2000 }, (_, i) => ({ userId: `fill-user-${i}`, kind: 'complaint', sealed: 'x', version: 1, createdAt: new Date(), updatedAt: new Date() })),
  );
  // Evidence records of many owners (each a chain of two), so a lookup by chain has something to avoid.
  await models.Evidence.collection.insertMany(
    Array.from({ length: 3000 }, (_, i) => ({
      chain: `u:fill-user-${i >> 1}`,
      seq: (i & 1) + 1,
      ownerId: `fill-user-${i >> 1}`,
      blobId: new mongoose.Types.ObjectId().toString(),
      contentType: 'image/jpeg',
      kind: 'image',
      size: 1000,
      sha256: '0'.repeat(64),
      receivedAt: new Date(),
      prevHash: '0'.repeat(64),
      hash: '0'.repeat(64),
    })),
  );
  // Fresh statistics, as after any bulk load (scripts run ANALYZE after seeding the embedded database).
  if (process.env.POSTGRES_URL) {
    const res = spawnSync('psql', [process.env.POSTGRES_URL, '-qc', 'ANALYZE'], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`ANALYZE failed: ${res.stderr}`);
  }
}

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  await createStaff(h, { username: 'plan-super', role: 'supervisor', bureauCode: '110105', regionPrefix: '11' });
  await createStaff(h, { username: 'plan-admin', role: 'admin', bureauCode: '110105', regionPrefix: '' });
  await fillDatabase();
  [handler, supervisor, admin] = await Promise.all(['demo', 'plan-super', 'plan-admin'].map((u) => signIn(h, u)));
  mongoose.set('debug', (collection: string, method: string, ...args: unknown[]) => record(collection, method, args));
}, 180_000);

afterAll(async () => {
  mongoose.set('debug', false);
  await h.close();
});

async function driveTheProduct() {
  // A consumer: sign in, verify, save a draft, file, follow the case, withdraw it.
  const consumer = await verifiedConsumer(h, 'wechat', 'wx-plan-consumer');
  const token = consumer.accessToken;
  const ok = (res: { status: number; body: unknown }, status = 200) => {
    if (res.status !== status) throw new Error(`${res.status} ${JSON.stringify(res.body)}`);
    return res.body as any;
  };
  ok(await h.http('POST', '/api/v1/drafts/complaint', { token, body: { data: { description: '草稿' } } }));
  // An upload listed in a draft (which keeps it held), later erased as never filed.
  const form = new FormData();
  form.append('file', new Blob([new Uint8Array(Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex'))], { type: 'image/png' }), 'p.png');
  const uploaded = (await (await fetch(`${h.url}/api/v1/uploads`, { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: form })).json()) as { fileId: string };
  ok(await h.http('POST', '/api/v1/drafts/report', { token, body: { data: { description: '草稿', evidence: [{ fileId: uploaded.fileId, kind: 'image' }] } } }));
  ok(await h.http('GET', '/api/v1/drafts/complaint', { token }));
  const filed = ok(await h.http('POST', '/api/v1/complaints', { token, body: complaintBody(), headers: { 'idempotency-key': 'plan-key-1' } }), 201);
  ok(await h.http('GET', '/api/v1/complaints', { token }));
  ok(await h.http('GET', `/api/v1/complaints/${filed.number}`, { token }));
  ok(await h.http('GET', '/api/v1/respondents?q=%E5%A1%AB%E5%85%85', { token }));
  ok(await h.http('GET', '/api/v1/me', { token }));
  const templates = ok(await h.http('GET', '/api/v1/subscriptions/templates?platform=wechat')).templates.map((t: { id: string }) => t.id).slice(0, 3);
  const dialog = ok(await h.http('POST', '/api/v1/sandbox/subscribe', { token, body: { templateIds: templates } }));
  ok(await h.http('POST', '/api/v1/subscriptions', { token, body: { platform: 'wechat', results: dialog.results } }));

  // Staff: the queue as each role, with and without filters, a case, a step, the audit log, an export.
  for (const staff of [handler, supervisor, admin]) {
    ok(await staff.get('/admin/cases?status=submitted'));
    ok(await staff.get('/admin/cases?status=accepted&sort=due_asc'));
    ok(await staff.get('/admin/cases?overdue=true'));
    ok(await staff.get('/admin/cases?dueSoon=true'));
    ok(await staff.get(`/admin/cases?q=${encodeURIComponent('填充商户12有限公司')}`));
  }
  const detail = ok(await handler.get(`/admin/cases/${filed.number}`));
  ok(await handler.post(`/admin/cases/${filed.number}/transitions`, { action: 'accept', version: detail.version }));
  ok(await admin.get('/admin/audit'));
  ok(await admin.get(`/admin/audit?caseNumber=${filed.number}`));
  ok(await admin.get('/admin/deliveries'));
  const exported = await handler.get('/admin/export?format=csv&status=submitted');
  ok(exported);
  // The full-data export: the password checked against the staff record, the rows counted, the file.
  const granted = ok(
    await handler.post('/admin/export/full', { format: 'csv', filters: { status: 'submitted' }, purpose: { category: 'mediation', text: '调解中联系投诉人核实情况' }, password: STAFF_PASSWORD }),
    201,
  );
  ok(await handler.get(`/admin/export/full/${granted.ticket}`));

  // The jobs: the relay's pass over due outbox entries, the worker's delivery, the deadline scanner.
  const queue = createQueue(h.deps);
  try {
    await relayOnce(h.deps, queue);
  } finally {
    await queue.close();
  }
  const doc = await h.deps.models.Case.findOne({ number: filed.number }, { deliveries: 1 }).lean();
  for (const key of Object.keys((doc?.deliveries ?? {}) as object)) await deliver(h.deps, String(doc!._id), key, false);
  await scanOnce(h.deps);
  await eraseExpired(h.deps);
  await h.deps.models.Evidence.updateOne({ _id: uploaded.fileId }, { $set: { heldUntil: new Date(0) } });
  await eraseUnfiled(h.deps);

  // Another consumer: a link code, consent withdrawn, the account cancelled.
  const leaving = (await verifiedConsumer(h, 'alipay', '2088000000000999')).accessToken;
  ok(await h.http('POST', '/api/v1/identity/link-code', { token: leaving }));
  ok(await h.http('POST', '/api/v1/identity/consent/withdraw', { token: leaving, body: { confirm: true } }), 204);
  ok(await h.http('POST', '/api/v1/account/cancel', { token: leaving, body: { confirm: true } }), 204);
}

test('every query the product makes is answered from an index', async () => {
  await driveTheProduct();
  mongoose.set('debug', false);
  expect(captured.length).toBeGreaterThan(20);

  // One plan per distinct query shape.
  const seen = new Map<string, CapturedQuery>();
  for (const q of captured) seen.set(JSON.stringify(q), q);
  const findings: string[] = [];
  const used = new Set<string>();
  for (const q of seen.values()) {
    // A filter that selects everything reads everything, on any engine: there is nothing to narrow.
    if (q.pipeline === undefined && Object.keys(q.filter ?? {}).length === 0) continue;
    const plan = await explainQuery(h.deps.conn.db!, q);
    plan.indexes.forEach((i) => used.add(`${q.collection}.${i}`));
    if (plan.fullScans.length) findings.push(`${q.collection}.${q.method}(${JSON.stringify(q.filter ?? q.pipeline)}${q.sort ? ` sort ${JSON.stringify(q.sort)}` : ''}): ${plan.fullScans.join(', ')}`);
  }
  expect(findings).toEqual([]);
  // The hot paths the design names were among them, each through the index made for it (the
  // planner may answer others, such as my complaints, from another index with the same prefix).
  expect([...used]).toEqual(
    expect.arrayContaining([
      'cases.number_1',
      'cases.bureauCode_1_status_1_receivedAt_-1',
      'cases.respondent.terms_1',
      'cases.outbox_due',
      'cases.overdue_by_bureau',
      'cases.owner.userId_1_idempotencyKey_1',
      'auditentries.caseNumber_1_at_-1',
      'drafts.userId_1_kind_1',
      'identities.idIndex_1',
      'users.platform_1_platformUserId_1',
    ]),
  );
}, 180_000);

test('the check itself fails on a collection scan', async () => {
  const plan = await explainQuery(h.deps.conn.db!, { collection: 'cases', method: 'find', filter: { description: '填充数据' } });
  expect(plan.fullScans.length).toBeGreaterThan(0);
});
