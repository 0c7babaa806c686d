// `npm run bench`: autocannon against a bare Koa hello world and the BFF (healthz and an
// authenticated read), one after the other on this machine, printing req/s, p99 and ratios.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import {
  ROOT, ensureGo, ensureNodeModules, ensureSandboxKeys, ensureSystemPackages, log, stackEnv, startBff,
  startDatabase, startProcess, startRedis, startSandbox, stopper,
} from './lib/stack.mjs';

const DURATION_S = Number(process.env.BENCH_DURATION_S ?? 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 50);

async function main() {
  ensureNodeModules();
  ensureSystemPackages(['redis-server']);
  ensureGo();
  const { default: autocannon } = await import('autocannon');
  const procs = stopper();
  try {
    const keys = ensureSandboxKeys();
    const mongodbUri = process.env.MONGODB_URI ?? procs.add(await startDatabase(true)).uri;
    const redisUrl = process.env.REDIS_URL ?? procs.add(await startRedis()).url;
    const sandbox = procs.add(await startSandbox(stackEnv({ mongodbUri, redisUrl, keys })));
    // Request logs go to a file at level info in production; warn here keeps the figure about the app itself.
    const env = { ...stackEnv({ mongodbUri, redisUrl, keys, sandbox: sandbox.urls }), LOG_LEVEL: 'warn', REDIS_PREFIX: 'bench:' };
    const bff = procs.add(await startBff(env));
    const bare = procs.add(await startProcess('bare-koa', path.join(ROOT, 'node_modules/.bin/tsx'), ['tests/load/bare-koa.ts'], { ready: /^READY (\S+)/ }));

    const post = (url, body, headers = {}) =>
      fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then((r) => r.json());
    const { code } = await post(`${bff.url}/api/v1/sandbox/wechat/code`, { openid: 'bench-user' });
    const { accessToken } = await post(`${bff.url}/api/v1/auth/login`, { platform: 'wechat', code });
    for (let i = 0; i < 5; i++) {
      await post(
        `${bff.url}/api/v1/complaints`,
        { respondentName: `压测商户${i}`, description: '这是一条用于压测的投诉描述，长度超过二十个字。' },
        { authorization: `Bearer ${accessToken}`, 'idempotency-key': randomUUID() },
      );
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
  } finally {
    await procs.stop();
  }
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
