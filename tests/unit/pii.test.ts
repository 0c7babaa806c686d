import { randomBytes } from 'node:crypto';
import { createPii, sealedKeyId } from '../../bff/src/infra/pii';
import { loadConfig } from '../../config/bff';
import { maskIdNumber, maskName, maskPhone } from '../../shared/identity/mask';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const indexKey = randomBytes(32);

describe('personal data sealing', () => {
  it('opens what it sealed, and the sealed form does not contain the plaintext', () => {
    const pii = createPii({ current: 'k1', keys: { k1 }, indexKey });
    const sealed = pii.seal('11010519491231002X');
    expect(sealed).not.toContain('11010519491231002X');
    expect(pii.open(sealed)).toBe('11010519491231002X');
  });

  it('seals the same value differently each time (random IV)', () => {
    const pii = createPii({ current: 'k1', keys: { k1 }, indexKey });
    expect(pii.seal('张三')).not.toBe(pii.seal('张三'));
  });

  it('after a key rotation, new values use the new key and old values still open', () => {
    const before = createPii({ current: 'k1', keys: { k1 }, indexKey });
    const old = before.seal('13812345678');
    const after = createPii({ current: 'k2', keys: { k1, k2 }, indexKey });
    expect(sealedKeyId(after.seal('x'))).toBe('k2');
    expect(after.open(old)).toBe('13812345678');
  });

  it('refuses a tampered value and a value whose key id was swapped', () => {
    const pii = createPii({ current: 'k1', keys: { k1, k2: k1 }, indexKey });
    const sealed = pii.seal('张三');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() => pii.open([parts[0], parts[1], parts[2], body.toString('base64url'), parts[4]].join('.'))).toThrow();
    // Same key bytes under another id: the bound key id makes it fail.
    expect(() => pii.open([parts[0], 'k2', parts[2], parts[3], parts[4]].join('.'))).toThrow();
  });

  it('gives a stable blind index per namespace and key', () => {
    const pii = createPii({ current: 'k1', keys: { k1 }, indexKey });
    expect(pii.index('id', 'A')).toBe(pii.index('id', 'A'));
    expect(pii.index('id', 'A')).not.toBe(pii.index('phone', 'A'));
    expect(createPii({ current: 'k1', keys: { k1 }, indexKey: randomBytes(32) }).index('id', 'A')).not.toBe(pii.index('id', 'A'));
  });
});

describe('personal data configuration', () => {
  const base = { NODE_ENV: 'test', MONGODB_URI: 'mongodb://127.0.0.1:1/x', REDIS_URL: 'redis://127.0.0.1:1' };

  it('parses PII_KEYS with a chosen current key', () => {
    const config = loadConfig({ ...base, PII_KEYS: `a:${k1.toString('base64')},b:${k2.toString('base64')}`, PII_KEY_ID: 'b' });
    expect(config.pii.current).toBe('b');
    expect(config.pii.keys.a.equals(k1)).toBe(true);
  });

  it('stops when the current key id is not configured', () => {
    expect(() => loadConfig({ ...base, PII_KEYS: `a:${k1.toString('base64')}`, PII_KEY_ID: 'z' })).toThrow('PII_KEY_ID');
  });

  it('requires PII keys in production', () => {
    expect(() => loadConfig({ ...base, NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(32) })).toThrow(/PII_KEYS is required in production/);
  });
});

describe('masking', () => {
  it.each([
    ['张三', '张*'],
    ['张三丰', '张*丰'],
    ['欧阳娜娜', '欧**娜'],
    ['买买提·艾力', '买****力'],
  ])('masks the name %s as %s', (name, masked) => expect(maskName(name)).toBe(masked));

  it('masks an ID number keeping the region and the last four', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
  });

  it('masks a phone number keeping the first three and last four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
  });
});
