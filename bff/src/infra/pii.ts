/**
 * Personal data at rest: AES-256-GCM with a key id in every sealed value (so keys can rotate:
 * new values use the current key, old values still open with theirs), and a keyed HMAC
 * "blind index" for equality lookups and uniqueness without storing the plaintext.
 *
 * A sealed value is `v2.<kid>.<iv>.<body>.<tag>`. Its additional data binds it to its place
 * (collection, field, document id) as well as to its key id, so a value copied into another
 * field or another record does not open. Values of the first format (`v1`, bound to the key id
 * only) still open while `npm run rotate-keys` re-seals them as `v2`.
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

/** Where a sealed value lives: it opens only there. */
export interface SealPlace {
  collection: string;
  /** The field's path; entries of a list add what tells them apart (e.g. `timeline.note@<time>`). */
  field: string;
  id: string | { toString(): string };
}

export interface Pii {
  /** Id of the key new values are sealed under. */
  readonly current: string;
  seal(plaintext: string, place: SealPlace): string;
  /** Opens a value sealed for this place; throws SealedValueError for anything else. */
  open(sealed: string, place: SealPlace): string;
  /** Whether a value is not yet in the current format under the current key. */
  stale(sealed: string): boolean;
  /** The blind index of a value in a namespace ("id", "phone", ...), normalised by the caller. */
  index(namespace: string, value: string): string;
}

/** A sealed value that does not open: tampered, moved from elsewhere, or under an unknown key. */
export class SealedValueError extends Error {
  override name = 'SealedValueError';
  constructor(place: SealPlace, why: string) {
    // The place only: never the value.
    super(`sealed value at ${place.collection}.${place.field} of ${String(place.id)} does not open: ${why}`);
  }
}

const FORMAT = 'v2';
const LEGACY_FORMAT = 'v1';
const TAG_BYTES = 16;
const SEALED_SHAPE = /^v[12]\.[^.]+\.[\w-]{16}\.[\w-]*\.[\w-]+$/;

/** Whether a stored string has the shape of a sealed value (rather than text stored before sealing). */
export const looksSealed = (value: string) => SEALED_SHAPE.test(value);

function additionalData(format: string, kid: string, place: SealPlace): Buffer {
  if (format === LEGACY_FORMAT) return Buffer.from(kid);
  // JSON, so no field value can be read as a separator.
  return Buffer.from(JSON.stringify([format, kid, place.collection, place.field, String(place.id)]));
}

export function createPii(keys: PiiKeys): Pii {
  if (!keys.keys[keys.current]) throw new Error(`PII key "${keys.current}" is not configured`);
  return {
    current: keys.current,
    seal(plaintext, place) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', keys.keys[keys.current], iv, { authTagLength: TAG_BYTES });
      cipher.setAAD(additionalData(FORMAT, keys.current, place));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [FORMAT, keys.current, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
    },
    open(sealed, place) {
      const [format, kid, iv, body, tag, ...rest] = sealed.split('.');
      if ((format !== FORMAT && format !== LEGACY_FORMAT) || rest.length || !iv || body === undefined || !tag) {
        throw new SealedValueError(place, 'malformed');
      }
      const key = keys.keys[kid];
      if (!key) throw new SealedValueError(place, `unknown key id ${kid}`);
      const tagBytes = Buffer.from(tag, 'base64url');
      const ivBytes = Buffer.from(iv, 'base64url');
      // Node accepts shorter GCM tags unless told the length; a short tag is far easier to forge.
      if (tagBytes.length !== TAG_BYTES || ivBytes.length !== 12) throw new SealedValueError(place, 'malformed');
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: TAG_BYTES });
        decipher.setAAD(additionalData(format, kid, place));
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
      } catch {
        throw new SealedValueError(place, 'authentication failed');
      }
    },
    stale(sealed) {
      const [format, kid] = sealed.split('.');
      return format !== FORMAT || kid !== keys.current;
    },
    index(namespace, value) {
      return createHmac('sha256', keys.indexKey).update(`${namespace}\u0000${value}`).digest('base64url');
    },
  };
}

/** The key id of a sealed value, to find values still under an old key. */
export const sealedKeyId = (sealed: string) => sealed.split('.')[1];
