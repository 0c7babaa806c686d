/**
 * The push worker as its own process, killed mid-batch, and Redis (a server of this suite's own)
 * killed and started again mid-batch: nothing is lost and nothing is sent twice, counted by the
 * WeChat stand-in per outbox entry key.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import mongoose from 'mongoose';
import { startHarness, type Harness, processEnv } from '../support/harness';
import { control } from '../support/helpers';
import { buildDelivery } from '../../bff/src/modules/notify/outbox';
import { formatCaseNumber } from '../../shared/complaint/case-number';
import type { Delivery } from '../../bff/src/modules/complaints/complaint.model';

const ROOT = path.resolve(__dirname, '../..');
const BATCH = 90;

let h: Harness;
let redis: { port: number; proc: ChildProcess };
const children = new Set<ChildProcess>();

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a process and resolves once a line of its output matches `ready`. */
function startProcess(command: string, args: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const proc = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  proc.once('exit', () => children.delete(proc));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (ready.test(output)) resolve(proc);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${command} exited with ${code} before it was ready:\n${output.slice(-2000)}`)));
  });
}

const startRedis = (port: number) =>
  startProcess('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {}, /Ready to accept connections/);

async function kill(proc: ChildProcess): Promise<void> {
  if (proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise((resolve) => proc.once('exit', resolve));
  proc.kill('SIGKILL');
  await gone;
}

function startWorker(): Promise<ChildProcess> {
  const c = h.deps.config;
  // Node itself with tsx's loader, not the tsx CLI: a SIGKILL must reach the process that does the work.
  return startProcess(
    process.execPath,
    ['--import', 'tsx', 'bff/src/worker.ts'],
    {
      NODE_ENV: 'test',
      ...processEnv(c),
      WORKER_CONCURRENCY: '8',
      OUTBOX_POLL_MS: '100',
      // Announcements die with Redis; the scan is what recovers them.
      OUTBOX_SCAN_MS: '300',
      OUTBOX_REQUEUE_MS: '3000',
      PUSH_LOCK_MS: '2000',
      PUSH_BACKOFF_MS: '50',
      PLATFORM_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'warn',
    },
    /READY worker/,
  );
}

beforeAll(async () => {
  const port = await freePort();
  redis = { port, proc: await startRedis(port) };
  h = await startHarness({ REDIS_URL: `redis://127.0.0.1:${port}` });
}, 60_000);
afterAll(async () => {
  for (const c of [...children].filter((p) => p !== redis.proc)) await kill(c);
  await h.close();
  await kill(redis.proc);
});

const TEMPLATE = 'wx-tpl-accepted';

/** Cases each with one outbox entry (as a staff 'accept' writes it), for consumers holding one grant each. */
async function seedEntries(tag: string, n: number, firstSequence: number): Promise<string[]> {
  const at = new Date();
  const docs = [];
  const grants = [];
  for (let i = 0; i < n; i++) {
    const openid = `wx-${tag}-${i}`;
    const userId = randomBytes(12).toString('hex');
    const number = formatCaseNumber('complaint', '2026-01-05', firstSequence + i);
    const delivery = buildDelivery({
      platform: 'wechat',
      userId,
      touser: openid,
      event: 'accepted',
      version: 1,
      facts: { number, respondent: `某某商户${i}`, status: 'accepted', at },
    })!;
    docs.push({
      number,
      type: 'complaint',
      status: 'accepted',
      version: 1,
      bureauCode: '110105',
      owner: { userId, platform: 'wechat' },
      idempotencyKey: randomBytes(8).toString('hex'),
      respondent: { name: `某某商户${i}` },
      description: '购买的空调安装后第三天就无法制冷，商家拒绝上门维修。',
      receivedAt: at,
      timeline: [{ at, actor: 'consumer', action: 'submit', from: null, to: 'submitted' }],
      deliveries: { [delivery.key]: delivery },
      outboxPending: 1,
    });
    grants.push({ userId, platform: 'wechat', templateId: TEMPLATE, count: 1 });
    await control(h.sandbox.urls.wechat, '/subscribe', { openid, templateIds: [TEMPLATE] });
  }
  await h.deps.models.Case.insertMany(docs);
  await h.deps.models.Grant.insertMany(grants);
  return docs.map((d) => Object.keys(d.deliveries)[0]);
}

