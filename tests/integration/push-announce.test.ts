/**
 * The relay finds new outbox entries from the announcements transitions make, reading those cases
 * by `_id`, without scanning the cases; an entry whose announcement was lost waits for the scan.
 */
import { randomUUID } from 'node:crypto';
import { relayOnce, startPushWorker } from '../../bff/src/jobs/push';
import { seed } from '../../bff/src/seed';
import type { Delivery } from '../../bff/src/modules/complaints/complaint.model';
import { takeAnnounced } from '../../bff/src/modules/notify/announce';
import { startHarness, type Harness } from '../support/harness';
import { complaintBody, verifiedConsumer } from '../support/consumers';
import { signIn, STAFF_PASSWORD, type StaffClient } from '../support/handling';

let h: Harness;
let demo: StaffClient;

beforeAll(async () => {
  // One scan when the worker starts, then none for an hour: whatever is sent came by announcement.
  h = await startHarness({ OUTBOX_SCAN_MS: '3600000', PUSH_BACKOFF_MS: '50' });
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  demo = await signIn(h, 'demo');
});
afterAll(() => h.close());

async function filedAndAccepted(token: string) {
  const filed = await h.http('POST', '/api/v1/complaints', { token, body: complaintBody({ fileAnyway: true }), headers: { 'Idempotency-Key': randomUUID() } });
  expect(filed.status).toBe(201);
  const accepted = await demo.post(`/admin/cases/${filed.body.number}/transitions`, { action: 'accept', version: 0 });
  expect(accepted.status).toBe(200);
  return filed.body.number as string;
}

async function entry(number: string): Promise<Delivery> {
  const doc = await h.deps.models.Case.findOne({ number }, { deliveries: 1 }).lean();
  return Object.values(doc!.deliveries as unknown as Record<string, Delivery>)[0];
}

async function until<T>(read: () => Promise<T>, ok: (v: T) => boolean, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v) || Date.now() > end) return v;
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a transition announces its case and the running relay delivers the message without a scan', async () => {
  const consumer = await verifiedConsumer(h, 'wechat', 'wx-announce-1');
  const tpl = (await h.http('GET', '/api/v1/subscriptions/templates?platform=wechat')).body.templates.find((t: { event: string }) => t.event === 'accepted').id;
  const dialog = await h.http('POST', '/api/v1/sandbox/subscribe', { token: consumer.accessToken, body: { templateIds: [tpl] } });
  await h.http('POST', '/api/v1/subscriptions', { token: consumer.accessToken, body: { platform: 'wechat', results: dialog.body.results } });

  // Announced while no relay runs: the id waits in Redis.
  const first = await filedAndAccepted(consumer.accessToken);
  const caseId = String((await h.deps.models.Case.findOne({ number: first }, { _id: 1 }).lean())!._id);
  expect(await h.deps.redis.lRange(h.deps.key('outbox', 'announced'), 0, -1)).toEqual([caseId]);

  const worker = startPushWorker(h.deps);
  try {
    expect((await until(() => entry(first), (e) => e.status === 'sent')).status).toBe('sent');
    // Started after the worker's only scan: only the announcement can bring it.
    const second = await filedAndAccepted(consumer.accessToken);
    const settled = await until(() => entry(second), (e) => !['pending', 'queued', 'sending'].includes(e.status));
    expect(settled.status).toBe('skipped'); // one grant, already spent on the first message
    expect(await takeAnnounced(h.deps, 10)).toEqual([]);
  } finally {
    await worker.close();
  }
});

test('an entry whose announcement was lost is found by the scan', async () => {
  const consumer = await verifiedConsumer(h, 'wechat', 'wx-announce-2');
  const number = await filedAndAccepted(consumer.accessToken);
  // As if the process died between the case write and the announcement.
  expect((await takeAnnounced(h.deps, 10)).length).toBe(1);
  const queue = startPushWorker(h.deps);
  try {
    const settledEntry = await until(() => entry(number), (e) => !['pending', 'queued', 'sending'].includes(e.status));
    // No grant: the entry is settled as not subscribed, by the scan the worker makes when it starts.
    expect(settledEntry.status).toBe('skipped');
    expect((await relayOnce(h.deps, queue.queue)).moved).toBe(0);
  } finally {
    await queue.close();
  }
});
