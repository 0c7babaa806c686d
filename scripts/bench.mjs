// `npm run bench`: autocannon against a bare Koa hello world and the BFF (healthz and an
// authenticated read), one after the other on this machine, printing req/s, p99 and ratios; then
// the push run: BENCH_PUSH_N status changes (10,000) waiting in the outbox, one worker process
// started, the time until every outcome is recorded, messages per second and token fetches.
// Then the dashboard run: BENCH_INSIGHT_CASES (100,000) generated cases, the stats read from the
// counters against the same figures computed from the cases. Then the export run: 100,000 cases
// exported through the HTTP app with memory sampled. BENCH_ONLY=http|push|insight|export runs one.
import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  ROOT, ensureGo, ensureNodeModules, ensureSandboxKeys, ensureSystemPackages, log, run, stackEnv, startBff,
  startDatabase, startProcess, startRedis, startSandbox, startWorker, stopper, tsx,
} from './lib/stack.mjs';

// The consent text's version the API expects, read from its one definition (this script cannot import TypeScript).
const ID_CONSENT_VERSION = /ID_CONSENT_VERSION = '([^']+)'/.exec(fs.readFileSync(path.join(ROOT, 'shared/api/identity.ts'), 'utf8'))[1];

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);
const ONLY = process.env.BENCH_ONLY;
const PUSH_N = Number(process.env.BENCH_PUSH_N ?? 10_000);
const PUSH_USERS = Number(process.env.BENCH_PUSH_USERS ?? 1_000);
const PUSH_CONCURRENCY = Number(process.env.BENCH_PUSH_CONCURRENCY ?? 16);
const INSIGHT_CASES = Number(process.env.BENCH_INSIGHT_CASES ?? 100_000);
const TSX = path.join(ROOT, 'node_modules/.bin/tsx');

async function control(base, route, body) {
  const res = await fetch(new URL(`/__sandbox${route}`, base), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`stand-in ${route} answered ${res.status}`);
  return res.status === 204 ? undefined : res.json();
}

/** Outbox entries -> worker -> WeChat stand-in, in a database of its own, timed from the worker's start. */
async function pushRun(procs, { mongodbUri, redisUrl, keys, sandbox }) {
  const { MongoClient } = await import('mongodb');
  const url = new URL(mongodbUri);
  url.pathname = `/bench_push_${Date.now()}`;
  const env = {
    ...stackEnv({ mongodbUri: url.toString(), redisUrl, keys, sandbox: sandbox.urls }),
    LOG_LEVEL: 'warn',
    REDIS_PREFIX: `benchpush${Date.now()}:`,
    WORKER_CONCURRENCY: String(PUSH_CONCURRENCY),
  };
  await control(sandbox.urls.wechat, '/reset', {});
  log(`push: seeding ${PUSH_N} status changes for ${PUSH_USERS} consumers`);
  await startProcess('push-seed', TSX, ['tests/load/push-seed.ts', String(PUSH_N), String(PUSH_USERS)], { env, ready: /^READY seeded/, timeoutMs: 600_000 });
  const client = await new MongoClient(url.toString()).connect();
  try {
    const cases = client.db().collection('cases');
    const before = await control(sandbox.urls.wechat, '/stats');
    log(`push: worker started (concurrency ${PUSH_CONCURRENCY}), waiting for every outcome to be recorded`);
    const started = Date.now();
    const worker = procs.add(await startWorker(env));
    const ready = Date.now();
    // Counting open entries reads every case on the embedded database, so the stand-in's count
    // of messages it received is watched first, and the cases are counted once that is complete.
    for (let i = 1; ; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const seen = Object.keys((await control(sandbox.urls.wechat, '/stats')).deliveriesByKey).length;
      // Entries settled without reaching the stand-in (no grant) are found by the count, now and then.
      if (seen >= PUSH_N || (i % 60 === 0 && (await cases.countDocuments({ outboxPending: { $gt: 0 } })) === 0)) break;
    }
    let open = PUSH_N;
    while (open > 0) {
      open = await cases.countDocuments({ outboxPending: { $gt: 0 } });
      if (open > 0) await new Promise((r) => setTimeout(r, 250));
    }
    const seconds = (Date.now() - started) / 1000;
    await worker.stop();
    const after = await control(sandbox.urls.wechat, '/stats');
    const counts = Object.values(after.deliveriesByKey);
    const sent = await cases.countDocuments({ outboxPending: 0 });
    return {
      messages: PUSH_N,
      recorded: sent,
      delivered: counts.filter((n) => n >= 1).length,
      repeated: counts.filter((n) => n > 1).length,
      seconds,
      workerStartSeconds: (ready - started) / 1000,
      perSecond: PUSH_N / seconds,
      tokenFetches: after.tokenFetches - before.tokenFetches,
      sendCalls: after.sendCalls - before.sendCalls,
    };
  } finally {
    await client.db().dropDatabase().catch(() => undefined);
    await client.close();
  }
}

