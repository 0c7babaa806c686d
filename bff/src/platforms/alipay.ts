/**
 * Alipay open-platform adapter: login code exchange and subscription (template) messages through the
 * official SDK, with every reply's signature checked before anything in it is believed.
 */
import { createPrivateKey } from 'node:crypto';
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
  };
}
