/** Linking one person's WeChat and Alipay accounts needs proof of both: a link code or the same vouched phone; either side unlinks. */
import { randomUUID } from 'node:crypto';
import { ID_CONSENT_VERSION, LINK_CODE_ALPHABET } from '../../shared/api/identity';
import { linkedUserIds } from '../../bff/src/modules/identity/identity.service';
import { dropUnprovenLinks } from '../../bff/src/modules/identity/linking.service';
import { seedBureaus } from '../../bff/src/modules/regions/regions.service';
import { loginAs, startHarness, type Harness } from '../support/harness';
import { complaintBody, fictitiousPerson } from '../support/consumers';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
  await seedBureaus(h.deps);
});
afterAll(() => h.close());

type Session = { accessToken: string; user: { id: string } };
let serial = 0;
const newUser = (platform: 'wechat' | 'alipay'): Promise<Session> =>
  loginAs(h, platform, platform === 'wechat' ? `wx-link-${++serial}` : `2088${String(700_000 + ++serial).padStart(12, '0')}`);

async function verifyAs(session: Session, person: { name: string; idNumber: string }) {
  await h.http('POST', '/api/v1/sandbox/identity/people', { body: person });
  const res = await h.http('POST', '/api/v1/identity/verify', { token: session.accessToken, body: { ...person, consent: true, consentVersion: ID_CONSENT_VERSION } });
  expect(res.status).toBe(200);
  return res;
}

/** A person verified on WeChat and on Alipay, each with a case of their own, not linked. */
async function samePersonOnBoth() {
  const person = fictitiousPerson('林关联');
  const wx = await newUser('wechat');
  const ali = await newUser('alipay');
  await verifyAs(wx, person);
  await verifyAs(ali, person);
  const wxCase = (await file(wx.accessToken)).body.number as string;
  const aliCase = (await file(ali.accessToken)).body.number as string;
  return { person, wx, ali, wxCase, aliCase };
}

const file = (token: string) =>
  h.http('POST', '/api/v1/complaints', { token, body: complaintBody({ fileAnyway: true }), headers: { 'Idempotency-Key': randomUUID() } });
const numbers = async (token: string) => ((await h.http('GET', '/api/v1/complaints', { token })).body.items as { number: string }[]).map((i) => i.number).sort();
const issueCode = async (token: string) => (await h.http('POST', '/api/v1/identity/link-code', { token })).body.code as string;
const enterCode = (token: string, code: string) => h.http('POST', '/api/v1/identity/links', { token, body: { method: 'code', code } });
const me = async (token: string) => (await h.http('GET', '/api/v1/me', { token })).body.profile;

/** Any well-formed code the server did not issue. */
const someCode = () => Array.from({ length: 8 }, (_, i) => LINK_CODE_ALPHABET[(i * 7 + serial) % LINK_CODE_ALPHABET.length]).join('');

describe('the takeover the review found', () => {
  it('someone who verified with the victim’s name and ID number on the other platform cannot link without the victim’s code', async () => {
    const victimPerson = fictitiousPerson('周受害');
    const victim = await newUser('wechat');
    await verifyAs(victim, victimPerson);
    const victimCase = (await file(victim.accessToken)).body.number as string;
    const attacker = await newUser('alipay');
    await verifyAs(attacker, victimPerson);

    const oldRoute = await h.http('POST', '/api/v1/identity/link', { token: attacker.accessToken, body: { confirm: true } });
    const guessed = await enterCode(attacker.accessToken, someCode());
    const byPhone = await h.http('POST', '/api/v1/identity/links', { token: attacker.accessToken, body: { method: 'phone' } });
    const ownCode = await enterCode(attacker.accessToken, await issueCode(attacker.accessToken));

    expect(oldRoute.status).toBe(404);
    expect(guessed.status).toBe(422);
    expect(guessed.body.error).toEqual({ code: 'LINK_CODE_INVALID', message: '关联码不正确，请核对后重新输入' });
    expect(byPhone.status).toBe(422);
    expect(byPhone.body.error.code).toBe('LINK_PHONE_MISMATCH');
    expect(ownCode.body.error.code).toBe('LINK_CODE_OWN');
    expect(await numbers(attacker.accessToken)).toEqual([]);
    expect((await h.http('GET', `/api/v1/complaints/${victimCase}`, { token: attacker.accessToken })).status).toBe(404);
    expect((await h.http('POST', `/api/v1/complaints/${victimCase}/withdraw`, { token: attacker.accessToken, body: {} })).status).toBe(404);
    expect(await linkedUserIds(h.deps, victim.user.id)).toEqual([victim.user.id]);
    expect((await me(victim.accessToken)).accountEvents.map((e: { action: string }) => e.action)).not.toContain('linked');
  });
});

