import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Transform } from 'node:stream';
import { createPii, SealedValueError } from '../../bff/src/infra/pii';
import { decryptStream, encryptStream, newFileKey, openFileKey } from '../../bff/src/modules/evidence/evidence.cipher';

const MiB = 1024 * 1024;
const SEALED_SEGMENT = MiB + 16;
const pii = createPii({ current: 'k1', keys: { k1: randomBytes(32) }, indexKey: randomBytes(32) });
const blobId = '665f1c2e9b1d4a0012345678';

/** Runs bytes through a transform, fed in uneven pieces as GridFS and uploads would. */
async function through(bytes: Buffer, transform: Transform, piece = 255 * 1024): Promise<Buffer> {
  const pieces: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += piece) pieces.push(bytes.subarray(i, i + piece));
  const out: Buffer[] = [];
  await pipeline(Readable.from(pieces), transform, async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) out.push(chunk);
  });
  return Buffer.concat(out);
}

describe('evidence file encryption', () => {
  it.each([
    ['an empty file', 0],
    ['a small file', 1000],
    ['exactly one segment', MiB],
    ['exactly two segments', 2 * MiB],
    ['a 3.5 MB file', 3.5 * MiB],
  ])('gives back %s byte for byte, 16 bytes longer per segment', async (_what, size) => {
    const { key } = newFileKey(pii, blobId);
    const plain = randomBytes(size);
    const sealed = await through(plain, encryptStream(key, blobId));
    expect(sealed.length).toBe(size + 16 * Math.max(1, Math.ceil(size / MiB)));
    expect((await through(sealed, decryptStream(key, blobId), 100_000)).equals(plain)).toBe(true);
  });

  it('keeps the data key only sealed for its file', () => {
    const { key, cipher } = newFileKey(pii, blobId);
    expect(cipher.dataKey).not.toContain(key.toString('base64'));
    expect(openFileKey(pii, blobId, cipher).equals(key)).toBe(true);
    expect(() => openFileKey(pii, '665f1c2e9b1d4a0087654321', cipher)).toThrow(SealedValueError);
  });

  it.each([
    ['the last segment cut off', (s: Buffer) => s.subarray(0, SEALED_SEGMENT * 2)],
    ['two segments swapped', (s: Buffer) => Buffer.concat([s.subarray(SEALED_SEGMENT, SEALED_SEGMENT * 2), s.subarray(0, SEALED_SEGMENT), s.subarray(SEALED_SEGMENT * 2)])],
    ['a byte flipped', (s: Buffer) => { const c = Buffer.from(s); c[10] ^= 1; return c; }],
    ['bytes appended', (s: Buffer) => Buffer.concat([s, Buffer.alloc(5)])],
    ['a last segment shorter than a tag', (s: Buffer) => s.subarray(0, SEALED_SEGMENT * 2 + 5)],
  ])('refuses a file with %s', async (_what, damage) => {
    const { key } = newFileKey(pii, blobId);
    const sealed = await through(randomBytes(2 * MiB + 10), encryptStream(key, blobId));
    await expect(through(damage(sealed), decryptStream(key, blobId))).rejects.toThrow(SealedValueError);
  });

  it('refuses the bytes of one file read as another file', async () => {
    const { key } = newFileKey(pii, blobId);
    const sealed = await through(randomBytes(1000), encryptStream(key, blobId));
    await expect(through(sealed, decryptStream(key, '665f1c2e9b1d4a0087654321'))).rejects.toThrow(SealedValueError);
  });
});
