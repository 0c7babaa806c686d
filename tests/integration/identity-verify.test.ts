import { randomUUID } from 'node:crypto';
import { idNumberCheckChar } from '../../shared/identity/id-number';
import { ID_CONSENT_VERSION } from '../../shared/api/identity';
import { linkedUserIds, verifiedPerson } from '../../bff/src/modules/identity/identity.service';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { control, deadUrl } from '../support/helpers';
import { complaintBody } from '../support/consumers';
import { seedBureaus } from '../../bff/src/modules/regions/regions.service';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  // Complaints are routed to a bureau from the directory.
  await seedBureaus(h.deps);
});
afterAll(() => h.close());
afterEach(() => control(h.sandbox.urls.identity, '/faults', { result: null }));

const ZHANG = { name: '张三', idNumber: '11010519491231002X' };
const LI = { name: '李四', idNumber: '440524198001010013' };
const WANG = { name: '王五', idNumber: '110101199003071233' };
const ZHAO = { name: '赵六', idNumber: '310104198507152346' };
const SUN = { name: '孙七', idNumber: '440304200002294568' };
const ZHOU = { name: '周八', idNumber: '510107197811020876' };
/** Every plaintext the tests hand over; none may appear at rest or in the logs. */
const SECRETS = [ZHANG, LI, WANG, ZHAO, SUN, ZHOU].flatMap((p) => [p.name, p.idNumber]).concat('钱多多', '钱二', unknownId(500), unknownId(501), unknownId(600));
const PHONES = ['13800138000', '13912345678'];

/** A valid number the stand-in's registry does not hold (its answer is "-5"). */
function unknownId(seq: number): string {
  const first17 = `33010619900101${String(seq).padStart(3, "0")}`;
  return first17 + idNumberCheckChar(first17);
}

let users = 0;
const newUser = (platform: 'wechat' | 'alipay' = 'wechat') =>
  loginAs(h, platform, platform === 'wechat' ? `wx-idv-${++users}` : `2088${String(++users).padStart(12, '0')}`);

const verify = (token: string, person: { name: string; idNumber: string }, extra: Record<string, unknown> = {}) =>
  h.http('POST', '/api/v1/identity/verify', { token, body: { ...person, consent: true, consentVersion: ID_CONSENT_VERSION, ...extra } });

const calls = async () => (await control<{ count: number }>(h.sandbox.urls.identity, '/calls')).count;
const force = (result: string, count?: number) => control(h.sandbox.urls.identity, '/faults', { result, ...(count ? { count } : {}) });

describe('a matching name and ID number', () => {
  it('verifies the user with one provider call and answers only masked values', async () => {
    const { accessToken } = await newUser();
    const before = await calls();

    const res = await verify(accessToken, ZHANG);

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ verified: true, identity: { name: '张*', idNumber: '110105********002X', verifiedAt: expect.any(String) } });
    expect((await calls()) - before).toBe(1);
    const me = await h.http('GET', '/api/v1/me', { token: accessToken });
    expect(me.body).toMatchObject({ user: { verified: true } });
    expect(me.body.profile).toMatchObject({
      identity: { name: '张*', idNumber: '110105********002X' },
      linkedPlatforms: ['wechat'],
      linkable: null,
      idConsent: { at: expect.any(String), version: ID_CONSENT_VERSION },
      accountEvents: [{ at: expect.any(String), platform: 'wechat', action: 'verified' }],
    });
  });

  it('asking again with the same pair answers from storage without a provider call', async () => {
    const { accessToken } = await newUser();
    await verify(accessToken, SUN);
    const before = await calls();

    const again = await verify(accessToken, SUN);

    expect(again.status).toBe(200);
    expect(again.body.identity.name).toBe('孙*');
    expect(await calls()).toBe(before);
  });

  it('a lower-case x and surrounding spaces are normalised before the check', async () => {
    const { accessToken } = await newUser('alipay');

    const res = await verify(accessToken, { name: ' 张三 ', idNumber: '11010519491231002x' });

    expect(res.status).toBe(200);
    expect(res.body.identity.idNumber).toBe('110105********002X');
  });

  it('a verified account cannot switch to another identity, and the provider is not asked', async () => {
    const { accessToken } = await newUser();
    await verify(accessToken, ZHAO);
    const before = await calls();

    const res = await verify(accessToken, LI);

    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'IDENTITY_ALREADY_VERIFIED', message: '该账号已完成实名认证，不能更换为其他身份' });
    expect(await calls()).toBe(before);
  });

  it('a second WeChat account cannot take an identity already verified on WeChat', async () => {
    const first = await newUser();
    const second = await newUser();
    await verify(first.accessToken, ZHOU);

    const res = await verify(second.accessToken, ZHOU);

    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('IDENTITY_IN_USE');
    expect((await h.http('GET', '/api/v1/me', { token: second.accessToken })).body.user.verified).toBe(false);
  });
});

