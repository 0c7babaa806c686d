/**
 * Starts the real app in-process against the real database and Redis (a database and a Redis
 * key prefix of its own per test file) with the vendor stand-ins on loopback.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { loadConfig } from '../../config/bff';
import { loadSandboxConfig } from '../../config/sandbox';
import { createApp } from '../../bff/src/app';
import { closeDeps, createDeps, syncIndexes, type Deps } from '../../bff/src/context';
import { createLogger } from '../../bff/src/logger';
import { startSandbox, type Sandbox } from '../../bff/src/sandbox';

let keyCache: ReturnType<typeof makeKeys> | undefined;
function makeKeys() {
  const pair = () =>
    generateKeyPairSync('rsa', {
      modulusLength: 2048,
      publicKeyEncoding: { type: 'spki', format: 'pem' },
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
    });
  const app = pair();
  const alipay = pair();
  return { appPrivateKey: app.privateKey, appPublicKey: app.publicKey, alipayPrivateKey: alipay.privateKey, alipayPublicKey: alipay.publicKey };
}
export const sandboxKeys = () => (keyCache ??= makeKeys());

export function requireEnv(name: 'MONGODB_URI' | 'REDIS_URL'): string {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set: run the suites through \`npm test\``);
  return value;
}

function withDatabase(uri: string, db: string): string {
  const url = new URL(uri);
  url.pathname = `/${db}`;
  return url.toString();
}

/**
 * Rate limits high enough that no suite meets one by accident (suites file many cases and sign in
 * many consumers from one address); a suite that tests a limit sets its own low value.
 */
export const UNLIMITED: Record<string, string> = Object.fromEntries(
  [
    'LIMIT_LOGIN_IP',
    'LIMIT_LOGIN_CODE',
    'LIMIT_REFRESH_IP',
    'LIMIT_STAFF_LOGIN_IP',
    'LIMIT_STAFF_FAILURES_IP',
    'LIMIT_IDENTITY_IP',
    'LIMIT_PHONE_USER',
    'LIMIT_SUBMIT_USER',
    'LIMIT_SUBMIT_IP',
    'LIMIT_UPLOAD_USER',
    'LIMIT_UPLOAD_BYTES_USER',
    'LIMIT_UPLOAD_IP',
    'LIMIT_LOOKUP_IP',
  ].map((name) => [name, name === 'LIMIT_UPLOAD_BYTES_USER' ? '100000000000/1d' : '1000000/1m']),
);

/** The environment a BFF or worker process needs to share a harness's database, Redis and stand-ins. */
export function processEnv(c: Deps['config']): Record<string, string> {
  return {
    NODE_ENV: 'test',
    ...UNLIMITED,
    MONGODB_URI: c.mongodbUri,
    REDIS_URL: c.redisUrl,
    REDIS_PREFIX: c.redisPrefix,
    WECHAT_API_BASE: c.wechat.apiBase,
    ALIPAY_GATEWAY: c.alipay.gateway,
    ALIPAY_PRIVATE_KEY: c.alipay.privateKey,
    ALIPAY_PUBLIC_KEY: c.alipay.alipayPublicKey,
    IDENTITY_API_BASE: c.identity.apiBase,
  };
}

export interface Harness {
  deps: Deps;
  url: string;
  sandbox: Sandbox;
  logs: string[];
  http: ReturnType<typeof httpClient>;
  close(): Promise<void>;
}

export async function startHarness(env: Record<string, string> = {}, opts: { monitorCommands?: boolean } = {}): Promise<Harness> {
  const id = randomBytes(4).toString('hex');
  const keys = sandboxKeys();
  const sandbox = await startSandbox(
    loadSandboxConfig({
      NODE_ENV: 'test',
      ALIPAY_APP_PUBLIC_KEY: keys.appPublicKey,
      ALIPAY_STANDIN_PRIVATE_KEY: keys.alipayPrivateKey,
    }),
  );
  const config = loadConfig({
    NODE_ENV: 'test',
    MONGODB_URI: withDatabase(requireEnv('MONGODB_URI'), `t_${id}`),
    REDIS_URL: requireEnv('REDIS_URL'),
    REDIS_PREFIX: `t${id}:`,
    WECHAT_API_BASE: sandbox.urls.wechat,
    ALIPAY_GATEWAY: `${sandbox.urls.alipay}/gateway.do`,
    IDENTITY_API_BASE: sandbox.urls.identity,
    ALIPAY_PRIVATE_KEY: keys.appPrivateKey,
    ALIPAY_PUBLIC_KEY: keys.alipayPublicKey,
    OUTBOX_POLL_MS: '100',
    // Suites that write entries straight into cases rely on the scan finding them soon.
    OUTBOX_SCAN_MS: '200',
    LOG_LEVEL: 'info',
    ...UNLIMITED,
    ...env,
  });
  // Logs are kept so tests can scan them for personal data.
  const logs: string[] = [];
  const destination = new Writable({
    write(chunk, _enc, cb) {
      logs.push(chunk.toString());
      cb();
    },
  });
  const deps = await createDeps(config, createLogger({ level: config.logLevel, destination }), opts.monitorCommands ? { monitorCommands: true } : {});
  await syncIndexes(deps);
  const server: Server = createApp(deps).listen(0, '127.0.0.1');
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    deps,
    url,
    sandbox,
    logs,
    http: httpClient(url),
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await deps.conn.dropDatabase().catch(() => undefined);
      const keys = await deps.redis.keys(`${config.redisPrefix}*`);
      if (keys.length) await deps.redis.del(keys);
      await closeDeps(deps);
      await sandbox.close();
    },
  };
}

export interface Reply<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export function httpClient(base: string) {
  return async function http<T = any>(
    method: string,
    path: string,
    opts: { body?: unknown; raw?: string; token?: string; headers?: Record<string, string> } = {},
  ): Promise<Reply<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    if (opts.body !== undefined || opts.raw !== undefined) headers['content-type'] ??= 'application/json';
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await fetch(base + path, {
      method,
      headers,
      body: opts.raw ?? (opts.body === undefined ? undefined : JSON.stringify(opts.body)),
      redirect: 'manual',
    });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // Not JSON: keep the text.
    }
    return { status: res.status, body: body as T, headers: res.headers };
  };
}

/** Signs a consumer in through the stand-in exactly as the H5 build does. */
export async function loginAs(h: Harness, platform: 'wechat' | 'alipay', id: string) {
  const minted = await h.http('POST', `/api/v1/sandbox/${platform}/code`, { body: platform === 'wechat' ? { openid: id } : { userId: id } });
  if (minted.status !== 200) throw new Error(`sandbox code: ${minted.status} ${JSON.stringify(minted.body)}`);
  const login = await h.http('POST', '/api/v1/auth/login', { body: { platform, code: minted.body.code } });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  return login.body as { accessToken: string; refreshToken: string; user: { id: string } };
}
