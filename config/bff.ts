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

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
    HOST: z.string().default('127.0.0.1'),
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    PUBLIC_URL: z.string().url().optional(),
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
    for (const key of required) {
      if (!env[key]) ctx.addIssue({ code: 'custom', path: [key], message: `${key} is required in production` });
    }
    if (env.SANDBOX) ctx.addIssue({ code: 'custom', path: ['SANDBOX'], message: 'the sandbox cannot run in production' });
  });

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
