import { TransientError } from '../../bff/src/http/errors';
import { createWechatClient, type SubscribeMessage } from '../../bff/src/platforms/wechat';
import { startWechatStandin } from '../../bff/src/sandbox/wechat.standin';
import type { Standin } from '../../bff/src/sandbox/standin';
import { connectRedis, control, uniquePrefix } from '../support/helpers';

const APP = { appId: 'wx-test-app', appSecret: 'test-secret' };
const EVERY_TYPE = {
  id: 'tpl-every-type',
  keys: ['thing1', 'number2', 'letter3', 'symbol4', 'character_string5', 'time6', 'date7', 'amount8', 'phone_number9', 'car_number10', 'name11', 'phrase12'],
};
const ACCEPTED = { id: 'tpl-accepted', keys: ['character_string1', 'thing2', 'phrase3', 'time4', 'thing5'] };

let standin: Standin;
let redis: Awaited<ReturnType<typeof connectRedis>>;
let client: ReturnType<typeof createWechatClient>;

const grant = (openid: string, templateIds: string[]) => control(standin.url, '/subscribe', { openid, templateIds });
const grantsLeft = async (openid: string, templateId: string) =>
  ((await control(standin.url, '/stats')).grants[openid]?.[templateId] as number | undefined) ?? 0;
const send = (message: Partial<SubscribeMessage> & Pick<SubscribeMessage, 'data'>) =>
  client.sendSubscribeMessage({ openid: 'o-alice', templateId: EVERY_TYPE.id, deliveryKey: 'k-1', ...message });

beforeAll(async () => {
  standin = await startWechatStandin({ ...APP, templates: [EVERY_TYPE, ACCEPTED], pages: ['pages/complaints/index'] });
  redis = await connectRedis();
  client = createWechatClient({ baseUrl: standin.url, ...APP, redis, keyPrefix: uniquePrefix(), timeoutMs: 500 });
});
afterEach(() => control(standin.url, '/reset', {}));
afterAll(async () => {
  await redis.quit();
  await standin.close();
});

describe('each key type is accepted at its limit and refused one past it with 47003 naming the key', () => {
  const cases: Array<[key: string, limit: string, valid: string, invalid: string]> = [
    ['thing1', '20 characters', '投'.repeat(20), '投'.repeat(21)],
    ['number2', '32 digits', '9'.repeat(32), '9'.repeat(33)],
    ['number2', '32 digits with a decimal point', `${'9'.repeat(30)}.99`, `${'9'.repeat(31)}.99`],
    ['letter3', '32 letters', 'a'.repeat(32), 'a'.repeat(33)],
    ['letter3', 'letters only', 'abc', 'abc1'],
    ['symbol4', '5 symbols', '!@#%&', '!@#%&*'],
    ['symbol4', 'symbols only', '-+', '-1'],
    ['character_string5', '32 letters, digits and symbols', `TS-${'0'.repeat(29)}`, `TS-${'0'.repeat(30)}`],
    ['character_string5', 'no Chinese characters', 'TS-2025-0001', 'TS-投诉'],
    ['time6', 'a 24-hour time', '23:59', '24:00'],
    ['time6', 'a date and time', '2019年10月1日 15:01', '2019-10-01 15:01'],
    ['time6', 'a time span', '2019年10月1日 15:01~2019年10月1日 17:30', '2019年10月1日 15:01 至 17:30'],
    ['date7', 'a real calendar day', '2020年2月29日', '2019年2月29日'],
    ['date7', 'a date with a time', '2019年10月1日 15:01', '2019年10月1日15:01'],
    ['amount8', '10 digits', '¥1234567890元', '¥12345678901元'],
    ['amount8', '10 digits with decimals', '¥12345678.90', '¥123456789.90'],
    ['amount8', 'one currency symbol', '¥100', '¥¥100'],
    ['phone_number9', '17 characters', `+86-${'1'.repeat(13)}`, `+86-${'1'.repeat(14)}`],
    ['car_number10', '8 characters', '粤B12345学', '粤B123456学'],
    ['car_number10', 'Chinese characters only first or last', '京A12345', '京A1京345'],
    ['name11', '10 Chinese characters', '欧'.repeat(10), '欧'.repeat(11)],
    ['name11', '20 letters', 'A'.repeat(20), 'A'.repeat(21)],
    ['name11', 'Chinese and letters not mixed', '张三', '张San'],
    ['phrase12', '5 Chinese characters', '调解成功啦', '调解成功了吗'],
    ['phrase12', 'Chinese characters only', '已受理', 'OK'],
  ];

  test.each(cases)('%s: %s', async (key, _limit, valid, invalid) => {
    await grant('o-alice', [EVERY_TYPE.id]);

    const refused = await send({ data: { [key]: invalid } });
    expect(refused).toEqual({ status: 'rejected', code: 47003, message: expect.stringContaining(`data.${key}.value`) });
    expect(await grantsLeft('o-alice', EVERY_TYPE.id)).toBe(1);

    await expect(send({ data: { [key]: valid } })).resolves.toEqual({ status: 'sent' });
    expect(await grantsLeft('o-alice', EVERY_TYPE.id)).toBe(0);
  });
});