describe('the sandbox registry', () => {
  it('a fictitious person registered through the sandbox route can be verified', async () => {
    const { accessToken } = await newUser();
    const person = { name: '钱多多', idNumber: unknownId(600) };
    const added = await h.http('POST', '/api/v1/sandbox/identity/people', { body: person });

    const res = await verify(accessToken, person);

    expect(added.status).toBe(200);
    expect(res.status).toBe(200);
    expect(res.body.identity.name).toBe('钱*多');
  });

  it('an invalid person is refused with 400', async () => {
    const res = await h.http('POST', '/api/v1/sandbox/identity/people', { body: { name: 'x', idNumber: '1' } });
    expect(res.status).toBe(400);
  });
});

describe('each provider answer but a match', () => {
  const cases: [string, number, string, string][] = [
    ['-1', 422, 'IDENTITY_MISMATCH', '姓名与身份证号不一致，请核对后重新输入'],
    ['-2', 422, 'IDENTITY_ID_INVALID', '身份证号无效，请核对后重新输入'],
    ['-3', 422, 'IDENTITY_NAME_INVALID', '姓名格式不正确，请按身份证上的姓名填写'],
    ['-4', 503, 'IDENTITY_UNAVAILABLE', '身份核验服务暂时不可用，请稍后再试'],
    ['-5', 422, 'IDENTITY_NO_RECORD', '未查询到该身份证号的户籍信息，请核对号码，或咨询户籍所在地公安机关'],
    ['-6', 503, 'IDENTITY_UNAVAILABLE', '身份核验服务暂时不可用，请稍后再试'],
    ['-7', 503, 'IDENTITY_UNAVAILABLE', '身份核验服务暂时不可用，请稍后再试'],
  ];
  it.each(cases)('result "%s" answers %i %s and leaves the user unverified', async (result, status, code, message) => {
    const { accessToken } = await newUser();
    await force(result, 1);

    const res = await verify(accessToken, { name: '吴九', idNumber: unknownId(100 + Number(result.slice(1))) });

    expect(res.status).toBe(status);
    expect(res.body.error).toEqual({ code, message });
    expect((await h.http('GET', '/api/v1/me', { token: accessToken })).body.user.verified).toBe(false);
  });

  it('a mismatch from the stand-in’s registry is distinct from a missing record', async () => {
    const { accessToken } = await newUser();

    const mismatch = await verify(accessToken, { name: '张三', idNumber: LI.idNumber });
    const missing = await verify(accessToken, { name: '张三', idNumber: unknownId(1) });

    expect(mismatch.body.error.code).toBe('IDENTITY_MISMATCH');
    expect(missing.body.error.code).toBe('IDENTITY_NO_RECORD');
  });

  it('a retry of a refused pair costs no provider call', async () => {
    const { accessToken } = await newUser();
    await verify(accessToken, { name: '王六', idNumber: WANG.idNumber });
    const before = await calls();

    const again = await verify(accessToken, { name: '王六', idNumber: WANG.idNumber });

    expect(again.body.error.code).toBe('IDENTITY_MISMATCH');
    expect(await calls()).toBe(before);
  });

  it('an outage is not remembered: the next attempt asks the provider again and can pass', async () => {
    const { accessToken } = await newUser();
    await force('-4', 1);
    expect((await verify(accessToken, LI)).status).toBe(503);

    const retry = await verify(accessToken, LI);

    expect(retry.status).toBe(200);
  });
});

