/**
 * Local stand-in for the WeChat mini program server API (dev and test only): login codes, the
 * stable access token, subscription messages, content security and phone numbers, answering
 * with WeChat's documented JSON and error codes. /__sandbox plays the client side (wx.login,
 * the subscribe dialog) and lets tests inject faults and read what was delivered.
 */
import { randomBytes } from 'node:crypto';
import Koa from 'koa';
import Router from '@koa/router';
import { bodyParser } from '@koa/bodyparser';
import { DELIVERY_KEY_HEADER } from '../platforms/wechat';
import { listen, pauses, randomHex, refuseInProduction, type Standin } from './standin';
import { keyTypeOf, valueProblem, type KeyType } from './wechat.values';

export interface WechatTemplate {
  id: string;
  /** Template keys such as thing1 or character_string2; the key type is the name without its number. */
  keys: string[];
}

export interface SecurityWord {
  word: string;
  suggest: 'review' | 'risky';
  /** WeChat's label: 10001 ads, 20001 politics, 20002 porn, 20003 abuse, 20006 crime, 20008 fraud, 20012 vulgar, 21000 other. */
  label: number;
}

export interface WechatStandinOptions {
  appId: string;
  appSecret: string;
  port?: number;
  now?: () => number;
  templates?: WechatTemplate[];
  /** Pages of the mini program; when given, a send to any other page answers 41030. */
  pages?: string[];
  securityWords?: SecurityWord[];
}

/** An injected failure: the next `count` matching calls (all of them without a count) for `openid` (anyone without one). */
export interface Fault {
  errcode?: number;
  failRate?: number;
  timeoutRate?: number;
  timeoutMs?: number;
  openid?: string;
  count?: number;
}
type FaultKind = 'send' | 'jscode2session';

const CODE_TTL_MS = 5 * 60_000;
const TOKEN_TTL_S = 7200;
const TOKEN_OVERLAP_MS = 5 * 60_000;
const VISIT_WINDOW_MS = 2 * 3600_000;
const CONTENT_MAX = 2500;
const MESSAGES_KEPT = 500;
const DEFAULT_TIMEOUT_MS = 15_000;

export const DEFAULT_SECURITY_WORDS: readonly SecurityWord[] = [
  { word: '赌博', suggest: 'risky', label: 20006 },
  { word: '代开发票', suggest: 'risky', label: 20008 },
  { word: '加微信', suggest: 'review', label: 10001 },
];

const MESSAGES: Record<number, string> = {
  [-1]: 'system error',
  40001: 'invalid credential, access_token is invalid or not latest',
  40002: 'invalid grant_type',
  40003: 'invalid openid',
  40013: 'invalid appid',
  40014: 'invalid access_token',
  40029: 'invalid code',
  40037: 'invalid template_id',
  40097: 'invalid args',
  40125: 'invalid appsecret',
  40163: 'code been used',
  40226: 'code blocked',
  41001: 'access_token missing',
  41008: 'missing code',
  41030: 'invalid page',
  42001: 'access_token expired',
  43101: 'user refuse to accept the msg',
  44004: 'empty content',
  45009: 'reach max api daily quota limit',
  45011: 'api minute-quota reach limit mustslower retry next minute',
  47001: 'data format error',
  47003: 'argument invalid!',
  61010: 'user access expired',
};

interface WxError {
  errcode: number;
  errmsg: string;
}
/** WeChat appends a request id to every error message; adapters must go by errcode alone. */
const wxError = (errcode: number, detail?: string): WxError => ({
  errcode,
  errmsg: `${MESSAGES[errcode] ?? 'injected fault'}${detail ? ` ${detail}` : ''} rid: ${randomHex(4)}-${randomHex(4)}-${randomHex(4)}`,
});

interface Message {
  touser: string;
  templateId: string;
  data: Record<string, { value: string }>;
  page: string | undefined;
  at: string;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.length > 0 ? v : undefined);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const TEST_ID = /^[A-Za-z0-9_-]{3,64}$/;
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{16,512}$/;

