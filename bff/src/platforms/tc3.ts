/**
 * Tencent Cloud API 3.0 request signing (TC3-HMAC-SHA256), as documented in "Signature v3".
 * The identity adapter signs with it and the identity stand-in verifies with it.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export const TC3_ALGORITHM = 'TC3-HMAC-SHA256';

const sha256Hex = (s: string) => createHash('sha256').update(s, 'utf8').digest('hex');
const hmac = (key: string | Buffer, msg: string) => createHmac('sha256', key).update(msg, 'utf8').digest();

/** The UTC date of a Unix timestamp in seconds: the Date of the credential scope. */
export function tc3Date(timestamp: number): string {
  return new Date(timestamp * 1000).toISOString().slice(0, 10);
}

export interface Tc3Request {
  method: string;
  /** The headers to sign, with content-type and host among them; names in any case. */
  headers: Record<string, string>;
  payload: string;
  /** Query string for GET requests; POST requests sign an empty one. */
  query?: string;
}

export interface Tc3Credential {
  secretKey: string;
  service: string;
  timestamp: number;
}

function canonicalHeaders(headers: Record<string, string>) {
  const entries = Object.entries(headers)
    .map(([name, value]) => [name.toLowerCase(), value.trim().toLowerCase()] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return {
    canonical: entries.map(([name, value]) => `${name}:${value}\n`).join(''),
    signed: entries.map(([name]) => name).join(';'),
  };
}

/** The hex signature of a request; exported separately so it can be checked against the documented example. */
export function tc3Signature(request: Tc3Request, credential: Tc3Credential): { signature: string; signedHeaders: string; scope: string } {
  const { canonical, signed } = canonicalHeaders(request.headers);
  const canonicalRequest = [
    request.method.toUpperCase(),
    '/',
    request.query ?? '',
    canonical,
    signed,
    sha256Hex(request.payload),
  ].join('\n');
  const date = tc3Date(credential.timestamp);
  const scope = `${date}/${credential.service}/tc3_request`;
  const stringToSign = [TC3_ALGORITHM, String(credential.timestamp), scope, sha256Hex(canonicalRequest)].join('\n');
  const secretDate = hmac(`TC3${credential.secretKey}`, date);
  const secretService = hmac(secretDate, credential.service);
  const secretSigning = hmac(secretService, 'tc3_request');
  return { signature: hmac(secretSigning, stringToSign).toString('hex'), signedHeaders: signed, scope };
}

/** The Authorization header value for a request. */
export function tc3Authorization(request: Tc3Request, credential: Tc3Credential & { secretId: string }): string {
  const { signature, signedHeaders, scope } = tc3Signature(request, credential);
  return `${TC3_ALGORITHM} Credential=${credential.secretId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
}

export interface ParsedAuthorization {
  secretId: string;
  date: string;
  service: string;
  signedHeaders: string[];
  signature: string;
}

/** Reads an Authorization header; undefined when it is not a well-formed TC3 header. */
export function parseTc3Authorization(header: string | undefined): ParsedAuthorization | undefined {
  const m = /^TC3-HMAC-SHA256 Credential=([^/\s]+)\/(\d{4}-\d{2}-\d{2})\/([a-z0-9-]+)\/tc3_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
    header?.trim() ?? '',
  );
  if (!m) return undefined;
  return { secretId: m[1], date: m[2], service: m[3], signedHeaders: m[4].split(';'), signature: m[5] };
}

/** Constant-time comparison of two hex signatures. */
export function sameSignature(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && timingSafeEqual(x, y);
}
