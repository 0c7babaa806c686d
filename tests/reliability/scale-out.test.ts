/**
 * Two BFF processes and two worker processes against one database and one Redis, as a deployment
 * behind a load balancer runs them: one WeChat access-token fetch between them, no message sent
 * twice, sessions that work on either instance, and the deadline scan once per period.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import mongoose from 'mongoose';
import { startHarness, httpClient, type Harness, processEnv } from '../support/harness';
import { control } from '../support/helpers';
import { seed } from '../../bff/src/seed';
import { ID_CONSENT_VERSION } from '../../shared/api/identity';
import { complaintBody, fictitiousPerson } from '../support/consumers';
import type { Delivery } from '../../bff/src/modules/complaints/complaint.model';

const ROOT = path.resolve(__dirname, '../..');
const STAFF_PASSWORD = 'staff-password-1';
const SCAN_MS = 1000;
const JWT_SECRET = randomBytes(32).toString('hex');

let h: Harness;
const procs: Array<{ name: string; proc: ChildProcess; output: () => string; url?: string }> = [];

function env(): Record<string, string> {
  const c = h.deps.config;
  return {
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    ...processEnv(c),
    JWT_SECRET,
    WORKER_CONCURRENCY: '8',
    OUTBOX_POLL_MS: '100',
    OUTBOX_SCAN_MS: '300',
    PUSH_BACKOFF_MS: '50',
    DEADLINE_SCAN_MS: String(SCAN_MS),
    LOG_LEVEL: 'info',
  };
}

/** A BFF (main.ts) or worker (worker.ts) process of its own; resolves once it says READY. */
function start(name: string, entry: string): Promise<{ name: string; proc: ChildProcess; output: () => string; url?: string }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: ROOT, env: { ...process.env, ...env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  let ready = false;
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const m = ready ? null : /READY (http:\/\/\S+|worker)/.exec(output);
      if (m) {
        ready = true;
        const started = { name, proc, output: () => output, ...(m[1] === 'worker' ? {} : { url: m[1] }) };
        procs.push(started);
        resolve(started);
      }
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`${name} exited with ${code}:\n${output.slice(-2000)}`)));
  });
}

async function stop(p: { proc: ChildProcess }): Promise<void> {
  if (p.proc.exitCode !== null || p.proc.signalCode !== null) return;
  const gone = new Promise((r) => p.proc.once('exit', r));
  p.proc.kill('SIGTERM');
  await gone;
}

let bffA: ReturnType<typeof httpClient>;
let bffB: ReturnType<typeof httpClient>;
let workers: Array<Awaited<ReturnType<typeof start>>>;

beforeAll(async () => {
  h = await startHarness({ JWT_SECRET });
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  // No cached token: the first calls of the instances below must fetch one.
  await h.deps.redis.del(h.deps.key('wx:access_token'));
  const [a, b, w1, w2] = await Promise.all([
    start('bff-a', 'bff/src/main.ts'),
    start('bff-b', 'bff/src/main.ts'),
    start('worker-1', 'bff/src/worker.ts'),
    start('worker-2', 'bff/src/worker.ts'),
  ]);
  bffA = httpClient(a.url!);
  bffB = httpClient(b.url!);
  workers = [w1, w2];
}, 120_000);

afterAll(async () => {
  await Promise.all(procs.map(stop));
  await h?.close();
}, 60_000);

/** Signs a WeChat consumer in on one instance, verifies them and subscribes them to a template `grants` times. */
async function consumerOn(http: ReturnType<typeof httpClient>, openid: string, template: string, grants: number) {
  const code = await http('POST', '/api/v1/sandbox/wechat/code', { body: { openid } });
  const login = await http('POST', '/api/v1/auth/login', { body: { platform: 'wechat', code: code.body.code } });
  expect(login.status).toBe(200);
  const token = login.body.accessToken as string;
  const person = fictitiousPerson();
  await http('POST', '/api/v1/sandbox/identity/people', { body: person });
  const verified = await http('POST', '/api/v1/identity/verify', { token, body: { ...person, consent: true, consentVersion: ID_CONSENT_VERSION } });
  expect(verified.status).toBe(200);
  for (let i = 0; i < grants; i++) {
    const dialog = await http('POST', '/api/v1/sandbox/subscribe', { token, body: { templateIds: [template] } });
    expect((await http('POST', '/api/v1/subscriptions', { token, body: { platform: 'wechat', results: dialog.body.results } })).status).toBe(200);
  }
  return { token, refreshToken: login.body.refreshToken as string };
}

async function staffOn(http: ReturnType<typeof httpClient>) {
  const res = await http('POST', '/api/v1/admin/login', { body: { username: 'demo', password: STAFF_PASSWORD } });
  expect(res.status).toBe(200);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: res.body.csrfToken as string };
}

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const wxStats = () => control(h.sandbox.urls.wechat, '/stats');

test('a consumer signed in on one instance is served by the other, token refresh included', async () => {
  const template = 'wx-tpl-accepted';
  const c = await consumerOn(bffA, 'wx-scale-session', template, 0);

  const mine = await bffB('GET', '/api/v1/complaints', { token: c.token });
  expect(mine.status).toBe(200);
  const refreshed = await bffB('POST', '/api/v1/auth/refresh', { body: { refreshToken: c.refreshToken } });
  expect(refreshed.status).toBe(200);
  expect((await bffA('GET', '/api/v1/complaints', { token: refreshed.body.accessToken })).status).toBe(200);
  // The refresh token was rotated on B: A refuses the old one.
  expect((await bffA('POST', '/api/v1/auth/refresh', { body: { refreshToken: c.refreshToken } })).status).toBe(401);
});

