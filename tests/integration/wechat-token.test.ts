import { TransientError } from '../../bff/src/http/errors';
import { createWechatClient } from '../../bff/src/platforms/wechat';
import { startWechatStandin } from '../../bff/src/sandbox/wechat.standin';
import type { Standin } from '../../bff/src/sandbox/standin';
import { connectRedis, control, manualClock, recordingFetch, uniquePrefix } from '../support/helpers';

const APP = { appId: 'wx-test-app', appSecret: 'test-secret' };
const TEMPLATE = { id: 'tpl-accepted', keys: ['character_string1', 'thing2'] };
const DAY = 24 * 3600_000;

let standin: Standin;
let standinClock: ReturnType<typeof manualClock>;
let redis: Awaited<ReturnType<typeof connectRedis>>;
let keyPrefix: string;

const client = (overrides: Partial<Parameters<typeof createWechatClient>[0]> = {}) =>
  createWechatClient({ baseUrl: standin.url, ...APP, redis, keyPrefix, timeoutMs: 1000, ...overrides });
const tokenFetches = async () => (await control<{ tokenFetches: number }>(standin.url, '/stats')).tokenFetches;
const cacheToken = (token: string) =>
  redis.set(`${keyPrefix}wx:access_token`, JSON.stringify({ token, expiresAt: Date.now() + DAY }), { expiration: { type: 'PX', value: DAY } });