describe('local checks before anything is sent', () => {
  const bad: [string, Record<string, unknown>, string, string][] = [
    ['a wrong check character', { idNumber: '110105194912310021' }, 'idNumber', '身份证号校验位不正确，请核对后重新输入'],
    ['an impossible date', { idNumber: `11010519490230001${idNumberCheckChar('11010519490230001')}` }, 'idNumber', '身份证号中的出生日期不正确'],
    ['an unknown province', { idNumber: `99010519491231002${idNumberCheckChar('99010519491231002')}` }, 'idNumber', '身份证号前 6 位的地区码不正确'],
    ['17 characters', { idNumber: '11010519491231002' }, 'idNumber', '身份证号应为 18 位，最后一位是数字或 X'],
    ['a name with Latin letters', { name: '张San' }, 'name', '姓名只能包含汉字，少数民族姓名中间用“·”分隔'],
    ['a one-character name', { name: '张' }, 'name', '姓名应为 2 至 30 个字'],
    ['no consent', { consent: false }, 'consent', '请阅读并同意身份证号处理规则'],
    ['consent to an old text', { consentVersion: '2020-01' }, 'consentVersion', '同意书已更新，请重新阅读后同意'],
  ];
  it.each(bad)('%s is refused with 400 and a field message, without a provider call', async (_why, change, field, message) => {
    const { accessToken } = await newUser();
    const before = await calls();

    const res = await verify(accessToken, ZHANG, change);

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.fields).toContainEqual({ path: field, message });
    expect(await calls()).toBe(before);
  });

  it('an operator object instead of a string is refused with 400', async () => {
    const { accessToken } = await newUser();
    const res = await verify(accessToken, { name: { $ne: '' } as unknown as string, idNumber: ZHANG.idNumber });
    expect(res.status).toBe(400);
  });

  it('without a token the route answers 401', async () => {
    const res = await h.http('POST', '/api/v1/identity/verify', { body: { ...ZHANG, consent: true, consentVersion: ID_CONSENT_VERSION } });
    expect(res.status).toBe(401);
  });
});

describe('daily limits on provider calls', () => {
  it('a user gets five provider calls a day; the sixth attempt is refused with 429 and not sent', async () => {
    const { accessToken } = await newUser();
    const before = await calls();
    for (let i = 0; i < 5; i++) {
      expect((await verify(accessToken, { name: '郑十', idNumber: unknownId(200 + i) })).body.error.code).toBe('IDENTITY_NO_RECORD');
    }

    const sixth = await verify(accessToken, { name: '郑十', idNumber: unknownId(205) });

    expect(sixth.status).toBe(429);
    expect(sixth.body.error).toEqual({ code: 'IDENTITY_ATTEMPTS_EXCEEDED', message: '今日实名认证次数已达上限（5 次），请明天再试' });
    expect((await calls()) - before).toBe(5);
    // Until the next midnight, Beijing time.
    const shanghaiNowS = Math.floor(Date.now() / 1000) + 8 * 3600;
    expect(Number(sixth.headers.get('retry-after'))).toBeCloseTo(86_400 - (shanghaiNowS % 86_400), -1);
  });

  it('an ID number gets five provider calls a day across all users', async () => {
    const id = unknownId(300);
    const before = await calls();
    const a = await newUser();
    const b = await newUser();
    for (const name of ['冯一', '冯二', '冯三']) await verify(a.accessToken, { name, idNumber: id });
    for (const name of ['冯四', '冯五']) await verify(b.accessToken, { name, idNumber: id });

    const refused = await verify(b.accessToken, { name: '冯六', idNumber: id });

    expect(refused.status).toBe(429);
    expect((await calls()) - before).toBe(5);
  });

  it('a cached answer stays available after the limit is reached', async () => {
    const { accessToken } = await newUser();
    const pair = { name: '陈一', idNumber: unknownId(400) };
    await verify(accessToken, pair);
    for (let i = 1; i < 5; i++) await verify(accessToken, { name: '陈一', idNumber: unknownId(400 + i) });

    const again = await verify(accessToken, pair);

    expect(again.body.error.code).toBe('IDENTITY_NO_RECORD');
  });
});

