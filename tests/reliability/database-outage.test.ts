/**
 * PostgreSQL, under the MongoDB-speaking FerretDB, killed outright while complaints are being
 * filed and a status push is waiting for its retry, then started again on the same data folder.
 * The suite runs a database of its own (synchronous commit on, as a production database commits);
 * the BFF runs in-process, the push worker as its own process, and neither is restarted.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mongoose from 'mongoose';
import { seed } from '../../bff/src/seed';
import type { Delivery } from '../../bff/src/modules/complaints/complaint.model';
import { startHarness, type Harness, processEnv } from '../support/harness';
import { complaintBody, fictitiousPerson, verifiedConsumer } from '../support/consumers';
import { control } from '../support/helpers';
import { loadEngine, type Engine, type EngineModule, type PostgresHandle } from '../support/devdb';

const ROOT = path.resolve(__dirname, '../..');
const STAFF_PASSWORD = 'staff-password-1';
const OPENID = 'wx-outage';
const PERSON = fictitiousPerson('王停电');
const PHONE = '13912340000';
/** A request in the outage must be answered within this; the driver waits up to 3 s for a server. */
const ANSWER_BOUND_MS = 5_000;
const RECOVERY_BOUND_MS = 10_000;

let engineModule: EngineModule;
let engine: Engine;
let postgres: PostgresHandle;
let dataDir: string;
let h: Harness;
let worker: ChildProcess | undefined;
let workerOutput = '';

function startWorker(): Promise<ChildProcess> {
  const c = h.deps.config;
  // Node itself with tsx's loader, as in push-crash: the process that does the work is the one we stop.
  const proc = spawn(process.execPath, ['--import', 'tsx', 'bff/src/worker.ts'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      NODE_ENV: 'test',
      ...processEnv(c),
      OUTBOX_POLL_MS: '100',
      // Two attempts a good while apart: the second one falls into the outage.
      PUSH_MAX_ATTEMPTS: '2',
      PUSH_BACKOFF_MS: '1500',
      PLATFORM_TIMEOUT_MS: '1000',
      LOG_LEVEL: 'info',
    },
  });
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      workerOutput += chunk.toString();
      if (workerOutput.includes('READY worker')) resolve(proc);
    };
    proc.stdout!.on('data', onData);
    proc.stderr!.on('data', onData);
    proc.once('exit', (code) => reject(new Error(`worker exited with ${code}:\n${workerOutput.slice(-2000)}`)));
  });
}

beforeAll(async () => {
  engineModule = await loadEngine();
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'outage-db-'));
  engine = await engineModule.startEngine({ dir: dataDir, fastCommit: false, log: () => undefined });
  postgres = engine.postgres;
  h = await startHarness({ MONGODB_URI: `${engine.uri}outage` });
  await seed(h.deps, { staffPassword: STAFF_PASSWORD });
  worker = await startWorker();
}, 120_000);

afterAll(async () => {
  if (worker && worker.exitCode === null) {
    const gone = new Promise((r) => worker!.once('exit', r));
    worker.kill('SIGTERM');
    await gone;
  }
  await h?.close();
  await engine?.ferret.stop();
  await postgres?.stop();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
}, 60_000);

interface Attempt {
  at: number;
  ms: number;
  status: number;
  code?: string;
  message?: string;
  number?: string;
}

async function staffLogin() {
  const res = await h.http('POST', '/api/v1/admin/login', { body: { username: 'demo', password: STAFF_PASSWORD } });
  expect(res.status).toBe(200);
  return { cookie: res.headers.get('set-cookie')!.split(';')[0], csrf: res.body.csrfToken as string };
}

/** One complaint, timed; a request that does not finish within 15 s counts as a hang (status 0). */
async function fileOne(token: string): Promise<Attempt> {
  const at = Date.now();
  let timer: ReturnType<typeof setTimeout> | number | undefined;
  const res = await Promise.race([
    h.http('POST', '/api/v1/complaints', {
      token,
      body: complaintBody({ fileAnyway: true, consumer: { phone: PHONE, address: '北京市海淀区中关村大街1号' } }),
      headers: { 'Idempotency-Key': randomUUID() },
    }),
    new Promise<undefined>((r) => (timer = setTimeout(r, 15_000))),
  ]).finally(() => clearTimeout(timer));
  if (!res) return { at, ms: Date.now() - at, status: 0 };
  return { at, ms: Date.now() - at, status: res.status, code: res.body?.error?.code, message: res.body?.error?.message, number: res.body?.number };
}

