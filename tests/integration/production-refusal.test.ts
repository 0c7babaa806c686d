import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import path from 'node:path';
import { DEV_ALIPAY_AES_KEY, loadConfig } from '../../config/bff';
import { loadSandboxConfig } from '../../config/sandbox';
import type { Deps } from '../../bff/src/context';
import { sessionCookie } from '../../bff/src/http/staff-auth';
import { createAlipayClient } from '../../bff/src/platforms/alipay';
import { seed } from '../../bff/src/seed';
import { startIdentityStandin } from '../../bff/src/sandbox/identity.standin';
import { startWechatStandin } from '../../bff/src/sandbox/wechat.standin';

const original = process.env.NODE_ENV;
beforeEach(() => {
  process.env.NODE_ENV = 'production';
});
afterEach(() => {
  process.env.NODE_ENV = original;
});

test('the WeChat stand-in refuses to start when NODE_ENV is production', async () => {
  await expect(startWechatStandin({ appId: 'wx', appSecret: 's' })).rejects.toThrow('the WeChat stand-in refuses to run when NODE_ENV=production');
});

test('the identity stand-in refuses to start when NODE_ENV is production', async () => {
  await expect(startIdentityStandin({ secretId: 'id', secretKey: 'key' })).rejects.toThrow('the identity stand-in refuses to run when NODE_ENV=production');
});

/**
 * Production start-up: every unsafe setting stops the BFF and the worker with a line naming it.
 * A complete, safe production environment loads; each case below changes one setting of it.
 */
const rsa = () =>
  generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding: { type: 'spki', format: 'pem' }, privateKeyEncoding: { type: 'pkcs8', format: 'pem' } });
const alipayPair = rsa();
const appPair = rsa();
const b64 = (bytes: number) => randomBytes(bytes).toString('base64');
const pii = b64(32);
const SAFE: Record<string, string> = {
  NODE_ENV: 'production',
  MONGODB_URI: 'mongodb://db.internal:27017/c12315',
  REDIS_URL: 'redis://cache.internal:6379',
  JWT_SECRET: randomBytes(32).toString('hex'),
  WECHAT_APP_ID: 'wx8d2f4a6b1c3e5f70',
  WECHAT_APP_SECRET: randomBytes(16).toString('hex'),
  ALIPAY_APP_ID: '2021004100000123',
  ALIPAY_PRIVATE_KEY: appPair.privateKey,
  ALIPAY_PUBLIC_KEY: alipayPair.publicKey,
  ALIPAY_AES_KEY: b64(16),
  IDENTITY_SECRET_ID: `AKID${randomBytes(16).toString('hex')}`,
  IDENTITY_SECRET_KEY: randomBytes(16).toString('hex'),
  PII_KEYS: `k1:${pii}`,
  PII_INDEX_KEY: b64(32),
};
const development = loadConfig({ NODE_ENV: 'test', MONGODB_URI: SAFE.MONGODB_URI, REDIS_URL: SAFE.REDIS_URL });

