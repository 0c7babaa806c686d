// `npm test`: the same set-up as `npm start` from a clean clone, then every suite, then cleanup.
// Order: type check, unit, integration (real database and Redis), builds, browser end-to-end.
import fs from 'node:fs';
import path from 'node:path';
import {
  ROOT, RUN_DIR, analyze, ensureGo, ensureNodeModules, ensureSandboxKeys, ensureSystemPackages, log, run, runAsync, stackEnv,
  startBff, startDatabase, startRedis, startSandbox, startWorker, stopper, tsx,
} from './lib/stack.mjs';

const bin = (name) => path.join(ROOT, 'node_modules/.bin', name);
const results = [];

function phase(name, fn) {
  const started = Date.now();
  log(`── ${name}`);
  return Promise.resolve()
    .then(fn)
    .then((ok) => ok !== false, (err) => (process.stderr.write(`${err.stack ?? err}\n`), false))
    .then((ok) => {
      results.push({ name, ok, seconds: (Date.now() - started) / 1000 });
      return ok;
    });
}

const counts = { passed: 0, failed: 0, skipped: 0 };

async function jest(project, env = {}) {
  const report = path.join(RUN_DIR, `jest-${project}.json`);
  fs.rmSync(report, { force: true });
  // --forceExit: a suite that leaves a handle open (a driver's reconnect timer after the outage
  // suite, say) must not keep the run waiting once every result is in.
  const args = ['--config', 'tests/jest.config.js', '--selectProjects', project, '--ci', '--json', '--outputFile', report, '--forceExit'];
  const ok = (await runAsync(bin('jest'), args, { env: { ...process.env, NODE_ENV: 'test', ...env } })) === 0;
  if (fs.existsSync(report)) {
    const r = JSON.parse(fs.readFileSync(report, 'utf8'));
    counts.passed += r.numPassedTests;
    counts.failed += r.numFailedTests;
    counts.skipped += r.numPendingTests + r.numTodoTests;
  }
  return ok;
}

async function main() {
  const started = Date.now();
  const procs = stopper();
  process.on('SIGINT', async () => {
    await procs.stop();
    process.exit(130);
  });
  try {
    await phase('set-up', () => {
      ensureNodeModules();
      ensureSystemPackages(['redis-server', 'chromium', 'fonts-noto-cjk']);
      ensureGo();
    });
    if (!results[0].ok) return finish(started);
    const keys = ensureSandboxKeys();

    await phase('type check (tsc --noEmit)', () =>
      run(bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']) === 0 && run(bin('tsc'), ['--noEmit', '-p', 'shared/tsconfig.json']) === 0,
    );
    await phase('unit tests', () => jest('unit'));

    let mongodbUri = process.env.MONGODB_URI;
    let redisUrl = process.env.REDIS_URL;
    let postgresUrl;
    await phase('database and Redis', async () => {
      if (!mongodbUri) ({ uri: mongodbUri, postgresUrl } = procs.add(await startDatabase({ name: 'test-db', fresh: true })));
      if (!redisUrl) redisUrl = procs.add(await startRedis()).url;
    });
    // POSTGRES_URL lets the query-plan suite refresh the embedded database's statistics after its bulk load.
    const testEnv = { MONGODB_URI: mongodbUri, REDIS_URL: redisUrl, ALIPAY_TEST_KEYS: path.join(RUN_DIR, 'sandbox-keys.json'), ...(postgresUrl ? { POSTGRES_URL: postgresUrl } : {}) };
    await phase('integration tests', () => jest('integration', testEnv));
    await phase('reliability tests (killed worker, restarted Redis, database outage, two of each)', () => jest('reliability', testEnv));

    await phase('builds (weapp, alipay, h5, admin)', () =>
      (async () => {
        for (const type of ['weapp', 'alipay', 'h5']) {
          if ((await runAsync(bin('taro'), ['build', '--type', type], { env: { ...process.env, NODE_ENV: 'production' } })) !== 0) return false;
        }
        return (await runAsync(bin('vite'), ['build', '--config', 'bff/admin/vite.config.mts', '--logLevel', 'warn'])) === 0;
      })(),
    );
    await phase('build checks', () => jest('build'));

    await phase('end-to-end (Chromium)', async () => {
      const base = stackEnv({ mongodbUri, redisUrl, keys });
      const sandbox = procs.add(await startSandbox(base));
      const env = {
        ...stackEnv({ mongodbUri, redisUrl, keys, sandbox: sandbox.urls }),
        REDIS_PREFIX: 'e2e:',
        DEMO_STAFF_PASSWORD: 'e2e-password-1',
        STATIC_ADMIN_DIR: path.join(ROOT, 'bff/admin/dist'),
        STATIC_H5_DIR: path.join(ROOT, 'dist/h5'),
        OUTBOX_POLL_MS: '200',
        LOG_LEVEL: 'warn',
      };
      // Generated cases give the dashboard and the export something to show.
      await tsx('seed', 'bff/src/seed-cli.ts', env, /^READY seeded/, { args: ['--cases', '1500', '--seed', '2026'], timeoutMs: 600_000 });
      if (postgresUrl) await analyze(postgresUrl);
      const bff = procs.add(await startBff(env));
      procs.add(await startWorker(env));
      return jest('e2e', { E2E_BASE_URL: bff.url, E2E_STAFF_USERNAME: 'demo', E2E_STAFF_PASSWORD: env.DEMO_STAFF_PASSWORD });
    });
  } finally {
    await procs.stop();
  }
  finish(started);
}

function finish(started) {
  const failed = results.filter((r) => !r.ok);
  process.stdout.write('\n');
  for (const r of results) log(`${r.ok ? 'ok  ' : 'FAIL'} ${r.name} (${r.seconds.toFixed(1)} s)`);
  log(`${failed.length ? 'FAILED' : 'all passed'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  // A phase that fails outside jest (type check, a build) counts as one failed test.
  const failedPhases = failed.filter((r) => !r.name.includes('tests') && !r.name.startsWith('end-to-end') && r.name !== 'build checks').length;
  process.stdout.write(`\nTests: ${counts.passed} passed, ${counts.failed + failedPhases} failed, ${counts.skipped} skipped\n`);
  fs.mkdirSync(RUN_DIR, { recursive: true });
  fs.writeFileSync(path.join(RUN_DIR, 'test-summary.json'), JSON.stringify(results, null, 2));
  process.exit(failed.length ? 1 : 0);
}

main().catch((err) => {
  process.stderr.write(`${err.stack ?? err}\n`);
  process.exit(1);
});