test('a staff session from one instance works on the other, and its CSRF token is checked there', async () => {
  const staff = await staffOn(bffA);
  const c = await consumerOn(bffA, 'wx-scale-staff', 'wx-tpl-accepted', 0);
  const filed = await bffA('POST', '/api/v1/complaints', { token: c.token, body: complaintBody({ fileAnyway: true }), headers: { 'Idempotency-Key': randomUUID() } });
  expect(filed.status).toBe(201);

  expect((await bffB('GET', '/api/v1/admin/cases', { headers: { cookie: staff.cookie } })).status).toBe(200);
  const forged = await bffB('POST', `/api/v1/admin/cases/${filed.body.number}/transitions`, {
    headers: { cookie: staff.cookie, 'x-csrf-token': 'not-the-token' },
    body: { action: 'accept', version: 0 },
  });
  expect([forged.status, forged.body.error.code]).toEqual([403, 'CSRF_FAILED']);
  const accepted = await bffB('POST', `/api/v1/admin/cases/${filed.body.number}/transitions`, {
    headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf },
    body: { action: 'accept', version: 0 },
  });
  expect(accepted.status).toBe(200);
});

test('two BFFs and two workers: one access-token fetch between them and every message delivered exactly once', async () => {
  const template = 'wx-tpl-accepted';
  const N = 16;
  const consumers = await Promise.all(
    Array.from({ length: 4 }, (_, i) => consumerOn(i % 2 ? bffB : bffA, `wx-scale-${i}`, template, N / 4)),
  );
  const staffA = await staffOn(bffA);
  const staffB = await staffOn(bffB);

  // Complaints filed on both instances at once: each content check needs the access token.
  const numbers = await Promise.all(
    Array.from({ length: N }, async (_, i) => {
      const http = i % 2 ? bffB : bffA;
      const res = await http('POST', '/api/v1/complaints', {
        token: consumers[i % 4].token,
        body: complaintBody({ fileAnyway: true }),
        headers: { 'Idempotency-Key': randomUUID() },
      });
      expect(res.status).toBe(201);
      return res.body.number as string;
    }),
  );
  // Accepted on both instances, each writing a status push the two workers race for.
  await Promise.all(
    numbers.map(async (number, i) => {
      const [http, staff] = i % 2 ? [bffA, staffA] : [bffB, staffB];
      const res = await http('POST', `/api/v1/admin/cases/${number}/transitions`, {
        headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf },
        body: { action: 'accept', version: 0 },
      });
      expect(res.status).toBe(200);
    }),
  );

  const entries = await until(async () => {
    const docs = await h.deps.models.Case.find({ number: mongoose.trusted({ $in: numbers }) }, { deliveries: 1 }).lean();
    const all = docs.flatMap((d) => Object.values(d.deliveries as unknown as Record<string, Delivery>));
    return all.length === N && all.every((e) => e.status === 'sent') ? all : undefined;
  }, 30_000, 'every push sent');
  // A second relay pass or a second worker could still be on its way: give them the time to repeat.
  await new Promise((r) => setTimeout(r, 1000));
  const stats = await wxStats();
  expect(entries.filter((e) => stats.deliveriesByKey[e.key] !== 1).map((e) => [e.key, stats.deliveriesByKey[e.key]])).toEqual([]);
  expect(stats.tokenFetches).toBe(1);
  process.stdout.write(`scale-out: ${N} pushes over 2 BFFs and 2 workers, each delivered once; ${stats.tokenFetches} access-token fetch\n`);
}, 90_000);

/** The deadline scans a worker's log reports: the period each ran for. */
function scans(w: { output: () => string }): number[] {
  return w
    .output()
    .split('\n')
    .filter((l) => l.includes('"deadline scan"'))
    .map((l) => JSON.parse(l) as { period: number })
    .map((l) => l.period);
}

test('the deadline scan runs once per period across workers, and goes on when one of them stops', async () => {
  const [w1, w2] = workers;
  // Five periods scanned, counted from the first scan (the workers start a moment after the suite).
  await until(async () => scans(w1).length + scans(w2).length >= 5, 15_000, 'five periods scanned');
  const both = [...scans(w1), ...scans(w2)].sort((a, b) => a - b);
  expect(new Set(both).size).toBe(both.length);
  // No period left out between the first and the last.
  expect(both.length).toBeGreaterThanOrEqual(5);
  expect(both.at(-1)! - both[0] + 1).toBe(both.length);

  await stop(w1);
  const stoppedAt = Math.floor(Date.now() / SCAN_MS);
  await until(async () => scans(w2).filter((p) => p > stoppedAt).length >= 3, 10_000, 'three periods after one worker stopped');
  const after = [...scans(w1), ...scans(w2)].filter((p) => p > stoppedAt);
  expect(new Set(after).size).toBe(after.length);
  process.stdout.write(`deadline scan: ${both.length} periods, ${both.length} runs (worker-1 ${scans(w1).length}, worker-2 ${scans(w2).length - after.length} before the stop)\n`);
}, 30_000);
