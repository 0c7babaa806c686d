/**
 * Runtime settings of the BFF, the workers and the sandbox: read from the environment once,
 * validated, typed and frozen. No other file reads process.env.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import { RETENTION_CLOSED_CASE_DAYS } from '../shared/privacy/retention';

const bool = z
  .enum(['true', 'false', '1', '0', ''])
  .transform((v) => v === 'true' || v === '1');

const UNITS_S = { s: 1, m: 60, h: 3600, d: 86_400 } as const;

/** A limit written `<points>/<duration>`, e.g. `60/1m`, `20/1d`, `5/15m`: at most that many in that window. */
const limit = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((v, ctx) => {
      const m = /^(\d{1,12})\/(\d{1,6})([smhd])$/.exec(v.trim());
      const points = m ? Number(m[1]) : 0;
      if (!m || points < 1 || Number(m[2]) < 1) {
        ctx.addIssue({ code: 'custom', message: 'must look like 60/1m: points, a slash, a duration in s, m, h or d' });
        return z.NEVER;
      }
      return { points, durationS: Number(m[2]) * UNITS_S[m[3] as keyof typeof UNITS_S] };
    });

export interface LimitRule {
  points: number;
  durationS: number;
}

/** Values the project ships as stand-ins for real vendor credentials: never accepted in production. */
const PLACEHOLDERS = new Set(['sandbox-secret', 'sandbox-secret-id', 'sandbox-secret-key', 'wx-sandbox-app', '2021000000000000']);

/** Hosts that only a development machine or a vendor's test environment answers on. */
function unsafeVendorUrl(value: string): string | undefined {
  const url = new URL(value);
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (url.protocol !== 'https:') return 'must use https';
  if (
    host === 'localhost' ||
    host.endsWith('.localhost') ||
    host.endsWith('.local') ||
    /^(127\.|10\.|192\.168\.|169\.254\.|0\.)/.test(host) ||
    /^172\.(1[6-9]|2\d|3[01])\./.test(host) ||
    host === '::1' ||
    host === '::' ||
    /^(fc|fd|fe80)/.test(host) ||
    host.startsWith('::ffff:')
  ) {
    return 'must not point at a loopback or private address';
  }
  // Alipay's sandbox gateway (openapi-sandbox.dl.alipaydev.com) and any stand-in named so.
  if (/sandbox|alipaydev/.test(host)) return 'must not point at a sandbox';
  return undefined;
}

/** A secret too short or too uniform to resist guessing. */
function weakSecret(value: string, minLength: number): string | undefined {
  if (PLACEHOLDERS.has(value) || /sandbox|placeholder|changeme|example/i.test(value)) return 'is a placeholder value';
  if (value.length < minLength) return `must have at least ${minLength} characters`;
  if (new Set(value).size < Math.min(10, Math.floor(minLength / 2))) return 'is too uniform to be a real secret';
  return undefined;
}

