/**
 * Local stand-in for the Alipay open-platform gateway, for development and tests only. It speaks the
 * vendor's signed protocols (v2 `gateway.do` and v3 REST) so the official SDK runs unchanged against it,
 * and offers a control API under /__sandbox that plays the phone's part (auth codes, subscribe dialog).
 */
import { createCipheriv, createHash, createSign, createVerify, randomBytes, randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Koa, { type Context } from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';

export interface Standin {
  name: string;
  url: string;
  close(): Promise<void>;
}

export interface AlipayStandinOptions {
  appId: string;
  /** Verifies our requests, as the public key uploaded to the Alipay console would. */
  appPublicKey: string;
  /** Signs the replies; the BFF holds the matching Alipay public key. */
  alipayPrivateKey: string;
  port?: number;
  /** Template id -> keyword names, as registered in the vendor console. Other ids are unknown. */
  templates?: Record<string, string[]>;
  /** Milliseconds since the epoch; lets tests age codes without waiting. */
  clock?: () => number;
  /** The app's AES key (base64 of 16 or 32 bytes) that my.getPhoneNumber answers are encrypted with. */
  aesKey?: string;
}

/** Where the v2 gateway listens (it also answers at `/`, so the bare URL works as a gateway too). */
export const ALIPAY_GATEWAY_PATH = '/gateway.do';

/**
 * Business sub-codes of alipay.open.app.mini.templatemessage.send. The first two are documented; the
 * one for "no subscription left" could not be confirmed in the official table, so it is named here in
 * the same style (the adapter treats it as a skip).
 */
export const ALIPAY_SEND_SUB_CODES = {
  templateIllegal: 'USER_TEMPLATE_ILLEGAL',
  keywordTooLong: 'USER_KEYWORD_LENGTH_ERROR',
  notSubscribed: 'USER_NOT_SUBSCRIBED',
} as const;

const CODE_TTL_MS = 5 * 60_000;
// Alipay does not publish its clock tolerance; requests further off than this are refused here.
const TIMESTAMP_TOLERANCE_MS = 15 * 60_000;
const MAX_KEYWORD_LENGTH = 50;
// my.requestSubscribeMessage takes at most 3 template ids per call.
const MAX_SUBSCRIBE_IDS = 3;
const V3_SCHEME = 'ALIPAY-SHA256withRSA ';

const OAUTH_METHOD = 'alipay.system.oauth.token';
const SEND_METHOD = 'alipay.open.app.mini.templatemessage.send';

interface Failure {
  code: string;
  msg: string;
  sub_code: string;
  sub_msg: string;
}
type Outcome = { ok: true; data: Record<string, unknown> } | { ok: false; failure: Failure };
type SendOutcome = Outcome | { hang: true };

const missing = (subCode: string, subMsg: string): Failure => ({
  code: '40001',
  msg: 'Missing Required Arguments',
  sub_code: subCode,
  sub_msg: subMsg,
});
const invalid = (subCode: string, subMsg: string): Failure => ({
  code: '40002',
  msg: 'Invalid Arguments',
  sub_code: subCode,
  sub_msg: subMsg,
});
const business = (subCode: string, subMsg: string): Failure => ({
  code: '40004',
  msg: 'Business Failed',
  sub_code: subCode,
  sub_msg: subMsg,
});
const unavailable = (subCode: string, subMsg: string): Failure => ({
  code: '20000',
  msg: 'Service Currently Unavailable',
  sub_code: subCode,
  sub_msg: subMsg,
});

interface SendFaults {
  failRate?: number;
  subCode?: string;
  timeoutRate?: number;
}

interface SentMessage {
  touser: string;
  templateId: string;
  data: unknown;
  page: string;
  at: string;
  deliveryKey?: string;
}

class ControlError extends Error {
  constructor(
    public status: number,
    public code: string,
    message: string,
  ) {
    super(message);
  }
}

function parseTimestampV2(value: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/.exec(value);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map(Number);
  // The SDK formats the caller's local time; both ends run on this machine.
  return new Date(y, mo - 1, d, h, mi, s).getTime();
}

function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (Array.isArray(value) && typeof value[0] === 'string') return value[0];
  return undefined;
}