async function main() {
  ensureNodeModules();
  ensureSystemPackages(['redis-server']);
  ensureGo();
  const { default: autocannon } = await import('autocannon');
  const procs = stopper();
  try {
    const keys = ensureSandboxKeys();
    const db = process.env.MONGODB_URI ? undefined : procs.add(await startDatabase({ name: 'bench-db', fresh: true }));
    const mongodbUri = process.env.MONGODB_URI ?? db.uri;
    const redisUrl = process.env.REDIS_URL ?? procs.add(await startRedis()).url;
    const sandbox = procs.add(await startSandbox(stackEnv({ mongodbUri, redisUrl, keys })));
    // Request logs go to a file at level info in production; warn here keeps the figure about the app itself.
    if (!ONLY || ONLY === 'http') {
      const env = {
        ...stackEnv({ mongodbUri, redisUrl, keys, sandbox: sandbox.urls }),
        LOG_LEVEL: 'warn',
        REDIS_PREFIX: 'bench:',
        DEMO_STAFF_PASSWORD: 'bench-password-1',
        // One user files complaints as fast as it can: the figure is throughput (each limit's Redis
        // call included), so the per-user and per-address limits are set out of reach.
        LIMIT_SUBMIT_USER: '1000000000/1m',
        LIMIT_SUBMIT_IP: '1000000000/1m',
      };
      // The bureau directory: complaints are routed by it.
      await tsx('seed', 'bff/src/seed-cli.ts', env, /^READY seeded/);
      const bff = procs.add(await startBff(env));
      const bare = procs.add(await startProcess('bare-koa', path.join(ROOT, 'node_modules/.bin/tsx'), ['tests/load/bare-koa.ts'], { ready: /^READY (\S+)/ }));

      const post = (url, body, headers = {}) =>
        fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then((r) => r.json());
      const { code } = await post(`${bff.url}/api/v1/sandbox/wechat/code`, { openid: `bench-user-${Date.now()}` });
      const { accessToken } = await post(`${bff.url}/api/v1/auth/login`, { platform: 'wechat', code });
      const auth = { authorization: `Bearer ${accessToken}` };
      // A fictitious person, registered with the identity stand-in (GB 11643 check character).
      const first17 = `11010519800101${String(Date.now() % 1000).padStart(3, "0")}`;
      const sum = [...first17].reduce((acc, d, i) => acc + Number(d) * [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2][i], 0);
      const person = { name: '王压测', idNumber: first17 + '10X98765432'[sum % 11] };
      await post(`${bff.url}/api/v1/sandbox/identity/people`, person);
      const verified = await post(`${bff.url}/api/v1/identity/verify`, { ...person, consent: true, consentVersion: ID_CONSENT_VERSION }, auth);
      if (!verified.verified) throw new Error(`bench user not verified: ${JSON.stringify(verified)}`);
      const complaintBody = {
        respondent: { name: '压测商户', address: '北京市朝阳区建国路88号', regionCode: '110105' },
        consumer: { phone: '13812345678', address: '北京市海淀区中关村大街1号' },
        business: {
          kind: 'goods',
          categoryCode: 'goods.appliance',
          problemTypeCode: 'after_sales.refuse_repair',
          channel: 'store',
          productName: '电饭煲',
          amountCents: 39900,
          occurredOn: '2026-11-01',
          demands: [{ type: 'refund' }],
        },
        description: '这是一条用于压测的投诉描述，长度超过二十个字。',
        jurisdiction: { basis: 'place_of_business' },
      };
      for (let i = 0; i < 5; i++) {
        const filed = await post(`${bff.url}/api/v1/complaints`, { ...complaintBody, respondent: { ...complaintBody.respondent, name: `压测商户${i}` } }, { ...auth, 'idempotency-key': randomUUID() });
        if (!filed.number) throw new Error(`bench complaint refused: ${JSON.stringify(filed)}`);
      }

      const targets = [
        { name: 'bare Koa hello world', url: `${bare.match[1]}/` },
        { name: 'BFF GET /healthz', url: `${bff.url}/healthz` },
        { name: 'BFF GET /api/v1/complaints (JWT, 5 cases)', url: `${bff.url}/api/v1/complaints`, headers: { authorization: `Bearer ${accessToken}` } },
      ];
      const rows = [];
      for (const t of targets) {
        log(`${t.name}: ${DURATION_S} s, ${CONNECTIONS} connections`);
        const r = await autocannon({ url: t.url, headers: t.headers, connections: CONNECTIONS, duration: DURATION_S });
        if (r.non2xx > 0 || r.errors > 0) throw new Error(`${t.name}: ${r.non2xx} non-2xx answers, ${r.errors} errors`);
        rows.push({ name: t.name, rps: r.requests.average, p99: r.latency.p99, total: r.requests.total });
      }
      const base = rows[0].rps;
      process.stdout.write('\nroute                                         req/s     p99 ms   vs bare Koa\n');
      for (const r of rows) {
        process.stdout.write(`${r.name.padEnd(44)} ${r.rps.toFixed(0).padStart(7)} ${String(r.p99).padStart(9)}   ${(r.rps / base).toFixed(2)}\n`);
      }

      // Complaint submission against a raw driver insertOne of the same stored document.
      const submitBody = JSON.parse(JSON.stringify(complaintBody));
      let serial = 0;
      log(`POST /api/v1/complaints: ${DURATION_S} s, ${CONNECTIONS} connections`);
      const submit = await autocannon({
        url: `${bff.url}/api/v1/complaints`,
        connections: CONNECTIONS,
        duration: DURATION_S,
        requests: [
          {
            method: 'POST',
            setupRequest(req) {
              serial += 1;
              submitBody.respondent.name = `压测商户${serial}号店`;
              return { ...req, headers: { ...auth, 'content-type': 'application/json', 'idempotency-key': randomUUID() }, body: JSON.stringify(submitBody) };
            },
          },
        ],
      });
      if (submit.non2xx > 0 || submit.errors > 0) throw new Error(`submit: ${submit.non2xx} non-2xx answers, ${submit.errors} errors`);
      const { MongoClient, ObjectId } = await import('mongodb');
      const client = await new MongoClient(mongodbUri).connect();
      try {
        const cases = client.db().collection('cases');
        const sample = await cases.findOne({ 'respondent.name': '压测商户1号店' });
        let n = 0;
        const until = Date.now() + DURATION_S * 1000;
        const lat = [];
        await Promise.all(Array.from({ length: CONNECTIONS }, async () => {
          while (Date.now() < until) {
            n += 1;
            const t0 = performance.now();
            await cases.insertOne({ ...sample, _id: new ObjectId(), number: `${sample.number.slice(0, 10)}${String(9_000_000 + n).padStart(7, '0')}`, idempotencyKey: randomUUID() });
            lat.push(performance.now() - t0);
          }
        }));
        lat.sort((a, b) => a - b);
        const insertRps = n / DURATION_S;
        process.stdout.write(`\nsubmit                                        req/s     p99 ms\n`);
        process.stdout.write(`${'POST /api/v1/complaints'.padEnd(44)} ${submit.requests.average.toFixed(0).padStart(7)} ${String(submit.latency.p99).padStart(9)}\n`);
        process.stdout.write(`${'raw driver insertOne, same document'.padEnd(44)} ${insertRps.toFixed(0).padStart(7)} ${lat[Math.floor(lat.length * 0.99)].toFixed(0).padStart(9)}\n`);
        process.stdout.write(`submit vs raw insertOne: ${(submit.requests.average / insertRps).toFixed(2)}\n`);
      } finally {
        await client.close();
      }
    }
    if (!ONLY || ONLY === 'push') {
      const r = await pushRun(procs, { mongodbUri, redisUrl, keys, sandbox });
      if (r.delivered !== r.messages || r.repeated > 0 || r.recorded !== r.messages) {
        throw new Error(`push run: ${r.delivered} of ${r.messages} delivered, ${r.repeated} repeated, ${r.recorded} recorded`);
      }
      process.stdout.write(
        `\npush: ${r.messages} status changes delivered and recorded in ${r.seconds.toFixed(1)} s (worker start ${r.workerStartSeconds.toFixed(1)} s): ` +
          `${r.perSecond.toFixed(0)} messages/s, ${r.tokenFetches} access-token fetch(es), ${r.sendCalls} send calls, ${r.repeated} repeated\n`,
      );
    }
    if (!ONLY || ONLY === 'insight') await insightRun({ mongodbUri, redisUrl, keys, sandbox, postgresUrl: db?.postgresUrl });
    if (!ONLY || ONLY === 'export') {
      // 100,000 cases exported as CSV and XLSX through the HTTP app with memory sampled (EXPORT_TEST_ROWS sets another number).
      log('export: seeding the cases, then exporting them with memory sampled');
      const args = ['--config', 'tests/jest.config.js', '--selectProjects', 'load', '--testPathPatterns', 'export-memory', '--ci'];
      if (run(path.join(ROOT, 'node_modules/.bin/jest'), args, { env: { ...process.env, NODE_ENV: 'test', MONGODB_URI: mongodbUri, REDIS_URL: redisUrl } }) !== 0) throw new Error('export run failed');
    }
  } finally {
    await procs.stop();
  }
}