describe('production settings', () => {
  it('a complete production environment loads, with the staff cookie Secure', () => {
    const config = loadConfig(SAFE);
    expect(config.production).toBe(true);
    expect(config.sandbox).toBe(false);
    expect(sessionCookie({ config } as Deps, 1000).secure).toBe(true);
  });

  it.each([
    'JWT_SECRET',
    'WECHAT_APP_SECRET',
    'ALIPAY_PRIVATE_KEY',
    'ALIPAY_PUBLIC_KEY',
    'ALIPAY_AES_KEY',
    'IDENTITY_SECRET_ID',
    'IDENTITY_SECRET_KEY',
    'PII_KEYS',
    'PII_INDEX_KEY',
  ])('refuses a missing %s', (key) => {
    const env = { ...SAFE };
    delete env[key];
    expect(() => loadConfig(env)).toThrow(`${key} is required in production`);
  });

  it.each([
    ['WECHAT_API_BASE', 'http://127.0.0.1:4100', 'WECHAT_API_BASE must use https'],
    ['WECHAT_API_BASE', 'https://localhost:4100', 'WECHAT_API_BASE must not point at a loopback or private address'],
    ['ALIPAY_GATEWAY', 'https://openapi-sandbox.dl.alipaydev.com/gateway.do', 'ALIPAY_GATEWAY must not point at a sandbox'],
    ['ALIPAY_GATEWAY', 'https://10.0.0.8/gateway.do', 'ALIPAY_GATEWAY must not point at a loopback or private address'],
    ['IDENTITY_API_BASE', 'https://[::1]:4300', 'IDENTITY_API_BASE must not point at a loopback or private address'],
    ['IDENTITY_API_BASE', 'http://faceid.tencentcloudapi.com', 'IDENTITY_API_BASE must use https'],
  ])('refuses %s=%s', (key, value, message) => {
    expect(() => loadConfig({ ...SAFE, [key]: value })).toThrow(message);
  });

  it.each([
    ['WECHAT_APP_ID', 'wx-sandbox-app', 'WECHAT_APP_ID is the sandbox placeholder'],
    ['ALIPAY_APP_ID', '2021000000000000', 'ALIPAY_APP_ID is the sandbox placeholder'],
    ['WECHAT_APP_SECRET', 'sandbox-secret', 'WECHAT_APP_SECRET is a placeholder value'],
    ['IDENTITY_SECRET_ID', 'sandbox-secret-id', 'IDENTITY_SECRET_ID is a placeholder value'],
    ['IDENTITY_SECRET_KEY', 'sandbox-secret-key', 'IDENTITY_SECRET_KEY is a placeholder value'],
  ])('refuses the placeholder %s=%s', (key, value, message) => {
    expect(() => loadConfig({ ...SAFE, [key]: value })).toThrow(message);
  });

  it.each([
    ['JWT_SECRET', 'x'.repeat(64), 'JWT_SECRET is too uniform'],
    ['JWT_SECRET', 'abcdefgh'.repeat(8), 'JWT_SECRET is too uniform'],
    ['WECHAT_APP_SECRET', 'a1b2c3d4e5f6', 'WECHAT_APP_SECRET must have at least 32 characters'],
    ['WECHAT_APP_SECRET', '01'.repeat(16), 'WECHAT_APP_SECRET is too uniform'],
    ['IDENTITY_SECRET_KEY', 'short-key-123', 'IDENTITY_SECRET_KEY must have at least 24 characters'],
  ])('refuses a weak %s', (key, value, message) => {
    expect(() => loadConfig({ ...SAFE, [key]: value })).toThrow(message);
  });

  it('refuses the development PII sealing key', () => {
    expect(() => loadConfig({ ...SAFE, PII_KEYS: `dev1:${development.pii.keys.dev1.toString('base64')}` })).toThrow('PII_KEYS holds the development key');
  });

  it('refuses the development PII index key', () => {
    expect(() => loadConfig({ ...SAFE, PII_INDEX_KEY: development.pii.indexKey.toString('base64') })).toThrow('PII_INDEX_KEY is the development key');
  });

  it('refuses a PII key that is not random', () => {
    expect(() => loadConfig({ ...SAFE, PII_KEYS: `k1:${Buffer.alloc(32).toString('base64')}` })).toThrow('PII_KEYS holds a key that is not random');
  });

  it('refuses an index key equal to a sealing key', () => {
    expect(() => loadConfig({ ...SAFE, PII_INDEX_KEY: pii })).toThrow('PII_INDEX_KEY must differ from every PII_KEYS key');
  });

  it('refuses the development Alipay AES key', () => {
    expect(() => loadConfig({ ...SAFE, ALIPAY_AES_KEY: DEV_ALIPAY_AES_KEY })).toThrow('ALIPAY_AES_KEY is the development key');
  });

  it('refuses the sandbox', () => {
    expect(() => loadConfig({ ...SAFE, SANDBOX: 'true' })).toThrow('SANDBOX cannot be on in production');
  });

  it('refuses a demo staff password', () => {
    expect(() => loadConfig({ ...SAFE, DEMO_STAFF_PASSWORD: 'demo-12315' })).toThrow('DEMO_STAFF_PASSWORD must not be set in production');
  });

  it('the demo seed refuses production even when handed a production configuration', async () => {
    await expect(seed({ config: loadConfig(SAFE) } as Deps, { staffPassword: 'demo-12315' })).rejects.toThrow('the demo seed refuses to run when NODE_ENV=production');
  });
});

describe('NODE_ENV', () => {
  it.each([[undefined], ['prod'], ['Production'], ['']])('refuses NODE_ENV=%s', (value) => {
    const env: Record<string, string | undefined> = { ...SAFE, NODE_ENV: value };
    expect(() => loadConfig(env)).toThrow('NODE_ENV must be exactly development, test or production');
  });

  it.each([['bff/src/main.ts', 'bff failed to start'], ['bff/src/worker.ts', 'worker failed to start']])(
    '%s exits at once when NODE_ENV is unset',
    async (entry, line) => {
      const env: Record<string, string | undefined> = { ...process.env, MONGODB_URI: SAFE.MONGODB_URI, REDIS_URL: SAFE.REDIS_URL };
      delete env.NODE_ENV;
      const child = spawn(process.execPath, ['--import', 'tsx', entry], { cwd: path.resolve(__dirname, '../..'), env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect(code).toBe(1);
      expect(stderr).toContain(line);
      expect(stderr).toContain('NODE_ENV must be exactly development, test or production');
    },
    30_000,
  );

  it('the sandbox stand-ins refuse an unset NODE_ENV too', () => {
    expect(() => loadSandboxConfig({ ALIPAY_APP_PUBLIC_KEY: appPair.publicKey, ALIPAY_STANDIN_PRIVATE_KEY: alipayPair.privateKey })).toThrow('NODE_ENV');
  });
});

describe('Alipay replies', () => {
  it('the adapter refuses to exist without Alipay’s public key, instead of believing unsigned replies', () => {
    const opts = { appId: SAFE.ALIPAY_APP_ID, privateKey: appPair.privateKey, gateway: 'https://openapi.alipay.com/gateway.do', idField: 'open_id' as const };
    expect(() => createAlipayClient({ ...opts, alipayPublicKey: '' })).toThrow('ALIPAY_PUBLIC_KEY is required');
    expect(() => createAlipayClient({ ...opts, alipayPublicKey: alipayPair.publicKey })).not.toThrow();
  });
});
