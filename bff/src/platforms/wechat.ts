/**
 * WeChat mini program server API: login, the shared access token, subscription messages,
 * content security and phone numbers. Session keys, the app secret and tokens are never logged.
 */
import { randomUUID } from 'node:crypto';
import { AppError, TransientError } from '../http/errors';

/** Sent with every subscription message so the stand-in can count deliveries per outbox entry; WeChat ignores it. */
export const DELIVERY_KEY_HEADER = 'X-Sandbox-Delivery-Key';

/** The few node-redis (v5 and v6) commands the token cache needs. */
export interface TokenStore {
  get(key: string): Promise<string | null>;
  set(key: string, value: string, options: { expiration: { type: 'PX'; value: number }; condition?: 'NX' }): Promise<unknown>;
  eval(script: string, options: { keys: string[]; arguments: string[] }): Promise<unknown>;
}

export interface WechatClientOptions {
  baseUrl: string;
  appId: string;
  appSecret: string;
  redis: TokenStore;
  /** Prepended to the Redis keys, so apps or test runs sharing one Redis stay apart. */
  keyPrefix?: string;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

export interface WechatSession {
  openid: string;
  unionid?: string;
  sessionKey: string;
}

export interface SubscribeMessage {
  openid: string;
  templateId: string;
  page?: string;
  data: Record<string, string>;
  /** Stable per outbox entry, so repeated attempts can be told apart from repeated deliveries. */
  deliveryKey: string;
  miniprogramState?: 'developer' | 'trial' | 'formal';
}

export type SendResult =
  | { status: 'sent' }
  | { status: 'skipped'; code: 43101 }
  | { status: 'rejected'; code: number; message: string };

export interface SecurityVerdict {
  suggest: 'pass' | 'review' | 'risky';
  label: number;
}

export interface PhoneNumber {
  phoneNumber: string;
  purePhoneNumber: string;
  countryCode: string;
}

export interface WechatClient {
  code2Session(code: string): Promise<WechatSession>;
  getAccessToken(): Promise<string>;
  sendSubscribeMessage(message: SubscribeMessage): Promise<SendResult>;
  msgSecCheck(input: { openid: string; content: string; scene: 1 | 2 | 3 | 4 }): Promise<SecurityVerdict>;
  getPhoneNumber(code: string): Promise<PhoneNumber>;
}

interface WxReply {
  errcode?: number;
  errmsg?: string;
  [field: string]: unknown;
}

const TOKEN_ERRORS = new Set([40001, 40014, 42001]);
/** Worth another attempt later: busy, rate limits and daily quota. */
const RETRY_LATER = new Set([-1, 45009, 45011]);
const REFRESH_MARGIN_MS = 5 * 60_000;
const LOCK_TTL_MS = 10_000;
const LOCK_WAIT_MS = 5_000;
const POLL_MS = 25;
const RELEASE_LOCK = "if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end";

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const unavailable = () => new AppError(503, 'UPSTREAM_UNAVAILABLE', '微信服务繁忙，请稍后再试');
const upstreamError = (errcode: number) => new AppError(502, 'UPSTREAM_ERROR', '微信服务返回错误，请稍后再试', { errcode });

export function createWechatClient(opts: WechatClientOptions): WechatClient {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  const now = opts.now ?? Date.now;
  const tokenKey = `${opts.keyPrefix ?? ''}wx:access_token`;
  const lockKey = `${tokenKey}:lock`;

  /** One HTTP exchange; network failures, timeouts and non-JSON answers are TransientError. */
  async function call(path: string, init: { query?: Record<string, string>; body?: unknown; headers?: Record<string, string> } = {}): Promise<WxReply> {
    const url = new URL(path, opts.baseUrl);
    for (const [name, value] of Object.entries(init.query ?? {})) url.searchParams.set(name, value);
    let res: Response;
    try {
      res = await doFetch(url, {
        method: init.body === undefined ? 'GET' : 'POST',
        headers: init.body === undefined ? init.headers : { 'content-type': 'application/json', ...init.headers },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      // Not instanceof: the DOMException may come from another realm (test runners, workers).
      const reason = (err as { name?: unknown } | null)?.name === 'TimeoutError' ? `timed out after ${timeoutMs} ms` : 'unreachable';
      throw new TransientError(`WeChat ${path} ${reason}`);
    }
    if (!res.ok) throw new TransientError(`WeChat ${path} answered HTTP ${res.status}`);
    try {
      return (await res.json()) as WxReply;
    } catch {
      throw new TransientError(`WeChat ${path} answered something other than JSON`);
    }
  }

  async function code2Session(code: string): Promise<WechatSession> {
    const query = { appid: opts.appId, secret: opts.appSecret, js_code: code, grant_type: 'authorization_code' };
    for (let attempt = 1; ; attempt++) {
      const reply = await call('/sns/jscode2session', { query }).catch((err) => {
        throw err instanceof TransientError ? unavailable() : err;
      });
      const errcode = reply.errcode ?? 0;
      if (errcode === 0 && typeof reply.openid === 'string' && typeof reply.session_key === 'string') {
        return { openid: reply.openid, sessionKey: reply.session_key, ...(typeof reply.unionid === 'string' ? { unionid: reply.unionid } : {}) };
      }
      // A busy answer does not spend the code, so one more try is safe.
      if (errcode === -1 && attempt === 1) continue;
      switch (errcode) {
        case 40029:
        case 40163:
          throw new AppError(401, 'LOGIN_CODE_INVALID', '登录已失效，请重新进入小程序');
        case 45011:
          throw new AppError(429, 'RATE_LIMITED', '登录请求过于频繁，请稍后再试');
        case 40226:
          throw new AppError(403, 'ACCOUNT_BLOCKED', '该微信账号存在安全风险，暂时无法登录');
        case -1:
          throw unavailable();
        default:
          throw upstreamError(errcode);
      }
    }
  }

  interface CachedToken {
    token: string;
    expiresAt: number;
  }

  async function readCache(): Promise<CachedToken | undefined> {
    const raw = await opts.redis.get(tokenKey);
    return raw ? (JSON.parse(raw) as CachedToken) : undefined;
  }

  async function fetchToken(forceRefresh: boolean): Promise<CachedToken> {
    const reply = await call('/cgi-bin/stable_token', {
      body: { grant_type: 'client_credential', appid: opts.appId, secret: opts.appSecret, force_refresh: forceRefresh },
    });
    if (reply.errcode || typeof reply.access_token !== 'string' || typeof reply.expires_in !== 'number') {
      throw new TransientError(`WeChat stable_token failed with errcode ${reply.errcode ?? 'none'}`);
    }
    return { token: reply.access_token, expiresAt: now() + reply.expires_in * 1000 };
  }

  /**
   * The cached token, refreshed five minutes before it expires (or when WeChat rejected `rejected`)
   * by one caller at a time across all instances; the others keep using a still-valid token or
   * wait for the new one.
   */
  async function obtainToken(rejected?: string): Promise<string> {
    const needsRefresh = (t: CachedToken) => t.token === rejected || t.expiresAt - now() <= REFRESH_MARGIN_MS;
    const deadline = Date.now() + LOCK_WAIT_MS;
    for (;;) {
      const cached = await readCache();
      if (cached && !needsRefresh(cached)) return cached.token;
      const lockId = randomUUID();
      if (await opts.redis.set(lockKey, lockId, { expiration: { type: 'PX', value: LOCK_TTL_MS }, condition: 'NX' })) {
        try {
          const again = await readCache();
          if (again && !needsRefresh(again)) return again.token;
          let next = await fetchToken(false);
          // Normal mode may hand back the very token WeChat just refused; only then force a new one.
          if (next.token === rejected) next = await fetchToken(true);
          await opts.redis.set(tokenKey, JSON.stringify(next), { expiration: { type: 'PX', value: Math.max(1, next.expiresAt - now()) } });
          return next.token;
        } finally {
          await opts.redis.eval(RELEASE_LOCK, { keys: [lockKey], arguments: [lockId] });
        }
      }
      if (cached && cached.token !== rejected && cached.expiresAt > now()) return cached.token;
      if (Date.now() > deadline) throw new TransientError('timed out waiting for another instance to refresh the WeChat access token');
      await sleep(POLL_MS);
    }
  }

  /** Calls an API that takes the access token; a token error refreshes it and tries once more. */
  async function withToken(path: string, body: unknown, headers?: Record<string, string>): Promise<WxReply> {
    const token = await obtainToken();
    const reply = await call(path, { query: { access_token: token }, body, headers });
    if (!TOKEN_ERRORS.has(reply.errcode ?? 0)) return reply;
    const renewed = await obtainToken(token);
    return call(path, { query: { access_token: renewed }, body, headers });
  }

  async function sendSubscribeMessage(message: SubscribeMessage): Promise<SendResult> {
    const reply = await withToken(
      '/cgi-bin/message/subscribe/send',
      {
        touser: message.openid,
        template_id: message.templateId,
        ...(message.page === undefined ? {} : { page: message.page }),
        data: Object.fromEntries(Object.entries(message.data).map(([key, value]) => [key, { value }])),
        miniprogram_state: message.miniprogramState ?? 'formal',
        lang: 'zh_CN',
      },
      { [DELIVERY_KEY_HEADER]: message.deliveryKey },
    );
    const errcode = reply.errcode ?? 0;
    if (errcode === 0) return { status: 'sent' };
    if (errcode === 43101) return { status: 'skipped', code: 43101 };
    if (RETRY_LATER.has(errcode) || TOKEN_ERRORS.has(errcode)) {
      throw new TransientError(`WeChat subscribe/send answered errcode ${errcode}`);
    }
    return { status: 'rejected', code: errcode, message: reply.errmsg ?? '' };
  }

  /** For calls made while a person waits: vendor trouble becomes an AppError they can act on. */
  async function forPerson(path: string, body: unknown): Promise<WxReply> {
    const reply = await withToken(path, body).catch((err) => {
      throw err instanceof TransientError ? unavailable() : err;
    });
    const errcode = reply.errcode ?? 0;
    if (errcode === -1 || TOKEN_ERRORS.has(errcode)) throw unavailable();
    if (errcode === 45009 || errcode === 45011) throw new AppError(429, 'RATE_LIMITED', '请求过于频繁，请稍后再试');
    return reply;
  }

  async function msgSecCheck(input: { openid: string; content: string; scene: 1 | 2 | 3 | 4 }): Promise<SecurityVerdict> {
    const reply = await forPerson('/wxa/msg_sec_check', { version: 2, openid: input.openid, scene: input.scene, content: input.content });
    const result = reply.result as SecurityVerdict | undefined;
    // WeChat checks only users seen in the last two hours; re-entering the mini program logs in again.
    if (reply.errcode === 61010) throw new AppError(422, 'WECHAT_SESSION_STALE', '请重新进入小程序后再提交');
    if (reply.errcode || !result) throw upstreamError(reply.errcode ?? 0);
    return { suggest: result.suggest, label: result.label };
  }

  async function getPhoneNumber(code: string): Promise<PhoneNumber> {
    const reply = await forPerson('/wxa/business/getuserphonenumber', { code });
    if (reply.errcode === 40029) throw new AppError(400, 'PHONE_CODE_INVALID', '手机号授权已失效，请重新授权');
    const info = reply.phone_info as PhoneNumber | undefined;
    if (reply.errcode || !info) throw upstreamError(reply.errcode ?? 0);
    return { phoneNumber: info.phoneNumber, purePhoneNumber: info.purePhoneNumber, countryCode: info.countryCode };
  }

  return { code2Session, getAccessToken: () => obtainToken(), sendSubscribeMessage, msgSecCheck, getPhoneNumber };
}