const schema = z
  .object({
    // No default: a process that does not say where it runs must not guess "development".
    NODE_ENV: z.enum(['development', 'test', 'production'], { message: 'NODE_ENV must be exactly development, test or production' }),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.string().url().optional(),
    // Behind a reverse proxy (production): take the client address from X-Forwarded-For, trusting
    // only the last PROXY_HOPS entries (those our own proxies appended), so a client cannot pick its address.
    TRUST_PROXY: bool.optional(),
    PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    MONGODB_URI: z.string().regex(/^mongodb(\+srv)?:\/\//, 'MONGODB_URI must be a mongodb:// URI'),
    REDIS_URL: z.string().regex(/^rediss?:\/\//, 'REDIS_URL must be a redis:// URI'),
    REDIS_PREFIX: z.string().regex(/^[a-z0-9:_-]{1,40}$/).default('c12315:'),
    JWT_SECRET: z.string().min(32).optional(),
    JWT_ISSUER: z.string().default('consumer-12315'),
    ACCESS_TOKEN_TTL_S: z.coerce.number().int().min(60).max(86_400).default(900),
    REFRESH_TOKEN_TTL_S: z.coerce.number().int().min(3600).default(30 * 86_400),
    STAFF_SESSION_TTL_S: z.coerce.number().int().min(300).default(8 * 3600),
    SANDBOX: bool.optional(),
    WECHAT_API_BASE: z.string().url().default('https://api.weixin.qq.com'),
    WECHAT_APP_ID: z.string().min(1).default('wx-sandbox-app'),
    WECHAT_APP_SECRET: z.string().min(1).optional(),
    ALIPAY_GATEWAY: z.string().url().default('https://openapi.alipay.com/gateway.do'),
    ALIPAY_APP_ID: z.string().min(1).default('2021000000000000'),
    ALIPAY_PRIVATE_KEY: z.string().optional(),
    ALIPAY_PUBLIC_KEY: z.string().optional(),
    ALIPAY_ID_FIELD: z.enum(['open_id', 'user_id']).default('open_id'),
    // The content-encryption (AES) key of the Alipay app, base64 of 16 or 32 bytes: opens my.getPhoneNumber's answer.
    ALIPAY_AES_KEY: z.string().regex(/^([A-Za-z0-9+/]{22}==|[A-Za-z0-9+/]{43}=)$/, 'ALIPAY_AES_KEY must be base64 of 16 or 32 bytes').optional(),
    IDENTITY_API_BASE: z.string().url().default('https://faceid.tencentcloudapi.com'),
    IDENTITY_SECRET_ID: z.string().optional(),
    IDENTITY_SECRET_KEY: z.string().optional(),
    // Provider calls (which cost money) allowed per user and per ID number per Beijing day.
    IDENTITY_DAILY_CALLS: z.coerce.number().int().min(1).max(100).default(5),
    // How long a definite provider answer for one name and ID number pair is reused.
    IDENTITY_RESULT_TTL_S: z.coerce.number().int().min(60).max(30 * 86_400).default(86_400),
    // Rate limits, each `<points>/<duration>` (see limit above). Exceeding one answers 429 RATE_LIMITED with Retry-After.
    // Consumer sign-in per client address: every attempt spends a WeChat or Alipay API call.
    LIMIT_LOGIN_IP: limit('60/1m'),
    // Attempts with one login code: a code works once, so retrying it only spends vendor quota.
    LIMIT_LOGIN_CODE: limit('3/10m'),
    // Token refreshes per client address.
    LIMIT_REFRESH_IP: limit('120/1m'),
    // Staff sign-in attempts per client address (each runs argon2, right or wrong).
    LIMIT_STAFF_LOGIN_IP: limit('60/15m'),
    // Failed staff sign-ins per client address, over all usernames: kept below STAFF_LOCK_ACCOUNT, so
    // one address can never lock an account for everyone.
    LIMIT_STAFF_FAILURES_IP: limit('20/15m'),
    // Failed sign-ins of one username from one address before that address is locked out of it (for the window).
    STAFF_LOCK_PAIR: limit('5/15m'),
    // Failed sign-ins of one username from all addresses before the account is locked for everyone (for the window).
    STAFF_LOCK_ACCOUNT: limit('25/15m'),
    // Identity checks (real-name and phone) per client address; per-user caps are IDENTITY_DAILY_CALLS and LIMIT_PHONE_USER.
    LIMIT_IDENTITY_IP: limit('30/1h'),
    // Phone-number grants redeemed per user (each is a vendor call).
    LIMIT_PHONE_USER: limit('10/1d'),
    // Complaints and reports filed per user, and per client address.
    LIMIT_SUBMIT_USER: limit('20/1d'),
    LIMIT_SUBMIT_IP: limit('300/1h'),
    // Evidence uploads per user (count), per user (bytes), and per client address (count).
    LIMIT_UPLOAD_USER: limit('100/1d'),
    LIMIT_UPLOAD_BYTES_USER: limit(`${500 * 1024 * 1024}/1d`),
    LIMIT_UPLOAD_IP: limit('600/1h'),
    // Public look-ups (categories, regions, bureaus, respondent suggestions) per client address: generous.
    LIMIT_LOOKUP_IP: limit('600/1m'),
    WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(100).default(8),
    // How often the relay takes the case ids transitions announce in Redis (no database scan).
    OUTBOX_POLL_MS: z.coerce.number().int().min(50).max(60_000).default(1000),
    // How often the relay also scans the cases for open entries: announcements lost with Redis, or a crash between the two writes.
    OUTBOX_SCAN_MS: z.coerce.number().int().min(50).max(3_600_000).default(30_000),
    // An open outbox entry untouched this long is enqueued again: its job may have been lost with Redis or a killed worker.
    OUTBOX_REQUEUE_MS: z.coerce.number().int().min(500).max(3_600_000).default(60_000),
    PUSH_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(30).default(8),
    PUSH_BACKOFF_MS: z.coerce.number().int().min(10).max(600_000).default(500),
    // How long a worker holds a job before BullMQ hands it to another (a killed worker's jobs come back after this).
    PUSH_LOCK_MS: z.coerce.number().int().min(1000).max(600_000).default(30_000),
    // How often the deadline marks are brought up to date: once per period across all workers.
    DEADLINE_SCAN_MS: z.coerce.number().int().min(200).max(86_400_000).default(10 * 60_000),
    // Days a closed case keeps its personal data and evidence (shared/privacy/retention.ts says why
    // three years; the privacy policy page quotes the same constant).
    RETENTION_CLOSED_CASE_DAYS: z.coerce.number().int().min(1).max(36_500).default(RETENTION_CLOSED_CASE_DAYS),
    // How often the retention job looks for closed cases past their period: once per period across all workers.
    RETENTION_SCAN_MS: z.coerce.number().int().min(200).max(7 * 86_400_000).default(86_400_000),
    // Cases erased per read: bounds the memory and the length of one database round.
    RETENTION_BATCH: z.coerce.number().int().min(1).max(10_000).default(200),
    // Wrong link codes one account may enter before it waits (LINK_CODE_WINDOW_S); bounds guessing.
    LINK_CODE_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
    LINK_CODE_WINDOW_S: z.coerce.number().int().min(10).max(86_400).default(15 * 60),
    PLATFORM_TIMEOUT_MS: z.coerce.number().int().min(100).max(60_000).default(5000),
    STATIC_ADMIN_DIR: z.string().optional(),
    STATIC_H5_DIR: z.string().optional(),
    DEMO_STAFF_PASSWORD: z.string().min(8).optional(),
    // The most cases one export with complainants' details in full may hold; a larger selection is refused.
    EXPORT_FULL_MAX_ROWS: z.coerce.number().int().min(1).max(1_000_000).default(5000),
    DEFAULT_BUREAU_CODE: z.string().regex(/^\d{6}$/).default('110105'),
    // Personal-data keys: "kid:base64key,kid2:base64key" (32-byte keys), the id new values use,
    // and the 32-byte blind-index key.
    PII_KEYS: z
      .string()
      .regex(/^[a-z0-9]{1,16}:[A-Za-z0-9+/=_-]{43,44}(,[a-z0-9]{1,16}:[A-Za-z0-9+/=_-]{43,44})*$/, 'PII_KEYS must be kid:base64(32 bytes)[,...]')
      .optional(),
    PII_KEY_ID: z.string().regex(/^[a-z0-9]{1,16}$/).optional(),
    PII_INDEX_KEY: z.string().regex(/^[A-Za-z0-9+/=_-]{43,44}$/, 'PII_INDEX_KEY must be base64 of 32 bytes').optional(),
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV !== 'production') return;
    const required = [
      'JWT_SECRET',
      'WECHAT_APP_SECRET',
      'ALIPAY_PRIVATE_KEY',
      'ALIPAY_PUBLIC_KEY',
      'ALIPAY_AES_KEY',
      'IDENTITY_SECRET_ID',
      'IDENTITY_SECRET_KEY',
      'PII_KEYS',
      'PII_INDEX_KEY',
    ] as const;
    const refuse = (key: string, message: string) => ctx.addIssue({ code: 'custom', path: [key], message: `${key} ${message}` });
    for (const key of required) {
      if (!env[key]) refuse(key, 'is required in production');
    }
    if (env.SANDBOX) refuse('SANDBOX', 'cannot be on in production');
    for (const key of ['WECHAT_API_BASE', 'ALIPAY_GATEWAY', 'IDENTITY_API_BASE'] as const) {
      const problem = unsafeVendorUrl(env[key]);
      if (problem) refuse(key, `${problem} in production`);
    }
    for (const key of ['WECHAT_APP_ID', 'ALIPAY_APP_ID'] as const) {
      if (PLACEHOLDERS.has(env[key])) refuse(key, 'is the sandbox placeholder: set the real app id');
    }
    const secrets = [
      ['JWT_SECRET', 32],
      ['WECHAT_APP_SECRET', 32],
      ['IDENTITY_SECRET_ID', 16],
      ['IDENTITY_SECRET_KEY', 24],
    ] as const;
    for (const [key, minLength] of secrets) {
      const problem = env[key] ? weakSecret(env[key], minLength) : undefined;
      if (problem) refuse(key, `${problem} (production)`);
    }
    if (env.ALIPAY_AES_KEY === DEV_ALIPAY_AES_KEY) refuse('ALIPAY_AES_KEY', 'is the development key');
    const sealing = env.PII_KEYS ? env.PII_KEYS.split(',').map((pair) => Buffer.from(pair.split(':')[1], 'base64')) : [];
    const index = env.PII_INDEX_KEY ? Buffer.from(env.PII_INDEX_KEY, 'base64') : undefined;
    if (sealing.some((k) => k.equals(devKey('pii')))) refuse('PII_KEYS', 'holds the development key');
    if (sealing.some((k) => weakKey(k))) refuse('PII_KEYS', 'holds a key that is not random');
    if (index?.equals(devKey('pii-index'))) refuse('PII_INDEX_KEY', 'is the development key');
    if (index && weakKey(index)) refuse('PII_INDEX_KEY', 'is not random');
    if (index && sealing.some((k) => k.equals(index))) refuse('PII_INDEX_KEY', 'must differ from every PII_KEYS key');
    // The demo accounts share one known password: they are for development machines only.
    if (env.DEMO_STAFF_PASSWORD) refuse('DEMO_STAFF_PASSWORD', 'must not be set in production: the demo seed refuses production');
  });

/** 32 bytes with few distinct values (all zeros, a repeated pattern) were not drawn at random. */
const weakKey = (key: Buffer) => new Set(key).size < 16;

/** A fixed key for development and tests only; production must configure its own (checked above). */
const devKey = (label: string) => createHash('sha256').update(`consumer-12315 development ${label}`).digest();

/** The Alipay AES key the BFF and the stand-in share outside production. */
export const DEV_ALIPAY_AES_KEY = devKey('alipay-aes').subarray(0, 16).toString('base64');

function piiKeys(env: z.infer<typeof schema>) {
  const keys: Record<string, Buffer> = env.PII_KEYS
    ? Object.fromEntries(env.PII_KEYS.split(',').map((pair) => {
        const [kid, b64] = pair.split(':');
        return [kid, Buffer.from(b64, 'base64')];
      }))
    : { dev1: devKey('pii') };
  for (const [kid, key] of Object.entries(keys)) {
    if (key.length !== 32) throw new Error(`Invalid configuration:\n  PII_KEYS: key "${kid}" is not 32 bytes`);
  }
  const current = env.PII_KEY_ID ?? Object.keys(keys)[0];
  if (!keys[current]) throw new Error(`Invalid configuration:\n  PII_KEY_ID: "${current}" is not among PII_KEYS`);
  const indexKey = env.PII_INDEX_KEY ? Buffer.from(env.PII_INDEX_KEY, 'base64') : devKey('pii-index');
  if (indexKey.length !== 32) throw new Error('Invalid configuration:\n  PII_INDEX_KEY: not 32 bytes');
  return { current, keys, indexKey };
}

function build(env: z.infer<typeof schema>) {
  const production = env.NODE_ENV === 'production';
  return {
    env: env.NODE_ENV,
    production,
    host: env.HOST,
    port: env.PORT,
    publicUrl: env.PUBLIC_URL,
    logLevel: env.LOG_LEVEL,
    mongodbUri: env.MONGODB_URI,
    redisUrl: env.REDIS_URL,
    redisPrefix: env.REDIS_PREFIX,
    sandbox: !production && (env.SANDBOX ?? true),
    trustProxy: env.TRUST_PROXY ?? production,
    proxyHops: env.PROXY_HOPS,
    limits: {
      loginIp: env.LIMIT_LOGIN_IP,
      loginCode: env.LIMIT_LOGIN_CODE,
      refreshIp: env.LIMIT_REFRESH_IP,
      staffLoginIp: env.LIMIT_STAFF_LOGIN_IP,
      staffFailuresIp: env.LIMIT_STAFF_FAILURES_IP,
      staffLockPair: env.STAFF_LOCK_PAIR,
      staffLockAccount: env.STAFF_LOCK_ACCOUNT,
      identityIp: env.LIMIT_IDENTITY_IP,
      phoneUser: env.LIMIT_PHONE_USER,
      submitUser: env.LIMIT_SUBMIT_USER,
      submitIp: env.LIMIT_SUBMIT_IP,
      uploadUser: env.LIMIT_UPLOAD_USER,
      uploadBytesUser: env.LIMIT_UPLOAD_BYTES_USER,
      uploadIp: env.LIMIT_UPLOAD_IP,
      lookupIp: env.LIMIT_LOOKUP_IP,
    } satisfies Record<string, LimitRule>,
    jwt: {
      // Outside production a per-process secret keeps development free of shared secrets.
      secret: env.JWT_SECRET ?? randomBytes(32).toString('hex'),
      issuer: env.JWT_ISSUER,
      audience: 'consumer-api',
      accessTtlS: env.ACCESS_TOKEN_TTL_S,
      refreshTtlS: env.REFRESH_TOKEN_TTL_S,
    },
    staffSessionTtlS: env.STAFF_SESSION_TTL_S,
    wechat: {
      apiBase: env.WECHAT_API_BASE,
      appId: env.WECHAT_APP_ID,
      appSecret: env.WECHAT_APP_SECRET ?? 'sandbox-secret',
    },
    alipay: {
      gateway: env.ALIPAY_GATEWAY,
      appId: env.ALIPAY_APP_ID,
      privateKey: env.ALIPAY_PRIVATE_KEY ?? '',
      alipayPublicKey: env.ALIPAY_PUBLIC_KEY ?? '',
      idField: env.ALIPAY_ID_FIELD,
      aesKey: env.ALIPAY_AES_KEY ?? DEV_ALIPAY_AES_KEY,
    },
    identity: {
      apiBase: env.IDENTITY_API_BASE,
      secretId: env.IDENTITY_SECRET_ID ?? 'sandbox-secret-id',
      secretKey: env.IDENTITY_SECRET_KEY ?? 'sandbox-secret-key',
      dailyCalls: env.IDENTITY_DAILY_CALLS,
      resultTtlS: env.IDENTITY_RESULT_TTL_S,
    },
    worker: {
      concurrency: env.WORKER_CONCURRENCY,
      outboxPollMs: env.OUTBOX_POLL_MS,
      outboxScanMs: env.OUTBOX_SCAN_MS,
      requeueAfterMs: env.OUTBOX_REQUEUE_MS,
      maxAttempts: env.PUSH_MAX_ATTEMPTS,
      backoffMs: env.PUSH_BACKOFF_MS,
      lockMs: env.PUSH_LOCK_MS,
      deadlineScanMs: env.DEADLINE_SCAN_MS,
    },
    retention: {
      closedCaseDays: env.RETENTION_CLOSED_CASE_DAYS,
      scanMs: env.RETENTION_SCAN_MS,
      batch: env.RETENTION_BATCH,
    },
    linkCode: { attempts: env.LINK_CODE_ATTEMPTS, windowS: env.LINK_CODE_WINDOW_S },
    platformTimeoutMs: env.PLATFORM_TIMEOUT_MS,
    staticDirs: { admin: env.STATIC_ADMIN_DIR, h5: env.STATIC_H5_DIR },
    demoStaffPassword: env.DEMO_STAFF_PASSWORD,
    // Until jurisdiction is resolved from the respondent's region, every case goes to this bureau.
    defaultBureauCode: env.DEFAULT_BUREAU_CODE,
    pii: piiKeys(env),
    export: { fullMaxRows: env.EXPORT_FULL_MAX_ROWS },
  };
}

export type Config = Readonly<ReturnType<typeof build>>;

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const v of Object.values(value)) deepFreeze(v);
    Object.freeze(value);
  }
  return value;
}

/** Validates the given environment (process.env by default) and stops with one clear line per problem. */
export function loadConfig(source: Record<string, string | undefined> = process.env): Config {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return deepFreeze(build(parsed.data));
}
