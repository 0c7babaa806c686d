// Brings the local stack up and down for `npm start`, `npm test` and `npm run bench`:
// dependencies, Redis, the embedded database, the sandbox stand-ins, the BFF and the worker.
// Plain Node with no npm dependencies, so it runs before `npm ci`.
import { spawn, spawnSync } from 'node:child_process';
import { createHash, generateKeyPairSync, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RUN_DIR = path.join(ROOT, '.run');

export const log = (msg) => process.stdout.write(`\x1b[36m[12315]\x1b[0m ${msg}\n`);

export function freePort(preferred) {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.on('error', (err) => (preferred ? resolve(freePort()) : reject(err)));
    server.listen(preferred ?? 0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

export function run(cmd, args, opts = {}) {
  const res = spawnSync(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
  if (res.error) throw res.error;
  return res.status ?? 1;
}

function must(cmd, args, opts) {
  const status = run(cmd, args, opts);
  if (status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${status}`);
}

/** npm ci when node_modules is missing or older than the lockfile. */
export function ensureNodeModules() {
  const lock = fs.readFileSync(path.join(ROOT, 'package-lock.json'));
  const digest = createHash('sha256').update(lock).digest('hex');
  const stamp = path.join(ROOT, 'node_modules', '.lock-sha256');
  if (fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === digest) return;
  log('installing npm packages (npm ci)');
  must('npm', ['ci', '--no-audit', '--no-fund']);
  fs.writeFileSync(stamp, digest);
}

const SYSTEM_PACKAGES = {
  'redis-server': '/usr/bin/redis-server',
  chromium: '/usr/bin/chromium',
  'fonts-noto-cjk': '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc',
};

/** Debian packages the stack needs, installed when missing (as root, as on CI). */
export function ensureSystemPackages(names) {
  const missing = names.filter((n) => !fs.existsSync(SYSTEM_PACKAGES[n]));
  if (missing.length === 0) return;
  if (process.getuid?.() !== 0) {
    throw new Error(`missing system packages: ${missing.join(' ')}; install them with: sudo apt-get install -y ${missing.join(' ')}`);
  }
  log(`installing ${missing.join(', ')} (apt-get)`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  must('apt-get', ['update', '-qq'], { env });
  must('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...missing], { env });
}

export function ensureGo() {
  if (spawnSync('go', ['version']).status !== 0) throw new Error('the Go toolchain (1.25 or newer) is needed to build the embedded database (scripts/devdb)');
}

/** Keys for the sandbox: ours (the app's) and the Alipay stand-in's, made once per checkout. */
export function ensureSandboxKeys() {
  const file = path.join(RUN_DIR, 'sandbox-keys.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8'));
  const pair = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const app = pair();
  const alipay = pair();
  const keys = {
    appPrivateKey: app.privateKey,
    appPublicKey: app.publicKey,
    alipayPrivateKey: alipay.privateKey,
    alipayPublicKey: alipay.publicKey,
    jwtSecret: randomBytes(32).toString('hex'),
  };
  fs.mkdirSync(RUN_DIR, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(keys), { mode: 0o600 });
  return keys;
}

/** A child process whose output goes to .run/logs/<name>.log, resolved when `ready` matches a line. */
export function startProcess(name, cmd, args, { env = {}, ready, timeoutMs = 60_000, echo = false, stdin = 'ignore' } = {}) {
  fs.mkdirSync(path.join(RUN_DIR, 'logs'), { recursive: true });
  const logFile = fs.createWriteStream(path.join(RUN_DIR, 'logs', `${name}.log`));
  const child = spawn(cmd, args, { cwd: ROOT, env: { ...process.env, ...env }, stdio: [stdin, 'pipe', 'pipe'] });
  const stop = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
      setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
    });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let done = !ready;
    const timer = ready
      ? setTimeout(() => fail(new Error(`${name} did not become ready in ${timeoutMs / 1000} s (see .run/logs/${name}.log)`)), timeoutMs)
      : undefined;
    function fail(err) {
      if (done) return;
      done = true;
      clearTimeout(timer);
      void stop();
      reject(err);
    }
    const onData = (chunk) => {
      logFile.write(chunk);
      if (echo) process.stdout.write(chunk);
      if (done) return;
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        const m = line.match(ready);
        if (m) {
          done = true;
          clearTimeout(timer);
          resolve({ name, child, match: m, stop });
          return;
        }
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => fail(new Error(`${name} exited with ${code} before it was ready (see .run/logs/${name}.log)`)));
    if (!ready) resolve({ name, child, match: null, stop });
  });
}

export async function startRedis() {
  const port = await freePort();
  const dir = path.join(RUN_DIR, 'redis');
  fs.mkdirSync(dir, { recursive: true });
  // Behind the same guard as the database: it stops when this process dies, however it dies.
  const { GUARD } = await import('../devdb/engine.mjs');
  const proc = await startProcess(
    'redis',
    'sh',
    ['-c', GUARD, 'redis-guard', 'redis-server', '--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir],
    { ready: /Ready to accept connections/, stdin: 'pipe' },
  );
  return { ...proc, url: `redis://127.0.0.1:${port}` };
}

/**
 * The embedded database (PostgreSQL + DocumentDB + FerretDB v2, see scripts/devdb/engine.mjs), with
 * its data in .run/<name>: `npm start` keeps .run/devdb between starts, `npm test` starts .run/test-db
 * empty each time, so neither touches the other's data.
 */
export async function startDatabase({ name = 'devdb', fresh = false } = {}) {
  const { startEngine } = await import('../devdb/engine.mjs');
  const engine = await startEngine({ dir: path.join(RUN_DIR, name), fresh, log, logDir: path.join(RUN_DIR, 'logs', name) });
  return { name: 'database', uri: engine.uri, postgresUrl: engine.postgres.url, stop: () => engine.stop() };
}

/**
 * ANALYZE on the embedded database's PostgreSQL after a bulk load, so the planner has statistics
 * for the new rows (autovacuum would get there, later). Only the scripts do this: the BFF speaks
 * MongoDB and nothing else.
 */
export async function analyze(postgresUrl) {
  const { psql } = await import('../devdb/engine.mjs');
  const started = Date.now();
  psql(postgresUrl, 'ANALYZE');
  log(`database statistics refreshed (ANALYZE, ${((Date.now() - started) / 1000).toFixed(1)} s)`);
}

/**
 * Runs a command to its end without blocking this process, which keeps reading the output of the
 * servers it started (a full pipe would stop them); resolves with the exit status.
 */
export function runAsync(cmd, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: 'inherit', ...opts });
    child.on('error', reject);
    child.on('close', (code) => resolve(code ?? 1));
  });
}

const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');

export function tsx(name, entry, env, ready, { args = [], timeoutMs } = {}) {
  return startProcess(name, TSX, [entry, ...args], { env, ready, ...(timeoutMs ? { timeoutMs } : {}) });
}

/** The environment the BFF, the worker and the sandbox share. */
export function stackEnv({ mongodbUri, redisUrl, sandbox, keys, port, production = false }) {
  return {
    NODE_ENV: production ? 'production' : 'development',
    MONGODB_URI: mongodbUri,
    REDIS_URL: redisUrl,
    PORT: String(port ?? 0),
    JWT_SECRET: keys.jwtSecret,
    WECHAT_APP_ID: 'wx-sandbox-app',
    WECHAT_APP_SECRET: 'sandbox-secret',
    ALIPAY_APP_ID: '2021000000000000',
    ALIPAY_PRIVATE_KEY: keys.appPrivateKey,
    ALIPAY_PUBLIC_KEY: keys.alipayPublicKey,
    ALIPAY_APP_PUBLIC_KEY: keys.appPublicKey,
    ALIPAY_STANDIN_PRIVATE_KEY: keys.alipayPrivateKey,
    IDENTITY_SECRET_ID: 'sandbox-secret-id',
    IDENTITY_SECRET_KEY: 'sandbox-secret-key',
    ...(sandbox
      ? {
          WECHAT_API_BASE: sandbox.wechat,
          ALIPAY_GATEWAY: `${sandbox.alipay}/gateway.do`,
          IDENTITY_API_BASE: sandbox.identity,
        }
      : {}),
  };
}

export async function startSandbox(env) {
  const proc = await tsx('sandbox', 'bff/src/sandbox/main.ts', env, /^READY (\{.*\})$/);
  return { ...proc, urls: JSON.parse(proc.match[1]) };
}

export async function startBff(env) {
  const proc = await tsx('bff', 'bff/src/main.ts', env, /^READY (http:\/\/\S+)/);
  return { ...proc, url: proc.match[1] };
}

export async function startWorker(env) {
  return tsx('worker', 'bff/src/worker.ts', env, /^READY worker/);
}

export function writeEndpoints(endpoints) {
  fs.mkdirSync(RUN_DIR, { recursive: true });
  fs.writeFileSync(path.join(RUN_DIR, 'endpoints.json'), JSON.stringify(endpoints, null, 2) + '\n');
}

/** Stops processes in reverse start order; safe to call twice. */
export function stopper() {
  const procs = [];
  let stopping;
  return {
    add(p) {
      procs.push(p);
      return p;
    },
    stop() {
      stopping ??= (async () => {
        for (const p of procs.reverse()) await p.stop();
      })();
      return stopping;
    },
  };
}