describe('linking with a link code', () => {
  it('a code shown in the WeChat account and entered in the Alipay account links them: both see both cases', async () => {
    const { wx, ali, wxCase, aliCase } = await samePersonOnBoth();
    expect(await numbers(ali.accessToken)).toEqual([aliCase]);
    const issued = await h.http('POST', '/api/v1/identity/link-code', { token: wx.accessToken });
    expect(issued.status).toBe(200);
    expect(issued.body.code).toMatch(new RegExp(`^[${LINK_CODE_ALPHABET}]{8}$`));
    expect(Date.parse(issued.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);

    // Typed on a phone: lower case and a space in the middle are forgiven.
    const typed = `${issued.body.code.slice(0, 4)} ${issued.body.code.slice(4).toLowerCase()}`;
    const linked = await enterCode(ali.accessToken, typed);

    expect(linked.status).toBe(200);
    expect(linked.body.linked.sort()).toEqual(['alipay', 'wechat']);
    expect(await numbers(ali.accessToken)).toEqual([aliCase, wxCase].sort());
    expect(await numbers(wx.accessToken)).toEqual([aliCase, wxCase].sort());
    for (const s of [wx, ali]) {
      const profile = await me(s.accessToken);
      expect(profile.linkedPlatforms.sort()).toEqual(['alipay', 'wechat']);
      expect(profile.accountEvents[0]).toEqual({ at: expect.any(String), platform: 'alipay', action: 'linked', method: 'code' });
    }
  });

  it('Redis keeps only a keyed hash of the code', async () => {
    const { wx } = await samePersonOnBoth();
    const code = await issueCode(wx.accessToken);
    const keys = await h.deps.redis.keys(h.deps.key('link', '*'));
    const values = await Promise.all(keys.map((k) => h.deps.redis.get(k)));
    expect(keys.length).toBeGreaterThan(0);
    expect(JSON.stringify([keys, values])).not.toContain(code);
    for (const k of keys) expect(await h.deps.redis.ttl(k)).toBeGreaterThan(0);
  });

  it('an expired code is refused and links nothing', async () => {
    const { wx, ali } = await samePersonOnBoth();
    const code = await issueCode(wx.accessToken);
    const key = h.deps.key('link', 'code', h.deps.pii.index('link-code', code));
    const record = JSON.parse((await h.deps.redis.get(key))!);
    await h.deps.redis.set(key, JSON.stringify({ ...record, expiresAt: Date.now() - 1 }), { KEEPTTL: true });

    const res = await enterCode(ali.accessToken, code);

    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({ code: 'LINK_CODE_EXPIRED', message: '关联码已过期（10 分钟内有效），请在另一个账号中重新生成' });
    expect(await linkedUserIds(h.deps, ali.user.id)).toEqual([ali.user.id]);
  });

  it('a code is single use: entered again after an unlink it is refused', async () => {
    const { wx, ali } = await samePersonOnBoth();
    const code = await issueCode(wx.accessToken);
    expect((await enterCode(ali.accessToken, code)).status).toBe(200);
    expect((await h.http('DELETE', '/api/v1/identity/links', { token: ali.accessToken })).status).toBe(204);

    const again = await enterCode(ali.accessToken, code);

    expect(again.status).toBe(422);
    expect(again.body.error).toEqual({ code: 'LINK_CODE_USED', message: '该关联码已使用过，请在另一个账号中重新生成' });
    expect(await linkedUserIds(h.deps, ali.user.id)).toEqual([ali.user.id]);
  });

  it('a new code replaces the one issued before it', async () => {
    const { wx, ali } = await samePersonOnBoth();
    const first = await issueCode(wx.accessToken);
    await issueCode(wx.accessToken);

    const res = await enterCode(ali.accessToken, first);

    expect(res.body.error.code).toBe('LINK_CODE_INVALID');
  });

  it('a code from an account of another verified person is refused', async () => {
    const { ali } = await samePersonOnBoth();
    const stranger = await newUser('wechat');
    await verifyAs(stranger, fictitiousPerson('吴陌生'));

    const res = await enterCode(ali.accessToken, await issueCode(stranger.accessToken));

    expect(res.status).toBe(422);
    expect(res.body.error).toEqual({ code: 'LINK_CODE_OTHER_IDENTITY', message: '该关联码来自实名身份不同的账号，不能关联' });
    expect(await numbers(ali.accessToken)).toHaveLength(1);
  });

  it('guessing is bounded: after five wrong codes even the right one waits (429)', async () => {
    const { wx, ali } = await samePersonOnBoth();
    for (let i = 0; i < 5; i++) expect((await enterCode(ali.accessToken, someCode())).status).toBe(422);

    const right = await enterCode(ali.accessToken, await issueCode(wx.accessToken));

    expect(right.status).toBe(429);
    expect(right.body.error).toEqual({ code: 'LINK_ATTEMPTS_EXCEEDED', message: '关联码输错次数过多，请 15 分钟后再试' });
    expect(await linkedUserIds(h.deps, ali.user.id)).toEqual([ali.user.id]);
    expect(await h.deps.redis.ttl(h.deps.key('link', 'tries', ali.user.id))).toBeGreaterThan(0);
  });

  it('a malformed code is refused with 400 and a field message', async () => {
    const { ali } = await samePersonOnBoth();
    const res = await enterCode(ali.accessToken, 'O0I1L');
    expect(res.status).toBe(400);
    expect(res.body.error.fields).toContainEqual({ path: 'code', message: '关联码应为 8 位字母或数字，请核对后重新输入' });
  });

  it('an unverified account can neither issue nor enter a code', async () => {
    const unverified = await newUser('alipay');
    const issue = await h.http('POST', '/api/v1/identity/link-code', { token: unverified.accessToken });
    const enter = await enterCode(unverified.accessToken, someCode());
    expect(issue.status).toBe(403);
    expect(issue.body.error.code).toBe('IDENTITY_REQUIRED');
    expect(enter.status).toBe(403);
  });
});

describe('linking by a phone number both platforms vouched for', () => {
  const grant = async (token: string, phone: string) => (await h.http('POST', '/api/v1/sandbox/phone', { token, body: { phone } })).body.code as string;
  const savePhone = async (s: Session, platform: 'wechat' | 'alipay', phone: string) =>
    expect((await h.http('POST', '/api/v1/identity/phone', { token: s.accessToken, body: { platform, code: await grant(s.accessToken, phone) } })).status).toBe(200);

  it('the same number on both accounts links them', async () => {
    const { wx, ali, wxCase, aliCase } = await samePersonOnBoth();
    await savePhone(wx, 'wechat', '13700137000');
    await savePhone(ali, 'alipay', '13700137000');
    expect((await me(ali.accessToken)).linkable).toEqual({ platform: 'wechat', byPhone: true });

    const res = await h.http('POST', '/api/v1/identity/links', { token: ali.accessToken, body: { method: 'phone' } });

    expect(res.status).toBe(200);
    expect(res.body.linked.sort()).toEqual(['alipay', 'wechat']);
    expect(await numbers(wx.accessToken)).toEqual([aliCase, wxCase].sort());
    expect((await me(wx.accessToken)).accountEvents[0]).toMatchObject({ action: 'linked', method: 'phone', platform: 'alipay' });
  });

  it('different numbers are refused', async () => {
    const { wx, ali } = await samePersonOnBoth();
    await savePhone(wx, 'wechat', '13700137001');
    await savePhone(ali, 'alipay', '13700137002');

    const res = await h.http('POST', '/api/v1/identity/links', { token: ali.accessToken, body: { method: 'phone' } });

    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('LINK_PHONE_MISMATCH');
    expect((await me(ali.accessToken)).linkable).toEqual({ platform: 'wechat', byPhone: false });
  });

  it('with no account of the person on the other platform there is nothing to link', async () => {
    const alone = await newUser('alipay');
    await verifyAs(alone, fictitiousPerson('郑独自'));
    const res = await h.http('POST', '/api/v1/identity/links', { token: alone.accessToken, body: { method: 'phone' } });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('NOTHING_TO_LINK');
  });
});

describe('unlinking', () => {
  it.each(['wechat', 'alipay'] as const)('from the %s side separates the case lists again and is shown to both', async (side) => {
    const { wx, ali, wxCase, aliCase } = await samePersonOnBoth();
    await enterCode(ali.accessToken, await issueCode(wx.accessToken));

    const res = await h.http('DELETE', '/api/v1/identity/links', { token: (side === 'wechat' ? wx : ali).accessToken });

    expect(res.status).toBe(204);
    expect(await numbers(wx.accessToken)).toEqual([wxCase]);
    expect(await numbers(ali.accessToken)).toEqual([aliCase]);
    expect((await h.http('GET', `/api/v1/complaints/${wxCase}`, { token: ali.accessToken })).status).toBe(404);
    for (const s of [wx, ali]) {
      const profile = await me(s.accessToken);
      expect(profile.accountEvents[0]).toMatchObject({ action: 'unlinked', platform: side });
      expect(profile.linkedPlatforms).toHaveLength(1);
    }
  });

  it('an account that is not linked answers 409 NOT_LINKED', async () => {
    const { wx } = await samePersonOnBoth();
    const res = await h.http('DELETE', '/api/v1/identity/links', { token: wx.accessToken });
    expect(res.status).toBe(409);
    expect(res.body.error).toEqual({ code: 'NOT_LINKED', message: '该账号没有与其他平台的账号关联' });
  });
});

describe('links made before linking needed proof', () => {
  it('are dropped, while links made with a code stay', async () => {
    const proven = await samePersonOnBoth();
    await enterCode(proven.ali.accessToken, await issueCode(proven.wx.accessToken));
    const legacy = await samePersonOnBoth();
    // What the one-sided confirmation used to write: the link, and no event saying how it was made.
    await h.deps.models.Identity.updateOne({ 'accounts.userId': legacy.wx.user.id }, { $set: { linkedUserIds: [legacy.wx.user.id, legacy.ali.user.id] } });
    expect(await numbers(legacy.ali.accessToken)).toEqual([legacy.aliCase, legacy.wxCase].sort());

    const dropped = await dropUnprovenLinks(h.deps);
    const again = await dropUnprovenLinks(h.deps);

    expect(dropped).toBe(1);
    expect(again).toBe(0);
    expect(await numbers(legacy.ali.accessToken)).toEqual([legacy.aliCase]);
    expect(await numbers(proven.ali.accessToken)).toEqual([proven.aliCase, proven.wxCase].sort());
  });
});