/** The dashboard with INSIGHT_CASES generated cases, in a database of its own (see tests/load/insight-bench.ts). */
async function insightRun({ mongodbUri, redisUrl, keys, sandbox, postgresUrl }) {
  const url = new URL(mongodbUri);
  url.pathname = `/bench_insight_${Date.now()}`;
  const env = {
    ...stackEnv({ mongodbUri: url.toString(), redisUrl, keys, sandbox: sandbox.urls }),
    LOG_LEVEL: 'warn',
    REDIS_PREFIX: `benchinsight${Date.now()}:`,
    DEMO_STAFF_PASSWORD: 'bench-password-1',
    // The embedded database is analysed after the seed, as `npm start` and `npm run seed` do.
    ...(postgresUrl ? { BENCH_POSTGRES_URL: postgresUrl } : {}),
  };
  log(`insight: seeding ${INSIGHT_CASES} cases, then reading the dashboard`);
  const { MongoClient } = await import('mongodb');
  try {
    const code = await new Promise((resolve) => {
      const child = spawn(TSX, ['tests/load/insight-bench.ts', String(INSIGHT_CASES)], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'inherit' });
      child.on('close', resolve);
    });
    if (code !== 0) throw new Error(`insight run failed (exit ${code})`);
  } finally {
    const client = await new MongoClient(url.toString()).connect();
    await client.db().dropDatabase().catch(() => undefined);
    await client.close();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