/** The kinds of database error the BFF logged as an outage since line `from` of its log. */
function outageKinds(from = 0): string[] {
  const kinds = h.logs
    .slice(from)
    .flatMap((chunk) => chunk.split('\n'))
    .filter((l) => l.includes('"database unavailable"'))
    .map((l) => (JSON.parse(l) as { db: { error?: string; errorCode?: unknown; codeName?: unknown } }).db)
    .map((d) => [d.error, d.errorCode, d.codeName].filter((x) => x !== undefined).join(' '));
  return [...new Set(kinds)];
}

async function entryOf(number: string): Promise<Delivery | undefined> {
  const doc = await h.deps.models.Case.findOne({ number }, { deliveries: 1 }).lean();
  return Object.values((doc?.deliveries ?? {}) as unknown as Record<string, Delivery>)[0];
}

async function until<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const delivered = async (key: string): Promise<number> =>
  ((await control(h.sandbox.urls.wechat, '/stats')).deliveriesByKey[key] as number | undefined) ?? 0;

/** From now until the BFF is ready again and a complaint is accepted: the filed case and the time it took. */
async function recovery(token: string) {
  const restartedAt = Date.now();
  const after = await until(async () => {
    if ((await h.http('GET', '/readyz')).status !== 200) return undefined;
    const res = await fileOne(token);
    return res.status === 201 ? res : undefined;
  }, RECOVERY_BOUND_MS + 5_000, 'recovery');
  return { after, restartedAt, recoveryMs: Date.now() - restartedAt };
}