function compileTemplates(templates: WechatTemplate[]): Map<string, Map<string, KeyType>> {
  return new Map(
    templates.map((t) => {
      const keys = new Map<string, KeyType>();
      for (const key of t.keys) {
        const type = keyTypeOf(key);
        if (!type) throw new Error(`template ${t.id}: key "${key}" has no known key type`);
        keys.set(key, type);
      }
      return [t.id, keys] as const;
    }),
  );
}

function parseFault(input: unknown): Fault | null | string {
  if (input === null) return null;
  if (!isObject(input)) return 'a fault is an object or null';
  const rate = (v: unknown) => v === undefined || (typeof v === 'number' && v >= 0 && v <= 1);
  const count = (v: unknown) => v === undefined || (Number.isInteger(v) && (v as number) > 0);
  if (input.errcode !== undefined && !Number.isInteger(input.errcode)) return 'errcode must be an integer';
  if (!rate(input.failRate) || !rate(input.timeoutRate)) return 'failRate and timeoutRate are numbers from 0 to 1';
  if (!count(input.count) || !(input.timeoutMs === undefined || count(input.timeoutMs))) return 'count and timeoutMs are positive integers';
  if (input.openid !== undefined && typeof input.openid !== 'string') return 'openid must be a string';
  if (input.errcode === undefined && !input.timeoutRate) return 'give errcode or timeoutRate';
  const { errcode, failRate, timeoutRate, timeoutMs, openid, count: times } = input as Fault;
  return { errcode, failRate, timeoutRate, timeoutMs, openid, count: times };
}

