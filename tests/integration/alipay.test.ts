import { generateKeyPairSync } from 'node:crypto';
import { AlipaySdk } from 'alipay-sdk';
import { createAlipayClient, type AlipayClientOptions } from '../../bff/src/platforms/alipay';
import { AppError, TransientError } from '../../bff/src/http/errors';
import { ALIPAY_GATEWAY_PATH, startAlipayStandin, type Standin } from '../../bff/src/sandbox/alipay.standin';

const APP_ID = '2021000000000001';
const TEMPLATE = 'ali-tpl-accepted';
const KEYWORDS = ['keyword1', 'keyword2', 'keyword3', 'keyword4', 'keyword5'];
const PAGE = 'pages/complaints/index';

// Fresh RSA-2048 pairs per run: SPKI public keys, PKCS#8 private keys, both PEM. Nothing on disk.
const rsa = () =>
  generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
const appKeys = rsa();
const alipayKeys = rsa();
const strangerKeys = rsa();

let standin: Standin;
let clock = Date.now();

beforeAll(async () => {
  standin = await startAlipayStandin({
    appId: APP_ID,
    appPublicKey: appKeys.publicKey,
    alipayPrivateKey: alipayKeys.privateKey,
    templates: { [TEMPLATE]: KEYWORDS },
    clock: () => clock,
  });
});
afterAll(() => standin.close());
beforeEach(async () => {
  clock = Date.now();
  await control('POST', '/__sandbox/reset');
});

