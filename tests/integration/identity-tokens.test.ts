/** Access tokens are checked strictly; refresh tokens rotate, and a reused one ends its whole family. */
import jwt from 'jsonwebtoken';
import { loginAs, startHarness, type Harness } from '../support/harness';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h.close());

const me = (token: string) => h.http('GET', '/api/v1/me', { token });
const refresh = (refreshToken: string) => h.http('POST', '/api/v1/auth/refresh', { body: { refreshToken } });

function forge(overrides: { secret?: string; issuer?: string; audience?: string; expiresIn?: number; algorithm?: jwt.Algorithm } = {}, sub = '000000000000000000000001') {
  const { secret, issuer, audience } = h.deps.config.jwt;
  return jwt.sign({ platform: 'wechat', iatms: Date.now() }, overrides.secret ?? secret, {
    algorithm: overrides.algorithm ?? 'HS256',
    subject: sub,
    issuer: overrides.issuer ?? issuer,
    audience: overrides.audience ?? audience,
    expiresIn: overrides.expiresIn ?? 60,
  });
}

describe('access tokens', () => {
  it('a token the server signed is accepted', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-ok');
    expect((await me(s.accessToken)).status).toBe(200);
  });

  it.each([
    ['another secret', { secret: 'x'.repeat(40) }],
    ['another issuer', { issuer: 'someone-else' }],
    ['another audience', { audience: 'staff-api' }],
    ['another HMAC algorithm', { algorithm: 'HS512' as const }],
  ])('a token with %s is refused with 401 TOKEN_INVALID', async (_why, overrides) => {
    const s = await loginAs(h, 'wechat', 'wx-tok-forged');
    const res = await me(forge(overrides, s.user.id));
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'TOKEN_INVALID', message: '登录状态无效，请重新登录' });
  });

  it('an unsigned token (alg none) is refused', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-none');
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const body = Buffer.from(
      JSON.stringify({ sub: s.user.id, platform: 'wechat', iss: h.deps.config.jwt.issuer, aud: h.deps.config.jwt.audience, exp: Math.floor(Date.now() / 1000) + 60 }),
    ).toString('base64url');
    const res = await me(`${header}.${body}.`);
    expect(res.status).toBe(401);
  });

  it('an expired token is refused with 401 TOKEN_EXPIRED so the client refreshes', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-expired');
    const res = await me(forge({ expiresIn: -10 }, s.user.id));
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('TOKEN_EXPIRED');
  });
});

describe('refresh tokens', () => {
  it('each refresh hands out a new pair and spends the old refresh token', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-rotate');
    const a = await refresh(s.refreshToken);
    const b = await refresh(a.body.refreshToken);

    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(new Set([s.refreshToken, a.body.refreshToken, b.body.refreshToken]).size).toBe(3);
    expect((await me(b.body.accessToken)).body.user.id).toBe(s.user.id);
  });

  it('reusing a rotated token revokes the family, but the user’s other sessions live on', async () => {
    const phone = await loginAs(h, 'wechat', 'wx-tok-reuse');
    const tablet = await loginAs(h, 'wechat', 'wx-tok-reuse');
    const rotated = await refresh(phone.refreshToken);

    const reused = await refresh(phone.refreshToken);

    expect(reused.status).toBe(401);
    expect(reused.body.error.code).toBe('REFRESH_INVALID');
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
    expect((await refresh(tablet.refreshToken)).status).toBe(200);
  });

  it('a refresh token never issued is refused with 401', async () => {
    expect((await refresh('A'.repeat(43))).status).toBe(401);
  });
});

describe('Alipay phone decryption with the wrong AES key', () => {
  it('answers 502 UPSTREAM_ERROR: a configuration fault, not the user’s', async () => {
    const other = await startHarness({ ALIPAY_AES_KEY: Buffer.alloc(16, 7).toString('base64') });
    try {
      const s = await loginAs(other, 'alipay', '2088000000009999');
      const grant = await other.http('POST', '/api/v1/sandbox/phone', { token: s.accessToken, body: { phone: '13800138000' } });
      const res = await other.http('POST', '/api/v1/identity/phone', { token: s.accessToken, body: { platform: 'alipay', code: grant.body.code } });
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('UPSTREAM_ERROR');
      expect(other.logs.join('')).not.toContain('13800138000');
    } finally {
      await other.close();
    }
  });
});