export async function startWechatStandin(opts: WechatStandinOptions): Promise<Standin> {
  refuseInProduction('WeChat');
  const now = opts.now ?? Date.now;
  const templates = compileTemplates(opts.templates ?? []);
  const pause = pauses();

  const fresh = () => ({
    codes: new Map<string, { openid: string; unionid?: string; issuedAt: number; used: boolean }>(),
    /** openid -> session key and the time of the last login, for msg_sec_check's two-hour rule. */
    sessions: new Map<string, { sessionKey: string; lastLogin: number }>(),
    openids: new Set<string>(),
    grants: new Map<string, Map<string, number>>(),
    phoneCodes: new Map<string, { phone: string; countryCode: string }>(),
    messages: [] as Message[],
    deliveriesByKey: new Map<string, number>(),
    tokenFetches: 0,
    sendCalls: 0,
    faults: {} as Partial<Record<FaultKind, Fault>>,
    securityWords: [...(opts.securityWords ?? DEFAULT_SECURITY_WORDS)],
  });
  let state = fresh();
  // Tokens belong to the app, not to a test's users: a reset keeps them so cached tokens stay good.
  const tokens = new Map<string, number>();
  let currentToken: string | undefined;

  async function injected(kind: FaultKind, openid: string): Promise<WxError | undefined> {
    const fault = state.faults[kind];
    if (!fault || (fault.openid !== undefined && fault.openid !== openid)) return undefined;
    const timeout = Math.random() < (fault.timeoutRate ?? 0);
    const failure = !timeout && fault.errcode !== undefined && Math.random() < (fault.failRate ?? 1);
    if (!timeout && !failure) return undefined;
    if (fault.count !== undefined && --fault.count === 0) delete state.faults[kind];
    if (timeout) {
      // The request is lost on the way: nothing happens, and the answer comes too late to matter.
      await pause.sleep(fault.timeoutMs ?? DEFAULT_TIMEOUT_MS);
      return wxError(-1);
    }
    return wxError(fault.errcode as number);
  }

  function issueToken(): string {
    const at = now();
    // The previous token keeps working for five minutes, so instances holding it are not cut off.
    for (const [token, expiresAt] of tokens) tokens.set(token, Math.min(expiresAt, at + TOKEN_OVERLAP_MS));
    const token = `sbx_${randomBytes(48).toString('base64url')}`;
    tokens.set(token, at + TOKEN_TTL_S * 1000);
    currentToken = token;
    return token;
  }

  function tokenProblem(ctx: Koa.Context): WxError | undefined {
    const token = ctx.query.access_token;
    if (typeof token !== 'string' || token === '') return wxError(41001);
    if (!TOKEN_SHAPE.test(token)) return wxError(40014);
    const expiresAt = tokens.get(token);
    if (expiresAt === undefined) return wxError(40001);
    if (expiresAt <= now()) return wxError(42001);
    return undefined;
  }

  const router = new Router();

  router.get('/sns/jscode2session', async (ctx) => {
    const q = ctx.query;
    if (q.appid !== opts.appId) return void (ctx.body = wxError(40013));
    if (q.secret !== opts.appSecret) return void (ctx.body = wxError(40125));
    if (q.grant_type !== 'authorization_code') return void (ctx.body = wxError(40002));
    const code = str(q.js_code);
    if (!code) return void (ctx.body = wxError(41008));
    const entry = state.codes.get(code);
    if (!entry) return void (ctx.body = wxError(40029));
    const fault = await injected('jscode2session', entry.openid);
    if (fault) return void (ctx.body = fault);
    if (entry.used) return void (ctx.body = wxError(40163));
    if (now() - entry.issuedAt >= CODE_TTL_MS) return void (ctx.body = wxError(40029));
    entry.used = true;
    const session = state.sessions.get(entry.openid) ?? { sessionKey: randomBytes(16).toString('base64'), lastLogin: 0 };
    session.lastLogin = now();
    state.sessions.set(entry.openid, session);
    ctx.body = { openid: entry.openid, session_key: session.sessionKey, ...(entry.unionid ? { unionid: entry.unionid } : {}) };
  });

  router.post('/cgi-bin/stable_token', (ctx) => {
    const body: unknown = ctx.request.body;
    if (!isObject(body)) return void (ctx.body = wxError(47001));
    if (body.grant_type !== 'client_credential') return void (ctx.body = wxError(40002));
    if (body.appid !== opts.appId) return void (ctx.body = wxError(40013));
    if (body.secret !== opts.appSecret) return void (ctx.body = wxError(40125));
    if (body.force_refresh !== undefined && typeof body.force_refresh !== 'boolean') return void (ctx.body = wxError(40097));
    state.tokenFetches += 1;
    const expiresAt = currentToken === undefined ? undefined : tokens.get(currentToken);
    // Normal mode hands out the same token until its last five minutes, then a new one.
    if (body.force_refresh !== true && currentToken && expiresAt !== undefined && expiresAt - now() > TOKEN_OVERLAP_MS) {
      ctx.body = { access_token: currentToken, expires_in: Math.floor((expiresAt - now()) / 1000) };
      return;
    }
    ctx.body = { access_token: issueToken(), expires_in: TOKEN_TTL_S };
  });

  router.post('/cgi-bin/message/subscribe/send', async (ctx) => {
    const bad = tokenProblem(ctx);
    if (bad) return void (ctx.body = bad);
    const body: unknown = ctx.request.body;
    if (!isObject(body) || !isObject(body.data)) return void (ctx.body = wxError(47001));
    const touser = str(body.touser);
    const templateId = str(body.template_id);
    if (!touser) return void (ctx.body = wxError(40003));
    if (!templateId) return void (ctx.body = wxError(40037));
    state.sendCalls += 1;
    const fault = await injected('send', touser);
    if (fault) return void (ctx.body = fault);

    const keys = templates.get(templateId);
    if (!keys) return void (ctx.body = wxError(40037));
    if (!state.openids.has(touser)) return void (ctx.body = wxError(40003));
    const page = body.page === undefined ? undefined : str(body.page);
    if (body.page !== undefined && (!page || (opts.pages && !opts.pages.includes(page.split('?')[0])))) {
      return void (ctx.body = wxError(41030));
    }
    if (body.miniprogram_state !== undefined && !['developer', 'trial', 'formal'].includes(body.miniprogram_state as string)) {
      return void (ctx.body = wxError(40097, 'miniprogram_state'));
    }
    if (body.lang !== undefined && !['zh_CN', 'en_US', 'zh_HK', 'zh_TW'].includes(body.lang as string)) {
      return void (ctx.body = wxError(40097, 'lang'));
    }
    const data: Record<string, { value: string }> = {};
    for (const [key, entry] of Object.entries(body.data)) {
      const type = keys.get(key);
      if (!type) return void (ctx.body = wxError(47003, `data.${key} is not a key of the template`));
      const value = isObject(entry) ? entry.value : undefined;
      if (typeof value !== 'string') return void (ctx.body = wxError(47003, `data.${key}.value is not a string`));
      const problem = valueProblem(type, value);
      if (problem) return void (ctx.body = wxError(47003, `data.${key}.value ${problem}`));
      data[key] = { value };
    }

    const grants = state.grants.get(touser);
    const left = grants?.get(templateId) ?? 0;
    if (!grants || left <= 0) return void (ctx.body = wxError(43101));
    grants.set(templateId, left - 1);
    state.messages.unshift({ touser, templateId, data, page, at: new Date(now()).toISOString() });
    state.messages.length = Math.min(state.messages.length, MESSAGES_KEPT);
    const deliveryKey = ctx.get(DELIVERY_KEY_HEADER);
    if (deliveryKey) state.deliveriesByKey.set(deliveryKey, (state.deliveriesByKey.get(deliveryKey) ?? 0) + 1);
    ctx.body = { errcode: 0, errmsg: 'ok', msgid: Number.parseInt(randomHex(6), 16) };
  });

  router.post('/wxa/msg_sec_check', (ctx) => {
    const bad = tokenProblem(ctx);
    if (bad) return void (ctx.body = bad);
    const body: unknown = ctx.request.body;
    if (!isObject(body)) return void (ctx.body = wxError(47001));
    if (body.version !== 2) return void (ctx.body = wxError(40097, 'version must be 2'));
    if (![1, 2, 3, 4].includes(body.scene as number)) return void (ctx.body = wxError(40097, 'scene must be 1 to 4'));
    const openid = str(body.openid);
    if (!openid || !state.openids.has(openid)) return void (ctx.body = wxError(40003));
    const lastLogin = state.sessions.get(openid)?.lastLogin;
    if (lastLogin === undefined || now() - lastLogin > VISIT_WINDOW_MS) return void (ctx.body = wxError(61010));
    if (typeof body.content !== 'string' || body.content.length === 0) return void (ctx.body = wxError(44004));
    if (body.content.length > CONTENT_MAX) return void (ctx.body = wxError(40097, `content exceeds ${CONTENT_MAX} characters`));

    const content = body.content;
    const hits = state.securityWords.filter((w) => content.includes(w.word));
    const worst = hits.find((w) => w.suggest === 'risky') ?? hits[0];
    const suggest = worst?.suggest ?? 'pass';
    const label = worst?.label ?? 100;
    ctx.body = {
      errcode: 0,
      errmsg: 'ok',
      result: { suggest, label },
      detail: [
        { strategy: 'content_model', errcode: 0, suggest, label, prob: worst ? 90 : 0 },
        ...hits.map((w) => ({ strategy: 'keyword', errcode: 0, suggest: w.suggest, label: w.label, level: 20, keyword: w.word })),
      ],
      trace_id: randomHex(12),
    };
  });

  router.post('/wxa/business/getuserphonenumber', (ctx) => {
    const bad = tokenProblem(ctx);
    if (bad) return void (ctx.body = bad);
    const body: unknown = ctx.request.body;
    const code = isObject(body) ? str(body.code) : undefined;
    const entry = code === undefined ? undefined : state.phoneCodes.get(code);
    if (!code || !entry) return void (ctx.body = wxError(40029));
    state.phoneCodes.delete(code);
    ctx.body = {
      errcode: 0,
      errmsg: 'ok',
      phone_info: {
        phoneNumber: entry.countryCode === '86' ? entry.phone : `+${entry.countryCode} ${entry.phone}`,
        purePhoneNumber: entry.phone,
        countryCode: entry.countryCode,
        watermark: { timestamp: Math.floor(now() / 1000), appid: opts.appId },
      },
    };
  });

  const control = new Router({ prefix: '/__sandbox' });
  const refuse = (ctx: Koa.Context, message: string) => {
    ctx.status = 400;
    ctx.body = { error: message };
  };

  control.post('/code', (ctx) => {
    const body: unknown = ctx.request.body;
    const openid = isObject(body) ? str(body.openid) : undefined;
    const unionid = isObject(body) ? str(body.unionid) : undefined;
    if (!openid || !TEST_ID.test(openid)) return refuse(ctx, 'openid: 3 to 64 letters, digits, _ or -');
    for (const [code, entry] of state.codes) if (now() - entry.issuedAt >= CODE_TTL_MS) state.codes.delete(code);
    const code = randomHex(16);
    state.codes.set(code, { openid, unionid, issuedAt: now(), used: false });
    state.openids.add(openid);
    ctx.body = { code };
  });

  control.post('/subscribe', (ctx) => {
    const body: unknown = ctx.request.body;
    const openid = isObject(body) ? str(body.openid) : undefined;
    const ids = isObject(body) ? body.templateIds : undefined;
    if (!openid || !TEST_ID.test(openid)) return refuse(ctx, 'openid: 3 to 64 letters, digits, _ or -');
    if (!Array.isArray(ids) || ids.length === 0 || !ids.every((id) => typeof id === 'string')) {
      return refuse(ctx, 'templateIds: a non-empty list of template ids');
    }
    state.openids.add(openid);
    const grants = state.grants.get(openid) ?? new Map<string, number>();
    state.grants.set(openid, grants);
    const results: Record<string, string> = {};
    for (const id of ids as string[]) {
      // An id the app does not own is what WeChat's dialog reports as filtered.
      if (!templates.has(id)) {
        results[id] = 'filter';
        continue;
      }
      grants.set(id, (grants.get(id) ?? 0) + 1);
      results[id] = 'accept';
    }
    ctx.body = { results };
  });

  control.post('/phone-code', (ctx) => {
    const body: unknown = ctx.request.body;
    const phone = isObject(body) ? str(body.phone) : undefined;
    const countryCode = (isObject(body) ? str(body.countryCode) : undefined) ?? '86';
    if (!phone || !/^\d{5,15}$/.test(phone) || !/^\d{1,4}$/.test(countryCode)) return refuse(ctx, 'phone: 5 to 15 digits');
    const code = randomHex(16);
    state.phoneCodes.set(code, { phone, countryCode });
    ctx.body = { code };
  });

  control.get('/messages', (ctx) => {
    ctx.body = { items: state.messages };
  });

  control.get('/stats', (ctx) => {
    ctx.body = {
      tokenFetches: state.tokenFetches,
      sendCalls: state.sendCalls,
      deliveriesByKey: Object.fromEntries(state.deliveriesByKey),
      grants: Object.fromEntries([...state.grants].map(([openid, g]) => [openid, Object.fromEntries(g)])),
    };
  });

  control.post('/faults', (ctx) => {
    const body: unknown = ctx.request.body;
    if (!isObject(body)) return refuse(ctx, 'body: {send?, jscode2session?}');
    for (const kind of ['send', 'jscode2session'] as const) {
      if (!(kind in body)) continue;
      const fault = parseFault(body[kind]);
      if (typeof fault === 'string') return refuse(ctx, `${kind}: ${fault}`);
      if (fault === null) delete state.faults[kind];
      else state.faults[kind] = fault;
    }
    ctx.body = { faults: state.faults };
  });

  control.post('/security-words', (ctx) => {
    const body: unknown = ctx.request.body;
    const words = isObject(body) ? body.words : undefined;
    const valid = (w: unknown) => isObject(w) && str(w.word) && (w.suggest === 'review' || w.suggest === 'risky') && Number.isInteger(w.label);
    if (!Array.isArray(words) || !words.every(valid)) return refuse(ctx, 'words: [{word, suggest: "review"|"risky", label}]');
    state.securityWords = words as SecurityWord[];
    ctx.body = { words: state.securityWords };
  });

  control.post('/reset', (ctx) => {
    state = fresh();
    ctx.status = 204;
  });

  const app = new Koa();
  // A body that is not JSON is left undefined; every handler then answers 47001 (or 400 on /__sandbox).
  app.use(bodyParser({ enableTypes: ['json'], onError: () => undefined }));
  app.use(router.routes()).use(router.allowedMethods());
  app.use(control.routes()).use(control.allowedMethods());
  return listen(app, 'wechat', opts.port, pause.stop);
}