function requiredString(body: Record<string, unknown>, key: string): string {
  const value = body[key];
  if (typeof value !== 'string' || !value.trim() || value.length > 64) {
    throw new ControlError(400, 'VALIDATION_FAILED', `${key} must be a non-empty string of at most 64 characters`);
  }
  return value;
}

function rate(value: unknown, name: string): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
    throw new ControlError(400, 'VALIDATION_FAILED', `${name} must be a number between 0 and 1`);
  }
  return value;
}

export async function startAlipayStandin(opts: AlipayStandinOptions): Promise<Standin> {
  // A last guard of its own, independent of how the caller read its settings.
  if (process.env.NODE_ENV === 'production') {
    throw new Error('The Alipay stand-in is for development and tests only and cannot run in production');
  }
  const now = opts.clock ?? Date.now;
  const templates = new Map(Object.entries(opts.templates ?? {}));

  const codes = new Map<string, { userId: string; expiresAt: number }>();
  const openIdByUser = new Map<string, string>();
  const userByOpenId = new Map<string, string>();
  const grants = new Map<string, number>();
  let messages: SentMessage[] = [];
  let deliveriesByKey: Record<string, number> = {};
  let faults: { send?: SendFaults } = {};
  const holds = new Set<() => void>();

  const sign = (text: string) => createSign('RSA-SHA256').update(text, 'utf8').sign(opts.alipayPrivateKey, 'base64');
  const verify = (text: string, signature: string) => {
    try {
      return createVerify('RSA-SHA256').update(text, 'utf8').verify(opts.appPublicKey, signature, 'base64');
    } catch {
      return false;
    }
  };
  const grantKey = (userId: string, templateId: string) => `${userId}\n${templateId}`;

  // open_id is per app and stable for a user, like the real one; derived so restarts keep it.
  function bindUser(userId: string, openId?: string): string {
    const known = openIdByUser.get(userId);
    if (known && openId && known !== openId) {
      throw new ControlError(409, 'OPEN_ID_CONFLICT', 'this userId is already bound to another openId');
    }
    if (openId && userByOpenId.has(openId) && userByOpenId.get(openId) !== userId) {
      throw new ControlError(409, 'OPEN_ID_CONFLICT', 'this openId is already bound to another userId');
    }
    const bound =
      known ??
      openId ??
      `0${createHash('sha512')
        .update(`${opts.appId}:${userId}`)
        .digest('base64')
        .replace(/[^A-Za-z0-9]/g, '')
        .slice(0, 45)}`;
    openIdByUser.set(userId, bound);
    userByOpenId.set(bound, userId);
    return bound;
  }

  // The control API and a send may name a user by user_id or by open_id.
  const resolveUser = (id: string) => userByOpenId.get(id) ?? id;

  function exchangeCode(params: Record<string, string>): Outcome {
    if (params.grant_type !== 'authorization_code') {
      return { ok: false, failure: invalid('isv.invalid-parameter', 'grant_type 仅支持 authorization_code') };
    }
    const entry = params.code ? codes.get(params.code) : undefined;
    if (!entry || entry.expiresAt <= now()) {
      if (entry) codes.delete(params.code);
      return { ok: false, failure: invalid('isv.code-invalid', '授权码code无效') };
    }
    codes.delete(params.code);
    return {
      ok: true,
      data: {
        user_id: entry.userId,
        open_id: bindUser(entry.userId),
        access_token: `authbseB${randomBytes(16).toString('hex')}`,
        expires_in: 1_296_000,
        refresh_token: `authbseB${randomBytes(16).toString('hex')}`,
        re_expires_in: 2_592_000,
        auth_start: new Date(now()).toISOString().replace('T', ' ').slice(0, 19),
      },
    };
  }

  async function sendTemplate(
    biz: Record<string, unknown>,
    deliveryKey: string | undefined,
    onGone: (cb: () => void) => void,
  ): Promise<SendOutcome> {
    const f = faults.send;
    if (f?.timeoutRate && Math.random() < f.timeoutRate) {
      // Nothing is delivered: the reply never comes and the caller's timeout decides.
      return new Promise((resolve) => {
        const release = () => {
          holds.delete(release);
          resolve({ hang: true });
        };
        holds.add(release);
        onGone(release);
      });
    }
    if (f?.failRate && Math.random() < f.failRate) {
      const subCode = f.subCode ?? 'isp.unknow-error';
      const failure = /^(isp|aop)\./.test(subCode)
        ? unavailable(subCode, '系统繁忙')
        : business(subCode, '沙箱注入的失败');
      return { ok: false, failure };
    }

    const templateId = typeof biz.user_template_id === 'string' ? biz.user_template_id : '';
    const keys = templates.get(templateId);
    if (!keys) return { ok: false, failure: business(ALIPAY_SEND_SUB_CODES.templateIllegal, '模板不合法') };

    const toUser = typeof biz.to_user_id === 'string' && biz.to_user_id ? biz.to_user_id : undefined;
    const toOpen = typeof biz.to_open_id === 'string' && biz.to_open_id ? biz.to_open_id : undefined;
    const touser = toUser ?? toOpen;
    if (!touser) {
      return { ok: false, failure: invalid('isv.invalid-parameter', 'to_user_id 和 to_open_id 不能同时为空') };
    }
    const userId = toUser ?? resolveUser(toOpen!);

    if (typeof biz.data !== 'string') {
      return { ok: false, failure: invalid('isv.invalid-parameter', 'data 须为 JSON 字符串') };
    }
    let data: Record<string, unknown>;
    try {
      data = JSON.parse(biz.data);
      if (!data || typeof data !== 'object' || Array.isArray(data)) throw new TypeError('not an object');
    } catch {
      return { ok: false, failure: invalid('isv.invalid-parameter', 'data 须为 JSON 对象字符串') };
    }
    for (const [key, item] of Object.entries(data)) {
      if (!keys.includes(key)) {
        return {
          ok: false,
          failure: business(ALIPAY_SEND_SUB_CODES.templateIllegal, `模板不合法：不存在的关键词 ${key}`),
        };
      }
      const value = (item as { value?: unknown } | null)?.value;
      if (typeof value !== 'string') {
        return { ok: false, failure: invalid('isv.invalid-parameter', `${key}.value 须为字符串`) };
      }
      if ([...value].length > MAX_KEYWORD_LENGTH) {
        return {
          ok: false,
          failure: business(ALIPAY_SEND_SUB_CODES.keywordTooLong, `关键词 ${key} 长度超过 ${MAX_KEYWORD_LENGTH}`),
        };
      }
    }

    const gk = grantKey(userId, templateId);
    const left = grants.get(gk) ?? 0;
    if (left < 1) {
      return { ok: false, failure: business(ALIPAY_SEND_SUB_CODES.notSubscribed, '用户未订阅该模板或订阅次数已用完') };
    }
    grants.set(gk, left - 1);
    messages.unshift({
      touser,
      templateId,
      data,
      page: typeof biz.page === 'string' ? biz.page : '',
      at: new Date(now()).toISOString(),
      ...(deliveryKey ? { deliveryKey } : {}),
    });
    if (deliveryKey) deliveriesByKey[deliveryKey] = (deliveriesByKey[deliveryKey] ?? 0) + 1;
    return { ok: true, data: { code: '10000', msg: 'Success' } };
  }

  // exec() cannot add headers of its own but lets the caller choose alipay-request-id, so that header
  // carries the delivery key when a plain HTTP client does not send the explicit sandbox header.
  const deliveryKeyOf = (ctx: Context) =>
    ctx.get('x-sandbox-delivery-key') || ctx.get('alipay-request-id') || undefined;
  const whenGone = (ctx: Context) => (cb: () => void) => ctx.res.once('close', cb);

  // ---- v2: POST gateway.do, common parameters in the query, the rest form-encoded ----

  function replyV2(ctx: Context, responseKey: string, payload: unknown) {
    // The SDK verifies `sign` over the exact text of the response member, so sign the text we send.
    const content = JSON.stringify(payload);
    ctx.set('trace_id', randomBytes(16).toString('hex'));
    ctx.body = `{"${responseKey}":${content},"sign":"${sign(content)}"}`;
    ctx.type = 'application/json;charset=utf-8';
  }

  function checkGatewayParams(params: Record<string, string>): Failure | undefined {
    if (!params.app_id) return missing('isv.missing-app-id', '缺少AppID参数');
    if (params.app_id !== opts.appId) return invalid('isv.invalid-app-id', '无效的AppID参数');
    if (!params.method) return missing('isv.missing-method', '缺少方法名参数');
    if (!params.sign_type) return missing('isv.missing-signature-type', '缺少签名类型参数');
    if (params.sign_type !== 'RSA2') return invalid('isv.invalid-signature-type', '无效的签名类型');
    if (!params.sign) return missing('isv.missing-signature', '缺少签名参数');
    if (!params.timestamp) return missing('isv.missing-timestamp', '缺少时间戳参数');
    const at = parseTimestampV2(params.timestamp);
    if (at === undefined || Math.abs(Date.now() - at) > TIMESTAMP_TOLERANCE_MS) {
      return invalid('isv.invalid-timestamp', '非法的时间戳参数');
    }
    if (!params.version) return missing('isv.missing-version', '缺少版本参数');
    if (params.charset && params.charset.toLowerCase() !== 'utf-8') return invalid('isv.invalid-charset', '字符集错误');
    // Sign content: every parameter but `sign`, empty values left out, sorted by name, `k=v` joined by `&`.
    const content = Object.keys(params)
      .filter((k) => k !== 'sign' && params[k] !== '')
      .sort()
      .map((k) => `${k}=${params[k]}`)
      .join('&');
    if (!verify(content, params.sign)) {
      return invalid('isv.invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配');
    }
    return undefined;
  }

  async function gatewayV2(ctx: Context) {
    const params: Record<string, string> = {};
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    for (const [k, v] of [...Object.entries(ctx.query), ...Object.entries(body)]) {
      const value = firstString(v);
      if (value !== undefined) params[k] = value;
    }
    const failure = checkGatewayParams(params);
    if (failure) return replyV2(ctx, 'error_response', failure);

    const responseKey = `${params.method.replaceAll('.', '_')}_response`;
    if (params.method === OAUTH_METHOD) {
      const outcome = exchangeCode(params);
      // The live gateway answers a bad code under error_response, not under the method's member.
      return outcome.ok ? replyV2(ctx, responseKey, outcome.data) : replyV2(ctx, 'error_response', outcome.failure);
    }
    if (params.method === SEND_METHOD) {
      let biz: unknown;
      try {
        biz = JSON.parse(params.biz_content ?? '');
      } catch {
        return replyV2(ctx, 'error_response', invalid('isv.invalid-parameter', 'biz_content 须为 JSON'));
      }
      if (!biz || typeof biz !== 'object') {
        return replyV2(ctx, 'error_response', invalid('isv.invalid-parameter', 'biz_content 须为 JSON 对象'));
      }
      const outcome = await sendTemplate(biz as Record<string, unknown>, deliveryKeyOf(ctx), whenGone(ctx));
      if ('hang' in outcome) return void (ctx.respond = false);
      return replyV2(ctx, responseKey, outcome.ok ? outcome.data : outcome.failure);
    }
    return replyV2(ctx, 'error_response', invalid('isv.invalid-method', '不存在的方法名'));
  }

  // ---- v3: REST + JSON, `authorization: ALIPAY-SHA256withRSA ...`, signed response headers ----

  function replyV3(ctx: Context, status: number, payload: unknown) {
    const text = JSON.stringify(payload);
    const timestamp = String(Date.now());
    const nonce = randomUUID();
    ctx.status = status;
    ctx.set('alipay-trace-id', randomBytes(16).toString('hex'));
    ctx.set('alipay-timestamp', timestamp);
    ctx.set('alipay-nonce', nonce);
    ctx.set('alipay-signature', sign(`${timestamp}\n${nonce}\n${text}\n`));
    ctx.body = text;
    ctx.type = 'application/json;charset=utf-8';
  }

  // v3 errors carry the v2 sub-code as `code`; the HTTP status tells the class.
  function failV3(ctx: Context, failure: Failure) {
    let status = 400;
    if (failure.code === '20000') status = 500;
    else if (/-(signature|app-id)$/.test(failure.sub_code)) status = 401;
    replyV3(ctx, status, { code: failure.sub_code, message: failure.sub_msg });
  }

  function checkAuthorizationV3(ctx: Context): Failure | undefined {
    const header = ctx.get('authorization');
    if (!header.startsWith(V3_SCHEME)) return missing('isv.missing-signature', '缺少签名参数');
    const rest = header.slice(V3_SCHEME.length);
    const at = rest.lastIndexOf(',sign=');
    if (at < 0) return missing('isv.missing-signature', '缺少签名参数');
    const authString = rest.slice(0, at);
    const signature = rest.slice(at + ',sign='.length);
    const fields = new Map(
      authString.split(',').map((part) => {
        const eq = part.indexOf('=');
        return [part.slice(0, eq), part.slice(eq + 1)] as const;
      }),
    );
    if (!fields.get('app_id')) return missing('isv.missing-app-id', '缺少AppID参数');
    if (fields.get('app_id') !== opts.appId) return invalid('isv.invalid-app-id', '无效的AppID参数');
    if (!fields.get('nonce')) return missing('isv.missing-nonce', '缺少nonce参数');
    const timestamp = Number(fields.get('timestamp'));
    if (!Number.isFinite(timestamp) || Math.abs(Date.now() - timestamp) > TIMESTAMP_TOLERANCE_MS) {
      return invalid('isv.invalid-timestamp', '非法的时间戳参数');
    }
    const rawBody = (ctx.request as { rawBody?: string }).rawBody ?? '';
    const appAuthToken = ctx.get('alipay-app-auth-token');
    const content = `${authString}\n${ctx.method}\n${ctx.originalUrl}\n${rawBody}\n${appAuthToken ? `${appAuthToken}\n` : ''}`;
    if (!verify(content, signature)) {
      return invalid('isv.invalid-signature', '验签出错，建议检查签名字符串或签名私钥与应用公钥是否匹配');
    }
    return undefined;
  }

  const router = new Router();

  router.post(['/', ALIPAY_GATEWAY_PATH], gatewayV2);

  router.use('/v3', async (ctx, next) => {
    const failure = checkAuthorizationV3(ctx);
    if (failure) return failV3(ctx, failure);
    await next();
  });

  router.post('/v3/alipay/system/oauth/token', (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const outcome = exchangeCode({
      grant_type: firstString(body.grant_type) ?? '',
      code: firstString(body.code) ?? '',
    });
    return outcome.ok ? replyV3(ctx, 200, outcome.data) : failV3(ctx, outcome.failure);
  });

  router.post('/v3/alipay/open/app/mini/templatemessage/send', async (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const outcome = await sendTemplate(body, deliveryKeyOf(ctx), whenGone(ctx));
    if ('hang' in outcome) return void (ctx.respond = false);
    // A v3 success carries only the business fields; code/msg belong to v2.
    return outcome.ok ? replyV3(ctx, 200, {}) : failV3(ctx, outcome.failure);
  });

  // ---- control API: what the phone and the vendor console would do ----

  router.post('/__sandbox/code', (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const userId = requiredString(body, 'userId');
    const openId = body.openId === undefined ? undefined : requiredString(body, 'openId');
    bindUser(userId, openId);
    const code = randomBytes(16).toString('hex');
    codes.set(code, { userId, expiresAt: now() + CODE_TTL_MS });
    ctx.body = { code };
  });

  // Plays my.getPhoneNumber: the `response` string the client hands to its server, encrypted with the
  // app's AES key (CBC, zero IV, PKCS#5) and signed over the quoted ciphertext, as Alipay documents.
  router.post('/__sandbox/phone', (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    requiredString(body, 'userId');
    const mobile = requiredString(body, 'mobile');
    if (!/^\d{5,15}$/.test(mobile)) throw new ControlError(400, 'VALIDATION_FAILED', 'mobile must be 5 to 15 digits');
    if (!opts.aesKey) throw new ControlError(409, 'AES_KEY_NOT_SET', 'the app has no AES key configured');
    const key = Buffer.from(opts.aesKey, 'base64');
    const cipher = createCipheriv(`aes-${key.length * 8}-cbc`, key, Buffer.alloc(16));
    const plain = JSON.stringify({ code: '10000', msg: 'Success', mobile });
    const encrypted = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]).toString('base64');
    const response = JSON.stringify({
      response: encrypted,
      sign: sign(`"${encrypted}"`),
      sign_type: 'RSA2',
      encrypt_type: 'AES',
      charset: 'UTF-8',
    });
    ctx.body = { response };
  });

  router.post('/__sandbox/subscribe', (ctx) => {
    const body = (ctx.request.body ?? {}) as Record<string, unknown>;
    const userId = resolveUser(requiredString(body, 'userId'));
    const ids = body.templateIds;
    if (
      !Array.isArray(ids) ||
      ids.length < 1 ||
      ids.length > MAX_SUBSCRIBE_IDS ||
      !ids.every((id) => typeof id === 'string')
    ) {
      throw new ControlError(400, 'VALIDATION_FAILED', `templateIds must list 1 to ${MAX_SUBSCRIBE_IDS} template ids`);
    }
    bindUser(userId);
    const results: Record<string, 'accept' | 'filter'> = {};
    for (const id of ids as string[]) {
      if (!templates.has(id)) {
        results[id] = 'filter';
        continue;
      }
      const gk = grantKey(userId, id);
      grants.set(gk, (grants.get(gk) ?? 0) + 1);
      results[id] = 'accept';
    }
    ctx.body = { results };
  });

  router.get('/__sandbox/messages', (ctx) => {
    ctx.body = { items: messages };
  });

  router.get('/__sandbox/stats', (ctx) => {
    ctx.body = { deliveriesByKey };
  });

  router.post('/__sandbox/faults', (ctx) => {
    const body = (ctx.request.body ?? {}) as { send?: Record<string, unknown> };
    const send = body.send;
    if (send !== undefined && (typeof send !== 'object' || send === null)) {
      throw new ControlError(400, 'VALIDATION_FAILED', 'send must be an object');
    }
    if (send?.subCode !== undefined && (typeof send.subCode !== 'string' || !send.subCode)) {
      throw new ControlError(400, 'VALIDATION_FAILED', 'subCode must be a non-empty string');
    }
    faults = send
      ? {
          send: {
            failRate: rate(send.failRate, 'failRate'),
            subCode: send.subCode as string | undefined,
            timeoutRate: rate(send.timeoutRate, 'timeoutRate'),
          },
        }
      : {};
    ctx.body = { faults };
  });

  router.post('/__sandbox/reset', (ctx) => {
    codes.clear();
    openIdByUser.clear();
    userByOpenId.clear();
    grants.clear();
    messages = [];
    deliveriesByKey = {};
    faults = {};
    ctx.status = 204;
  });

  const app = new Koa();
  app.use(async (ctx, next) => {
    try {
      await next();
    } catch (err) {
      if (err instanceof ControlError) {
        ctx.status = err.status;
        ctx.body = { error: { code: err.code, message: err.message } };
        return;
      }
      // Body-parser errors carry a 4xx status; anything else is a fault of the stand-in itself.
      const status = (err as { status?: number }).status;
      const client = status !== undefined && status >= 400 && status < 500;
      ctx.status = client ? status : 500;
      ctx.body = {
        error: client
          ? { code: 'BAD_REQUEST', message: (err as Error).message }
          : { code: 'INTERNAL', message: 'stand-in failure' },
      };
    }
  });
  app.use(bodyParser({ enableTypes: ['json', 'form'] }));
  app.use(router.routes());
  app.use(router.allowedMethods());

  const server = app.listen(opts.port ?? 0, '127.0.0.1');
  await new Promise<void>((resolve, reject) => {
    server.once('listening', resolve);
    server.once('error', reject);
  });
  const { port } = server.address() as AddressInfo;

  return {
    name: 'alipay',
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const release of [...holds]) release();
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