async function control(method: 'GET' | 'POST', path: string, body?: unknown) {
  const res = await fetch(`${standin.url}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: res.status === 204 ? undefined : await res.json() };
}

const codeFor = async (userId: string) => (await control('POST', '/__sandbox/code', { userId })).body.code as string;

function client(overrides: Partial<AlipayClientOptions> = {}, url = standin.url) {
  return createAlipayClient({
    appId: APP_ID,
    privateKey: appKeys.privateKey,
    alipayPublicKey: alipayKeys.publicKey,
    gateway: `${url}${ALIPAY_GATEWAY_PATH}`,
    idField: 'open_id',
    ...overrides,
  });
}

function sdk(privateKey = appKeys.privateKey, url = standin.url) {
  return new AlipaySdk({
    appId: APP_ID,
    privateKey,
    keyType: 'PKCS8',
    alipayPublicKey: alipayKeys.publicKey,
    gateway: `${url}${ALIPAY_GATEWAY_PATH}`,
    endpoint: url,
  });
}

const message = (toId: string, data: Record<string, string> = { keyword1: 'TS2026110500001', keyword3: '已受理' }) => ({
  toId,
  templateId: TEMPLATE,
  page: PAGE,
  data,
  deliveryKey: `case-1:accepted:${toId}`,
});

async function rejection(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

describe('login code exchange (alipay.system.oauth.token over the v2 gateway)', () => {
  it('exchanges a fresh code for the user_id and a stable open_id, keyed by idField', async () => {
    const first = await client().exchangeCode(await codeFor('2088000000000001'));
    expect(first.userId).toBe('2088000000000001');
    expect(first.openId).toMatch(/^0[A-Za-z0-9]{45}$/);
    expect(first.id).toBe(first.openId);

    const again = await client({ idField: 'user_id' }).exchangeCode(await codeFor('2088000000000001'));
    expect(again).toEqual({ userId: '2088000000000001', openId: first.openId, id: '2088000000000001' });
  });

  it('when the code was already used, login answers 401 LOGIN_CODE_INVALID', async () => {
    const code = await codeFor('2088000000000002');
    await client().exchangeCode(code);

    const err = await rejection(client().exchangeCode(code));
    expect(err).toBeInstanceOf(AppError);
    expect(err).toMatchObject({ status: 401, code: 'LOGIN_CODE_INVALID', message: '登录已失效，请重新进入小程序' });
  });

  it('when the code is older than five minutes, login answers 401 LOGIN_CODE_INVALID', async () => {
    const code = await codeFor('2088000000000003');
    clock += 5 * 60_000 + 1;

    await expect(client().exchangeCode(code)).rejects.toMatchObject({ status: 401, code: 'LOGIN_CODE_INVALID' });
  });

  it('the bare stand-in URL works as the gateway too', async () => {
    const login = await client({ gateway: standin.url }).exchangeCode(await codeFor('2088000000000006'));

    expect(login.userId).toBe('2088000000000006');
  });

  it('a code never issued is LOGIN_CODE_INVALID', async () => {
    await expect(client().exchangeCode('0123456789abcdef0123456789abcdef')).rejects.toMatchObject({
      status: 401,
      code: 'LOGIN_CODE_INVALID',
    });
  });
});

describe('signatures both ways', () => {
  it('refuses a request signed with a key it does not know (isv.invalid-signature) and leaves the code unused', async () => {
    const code = await codeFor('2088000000000004');

    const err = await rejection(client({ privateKey: strangerKeys.privateKey }).exchangeCode(code));
    expect(err).toMatchObject({ status: 503, code: 'UPSTREAM_UNAVAILABLE' });
    expect((err as AppError).details).toEqual({ reason: 'alipay.system.oauth.token: 40002 isv.invalid-signature' });

    await expect(client().exchangeCode(code)).resolves.toMatchObject({ userId: '2088000000000004' });
  });

  it('answers a wrongly signed request with a signed error_response the SDK can check', async () => {
    const reply = await sdk(strangerKeys.privateKey).exec('alipay.system.oauth.token', {
      grant_type: 'authorization_code',
      code: 'x',
    });
    expect(reply).toMatchObject({ code: '40002', msg: 'Invalid Arguments', subCode: 'isv.invalid-signature' });

    const raw = await fetch(`${standin.url}${ALIPAY_GATEWAY_PATH}?app_id=${APP_ID}&method=alipay.system.oauth.token`, {
      method: 'POST',
    }).then((r) => r.text());
    const parsed = JSON.parse(raw);
    expect(parsed.error_response.sub_code).toBe('isv.missing-signature-type');
    expect(() => sdk().checkResponseSign(raw, 'error_response', parsed.sign, '')).not.toThrow();
  });

  describe('against a gateway that signs with a key other than Alipay’s', () => {
    let impostor: Standin;
    beforeAll(async () => {
      impostor = await startAlipayStandin({
        appId: APP_ID,
        appPublicKey: appKeys.publicKey,
        alipayPrivateKey: strangerKeys.privateKey,
        templates: { [TEMPLATE]: KEYWORDS },
      });
    });
    afterAll(() => impostor.close());

    const impostorCode = async (userId: string) =>
      (
        (await fetch(`${impostor.url}/__sandbox/code`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ userId }),
        }).then((r) => r.json())) as { code: string }
      ).code;

    it('a successful login reply is not believed: login answers 503 UPSTREAM_UNAVAILABLE', async () => {
      const err = await rejection(client({}, impostor.url).exchangeCode(await impostorCode('2088000000000005')));
      expect(err).toMatchObject({ status: 503, code: 'UPSTREAM_UNAVAILABLE' });
      expect((err as AppError).details).toEqual({ reason: 'alipay.system.oauth.token: reply signature invalid' });
    });

    it('an error_response is not believed either: a bad code gives 503, not 401', async () => {
      await expect(client({}, impostor.url).exchangeCode('not-a-code')).rejects.toMatchObject({
        status: 503,
        code: 'UPSTREAM_UNAVAILABLE',
      });
    });

    it('a send reply is not believed: the send throws TransientError', async () => {
      await expect(client({}, impostor.url).sendTemplateMessage(message('2088000000000005'))).rejects.toBeInstanceOf(
        TransientError,
      );
    });

    it('the SDK’s v3 curl() refuses the reply (response-signature-verify-error)', async () => {
      const code = await impostorCode('2088000000000005');
      await expect(
        sdk(appKeys.privateKey, impostor.url).curl('POST', '/v3/alipay/system/oauth/token', {
          body: { grant_type: 'authorization_code', code },
        }),
      ).rejects.toMatchObject({ name: 'AlipayRequestError', code: 'response-signature-verify-error' });
    });
  });
});

describe('template messages (alipay.open.app.mini.templatemessage.send over the v2 gateway)', () => {
  it('sends to a subscribed user, records the message and counts it under its delivery key', async () => {
    const login = await client().exchangeCode(await codeFor('2088000000000010'));
    const sub = await control('POST', '/__sandbox/subscribe', {
      userId: login.id,
      templateIds: [TEMPLATE, 'ali-tpl-nope'],
    });
    expect(sub.body).toEqual({ results: { [TEMPLATE]: 'accept', 'ali-tpl-nope': 'filter' } });

    const outcome = await client().sendTemplateMessage(message(login.id));

    expect(outcome).toEqual({ status: 'sent' });
    const { items } = (await control('GET', '/__sandbox/messages')).body;
    expect(items).toEqual([
      {
        touser: login.id,
        templateId: TEMPLATE,
        page: PAGE,
        data: { keyword1: { value: 'TS2026110500001' }, keyword3: { value: '已受理' } },
        at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
        deliveryKey: `case-1:accepted:${login.id}`,
      },
    ]);
    expect((await control('GET', '/__sandbox/stats')).body).toEqual({
      deliveriesByKey: { [`case-1:accepted:${login.id}`]: 1 },
    });
  });

  it('each grant allows exactly one send; the next one is skipped with USER_NOT_SUBSCRIBED', async () => {
    await control('POST', '/__sandbox/subscribe', { userId: '2088000000000011', templateIds: [TEMPLATE] });
    const byUserId = client({ idField: 'user_id' });

    await expect(byUserId.sendTemplateMessage(message('2088000000000011'))).resolves.toEqual({ status: 'sent' });
    await expect(byUserId.sendTemplateMessage(message('2088000000000011'))).resolves.toEqual({
      status: 'skipped',
      code: 'USER_NOT_SUBSCRIBED',
    });
    expect((await control('GET', '/__sandbox/messages')).body.items).toHaveLength(1);
  });

  it('without any grant the send is skipped and nothing is recorded', async () => {
    const outcome = await client({ idField: 'user_id' }).sendTemplateMessage(message('2088000000000012'));

    expect(outcome).toEqual({ status: 'skipped', code: 'USER_NOT_SUBSCRIBED' });
    expect((await control('GET', '/__sandbox/messages')).body.items).toEqual([]);
    expect((await control('GET', '/__sandbox/stats')).body.deliveriesByKey).toEqual({});
  });

  it('a value longer than 50 characters is rejected with USER_KEYWORD_LENGTH_ERROR and the grant is kept', async () => {
    await control('POST', '/__sandbox/subscribe', { userId: '2088000000000013', templateIds: [TEMPLATE] });
    const byUserId = client({ idField: 'user_id' });

    const outcome = await byUserId.sendTemplateMessage(message('2088000000000013', { keyword5: '很'.repeat(51) }));
    expect(outcome).toEqual({
      status: 'rejected',
      code: 'USER_KEYWORD_LENGTH_ERROR',
      message: expect.stringContaining('keyword5'),
    });

    await expect(
      byUserId.sendTemplateMessage(message('2088000000000013', { keyword5: '很'.repeat(50) })),
    ).resolves.toEqual({ status: 'sent' });
  });

  it('an unknown template is rejected with USER_TEMPLATE_ILLEGAL', async () => {
    const outcome = await client().sendTemplateMessage({
      ...message('2088000000000014'),
      templateId: 'ali-tpl-unknown',
    });

    expect(outcome).toMatchObject({ status: 'rejected', code: 'USER_TEMPLATE_ILLEGAL' });
  });

  it('a keyword the template does not have is rejected with USER_TEMPLATE_ILLEGAL', async () => {
    await control('POST', '/__sandbox/subscribe', { userId: '2088000000000015', templateIds: [TEMPLATE] });

    const outcome = await client({ idField: 'user_id' }).sendTemplateMessage(
      message('2088000000000015', { thing1: '某某电器' }),
    );
    expect(outcome).toMatchObject({ status: 'rejected', code: 'USER_TEMPLATE_ILLEGAL' });
  });
});

describe('faults', () => {
  it('an injected system-busy failure (20000 isp.unknow-error) makes the send throw TransientError', async () => {
    await control('POST', '/__sandbox/subscribe', { userId: '2088000000000020', templateIds: [TEMPLATE] });
    await control('POST', '/__sandbox/faults', { send: { failRate: 1 } });

    const err = await rejection(client({ idField: 'user_id' }).sendTemplateMessage(message('2088000000000020')));

    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toBe('alipay.open.app.mini.templatemessage.send: 20000 isp.unknow-error');
  });

  it('an injected business sub-code comes back as a rejection with that code', async () => {
    await control('POST', '/__sandbox/faults', { send: { failRate: 1, subCode: 'USER_TEMPLATE_ILLEGAL' } });

    await expect(client().sendTemplateMessage(message('2088000000000021'))).resolves.toMatchObject({
      status: 'rejected',
      code: 'USER_TEMPLATE_ILLEGAL',
    });
  });

  it('an injected timeout makes the send throw TransientError after timeoutMs and delivers nothing', async () => {
    await control('POST', '/__sandbox/subscribe', { userId: '2088000000000022', templateIds: [TEMPLATE] });
    await control('POST', '/__sandbox/faults', { send: { timeoutRate: 1 } });
    const started = Date.now();

    const err = await rejection(
      client({ idField: 'user_id', timeoutMs: 300 }).sendTemplateMessage(message('2088000000000022')),
    );

    expect(err).toBeInstanceOf(TransientError);
    expect((err as Error).message).toMatch(/^alipay\.open\.app\.mini\.templatemessage\.send: network: /);
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    await control('POST', '/__sandbox/faults', {});
    expect((await control('GET', '/__sandbox/messages')).body.items).toEqual([]);
    await expect(client({ idField: 'user_id' }).sendTemplateMessage(message('2088000000000022'))).resolves.toEqual({
      status: 'sent',
    });
  });

  it('an unreachable gateway makes login answer 503 and a send throw TransientError', async () => {
    const gone = await startAlipayStandin({
      appId: APP_ID,
      appPublicKey: appKeys.publicKey,
      alipayPrivateKey: alipayKeys.privateKey,
    });
    await gone.close();

    await expect(client({}, gone.url).exchangeCode('any')).rejects.toMatchObject({
      status: 503,
      code: 'UPSTREAM_UNAVAILABLE',
    });
    await expect(client({}, gone.url).sendTemplateMessage(message('2088000000000023'))).rejects.toBeInstanceOf(
      TransientError,
    );
  });
});

describe('v3 protocol through the SDK’s curl()', () => {
  it('exchanges a code; curl() has checked the signed response headers', async () => {
    const code = await codeFor('2088000000000030');

    const res = await sdk().curl('POST', '/v3/alipay/system/oauth/token', {
      body: { grant_type: 'authorization_code', code },
    });

    expect(res.responseHttpStatus).toBe(200);
    expect(res.data).toMatchObject({ user_id: '2088000000000030', open_id: expect.any(String) });
  });

  it('sends a template message with the delivery key as alipay-request-id', async () => {
    await control('POST', '/__sandbox/subscribe', { userId: '2088000000000031', templateIds: [TEMPLATE] });

    const res = await sdk().curl('POST', '/v3/alipay/open/app/mini/templatemessage/send', {
      requestId: 'v3-delivery-1',
      body: {
        to_user_id: '2088000000000031',
        user_template_id: TEMPLATE,
        page: PAGE,
        data: JSON.stringify({ keyword1: { value: 'TS2026110500002' } }),
      },
    });

    expect(res.responseHttpStatus).toBe(200);
    expect((await control('GET', '/__sandbox/stats')).body.deliveriesByKey).toEqual({ 'v3-delivery-1': 1 });
  });

  it('answers a business failure with HTTP 400 and the sub-code', async () => {
    await expect(
      sdk().curl('POST', '/v3/alipay/open/app/mini/templatemessage/send', {
        body: { to_user_id: '2088000000000032', user_template_id: TEMPLATE, page: PAGE, data: '{}' },
      }),
    ).rejects.toMatchObject({ responseHttpStatus: 400, code: 'USER_NOT_SUBSCRIBED' });
  });

  it('refuses a request signed with an unknown key with HTTP 401 isv.invalid-signature', async () => {
    await expect(
      sdk(strangerKeys.privateKey).curl('POST', '/v3/alipay/system/oauth/token', {
        body: { grant_type: 'authorization_code', code: 'x' },
      }),
    ).rejects.toMatchObject({ responseHttpStatus: 401, code: 'isv.invalid-signature' });
  });
});

describe('control API', () => {
  it('lists messages newest first', async () => {
    await control('POST', '/__sandbox/subscribe', { userId: '2088000000000040', templateIds: [TEMPLATE] });
    await control('POST', '/__sandbox/subscribe', { userId: '2088000000000040', templateIds: [TEMPLATE] });
    const byUserId = client({ idField: 'user_id' });
    await byUserId.sendTemplateMessage(message('2088000000000040', { keyword1: 'first' }));
    await byUserId.sendTemplateMessage(message('2088000000000040', { keyword1: 'second' }));

    const { items } = (await control('GET', '/__sandbox/messages')).body;
    expect(items.map((m: { data: { keyword1: { value: string } } }) => m.data.keyword1.value)).toEqual([
      'second',
      'first',
    ]);
    expect((await control('GET', '/__sandbox/stats')).body.deliveriesByKey).toEqual({
      'case-1:accepted:2088000000000040': 2,
    });
  });

  it('grants a subscription given by open_id to the same user', async () => {
    const login = await client().exchangeCode(await codeFor('2088000000000041'));
    await control('POST', '/__sandbox/subscribe', { userId: login.openId, templateIds: [TEMPLATE] });

    await expect(client({ idField: 'user_id' }).sendTemplateMessage(message('2088000000000041'))).resolves.toEqual({
      status: 'sent',
    });
  });

  it('rejects more than three template ids in one subscribe call, as the client API does', async () => {
    const res = await control('POST', '/__sandbox/subscribe', {
      userId: '2088000000000042',
      templateIds: ['a', 'b', 'c', 'd'],
    });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('rejects a code request without a userId', async () => {
    const res = await control('POST', '/__sandbox/code', {});

    expect(res).toEqual({
      status: 400,
      body: {
        error: { code: 'VALIDATION_FAILED', message: 'userId must be a non-empty string of at most 64 characters' },
      },
    });
  });

  it('rejects fault rates outside 0..1', async () => {
    const res = await control('POST', '/__sandbox/faults', { send: { failRate: 2 } });

    expect(res.status).toBe(400);
  });
});

describe('production', () => {
  it('refuses to start when NODE_ENV is production', async () => {
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await expect(
        startAlipayStandin({ appId: APP_ID, appPublicKey: appKeys.publicKey, alipayPrivateKey: alipayKeys.privateKey }),
      ).rejects.toThrow('cannot run in production');
    } finally {
      process.env.NODE_ENV = previous;
    }
  });
});
