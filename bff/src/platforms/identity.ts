/**
 * Two-element identity check (name + resident ID number) through Tencent Cloud FaceID
 * IdCardVerification, signed with TC3-HMAC-SHA256. Names and ID numbers are never logged.
 */
import { AppError } from '../http/errors';
import { tc3Authorization } from './tc3';

export const IDENTITY_SERVICE = 'faceid';
export const IDENTITY_ACTION = 'IdCardVerification';
export const IDENTITY_VERSION = '2018-03-01';

export interface IdentityClientOptions {
  baseUrl: string;
  secretId: string;
  secretKey: string;
  region?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export type VerificationResult = 'match' | 'mismatch' | 'invalid_id' | 'invalid_name' | 'no_record' | 'unavailable' | 'limited';

export interface Verification {
  result: VerificationResult;
  /** The provider charges for "0" and "-1" only. */
  billed: boolean;
}

export interface IdentityClient {
  verifyTwoElements(input: { name: string; idNumber: string }): Promise<Verification>;
}

const RESULTS: Record<string, VerificationResult> = {
  '0': 'match',
  '-1': 'mismatch',
  '-2': 'invalid_id',
  '-3': 'invalid_name',
  '-4': 'unavailable',
  '-5': 'no_record',
  '-6': 'unavailable',
  '-7': 'limited',
};

interface TcResponse {
  Response?: { Result?: string; Error?: { Code?: string; Message?: string } };
}

const UNAVAILABLE: Verification = { result: 'unavailable', billed: false };

export function createIdentityClient(opts: IdentityClientOptions): IdentityClient {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const now = opts.now ?? Date.now;
  const url = new URL('/', opts.baseUrl);

  async function verifyTwoElements(input: { name: string; idNumber: string }): Promise<Verification> {
    const payload = JSON.stringify({ IdCard: input.idNumber, Name: input.name });
    const timestamp = Math.floor(now() / 1000);
    const signed = { 'content-type': 'application/json; charset=utf-8', host: url.host };
    const authorization = tc3Authorization(
      { method: 'POST', headers: signed, payload },
      { secretId: opts.secretId, secretKey: opts.secretKey, service: IDENTITY_SERVICE, timestamp },
    );
    let body: TcResponse;
    try {
      const res = await doFetch(url, {
        method: 'POST',
        headers: {
          authorization,
          'content-type': signed['content-type'],
          'x-tc-action': IDENTITY_ACTION,
          'x-tc-version': IDENTITY_VERSION,
          'x-tc-timestamp': String(timestamp),
          ...(opts.region ? { 'x-tc-region': opts.region } : {}),
        },
        body: payload,
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!res.ok) return UNAVAILABLE;
      body = (await res.json()) as TcResponse;
    } catch {
      return UNAVAILABLE;
    }

    const error = body.Response?.Error;
    if (error) {
      if (error.Code?.startsWith('InternalError')) return UNAVAILABLE;
      if (error.Code?.startsWith('RequestLimitExceeded')) return { result: 'limited', billed: false };
      // Signature, credential and parameter errors are our own configuration or code: make them loud.
      throw new AppError(502, 'UPSTREAM_ERROR', '实名认证服务暂不可用，请稍后再试', { code: error.Code });
    }
    const result = RESULTS[body.Response?.Result ?? ''];
    if (!result) throw new AppError(502, 'UPSTREAM_ERROR', '实名认证服务暂不可用，请稍后再试', { result: body.Response?.Result });
    return { result, billed: result === 'match' || result === 'mismatch' };
  }

  return { verifyTwoElements };
}
