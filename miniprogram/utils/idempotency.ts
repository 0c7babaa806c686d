/**
 * A random key for the Idempotency-Key header (UUID v4 layout). Mini programs have no
 * crypto.randomUUID; the key only has to be unique among one user's submissions.
 */
export function newIdempotencyKey(): string {
  const hex = '0123456789abcdef';
  let key = '';
  for (let i = 0; i < 36; i += 1) {
    if (i === 8 || i === 13 || i === 18 || i === 23) key += '-';
    else if (i === 14) key += '4';
    else if (i === 19) key += hex[8 + Math.floor(Math.random() * 4)];
    else key += hex[Math.floor(Math.random() * 16)];
  }
  return key;
}
