import { AppError } from '../../bff/src/http/errors';
import { createWechatClient } from '../../bff/src/platforms/wechat';
import { startWechatStandin } from '../../bff/src/sandbox/wechat.standin';
import type { Standin } from '../../bff/src/sandbox/standin';
import { connectRedis, control, manualClock, uniquePrefix } from '../support/helpers';

const APP = { appId: 'wx-test-app', appSecret: 'test-secret' };
const clock = manualClock();
let standin: Standin;
let redis: Awaited<ReturnType<typeof connectRedis>>;
let client: ReturnType<typeof createWechatClient>;

/** msg_sec_check only takes users who logged in within two hours. */
async function logIn(openid: string) {
  const { code } = await control<{ code: string }>(standin.url, '/code', { openid });
  await client.code2Session(code);
}
const check = (content: string, openid = 'o-alice') => client.msgSecCheck({ openid, content, scene: 2 });

beforeAll(async () => {
  standin = await startWechatStandin({ ...APP, now: clock.now });
  redis = await connectRedis();
  client = createWechatClient({ baseUrl: standin.url, ...APP, redis, keyPrefix: uniquePrefix(), now: clock.now });
});
beforeEach(() => logIn('o-alice'));
afterEach(() => control(standin.url, '/reset', {}));
afterAll(async () => {
  await redis.quit();
  await standin.close();
});

test('ordinary complaint text passes with label 100', async () => {
  await expect(check('商家拒绝退还预付卡余额，要求退款。')).resolves.toEqual({ suggest: 'pass', label: 100 });
});

test('text with a default risky word is risky with its label', async () => {
  await expect(check('这家店私下组织赌博')).resolves.toEqual({ suggest: 'risky', label: 20006 });
});

test('text with a review word needs review', async () => {
  await expect(check('有问题请加微信联系')).resolves.toEqual({ suggest: 'review', label: 10001 });
});

test('risky outranks review when both appear', async () => {
  await expect(check('加微信代开发票')).resolves.toEqual({ suggest: 'risky', label: 20008 });
});

test('the word list can be replaced through the control API', async () => {
  await control(standin.url, '/security-words', { words: [{ word: '假冒', suggest: 'review', label: 21000 }] });

  await expect(check('卖假冒商品')).resolves.toEqual({ suggest: 'review', label: 21000 });
  await expect(check('这家店私下组织赌博')).resolves.toEqual({ suggest: 'pass', label: 100 });
});

test('the stand-in answers with WeChat detail entries for each hit', async () => {
  const token = await client.getAccessToken();
  const res = await fetch(`${standin.url}/wxa/msg_sec_check?access_token=${token}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ version: 2, openid: 'o-alice', scene: 1, content: '赌博' }),
  });

  expect(await res.json()).toEqual({
    errcode: 0,
    errmsg: 'ok',
    result: { suggest: 'risky', label: 20006 },
    detail: [
      { strategy: 'content_model', errcode: 0, suggest: 'risky', label: 20006, prob: 90 },
      { strategy: 'keyword', errcode: 0, suggest: 'risky', label: 20006, level: 20, keyword: '赌博' },
    ],
    trace_id: expect.any(String),
  });
});

test('2500 characters are checked', async () => {
  await expect(check('好'.repeat(2500))).resolves.toEqual({ suggest: 'pass', label: 100 });
});

test('more than 2500 characters are refused: msgSecCheck throws 502 UPSTREAM_ERROR carrying errcode 40097', async () => {
  await expect(check('好'.repeat(2501))).rejects.toMatchObject({ status: 502, code: 'UPSTREAM_ERROR', details: { errcode: 40097 } });
});

test('when the user has not logged in for two hours, msgSecCheck throws 422 WECHAT_SESSION_STALE', async () => {
  clock.advance(2 * 3600_000 + 1000);

  const error = await check('商家拒绝退款').catch((e: unknown) => e);

  expect(error).toBeInstanceOf(AppError);
  expect(error).toMatchObject({ status: 422, code: 'WECHAT_SESSION_STALE', message: '请重新进入小程序后再提交' });
});

test('a phone code minted for the user exchanges for the phone number', async () => {
  const { code } = await control<{ code: string }>(standin.url, '/phone-code', { phone: '13800138000' });

  await expect(client.getPhoneNumber(code)).resolves.toEqual({ phoneNumber: '13800138000', purePhoneNumber: '13800138000', countryCode: '86' });
});

test('a number outside China carries its country code', async () => {
  const { code } = await control<{ code: string }>(standin.url, '/phone-code', { phone: '91234567', countryCode: '852' });

  await expect(client.getPhoneNumber(code)).resolves.toEqual({ phoneNumber: '+852 91234567', purePhoneNumber: '91234567', countryCode: '852' });
});

test('when the phone code was already used, getPhoneNumber throws 400 PHONE_CODE_INVALID', async () => {
  const { code } = await control<{ code: string }>(standin.url, '/phone-code', { phone: '13800138000' });
  await client.getPhoneNumber(code);

  await expect(client.getPhoneNumber(code)).rejects.toMatchObject({ status: 400, code: 'PHONE_CODE_INVALID', message: '手机号授权已失效，请重新授权' });
});