async function entries(keys: string[]): Promise<Map<string, Delivery>> {
  const numbers = keys.map((k) => k.slice(0, k.indexOf('-v')));
  const docs = await h.deps.models.Case.find({ number: mongoose.trusted({ $in: numbers }) }, { deliveries: 1 }).lean();
  const all = docs.flatMap((d) => Object.values(d.deliveries as unknown as Record<string, Delivery>));
  return new Map(all.filter((e) => keys.includes(e.key)).map((e) => [e.key, e]));
}

async function delivered(keys: string[]): Promise<Record<string, number>> {
  const counts: Record<string, number> = (await control(h.sandbox.urls.wechat, '/stats')).deliveriesByKey;
  return Object.fromEntries(keys.map((k) => [k, counts[k] ?? 0]));
}

async function until(probe: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 25));
  }
}

const someDelivered = (keys: string[], share: number) => async () =>
  Object.values(await delivered(keys)).filter((n) => n > 0).length >= keys.length * share;

const allSent = (keys: string[]) => async () => [...(await entries(keys)).values()].every((e) => e.status === 'sent');

/**
 * A send the kill interrupted after WeChat took it is sent again, and WeChat refuses the repeat
 * with 43101 when the first send used the consumer's one-time grant (each consumer here holds one):
 * such an entry ends 'skipped', its message delivered once. Every other entry ends 'sent'.
 */
const allSettled = (keys: string[], inFlight: Set<string>) => async () =>
  [...(await entries(keys)).values()].every((e) => e.status === 'sent' || (inFlight.has(e.key) && e.status === 'skipped' && e.error === '43101'));

test('a worker killed mid-batch and started again loses nothing and repeats only a send it was killed during', async () => {
  const keys = await seedEntries('kill', BATCH, 1);
  const worker = await startWorker();
  await until(someDelivered(keys, 1 / 3), 60_000);

  await kill(worker);
  const atKill = await entries(keys);
  const countsAtKill = await delivered(keys);
  // Sends the kill interrupted: the vendor may have taken them, and nothing recorded it.
  const inFlight = new Set([...atKill.values()].filter((e) => e.status === 'sending').map((e) => e.key));
  const unsent = keys.filter((k) => countsAtKill[k] === 0);
  expect(unsent.length).toBeGreaterThan(0);

  const restarted = await startWorker();
  try {
    await until(allSettled(keys, inFlight), 90_000);
  } finally {
    await kill(restarted);
  }

  const counts = await delivered(keys);
  expect(keys.filter((k) => counts[k] === 0)).toEqual([]);
  // A repeat refused as such was delivered by the send the kill interrupted, exactly once.
  const refusedRepeats = [...(await entries(keys)).values()].filter((e) => e.status === 'skipped');
  expect(refusedRepeats.filter((e) => counts[e.key] !== 1).map((e) => e.key)).toEqual([]);
  const repeated = keys.filter((k) => counts[k] > 1);
  expect(repeated.filter((k) => !inFlight.has(k))).toEqual([]);
  expect(repeated.every((k) => counts[k] === 2)).toBe(true);
  // Every entry recorded as sent before the kill was left alone afterwards.
  for (const [key, e] of atKill) if (e.status === 'sent') expect([key, counts[key]]).toEqual([key, 1]);
  process.stdout.write(`killed mid-batch: ${BATCH - unsent.length}/${BATCH} delivered at the kill, ${inFlight.size} in flight, ${repeated.length} repeated, ${refusedRepeats.length} repeats refused as such\n`);
}, 180_000);

test('Redis killed and started empty mid-batch: the relay enqueues the lost jobs again and each message is delivered exactly once', async () => {
  const keys = await seedEntries('redis', BATCH, 1001);
  const worker = await startWorker();
  try {
    await until(someDelivered(keys, 1 / 3), 60_000);

    await kill(redis.proc);
    const countsAtKill = await delivered(keys);
    await new Promise((r) => setTimeout(r, 500));
    redis.proc = await startRedis(redis.port);

    await until(allSent(keys), 90_000);
    const counts = await delivered(keys);
    expect(keys.filter((k) => counts[k] !== 1)).toEqual([]);
    expect(keys.filter((k) => countsAtKill[k] === 0).length).toBeGreaterThan(0);
  } finally {
    await kill(worker);
  }
}, 180_000);
