/** Access tokens are checked strictly; refresh tokens rotate, and a reused one ends its whole family. */
import jwt from 'jsonwebtoken';
import { MAX_FAMILIES_PER_USER } from '../../bff/src/modules/auth/tokens';
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

  it('after reuse of a rotated token, the access tokens issued from that family answer 401', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-reuse-access');
    const rotated = await refresh(s.refreshToken);
    expect((await me(rotated.body.accessToken)).status).toBe(200);

    expect((await refresh(s.refreshToken)).status).toBe(401);

    for (const token of [s.accessToken, rotated.body.accessToken]) {
      const res = await me(token);
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe('SESSION_REVOKED');
    }
  });

  it('many refreshes leave one record per family in Redis, not one per token', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-many');
    const count = async () => (await h.deps.redis.keys(`${h.deps.config.redisPrefix}*`)).length;
    let token = (await refresh(s.refreshToken)).body.refreshToken as string;
    const before = await count();
    for (let i = 0; i < 30; i++) {
      const next = await refresh(token);
      expect(next.status).toBe(200);
      token = next.body.refreshToken;
    }
    expect(await count()).toBe(before);
    const unbounded = [];
    for (const key of await h.deps.redis.keys(`${h.deps.config.redisPrefix}*`)) {
      if ((await h.deps.redis.ttl(key)) < 0) unbounded.push(key);
    }
    expect(unbounded).toEqual([]);
  });

  it('a user keeps a bounded number of signed-in devices; a sign-in beyond it ends the oldest', async () => {
    const first = await loginAs(h, 'wechat', 'wx-tok-devices');
    for (let i = 0; i < MAX_FAMILIES_PER_USER; i++) await loginAs(h, 'wechat', 'wx-tok-devices');
    expect(await h.deps.redis.zCard(h.deps.key('rtfamilies', first.user.id))).toBe(MAX_FAMILIES_PER_USER);
    expect((await refresh(first.refreshToken)).status).toBe(401);
    expect((await me(first.accessToken)).status).toBe(401);
  });

  it('a refresh keeps the user’s index of devices alive, so signing out everywhere still finds a device that only refreshes', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-index');
    const index = h.deps.key('rtfamilies', s.user.id);
    await h.deps.redis.expire(index, 100);
    const rotated = await refresh(s.refreshToken);
    expect(await h.deps.redis.ttl(index)).toBeGreaterThan(h.deps.config.jwt.refreshTtlS - 60);

    expect((await h.http('POST', '/api/v1/auth/logout-all', { token: rotated.body.accessToken })).status).toBe(204);
    expect((await refresh(rotated.body.refreshToken)).status).toBe(401);
  });

  it('a refresh token never issued is refused with 401', async () => {
    expect((await refresh('A'.repeat(43))).status).toBe(401);
  });
});

describe('signing out', () => {
  const logout = (refreshToken: string, token?: string) => h.http('POST', '/api/v1/auth/logout', { body: { refreshToken }, token });

  it('after logout with the access token, that access token answers 401 and the refresh token is spent', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-logout');
    expect((await me(s.accessToken)).status).toBe(200);

    expect((await logout(s.refreshToken, s.accessToken)).status).toBe(204);

    const res = await me(s.accessToken);
    expect(res.status).toBe(401);
    expect(res.body.error).toEqual({ code: 'SESSION_REVOKED', message: '登录已失效，请重新登录' });
    expect((await refresh(s.refreshToken)).status).toBe(401);
  });

  it('a logout that sends only the refresh token still ends the access tokens of that sign-in, not of other devices', async () => {
    const phone = await loginAs(h, 'wechat', 'wx-tok-logout-body');
    const tablet = await loginAs(h, 'wechat', 'wx-tok-logout-body');

    expect((await logout(phone.refreshToken)).status).toBe(204);

    expect((await me(phone.accessToken)).status).toBe(401);
    expect((await me(tablet.accessToken)).status).toBe(200);
  });

  it('the revoked token is remembered only until it would have expired', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-logout-ttl');
    const { jti } = jwt.decode(s.accessToken) as { jti: string };
    await logout(s.refreshToken, s.accessToken);
    const ttl = await h.deps.redis.ttl(h.deps.key('atrevoked', jti));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(h.deps.config.jwt.accessTtlS);
  });

  it('logout with an expired access token still succeeds', async () => {
    const s = await loginAs(h, 'wechat', 'wx-tok-logout-expired');
    expect((await logout(s.refreshToken, forge({ expiresIn: -10 }, s.user.id))).status).toBe(204);
    expect((await refresh(s.refreshToken)).status).toBe(401);
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