describe('one person on WeChat and Alipay', () => {
  const complaint = complaintBody({ fileAnyway: true });
  const file = (token: string) => h.http('POST', '/api/v1/complaints', { token, body: complaint, headers: { 'Idempotency-Key': randomUUID() } });
  const numbers = async (token: string) => ((await h.http('GET', '/api/v1/complaints', { token })).body.items as { number: string }[]).map((i) => i.number);

  /** Proof of both accounts: a code shown in one, entered in the other (identity-linking.test.ts covers the refusals). */
  const linkWithCode = async (from: string, to: string) => {
    const code = (await h.http('POST', '/api/v1/identity/link-code', { token: from })).body.code as string;
    return h.http('POST', '/api/v1/identity/links', { token: to, body: { method: 'code', code } });
  };

  it('after both verified the same identity and linked with a code, both see the same cases', async () => {
    const wx = await newUser('wechat');
    const ali = await newUser('alipay');
    expect((await verify(wx.accessToken, WANG)).body.linkable).toBeUndefined();
    const wxCase = (await file(wx.accessToken)).body.number as string;

    const second = await verify(ali.accessToken, WANG);
    expect(second.body.linkable).toEqual({ platform: 'wechat', byPhone: false });
    const aliCase = (await file(ali.accessToken)).body.number as string;
    // Before linking each account sees its own cases only.
    expect(await numbers(ali.accessToken)).toEqual([aliCase]);
    expect((await h.http('GET', `/api/v1/complaints/${wxCase}`, { token: ali.accessToken })).status).toBe(404);

    const linked = await linkWithCode(wx.accessToken, ali.accessToken);

    expect(linked.status).toBe(200);
    expect(linked.body.linked.sort()).toEqual(['alipay', 'wechat']);
    expect((await numbers(ali.accessToken)).sort()).toEqual([aliCase, wxCase].sort());
    expect((await numbers(wx.accessToken)).sort()).toEqual([aliCase, wxCase].sort());
    expect((await h.http('GET', `/api/v1/complaints/${wxCase}`, { token: ali.accessToken })).status).toBe(200);
    const me = await h.http('GET', '/api/v1/me', { token: ali.accessToken });
    expect(me.body.profile.linkedPlatforms.sort()).toEqual(['alipay', 'wechat']);
    expect(me.body.profile.linkable).toBeNull();
    expect((await linkedUserIds(h.deps, wx.user.id)).sort()).toEqual([ali.user.id, wx.user.id].sort());
  });

  it('after linking, a draft typed on WeChat resumes on Alipay', async () => {
    const person = { name: '赵草稿', idNumber: unknownId(502) };
    const wx = await newUser('wechat');
    const ali = await newUser('alipay');
    await force('0', 2);
    await verify(wx.accessToken, person);
    await verify(ali.accessToken, person);
    const data = { step: 2, respondent: { name: '某某草稿商店' } };
    expect((await h.http('POST', '/api/v1/drafts/complaint', { token: wx.accessToken, body: { data } })).status).toBe(200);
    expect((await h.http('GET', '/api/v1/drafts/complaint', { token: ali.accessToken })).status).toBe(404);

    expect((await linkWithCode(wx.accessToken, ali.accessToken)).status).toBe(200);

    const resumed = await h.http('GET', '/api/v1/drafts/complaint', { token: ali.accessToken });
    expect(resumed.status).toBe(200);
    expect(resumed.body.data).toEqual(data);
  });

  it('linking needs a verified identity and another platform’s account of it', async () => {
    const unverified = await newUser();
    const alone = await newUser('alipay');
    await force('0', 1);
    await verify(alone.accessToken, { name: '钱一', idNumber: unknownId(500) });

    const a = await h.http('POST', '/api/v1/identity/link-code', { token: unverified.accessToken });
    const b = await h.http('POST', '/api/v1/identity/links', { token: alone.accessToken, body: { method: 'phone' } });
    const c = await h.http('POST', '/api/v1/identity/links', { token: alone.accessToken, body: { method: 'confirm' } });

    expect(a.body.error.code).toBe('IDENTITY_REQUIRED');
    expect(b.body.error.code).toBe('NOTHING_TO_LINK');
    expect(c.status).toBe(400);
    expect(await linkedUserIds(h.deps, alone.user.id)).toEqual([alone.user.id]);
  });

  it('one user cannot read another’s identity or cases', async () => {
    const owner = await newUser();
    const other = await newUser();
    await force('0', 1);
    await verify(owner.accessToken, { name: '钱二', idNumber: unknownId(501) });
    const number = (await file(owner.accessToken)).body.number as string;

    const me = await h.http('GET', '/api/v1/me', { token: other.accessToken });

    expect(me.body.profile.identity).toBeNull();
    expect(await numbers(other.accessToken)).toEqual([]);
    expect((await h.http('GET', `/api/v1/complaints/${number}`, { token: other.accessToken })).status).toBe(404);
    expect(await verifiedPerson(h.deps, other.user.id)).toBeNull();
    expect(await verifiedPerson(h.deps, owner.user.id)).toEqual({ name: '钱二', idNumber: unknownId(501) });
  });
});

