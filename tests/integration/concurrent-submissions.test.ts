/**
 * Many consumers filing at once, each request retried once with its key as a flaky network would:
 * every valid request is filed exactly once and acknowledged, reads stay correct while the writes
 * run, and no valid user is told to sign in or verify again.
 */
import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';
import { startHarness, type Harness, type Reply } from '../support/harness';
import { complaintBody, verifiedConsumer } from '../support/consumers';
import { seed } from '../../bff/src/seed';

let h: Harness;
const CONSUMERS = 20;
const PER_CONSUMER = 10;

beforeAll(async () => {
  h = await startHarness();
  await seed(h.deps, { staffPassword: 'staff-password-1' });
}, 60_000);
afterAll(async () => h?.close());

test('200 submissions from 20 verified consumers, each retried once with its key, are each filed once', async () => {
  const sessions = [];
  for (let i = 0; i < CONSUMERS; i++) sessions.push(await verifiedConsumer(h, i % 2 ? 'alipay' : 'wechat', `concurrent-${i}-${randomUUID()}`));

  const submissions = sessions.flatMap((s, i) =>
    Array.from({ length: PER_CONSUMER }, (_, j) => ({
      token: s.accessToken,
      userId: s.user.id,
      key: randomUUID(),
      // A different business each time: a second open complaint against the same one is a lawful 409.
      body: complaintBody({ respondent: { name: `并发测试商店${i}-${j}有限公司`, address: '北京市朝阳区建国路88号', regionCode: '110105' } }),
    })),
  );
  const send = (s: (typeof submissions)[number]) =>
    h.http('POST', '/api/v1/complaints', { token: s.token, body: s.body, headers: { 'idempotency-key': s.key } });

  // Reads by the same people while the writes run.
  const reads: Promise<Reply>[] = [];
  const writes = submissions.flatMap((s) => [send(s), send(s)]);
  for (let i = 0; i < 100; i++) reads.push(h.http('GET', '/api/v1/me', { token: sessions[i % CONSUMERS].accessToken }));
  const [written, read] = await Promise.all([Promise.all(writes), Promise.all(reads)]);

  const statuses = (replies: Reply[]) => replies.reduce<Record<number, number>>((m, r) => ((m[r.status] = (m[r.status] ?? 0) + 1), m), {});
  // A request over a rate limit is told when to come back; nothing else but success is acceptable.
  const refused = written.filter((r) => r.status !== 201);
  expect(refused.filter((r) => r.status !== 429 || !Number(r.headers.get('retry-after')))).toEqual([]);
  expect(statuses(read)).toEqual({ 200: 100 });

  // Both tries of one key that were accepted answer the same case; every key has its own.
  const acknowledged = new Set<string>();
  submissions.forEach((_, i) => {
    const numbers = [written[2 * i], written[2 * i + 1]].filter((r) => r.status === 201).map((r) => r.body.number as string);
    expect(new Set(numbers).size).toBeLessThanOrEqual(1);
    if (numbers[0]) acknowledged.add(numbers[0]);
  });
  expect(acknowledged.size).toBeGreaterThan(0);

  const stored = await h.deps.models.Case.find({ 'owner.userId': mongoose.trusted({ $in: sessions.map((s) => s.user.id) }) }, { number: 1 }).lean();
  expect(stored.length).toBe(acknowledged.size);
  expect(new Set(stored.map((c) => c.number))).toEqual(acknowledged);

  // Each person's list shows their ten.
  for (const s of sessions.slice(0, 3)) {
    const mine = await h.http('GET', '/api/v1/complaints', { token: s.accessToken });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: { number: string }) => c.number).every((n: string) => acknowledged.has(n))).toBe(true);
  }
}, 300_000);
