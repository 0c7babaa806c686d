// `npm start`: everything up with embedded defaults and demo data; Ctrl-C stops what it started.
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, analyze, ensureGo, ensureNodeModules, ensureSandboxKeys, ensureSystemPackages, freePort, log, run,
  stackEnv, startBff, startDatabase, startProcess, startRedis, startSandbox, startWorker, stopper, tsx, writeEndpoints,
} from './lib/stack.mjs';

const DEMO_STAFF = { username: 'demo', password: 'demo-12315' };
const DEMO_CASES = 3000;

async function waitForFile(file, newerThan, timeoutMs) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    if (fs.existsSync(file) && fs.statSync(file).mtimeMs >= newerThan) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

async function main() {
  const procs = stopper();
  const shutdown = async () => {
    log('stopping');
    await procs.stop();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  try {
    ensureNodeModules();
    ensureSystemPackages(['redis-server']);
    ensureGo();
    const keys = ensureSandboxKeys();

    const useOwnDb = !process.env.MONGODB_URI;
    const useOwnRedis = !process.env.REDIS_URL;
    const db = useOwnDb ? procs.add(await startDatabase({ name: 'devdb' })) : undefined;
    const mongodbUri = db ? db.uri : process.env.MONGODB_URI;
    const redisUrl = useOwnRedis ? procs.add(await startRedis()).url : process.env.REDIS_URL;
    log(`database ${useOwnDb ? '(embedded PostgreSQL + DocumentDB via FerretDB v2) ' : ''}${mongodbUri}`);
    log(`redis ${redisUrl}`);

    const base = stackEnv({ mongodbUri, redisUrl, keys });
    const sandbox = procs.add(await startSandbox(base));
    const port = await freePort(3000);
    const env = {
      ...stackEnv({ mongodbUri, redisUrl, keys, sandbox: sandbox.urls, port }),
      DEMO_STAFF_PASSWORD: DEMO_STAFF.password,
      STATIC_ADMIN_DIR: path.join(ROOT, 'bff/admin/dist'),
      STATIC_H5_DIR: path.join(ROOT, 'dist/h5'),
    };

    // Demo cases for the queue and the dashboard, the first time only (a fixed seed: the same demo each time).
    log(`seeding demo data (the first start adds ${DEMO_CASES} generated cases; this takes a minute)`);
    await tsx('seed', 'bff/src/seed-cli.ts', env, /^READY seeded/, {
      args: ['--cases', String(DEMO_CASES), '--seed', '12315', '--if-empty'],
      timeoutMs: 600_000,
    });
    // Fresh statistics for the query planner after a bulk seed.
    if (db) await analyze(db.postgresUrl);
    log('building the admin page');
    if (run(path.join(ROOT, 'node_modules/.bin/vite'), ['build', '--config', 'bff/admin/vite.config.mts', '--logLevel', 'warn']) !== 0) throw new Error('admin build failed');

    const bff = procs.add(await startBff(env));
    procs.add(await startWorker(env));

    log('building the H5 mini program (watch mode; the first build takes a little while)');
    const started = Date.now();
    procs.add(
      await startProcess('h5', path.join(ROOT, 'node_modules/.bin/taro'), ['build', '--type', 'h5', '--watch'], {
        env: { NODE_ENV: 'development', TARO_DEV_API_TARGET: bff.url },
      }),
    );
    if (!(await waitForFile(path.join(ROOT, 'dist/h5/index.html'), started, 180_000))) {
      log('the H5 build has not finished yet; see .run/logs/h5.log');
    }

    const endpoints = {
      bff: bff.url,
      admin: `${bff.url}/admin/`,
      h5: `${bff.url}/h5/`,
      mongodbUri,
      // The embedded database's PostgreSQL, for `npm run seed` to ANALYZE after a bulk seed.
      ...(db ? { postgresUrl: db.postgresUrl } : {}),
      redisUrl,
      sandbox: sandbox.urls,
      demo: { staff: DEMO_STAFF },
    };
    writeEndpoints(endpoints);
    process.stdout.write(`
  12315 消费者投诉举报平台 is running

  H5 mini program   ${endpoints.h5}   (live reload: http://127.0.0.1:10086/h5/)
  Admin page        ${endpoints.admin}   (handler: ${DEMO_STAFF.username} / ${DEMO_STAFF.password}; Beijing supervisor: beijing / ${DEMO_STAFF.password}; admin: admin / ${DEMO_STAFF.password})
  API               ${bff.url}/api/v1   (OpenAPI: ${bff.url}/api/v1/openapi.json)
  Sandbox           WeChat ${sandbox.urls.wechat}  Alipay ${sandbox.urls.alipay}  Identity ${sandbox.urls.identity}
  WeChat / Alipay builds: npm run build:weapp / npm run build:alipay -> dist/weapp, dist/alipay

  Logs in .run/logs/, endpoints in .run/endpoints.json. Ctrl-C stops everything.
`);
  } catch (err) {
    process.stderr.write(`\nnpm start failed: ${err.message}\n`);
    await procs.stop();
    process.exit(1);
  }
}

main();