describe('phone numbers', () => {
  const grant = async (token: string, phone: string) => (await h.http('POST', '/api/v1/sandbox/phone', { token, body: { phone } })).body.code as string;

  it('a WeChat phone code is exchanged, stored sealed and shown masked; a reused code is refused', async () => {
    const { accessToken } = await newUser();
    const code = await grant(accessToken, PHONES[0]);

    const res = await h.http('POST', '/api/v1/identity/phone', { token: accessToken, body: { platform: 'wechat', code } });
    const reused = await h.http('POST', '/api/v1/identity/phone', { token: accessToken, body: { platform: 'wechat', code } });

    expect(res.body).toEqual({ phone: '138****8000' });
    expect((await h.http('GET', '/api/v1/me', { token: accessToken })).body.profile.phone).toBe('138****8000');
    expect(reused.status).toBe(400);
    expect(reused.body.error.code).toBe('PHONE_CODE_INVALID');
  });

  it('an Alipay my.getPhoneNumber answer is signature-checked and decrypted', async () => {
    const { accessToken } = await newUser('alipay');
    const response = await grant(accessToken, PHONES[1]);

    const res = await h.http('POST', '/api/v1/identity/phone', { token: accessToken, body: { platform: 'alipay', code: response } });

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ phone: '139****5678' });
  });

  it('an Alipay answer whose ciphertext was changed fails the signature check', async () => {
    const { accessToken } = await newUser('alipay');
    const envelope = JSON.parse(await grant(accessToken, PHONES[1])) as { response: string };
    const forged = JSON.stringify({ ...envelope, response: Buffer.from('{"code":"10000","mobile":"13000000000"}').toString('base64') });

    const res = await h.http('POST', '/api/v1/identity/phone', { token: accessToken, body: { platform: 'alipay', code: forged } });

    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PHONE_SIGNATURE_INVALID');
  });

  it('an Alipay answer that is not the vendor’s envelope is refused with 400', async () => {
    const { accessToken } = await newUser('alipay');
    const res = await h.http('POST', '/api/v1/identity/phone', { token: accessToken, body: { platform: 'alipay', code: 'not-json' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PHONE_CODE_INVALID');
  });

  it('a phone grant for the other platform is refused', async () => {
    const { accessToken } = await newUser();
    const res = await h.http('POST', '/api/v1/identity/phone', { token: accessToken, body: { platform: 'alipay', code: '{}' } });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('PLATFORM_MISMATCH');
  });
});

describe('signing out everywhere', () => {
  it('revokes every refresh token and every access token of the user, and a new login works', async () => {
    const first = await newUser();
    const openid = `wx-idv-${users}`;
    const second = await loginAs(h, 'wechat', openid);

    const out = await h.http('POST', '/api/v1/auth/logout-all', { token: second.accessToken });

    expect(out.status).toBe(204);
    for (const s of [first, second]) {
      expect((await h.http('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } })).status).toBe(401);
      const me = await h.http('GET', '/api/v1/me', { token: s.accessToken });
      expect(me.status).toBe(401);
      expect(me.body.error.code).toBe('SESSION_REVOKED');
    }
    const again = await loginAs(h, 'wechat', openid);
    expect((await h.http('GET', '/api/v1/me', { token: again.accessToken })).status).toBe(200);
  });

  it('logout revokes the refresh token family', async () => {
    const s = await newUser();
    const rotated = await h.http('POST', '/api/v1/auth/refresh', { body: { refreshToken: s.refreshToken } });

    await h.http('POST', '/api/v1/auth/logout', { body: { refreshToken: rotated.body.refreshToken } });

    expect((await h.http('POST', '/api/v1/auth/refresh', { body: { refreshToken: rotated.body.refreshToken } })).status).toBe(401);
  });
});

// Runs last: everything above has written identities, phones, cache entries and logs.
describe('personal data at rest and in logs', () => {
  it('the raw database documents hold no plaintext name, ID number or phone', async () => {
    const db = h.deps.conn.db!;
    const dump = JSON.stringify([await db.collection('identities').find().toArray(), await db.collection('users').find().toArray()]);
    const identities = await db.collection('identities').find().toArray();

    expect(identities.length).toBeGreaterThan(3);
    for (const doc of identities) {
      expect(doc.name).toMatch(/^v2\./);
      expect(doc.idNumber).toMatch(/^v2\./);
    }
    for (const secret of [...SECRETS, ...PHONES, '11010519491231002x']) expect(dump).not.toContain(secret);
  });

  it('Redis holds no plaintext either', async () => {
    const keys = await h.deps.redis.keys(h.deps.key('*'));
    const values = await Promise.all(keys.map((k) => h.deps.redis.type(k).then((t) => (t === 'string' ? h.deps.redis.get(k) : ''))));
    const dump = JSON.stringify([keys, values]);
    expect(keys.some((k) => k.includes(':idv:result:'))).toBe(true);
    for (const secret of [...SECRETS, ...PHONES]) expect(dump).not.toContain(secret);
  });

  it('the captured logs hold no plaintext name, ID number or phone', () => {
    const logs = h.logs.join('');
    expect(logs).toContain('identity provider answered');
    for (const secret of [...SECRETS, ...PHONES]) expect(logs).not.toContain(secret);
  });
});

describe('provider outages', () => {
  it('an unreachable provider answers 503 IDENTITY_UNAVAILABLE, never a failed verification', async () => {
    const other = await startHarness({ IDENTITY_API_BASE: await deadUrl() });
    try {
      const { accessToken } = await loginAs(other, 'wechat', 'wx-idv-dead');
      const res = await other.http('POST', '/api/v1/identity/verify', {
        token: accessToken,
        body: { ...ZHANG, consent: true, consentVersion: ID_CONSENT_VERSION },
      });
      expect(res.status).toBe(503);
      expect(res.body.error).toEqual({ code: 'IDENTITY_UNAVAILABLE', message: '身份核验服务暂时不可用，请稍后再试' });
    } finally {
      await other.close();
    }
  });
});
