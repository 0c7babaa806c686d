/**
 * Personal data at rest: AES-256-GCM with a key id in every sealed value (so keys can rotate:
 * new values use the current key, old values still open with theirs), and a keyed HMAC
 * "blind index" for equality lookups and uniqueness without storing the plaintext.
 */
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';

export interface PiiKeys {
  /** Key id used for new values. */
  current: string;
  /** 32-byte keys by id. */
  keys: Readonly<Record<string, Buffer>>;
  /** 32-byte key of the blind index; it never rotates without re-indexing. */
  indexKey: Buffer;
}

export interface Pii {
  seal(plaintext: string): string;
  open(sealed: string): string;
  /** The blind index of a value in a namespace ("id", "phone", ...), normalised by the caller. */
  index(namespace: string, value: string): string;
}

const FORMAT = 'v1';

export function createPii(keys: PiiKeys): Pii {
  if (!keys.keys[keys.current]) throw new Error(`PII key "${keys.current}" is not configured`);
  return {
    seal(plaintext) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.keys[keys.current], iv);
      // The key id is bound as additional data, so a value cannot be moved under another key id.
      cipher.setAAD(Buffer.from(keys.current));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, keys.current, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed) {
      const [format, kid, iv, body, tag] = sealed.split('.');
      const key = keys.keys[kid];
      if (format !== FORMAT || !key || !iv || !tag) throw new Error('sealed value is malformed or its key is unknown');
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(kid));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body ?? '', 'base64url')), decipher.final()]).toString('utf8');
    },
    index(namespace, value) {
      return createHmac('sha256', keys.indexKey).update(`${namespace}\u0000${value}`).digest('base64url');
    },
  };
}

/** The key id of a sealed value, to find values still under an old key. */
export const sealedKeyId = (sealed: string) => sealed.split('.')[1];