/** Whether the stand-in still takes `token`: an unknown template is 40037 with a good token, a token error otherwise. */
async function tokenErrcode(token: string): Promise<number> {
  const res = await fetch(`${standin.url}/cgi-bin/message/subscribe/send?access_token=${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ touser: 'o-x', template_id: 'none', data: {} }),
  });
  return ((await res.json()) as { errcode: number }).errcode;
}

async function sendOne(c = client()) {
  await control(standin.url, '/subscribe', { openid: 'o-alice', templateIds: [TEMPLATE.id] });
  return c.sendSubscribeMessage({ openid: 'o-alice', templateId: TEMPLATE.id, data: { character_string1: 'TS-1', thing2: '已受理' }, deliveryKey: 'k-1' });
}

beforeAll(async () => {
  redis = await connectRedis();
});
beforeEach(async () => {
  // A new WeChat and a new cache for every test, so fetch counts start at zero.
  standinClock = manualClock();
  standin = await startWechatStandin({ ...APP, now: standinClock.now, templates: [TEMPLATE] });
  keyPrefix = uniquePrefix();
});
afterEach(() => standin.close());
afterAll(() => redis.quit());

test('the token is fetched once and then served from the Redis cache', async () => {
  const c = client();

  const first = await c.getAccessToken();
  const second = await c.getAccessToken();

  expect(second).toBe(first);
  expect(await tokenFetches()).toBe(1);
  expect(JSON.parse((await redis.get(`${keyPrefix}wx:access_token`)) as string)).toEqual({ token: first, expiresAt: expect.any(Number) });
  expect(await redis.pTTL(`${keyPrefix}wx:access_token`)).toBeGreaterThan(7100_000);
});

test('two clients sharing one Redis fetch one token between them', async () => {
  const a = await client().getAccessToken();
  const b = await client().getAccessToken();

  expect(b).toBe(a);
  expect(await tokenFetches()).toBe(1);
});

test('twenty concurrent getAccessToken calls on three clients fetch the token once', async () => {
  const clients = [client(), client(), client()];

  const tokens = await Promise.all(Array.from({ length: 20 }, (_, i) => clients[i % 3].getAccessToken()));

  expect(new Set(tokens).size).toBe(1);
  expect(await tokenFetches()).toBe(1);
});

test('a token within five minutes of expiry is refreshed early, and the old one keeps working meanwhile', async () => {
  const c = client({ now: standinClock.now });
  const old = await c.getAccessToken();
  standinClock.advance((7200 - 299) * 1000);

  const renewed = await c.getAccessToken();

  expect(renewed).not.toBe(old);
  expect(await tokenFetches()).toBe(2);
  expect(await tokenErrcode(old)).toBe(40037);
  expect(await tokenErrcode(renewed)).toBe(40037);
});

test('a token outside its last five minutes is not refreshed', async () => {
  const c = client({ now: standinClock.now });
  const first = await c.getAccessToken();
  standinClock.advance((7200 - 301) * 1000);

  expect(await c.getAccessToken()).toBe(first);
  expect(await tokenFetches()).toBe(1);
});

test('five minutes after a new token is issued, the previous one is refused with 42001', async () => {
  const old = await client().getAccessToken();
  await fetch(`${standin.url}/cgi-bin/stable_token`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ grant_type: 'client_credential', appid: APP.appId, secret: APP.appSecret, force_refresh: true }),
  });

  standinClock.advance(5 * 60_000 - 1000);
  expect(await tokenErrcode(old)).toBe(40037);
  standinClock.advance(1000);
  expect(await tokenErrcode(old)).toBe(42001);
});

test('when WeChat refuses the cached token (40001), the client refreshes it exactly once and retries the send', async () => {
  await cacheToken('sbx_unknown_token_issued_elsewhere');
  const recorder = recordingFetch();

  const result = await sendOne(client({ fetch: recorder.fetch }));

  expect(result).toEqual({ status: 'sent' });
  expect(recorder.paths).toEqual(['/cgi-bin/message/subscribe/send', '/cgi-bin/stable_token', '/cgi-bin/message/subscribe/send']);
  expect(await tokenFetches()).toBe(1);
  expect((await control(standin.url, '/stats')).deliveriesByKey).toEqual({ 'k-1': 1 });
});

test('when the cached token has expired at WeChat (42001), the client refreshes it once and retries', async () => {
  const c = client();
  await c.getAccessToken();
  standinClock.advance(7200 * 1000);
  const recorder = recordingFetch();

  const result = await sendOne(client({ fetch: recorder.fetch }));

  expect(result).toEqual({ status: 'sent' });
  expect(recorder.paths.filter((p) => p === '/cgi-bin/stable_token')).toHaveLength(1);
  expect(await tokenFetches()).toBe(2);
});

test('when the cached token is malformed (40014), the client refreshes it once and retries', async () => {
  await cacheToken('not a token');

  await expect(sendOne()).resolves.toEqual({ status: 'sent' });
  expect(await tokenFetches()).toBe(1);
});

test('several sends refused with 40001 at once lead to a single refresh', async () => {
  await cacheToken('sbx_unknown_token_issued_elsewhere');
  await control(standin.url, '/subscribe', { openid: 'o-alice', templateIds: [TEMPLATE.id, TEMPLATE.id, TEMPLATE.id] });
  const clients = [client(), client(), client()];

  const results = await Promise.all(
    clients.map((c, i) =>
      c.sendSubscribeMessage({ openid: 'o-alice', templateId: TEMPLATE.id, data: { character_string1: `TS-${i}` }, deliveryKey: `k-${i}` }),
    ),
  );

  expect(results).toEqual([{ status: 'sent' }, { status: 'sent' }, { status: 'sent' }]);
  expect(await tokenFetches()).toBe(1);
});

test('while another instance holds the refresh lock, a caller waits for the token it stores', async () => {
  await redis.set(`${keyPrefix}wx:access_token:lock`, 'other-instance', { expiration: { type: 'PX', value: 10_000 } });

  const pending = client().getAccessToken();
  await new Promise((resolve) => setTimeout(resolve, 100));
  await cacheToken('sbx_token_stored_by_the_other_instance');

  await expect(pending).resolves.toBe('sbx_token_stored_by_the_other_instance');
  expect(await tokenFetches()).toBe(0);
});

test('when the lock holder never stores a token, the waiting caller gives up with a TransientError', async () => {
  await redis.set(`${keyPrefix}wx:access_token:lock`, 'stuck-instance', { expiration: { type: 'PX', value: 10_000 } });

  await expect(client().getAccessToken()).rejects.toBeInstanceOf(TransientError);
  expect(await tokenFetches()).toBe(0);
});

test('when the app secret is wrong, getAccessToken fails with a TransientError naming errcode 40125 and releases the lock', async () => {
  await expect(client({ appSecret: 'wrong' }).getAccessToken()).rejects.toThrow(new TransientError('WeChat stable_token failed with errcode 40125'));
  expect(await redis.exists(`${keyPrefix}wx:access_token:lock`)).toBe(0);
});

test('when WeChat refuses a token that stable_token still hands out, the client forces a new one', async () => {
  const c = client();
  const refused = await c.getAccessToken();
  // As when another system took a token with the legacy /cgi-bin/token API: WeChat refuses ours once.
  let refusedOnce = false;
  const paths: string[] = [];
  const refusing: typeof fetch = async (input, init) => {
    const url = new URL(input.toString());
    paths.push(url.pathname);
    if (url.pathname === '/cgi-bin/message/subscribe/send' && url.searchParams.get('access_token') === refused && !refusedOnce) {
      refusedOnce = true;
      return Response.json({ errcode: 40001, errmsg: 'invalid credential' });
    }
    return fetch(input, init);
  };

  const result = await sendOne(client({ fetch: refusing }));

  expect(result).toEqual({ status: 'sent' });
  expect(paths).toEqual(['/cgi-bin/message/subscribe/send', '/cgi-bin/stable_token', '/cgi-bin/stable_token', '/cgi-bin/message/subscribe/send']);
  expect(await c.getAccessToken()).not.toBe(refused);
});