test('an empty value is refused with 47003', async () => {
  await grant('o-alice', [EVERY_TYPE.id]);

  await expect(send({ data: { thing1: '' } })).resolves.toEqual({
    status: 'rejected',
    code: 47003,
    message: expect.stringContaining('data.thing1.value is empty'),
  });
});

test('a key the template does not have is refused with 47003', async () => {
  await grant('o-alice', [EVERY_TYPE.id]);

  await expect(send({ data: { thing99: '投诉' } })).resolves.toMatchObject({ status: 'rejected', code: 47003, message: expect.stringContaining('data.thing99') });
});

test('a send spends the one-time grant, and a second send is skipped with 43101', async () => {
  await grant('o-alice', [ACCEPTED.id]);
  const message = { templateId: ACCEPTED.id, data: { character_string1: 'TS-1', thing2: '某某超市' } };

  await expect(send(message)).resolves.toEqual({ status: 'sent' });
  await expect(send({ ...message, deliveryKey: 'k-2' })).resolves.toEqual({ status: 'skipped', code: 43101 });
  expect((await control(standin.url, '/stats')).deliveriesByKey).toEqual({ 'k-1': 1 });
});

test('two grants for one template allow exactly two sends', async () => {
  await grant('o-alice', [ACCEPTED.id, ACCEPTED.id]);
  const message = { templateId: ACCEPTED.id, data: { thing2: '某某超市' } };

  const results = [await send(message), await send(message), await send(message)];

  expect(results.map((r) => r.status)).toEqual(['sent', 'sent', 'skipped']);
});

test('the subscribe dialog accepts known templates and reports unknown ones as filtered', async () => {
  const answer = await grant('o-alice', [ACCEPTED.id, 'tpl-unknown']);

  expect(answer).toEqual({ results: { [ACCEPTED.id]: 'accept', 'tpl-unknown': 'filter' } });
  expect((await control(standin.url, '/stats')).grants).toEqual({ 'o-alice': { [ACCEPTED.id]: 1 } });
});

test('a delivered message is recorded with touser, templateId, data, page and time, newest first', async () => {
  await grant('o-alice', [ACCEPTED.id]);
  await grant('o-bob', [ACCEPTED.id]);

  await send({ templateId: ACCEPTED.id, page: 'pages/complaints/index?number=TS-1', data: { character_string1: 'TS-1' } });
  await send({ openid: 'o-bob', templateId: ACCEPTED.id, data: { phrase3: '已受理' }, deliveryKey: 'k-2' });

  const { items } = await control(standin.url, '/messages');
  expect(items).toEqual([
    { touser: 'o-bob', templateId: ACCEPTED.id, data: { phrase3: { value: '已受理' } }, at: expect.any(String) },
    {
      touser: 'o-alice',
      templateId: ACCEPTED.id,
      page: 'pages/complaints/index?number=TS-1',
      data: { character_string1: { value: 'TS-1' } },
      at: expect.any(String),
    },
  ]);
  expect(Date.parse(items[0].at)).toBeGreaterThanOrEqual(Date.parse(items[1].at));
});

