/**
 * Alipay open-platform adapter: login code exchange and subscription (template) messages through the
 * official SDK, with every reply's signature checked before anything in it is believed.
 */
import { createDecipheriv, createPrivateKey, createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { AlipayRequestError, AlipaySdk } from 'alipay-sdk';
import { AppError, TransientError } from '../http/errors';
import type { SendOutcome } from './types';

export interface AlipayClientOptions {
  appId: string;
  /** The app's private key: PEM (PKCS#1 or PKCS#8) or the bare base64 the Alipay key tool writes. */
  privateKey: string;
  /** Alipay's public key (SPKI), PEM or bare base64. */
  alipayPublicKey: string;
  /** The v2 gateway URL, e.g. https://openapi.alipay.com/gateway.do or a stand-in's. */
  gateway: string;
  /** Which identifier the app is configured to receive: open_id for apps created since 2023. */
  idField: 'open_id' | 'user_id';
  /** The app's content-encryption key (base64 of 16 or 32 bytes), for my.getPhoneNumber answers. */
  aesKey?: string;
  timeoutMs?: number;
}

export interface AlipayLogin {
  userId?: string;
  openId?: string;
  /** The identifier named by idField: the one to key users by. */
  id: string;
}

export interface TemplateMessage {
  toId: string;
  templateId: string;
  page: string;
  data: Record<string, string>;
  /** Same for every attempt at one delivery; sent as alipay-request-id. */
  deliveryKey: string;
}

export type { SendOutcome };

export interface AlipayClient {
  exchangeCode(code: string): Promise<AlipayLogin>;
  sendTemplateMessage(message: TemplateMessage): Promise<SendOutcome>;
  decryptPhone(response: string): string;
}

/**
 * my.getPhoneNumber hands the mini program `response`, a JSON string
 *   {"response":"<base64 ciphertext>","sign":"<base64>","sign_type":"RSA2","encrypt_type":"AES","charset":"UTF-8"}
 * which it passes to us unchanged. Per Alipay's server-side decryption guide (获取会员手机号 - 服务端解密),
 * the signature is SHA256withRSA by Alipay's key over the ciphertext wrapped in double quotes, and the
 * ciphertext is AES-CBC with the app's AES key, an all-zero IV and PKCS#5 padding. The plaintext is
 *   {"code":"10000","msg":"Success","mobile":"13800138000"}.
 */
function publicKeyOf(key: string): KeyObject {
  if (key.includes('BEGIN')) return createPublicKey(key);
  return createPublicKey({ key: Buffer.from(key.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'spki' });
}

const phoneInvalid = () => new AppError(400, 'PHONE_CODE_INVALID', '手机号授权已失效，请重新授权');

function openPhoneResponse(response: string, alipayPublicKey: KeyObject, aesKey: Buffer): string {
  let envelope: { response?: unknown; sign?: unknown; sign_type?: unknown; encrypt_type?: unknown };
  try {
    envelope = JSON.parse(response) as typeof envelope;
  } catch {
    throw phoneInvalid();
  }
  const { response: cipherText, sign } = envelope ?? {};
  if (typeof cipherText !== 'string' || typeof sign !== 'string') throw phoneInvalid();
  if ((envelope.sign_type ?? 'RSA2') !== 'RSA2' || (envelope.encrypt_type ?? 'AES') !== 'AES') throw phoneInvalid();
  const signed = createVerify('RSA-SHA256').update(`"${cipherText}"`, 'utf8').verify(alipayPublicKey, sign, 'base64');
  if (!signed) throw new AppError(400, 'PHONE_SIGNATURE_INVALID', '手机号授权数据校验未通过，请重新授权');
  let plain: { code?: unknown; mobile?: unknown };
  try {
    const decipher = createDecipheriv(`aes-${aesKey.length * 8}-cbc`, aesKey, Buffer.alloc(16));
    const text = Buffer.concat([decipher.update(Buffer.from(cipherText, 'base64')), decipher.final()]).toString('utf8');
    plain = JSON.parse(text) as typeof plain;
  } catch {
    // Signed by Alipay yet unreadable with our key: the configured AES key is wrong.
    throw new AppError(502, 'UPSTREAM_ERROR', '支付宝手机号解密失败，请稍后再试');
  }
  if (plain.code !== '10000' || typeof plain.mobile !== 'string' || !/^\d{5,15}$/.test(plain.mobile)) {
    throw new AppError(422, 'PHONE_NOT_GRANTED', '未能获取手机号，请重新授权');
  }
  return plain.mobile;
}

/**
 * Sub-codes meaning "the user gave no send for this template": nothing is wrong with the message.
 * The live gateway's code for this was not confirmed; this is the stand-in's (ALIPAY_SEND_SUB_CODES).
 */
const NOT_SUBSCRIBED = new Set(['USER_NOT_SUBSCRIBED']);

type GatewayReply = Record<string, unknown> & { code?: string; sub_code?: string; sub_msg?: string; msg?: string };

/** No answer we can trust came back; the reason is safe to log (no reply content, no identifiers). */
class NoTrustedReply extends Error {}

function keyType(privateKey: string): 'PKCS1' | 'PKCS8' {
  if (privateKey.includes('BEGIN RSA PRIVATE KEY')) return 'PKCS1';
  if (privateKey.includes('BEGIN PRIVATE KEY')) return 'PKCS8';
  try {
    createPrivateKey({ key: Buffer.from(privateKey.replace(/\s+/g, ''), 'base64'), format: 'der', type: 'pkcs8' });
    return 'PKCS8';
  } catch {
    return 'PKCS1';
  }
}

function reasonOf(err: unknown): string {
  if (err instanceof AlipayRequestError) {
    const cause = err.cause as { name?: string } | undefined;
    if (cause?.name) return `network: ${cause.name}`;
    if (err.message.startsWith('HTTP')) return 'gateway answered with an HTTP error status';
    if (err.message.includes('验签')) return 'reply signature invalid';
    return 'malformed reply';
  }
  // verify() throws a TypeError when the reply carries no signature at all.
  return err instanceof TypeError ? 'reply unsigned or unreadable' : 'unexpected failure';
}

export function createAlipayClient(opts: AlipayClientOptions): AlipayClient {
  // Without Alipay's public key the SDK skips the signature check and believes any reply: refuse to
  // start instead (outside production the stand-in's key is configured, see config/sandbox.ts).
  if (!opts.alipayPublicKey.trim()) throw new Error('ALIPAY_PUBLIC_KEY is required: Alipay replies are never accepted unsigned');
  if (!opts.privateKey.trim()) throw new Error('ALIPAY_PRIVATE_KEY is required to sign requests to Alipay');
  const sdk = new AlipaySdk({
    appId: opts.appId,
    privateKey: opts.privateKey,
    keyType: keyType(opts.privateKey),
    alipayPublicKey: opts.alipayPublicKey,
    gateway: opts.gateway,
    endpoint: new URL(opts.gateway).origin,
    signType: 'RSA2',
    timeout: opts.timeoutMs ?? 5000,
    // Keep the documented snake_case names rather than the SDK's camelCase copies.
    camelcase: false,
  });

  // alipay-sdk 4.14 looks for the signed text under `<method>_response` only, so a correctly signed
  // `error_response` (how the gateway answers a bad login code) fails its check. Verify that member with
  // the SDK's own routine before believing it.
  function verifiedErrorResponse(err: unknown): GatewayReply | undefined {
    if (!(err instanceof AlipayRequestError) || !err.responseDataRaw) return undefined;
    try {
      const body = JSON.parse(err.responseDataRaw) as { error_response?: unknown; sign?: unknown };
      if (!body.error_response || typeof body.sign !== 'string') return undefined;
      sdk.checkResponseSign(err.responseDataRaw, 'error_response', body.sign, err.traceId ?? '');
      // Believe exactly the text that was verified, not a second parse of the whole body.
      return JSON.parse(sdk.getSignStr(err.responseDataRaw, 'error_response')) as GatewayReply;
    } catch {
      return undefined;
    }
  }

  async function call(method: string, params: Record<string, unknown>, requestId?: string): Promise<GatewayReply> {
    try {
      return (await sdk.exec(method, params, { validateSign: true, traceId: requestId })) as GatewayReply;
    } catch (err) {
      const reply = verifiedErrorResponse(err);
      if (reply) return reply;
      throw new NoTrustedReply(`${method}: ${reasonOf(err)}`);
    }
  }

  const aesKey = opts.aesKey ? Buffer.from(opts.aesKey, 'base64') : undefined;
  let alipayKey: KeyObject | undefined;

  const upstreamUnavailable = (reason: string) =>
    new AppError(503, 'UPSTREAM_UNAVAILABLE', '支付宝服务暂时不可用，请稍后再试', { reason });

  return {
    async exchangeCode(code) {
      let reply: GatewayReply;
      try {
        reply = await call('alipay.system.oauth.token', { grant_type: 'authorization_code', code });
      } catch (err) {
        if (err instanceof NoTrustedReply) throw upstreamUnavailable(err.message);
        throw err;
      }
      if (reply.sub_code === 'isv.code-invalid') {
        throw new AppError(401, 'LOGIN_CODE_INVALID', '登录已失效，请重新进入小程序');
      }
      if (reply.code !== undefined && reply.code !== '10000') {
        throw upstreamUnavailable(`alipay.system.oauth.token: ${reply.code} ${reply.sub_code ?? ''}`.trim());
      }
      const userId = typeof reply.user_id === 'string' && reply.user_id ? reply.user_id : undefined;
      const openId = typeof reply.open_id === 'string' && reply.open_id ? reply.open_id : undefined;
      const id = opts.idField === 'open_id' ? openId : userId;
      if (!id) throw upstreamUnavailable(`alipay.system.oauth.token: reply has no ${opts.idField}`);
      return { ...(userId ? { userId } : {}), ...(openId ? { openId } : {}), id };
    },

    async sendTemplateMessage(message) {
      const data = Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }]));
      let reply: GatewayReply;
      try {
        reply = await call(
          'alipay.open.app.mini.templatemessage.send',
          {
            bizContent: {
              [opts.idField === 'open_id' ? 'to_open_id' : 'to_user_id']: message.toId,
              user_template_id: message.templateId,
              page: message.page,
              data: JSON.stringify(data),
            },
          },
          message.deliveryKey,
        );
      } catch (err) {
        if (err instanceof NoTrustedReply) throw new TransientError(err.message);
        throw err;
      }
      if (reply.code === '10000') return { status: 'sent' };
      if (reply.code === '20000') {
        throw new TransientError(
          `alipay.open.app.mini.templatemessage.send: ${reply.code} ${reply.sub_code ?? ''}`.trim(),
        );
      }
      const code = reply.sub_code ?? reply.code ?? 'UNKNOWN';
      if (NOT_SUBSCRIBED.has(code)) return { status: 'skipped', code };
      return { status: 'rejected', code, message: reply.sub_msg ?? reply.msg ?? '' };
    },

    decryptPhone(response) {
      if (!aesKey || (aesKey.length !== 16 && aesKey.length !== 32)) {
        throw new AppError(503, 'PHONE_UNAVAILABLE', '暂不支持获取支付宝手机号');
      }
      alipayKey ??= publicKeyOf(opts.alipayPublicKey);
      return openPhoneResponse(response, alipayKey, aesKey);
    },
  };
}
