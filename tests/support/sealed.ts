/** Sealed values as older code stored them, for suites that check they still open or get re-sealed. */
import { createCipheriv, randomBytes } from 'node:crypto';

/** A value in the first format (bound to the key id only), as stored before values were bound to their place. */
export function sealV1(kid: string, key: Buffer, plaintext: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(kid));
  const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return ['v1', kid, iv.toString('base64url'), body.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}
