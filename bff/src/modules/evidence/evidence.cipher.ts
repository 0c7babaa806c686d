/**
 * Evidence bytes at rest. Each file has its own random AES-256-GCM data key, sealed by the current
 * personal-data key and kept in the file's GridFS metadata (a key rotation re-seals only that key).
 * The bytes are cut into 1 MiB segments sealed one by one, so a file is encrypted and decrypted as
 * a stream; each segment's additional data names the file, its position and whether it is the
 * last, so segments cannot be reordered, moved to another file, or cut off the end.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { Transform } from 'node:stream';
import { SealedValueError, type Pii, type SealPlace } from '../../infra/pii';

export const EVIDENCE_SCHEME = 'A256GCM-1M';
const SEGMENT = 1024 * 1024;
const TAG = 16;

/** How a stored file is encrypted; absent on files stored before evidence was encrypted. */
export interface FileCipher {
  scheme: typeof EVIDENCE_SCHEME;
  /** The file's data key, sealed for this file. */
  dataKey: string;
}

export const FILES_COLLECTION = 'evidence.files';
export const dataKeyPlace = (blobId: SealPlace['id']): SealPlace => ({ collection: FILES_COLLECTION, field: 'metadata.cipher.dataKey', id: String(blobId) });

export function newFileKey(pii: Pii, blobId: SealPlace['id']): { key: Buffer; cipher: FileCipher } {
  const key = randomBytes(32);
  return { key, cipher: { scheme: EVIDENCE_SCHEME, dataKey: pii.seal(key.toString('base64'), dataKeyPlace(blobId)) } };
}

export function openFileKey(pii: Pii, blobId: SealPlace['id'], cipher: FileCipher): Buffer {
  if (cipher.scheme !== EVIDENCE_SCHEME) throw new SealedValueError(dataKeyPlace(blobId), `unknown scheme ${cipher.scheme}`);
  const key = Buffer.from(pii.open(cipher.dataKey, dataKeyPlace(blobId)), 'base64');
  if (key.length !== 32) throw new SealedValueError(dataKeyPlace(blobId), 'data key of the wrong length');
  return key;
}

/** The key is the file's own, so the segment number is a nonce never used twice under it. */
function nonce(index: number): Buffer {
  const n = Buffer.alloc(12);
  n.writeUInt32BE(Math.floor(index / 2 ** 32), 4);
  n.writeUInt32BE(index >>> 0, 8);
  return n;
}

const segmentData = (blobId: string, index: number, last: boolean) => Buffer.from(JSON.stringify([EVIDENCE_SCHEME, blobId, index, last]));

/**
 * Cuts a stream into segments of `size` bytes (the last may be shorter, even empty) and replaces
 * each with `each(segment)`. A full segment is held until more bytes arrive, so it is known
 * whether it is the last.
 */
function segmented(size: number, each: (segment: Buffer, index: number, last: boolean) => Buffer): Transform {
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let index = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, done) {
      pending.push(chunk);
      pendingBytes += chunk.length;
      try {
        if (pendingBytes > size) {
          let all = Buffer.concat(pending);
          while (all.length > size) {
            this.push(each(all.subarray(0, size), index++, false));
            all = all.subarray(size);
          }
          pending = [all];
          pendingBytes = all.length;
        }
        done();
      } catch (err) {
        done(err as Error);
      }
    },
    flush(done) {
      try {
        this.push(each(Buffer.concat(pending), index++, true));
        done();
      } catch (err) {
        done(err as Error);
      }
    },
  });
}

export function encryptStream(key: Buffer, blobId: string): Transform {
  return segmented(SEGMENT, (plain, index, last) => {
    const cipher = createCipheriv('aes-256-gcm', key, nonce(index), { authTagLength: TAG });
    cipher.setAAD(segmentData(blobId, index, last));
    return Buffer.concat([cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
  });
}

export function decryptStream(key: Buffer, blobId: string): Transform {
  return segmented(SEGMENT + TAG, (sealed, index, last) => {
    if (sealed.length < TAG) throw new SealedValueError(dataKeyPlace(blobId), `segment ${index} is cut short`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, nonce(index), { authTagLength: TAG });
      decipher.setAAD(segmentData(blobId, index, last));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
      return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()]);
    } catch {
      throw new SealedValueError(dataKeyPlace(blobId), `segment ${index} does not open`);
    }
  });
}
