import { randomBytes } from 'node:crypto';
import { createPii, looksSealed, SealedValueError, sealedKeyId } from '../../bff/src/infra/pii';
import { loadConfig } from '../../config/bff';
import { maskIdNumber, maskName, maskPhone } from '../../shared/identity/mask';
import { sealV1 } from '../support/sealed';

const k1 = randomBytes(32);
const k2 = randomBytes(32);
const indexKey = randomBytes(32);

const place = { collection: 'cases', field: 'complainant.phone', id: '665f1c2e9b1d4a0012345678' };


describe('personal data sealing', () => {
  it('opens what it sealed, and the sealed form does not contain the plaintext', () => {
    const pii = createPii({ current: 'k1', keys: { k1 }, indexKey });
    const sealed = pii.seal('11010519491231002X', place);
    expect(sealed).not.toContain('11010519491231002X');
    expect(sealed.startsWith('v2.k1.')).toBe(true);
    expect(looksSealed(sealed)).toBe(true);
    expect(pii.open(sealed, place)).toBe('11010519491231002X');
  });

  it('seals the same value differently each time (random IV)', () => {
    const pii = createPii({ current: 'k1', keys: { k1 }, indexKey });
    expect(pii.seal('张三', place)).not.toBe(pii.seal('张三', place));
  });

  it('after a key rotation, new values use the new key and old values still open', () => {
    const before = createPii({ current: 'k1', keys: { k1 }, indexKey });
    const old = before.seal('13812345678', place);
    const after = createPii({ current: 'k2', keys: { k1, k2 }, indexKey });
    expect(sealedKeyId(after.seal('x', place))).toBe('k2');
    expect(after.open(old, place)).toBe('13812345678');
    expect(after.stale(old)).toBe(true);
    expect(after.stale(after.seal('x', place))).toBe(false);
  });

  it('refuses a tampered value and a value whose key id was swapped', () => {
    const pii = createPii({ current: 'k1', keys: { k1, k2: k1 }, indexKey });
    const sealed = pii.seal('张三', place);
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3], 'base64url');
    body[0] ^= 1;
    expect(() => pii.open([parts[0], parts[1], parts[2], body.toString('base64url'), parts[4]].join('.'), place)).toThrow(SealedValueError);
    // Same key bytes under another id: the bound key id makes it fail.
    expect(() => pii.open([parts[0], 'k2', parts[2], parts[3], parts[4]].join('.'), place)).toThrow(SealedValueError);
  });

  it.each([
    ['another field of the same record', { ...place, field: 'complainant.address' }],
    ['the same field of another record', { ...place, id: '665f1c2e9b1d4a0087654321' }],
    ['the same field name in another collection', { ...place, collection: 'identities' }],
  ])('refuses a value copied to %s, and never answers the other value', (_what, elsewhere) => {
    const pii = createPii({ current: 'k1', keys: { k1 }, indexKey });
    const sealed = pii.seal('13812345678', place);
    expect(() => pii.open(sealed, elsewhere)).toThrow(SealedValueError);
    try {
      pii.open(sealed, elsewhere);
    } catch (err) {
      // The error names the place, never the value.
      expect(String((err as Error).message)).not.toContain('13812345678');
    }
  });

  it('refuses a value whose tag was cut to 4 bytes (Node would otherwise accept a short GCM tag)', () => {
    const pii = createPii({ current: 'k1', keys: { k1 }, indexKey });
    const parts = pii.seal('13812345678', place).split('.');
    const short = Buffer.from(parts[4], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => pii.open([...parts.slice(0, 4), short].join('.'), place)).toThrow(SealedValueError);
    const v1 = sealV1('k1', k1, '13812345678').split('.');
    const v1Short = Buffer.from(v1[4], 'base64url').subarray(0, 4).toString('base64url');
    expect(() => pii.open([...v1.slice(0, 4), v1Short].join('.'), place)).toThrow(SealedValueError);
  });

  it('still opens a value of the first format (v1) anywhere during the transition, and counts it as stale', () => {
    const pii = createPii({ current: 'k1', keys: { k1 }, indexKey });
    const v1 = sealV1('k1', k1, '张三');
    expect(pii.open(v1, place)).toBe('张三');
    expect(pii.stale(v1)).toBe(true);
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