test('PostgreSQL killed and started again: 503 DATABASE_UNAVAILABLE meanwhile, nothing acknowledged lost, recovery within 10 s without a restart', async () => {
  const staff = await staffLogin();
  const session = await verifiedConsumer(h, 'wechat', OPENID, PERSON);
  const token = session.accessToken;
  const accepted = (await h.http('GET', '/api/v1/subscriptions/templates?platform=wechat')).body.templates.find(
    (t: { event: string }) => t.event === 'accepted',
  ).id as string;
  for (let i = 0; i < 2; i++) {
    const dialog = await h.http('POST', '/api/v1/sandbox/subscribe', { token, body: { templateIds: [accepted] } });
    const res = await h.http('POST', '/api/v1/subscriptions', { token, body: { platform: 'wechat', results: dialog.body.results } });
    expect(res.status).toBe(200);
  }
  const accept = (number: string) =>
    h.http('POST', `/api/v1/admin/cases/${number}/transitions`, {
      headers: { cookie: staff.cookie, 'x-csrf-token': staff.csrf },
      body: { action: 'accept', version: 0 },
    });

  // A status push whose first attempt meets a busy WeChat: its retry comes due in the outage.
  const before = await fileOne(token);
  expect(before.status).toBe(201);
  await control(h.sandbox.urls.wechat, '/faults', { send: { errcode: -1, count: 1, openid: OPENID } });
  expect((await accept(before.number!)).status).toBe(200);
  const waiting = await until(async () => {
    const e = await entryOf(before.number!);
    return e && e.attempts === 1 && e.status === 'queued' ? e : undefined;
  }, 10_000, 'the first, refused attempt');

  // Complaints filed one after another from before the kill until after the recovery.
  const attempts: Attempt[] = [];
  let filing = true;
  const filer = (async () => {
    while (filing) {
      attempts.push(await fileOne(token));
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  await until(async () => attempts.filter((a) => a.status === 201).length >= 3, 20_000, 'complaints before the kill');

  const port = postgres.port;
  const logFrom = h.logs.length;
  const killedAt = Date.now();
  await postgres.kill();

  // Readiness says so, and requests get a clear, bounded 503.
  const notReady = await until(async () => {
    const res = await h.http('GET', '/readyz');
    return res.status === 503 ? res : undefined;
  }, ANSWER_BOUND_MS, '/readyz 503');
  expect(notReady.body.checks).toEqual({ database: 'down', redis: 'ok' });
  const refused = await fileOne(token);
  expect(refused).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
  expect(refused.message).toMatch(/[\u4e00-\u9fa5]/);
  expect(refused.ms).toBeLessThan(ANSWER_BOUND_MS);
  const list = await h.http('GET', '/api/v1/complaints', { token });
  expect([list.status, list.body.error?.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
  const queue = await h.http('GET', '/api/v1/admin/cases', { headers: { cookie: staff.cookie } });
  expect([queue.status, queue.body.error?.code]).toEqual([503, 'DATABASE_UNAVAILABLE']);
  // The push's second and last attempt comes due while the database is away.
  await new Promise((r) => setTimeout(r, 3000));

  postgres = await engineModule.startPostgres({ dir: path.join(dataDir, 'pg'), port, fastCommit: false });
  const { after, restartedAt, recoveryMs } = await recovery(token);
  filing = false;
  await filer;

  // Every answer was a success or the clear 503, and none took long.
  const outcomes = [...new Set(attempts.map((a) => (a.status === 201 ? '201' : `${a.status} ${a.code}`)))];
  expect(outcomes.filter((o) => o !== '201' && o !== '503 DATABASE_UNAVAILABLE')).toEqual([]);
  expect(Math.max(...attempts.map((a) => a.ms))).toBeLessThan(ANSWER_BOUND_MS);
  expect(attempts.some((a) => a.status === 503)).toBe(true);

  // Every acknowledged complaint is there.
  const acknowledged = [before, after, ...attempts].filter((a) => a.status === 201).map((a) => a.number!);
  const stored = await h.deps.models.Case.find({ number: mongoose.trusted({ $in: acknowledged }) }, { number: 1 }).lean();
  expect(acknowledged.filter((n) => !stored.some((s) => s.number === n))).toEqual([]);

  // The push that waited through the outage, and one written after it, are each delivered once.
  const waited = await until(async () => ((await entryOf(before.number!))?.status === 'sent' ? true : undefined), RECOVERY_BOUND_MS, 'the push that waited');
  expect(waited).toBe(true);
  expect(await delivered(waiting.key)).toBe(1);
  expect((await accept(after.number!)).status).toBe(200);
  const fresh = await until(async () => {
    const e = await entryOf(after.number!);
    return e?.status === 'sent' ? e : undefined;
  }, RECOVERY_BOUND_MS, 'the push written after the outage');
  expect(await delivered(fresh.key)).toBe(1);
  expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_BOUND_MS);

  // The outage is logged by kind, and no log line names the consumer.
  const logs = h.logs.join('') + workerOutput;
  expect(h.logs.join('')).toContain('database unavailable');
  for (const secret of [PERSON.name, PERSON.idNumber, PHONE]) expect(logs).not.toContain(secret);

  const during = attempts.filter((a) => a.at >= killedAt && a.at < restartedAt);
  process.stdout.write(
    `database outage: ${acknowledged.length} complaints acknowledged, all stored; ${during.length} filed in the outage ` +
      `(${during.filter((a) => a.status === 503).length} answered 503, slowest ${Math.max(0, ...during.map((a) => a.ms))} ms); ` +
      `recovered ${recoveryMs} ms after PostgreSQL accepted connections again; errors seen: ${outageKinds(logFrom).join(', ')}\n`,
  );
}, 120_000);

test('the MongoDB-speaking server itself stopped and started again (network errors, as a MongoDB outage gives): 503 within bounds, recovery within 10 s', async () => {
  const token = (await verifiedConsumer(h, 'wechat', OPENID, PERSON)).accessToken;
  expect((await fileOne(token)).status).toBe(201);
  const port = Number(new URL(engine.uri).port);

  const logFrom = h.logs.length;
  await engine.ferret.stop();
  const notReady = await until(async () => {
    const res = await h.http('GET', '/readyz');
    return res.status === 503 ? res : undefined;
  }, ANSWER_BOUND_MS, '/readyz 503');
  expect(notReady.body.checks.database).toBe('down');
  const refused = [await fileOne(token), await fileOne(token)];
  for (const r of refused) {
    expect(r).toMatchObject({ status: 503, code: 'DATABASE_UNAVAILABLE' });
    expect(r.ms).toBeLessThan(ANSWER_BOUND_MS);
  }

  engine.ferret = await engineModule.startFerretdb({ binary: engine.binary, postgresUrl: postgres.url, port, stateDir: path.join(dataDir, 'ferretdb') });
  const { after, recoveryMs } = await recovery(token);
  expect(await h.deps.models.Case.exists({ number: after.number })).toBeTruthy();
  expect(recoveryMs).toBeLessThanOrEqual(RECOVERY_BOUND_MS);
  process.stdout.write(`server outage: answered 503 in ${refused.map((r) => r.ms).join(' and ')} ms; recovered ${recoveryMs} ms after the server listened again; errors seen: ${outageKinds(logFrom).join(', ')}\n`);
  expect(outageKinds(logFrom).length).toBeGreaterThan(0);
}, 60_000);