test('deliveries are counted per delivery key', async () => {
  await grant('o-alice', [ACCEPTED.id, ACCEPTED.id, ACCEPTED.id]);
  const data = { thing2: '某某超市' };

  await send({ templateId: ACCEPTED.id, data, deliveryKey: 'outbox-1' });
  await send({ templateId: ACCEPTED.id, data, deliveryKey: 'outbox-2' });
  await send({ templateId: ACCEPTED.id, data, deliveryKey: 'outbox-2' });

  expect((await control(standin.url, '/stats')).deliveriesByKey).toEqual({ 'outbox-1': 1, 'outbox-2': 2 });
});

test('an unknown template is rejected with 40037', async () => {
  await grant('o-alice', [ACCEPTED.id]);

  await expect(send({ templateId: 'tpl-unknown', data: {} })).resolves.toMatchObject({ status: 'rejected', code: 40037 });
});

test('an openid WeChat never saw is rejected with 40003', async () => {
  await expect(send({ openid: 'o-stranger', templateId: ACCEPTED.id, data: {} })).resolves.toMatchObject({ status: 'rejected', code: 40003 });
});

test('a page outside the mini program is rejected with 41030', async () => {
  await grant('o-alice', [ACCEPTED.id]);

  await expect(send({ templateId: ACCEPTED.id, page: 'pages/nowhere/index', data: {} })).resolves.toMatchObject({ status: 'rejected', code: 41030 });
  expect(await grantsLeft('o-alice', ACCEPTED.id)).toBe(1);
});

test('when WeChat is busy (-1), the send throws a TransientError and spends no grant', async () => {
  await grant('o-alice', [ACCEPTED.id]);
  await control(standin.url, '/faults', { send: { errcode: -1, count: 1 } });

  await expect(send({ templateId: ACCEPTED.id, data: {} })).rejects.toBeInstanceOf(TransientError);
  expect(await grantsLeft('o-alice', ACCEPTED.id)).toBe(1);
  await expect(send({ templateId: ACCEPTED.id, data: {} })).resolves.toEqual({ status: 'sent' });
});

test('when the send times out, it throws a TransientError and nothing is delivered', async () => {
  await grant('o-alice', [ACCEPTED.id]);
  await control(standin.url, '/faults', { send: { timeoutRate: 1, timeoutMs: 2000 } });

  await expect(send({ templateId: ACCEPTED.id, data: {} })).rejects.toThrow(new TransientError('WeChat /cgi-bin/message/subscribe/send timed out after 500 ms'));
  expect((await control(standin.url, '/stats')).deliveriesByKey).toEqual({});
});

test('when WeChat rate-limits sends (45011), the send throws a TransientError', async () => {
  await grant('o-alice', [ACCEPTED.id]);
  await control(standin.url, '/faults', { send: { errcode: 45011 } });

  await expect(send({ templateId: ACCEPTED.id, data: {} })).rejects.toThrow(TransientError);
});

test('a fault for one openid leaves sends to others alone', async () => {
  await grant('o-alice', [ACCEPTED.id]);
  await grant('o-bob', [ACCEPTED.id]);
  await control(standin.url, '/faults', { send: { errcode: -1, openid: 'o-bob' } });

  await expect(send({ templateId: ACCEPTED.id, data: {} })).resolves.toEqual({ status: 'sent' });
  await expect(send({ openid: 'o-bob', templateId: ACCEPTED.id, data: {} })).rejects.toThrow(TransientError);
});

test('a fault with a fail rate of zero never fires', async () => {
  await grant('o-alice', [ACCEPTED.id]);
  await control(standin.url, '/faults', { send: { errcode: -1, failRate: 0 } });

  await expect(send({ templateId: ACCEPTED.id, data: {} })).resolves.toEqual({ status: 'sent' });
});

test('a malformed fault is refused by the control API', async () => {
  const res = await fetch(`${standin.url}/__sandbox/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ send: { failRate: 2, errcode: -1 } }),
  });

  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ error: 'send: failRate and timeoutRate are numbers from 0 to 1' });
});
