import { AppError } from '../../bff/src/http/errors';
import { createWechatClient } from '../../bff/src/platforms/wechat';
import { startWechatStandin } from '../../bff/src/sandbox/wechat.standin';
import type { Standin } from '../../bff/src/sandbox/standin';
import { connectRedis, control, deadUrl, manualClock, recordingFetch, uniquePrefix } from '../support/helpers';

const APP = { appId: 'wx-test-app', appSecret: 'test-secret' };
const clock = manualClock();
let standin: Standin;
let redis: Awaited<ReturnType<typeof connectRedis>>;
const keyPrefix = uniquePrefix();

const client = (overrides: Partial<Parameters<typeof createWechatClient>[0]> = {}) =>
  createWechatClient({ baseUrl: standin.url, ...APP, redis, keyPrefix, timeoutMs: 1000, ...overrides });
const newCode = async (openid: string, unionid?: string) => (await control<{ code: string }>(standin.url, '/code', { openid, unionid })).code;

beforeAll(async () => {
  standin = await startWechatStandin({ ...APP, now: clock.now });
  redis = await connectRedis();
});
afterEach(() => control(standin.url, '/reset', {}));
afterAll(async () => {
  await redis.quit();
  await standin.close();
});

test('a fresh code exchanges for the openid, unionid and a session key', async () => {
  const code = await newCode('o-alice', 'u-alice');

  const session = await client().code2Session(code);

  expect(session).toEqual({ openid: 'o-alice', unionid: 'u-alice', sessionKey: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/) });
});

test('without a unionid, the session carries none', async () => {
  const session = await client().code2Session(await newCode('o-bob'));

  expect(session).toEqual({ openid: 'o-bob', sessionKey: expect.any(String) });
});

test('when the code was already used, code2Session throws 401 LOGIN_CODE_INVALID', async () => {
  const code = await newCode('o-alice');
  await client().code2Session(code);

  const error = await client().code2Session(code).catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status: 401, code: 'LOGIN_CODE_INVALID', message: '登录已失效，请重新进入小程序' });
});

test('when the code was never issued, code2Session throws 401 LOGIN_CODE_INVALID', async () => {
  await expect(client().code2Session('0a3bc000000000000000000000000000')).rejects.toMatchObject({ status: 401, code: 'LOGIN_CODE_INVALID' });
});

test('a code just under five minutes old still logs in', async () => {
  const code = await newCode('o-alice');
  clock.advance(5 * 60_000 - 1000);

  await expect(client().code2Session(code)).resolves.toMatchObject({ openid: 'o-alice' });
});

test('when the code is five minutes old, code2Session throws 401 LOGIN_CODE_INVALID', async () => {
  const code = await newCode('o-alice');
  clock.advance(5 * 60_000);

  await expect(client().code2Session(code)).rejects.toMatchObject({ status: 401, code: 'LOGIN_CODE_INVALID' });
});

test('when the app secret is wrong, code2Session throws 502 UPSTREAM_ERROR carrying errcode 40125', async () => {
  const code = await newCode('o-alice');

  await expect(client({ appSecret: 'wrong' }).code2Session(code)).rejects.toMatchObject({
    status: 502,
    code: 'UPSTREAM_ERROR',
    details: { errcode: 40125 },
  });
});

test('when the app id is wrong, code2Session throws 502 UPSTREAM_ERROR carrying errcode 40013', async () => {
  const code = await newCode('o-alice');

  await expect(client({ appId: 'wx-other' }).code2Session(code)).rejects.toMatchObject({ status: 502, details: { errcode: 40013 } });
});

test('when WeChat rate-limits logins (45011), code2Session throws 429 RATE_LIMITED', async () => {
  await control(standin.url, '/faults', { jscode2session: { errcode: 45011, count: 1 } });

  await expect(client().code2Session(await newCode('o-alice'))).rejects.toMatchObject({ status: 429, code: 'RATE_LIMITED' });
});

test('when the user is blocked (40226), code2Session throws 403 ACCOUNT_BLOCKED and other users still log in', async () => {
  await control(standin.url, '/faults', { jscode2session: { errcode: 40226, openid: 'o-mallory' } });

  await expect(client().code2Session(await newCode('o-mallory'))).rejects.toMatchObject({ status: 403, code: 'ACCOUNT_BLOCKED' });
  await expect(client().code2Session(await newCode('o-alice'))).resolves.toMatchObject({ openid: 'o-alice' });
});

test('when WeChat is busy once (-1), code2Session tries again and logs in with the same code', async () => {
  await control(standin.url, '/faults', { jscode2session: { errcode: -1, count: 1 } });
  const recorder = recordingFetch();

  const session = await client({ fetch: recorder.fetch }).code2Session(await newCode('o-alice'));

  expect(session.openid).toBe('o-alice');
  expect(recorder.paths).toEqual(['/sns/jscode2session', '/sns/jscode2session']);
});

test('when WeChat stays busy (-1), code2Session gives up after one retry with 503 UPSTREAM_UNAVAILABLE', async () => {
  await control(standin.url, '/faults', { jscode2session: { errcode: -1 } });
  const recorder = recordingFetch();

  await expect(client({ fetch: recorder.fetch }).code2Session(await newCode('o-alice'))).rejects.toMatchObject({
    status: 503,
    code: 'UPSTREAM_UNAVAILABLE',
  });
  expect(recorder.paths).toHaveLength(2);
});

test('when WeChat does not answer in time, code2Session throws 503 UPSTREAM_UNAVAILABLE', async () => {
  await control(standin.url, '/faults', { jscode2session: { timeoutRate: 1, timeoutMs: 2000, count: 1 } });

  await expect(client({ timeoutMs: 200 }).code2Session(await newCode('o-alice'))).rejects.toMatchObject({
    status: 503,
    code: 'UPSTREAM_UNAVAILABLE',
  });
});

test('when WeChat cannot be reached, code2Session throws 503 UPSTREAM_UNAVAILABLE', async () => {
  await expect(client({ baseUrl: await deadUrl() }).code2Session('any-code')).rejects.toMatchObject({
    status: 503,
    code: 'UPSTREAM_UNAVAILABLE',
  });
});
