/**
 * Staff sign-in under attack: attempts are counted before the password is checked, answers do not
 * tell a wrong password from an unknown or locked account, and one address cannot lock anyone out.
 * Addresses come from X-Forwarded-For (the app trusts its proxy here, as in production).
 */
import argon2 from 'argon2';
import type { AuditAction } from '../../bff/src/modules/audit/audit.model';
import { startHarness, type Harness } from '../support/harness';
import { BUREAUS, STAFF_PASSWORD, createStaff, seedBureaus, signIn } from '../support/handling';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({
    TRUST_PROXY: 'true',
    STAFF_LOCK_PAIR: '5/15m',
    // Above the 20 parallel guesses of one address, below the account threshold.
    LIMIT_STAFF_FAILURES_IP: '24/15m',
    STAFF_LOCK_ACCOUNT: '30/15m',
  });
  await seedBureaus(h);
  await createStaff(h, { username: 'boss', role: 'admin', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '' });
});
afterAll(() => h.close());
afterEach(() => jest.restoreAllMocks());

const attempt = (username: string, password: string, from: string) =>
  h.http('POST', '/api/v1/admin/login', { body: { username, password }, headers: { 'x-forwarded-for': from } });

const handler = (username: string) => createStaff(h, { username, role: 'handler', bureauCode: BUREAUS.chaoyang.code, regionPrefix: '110105' });

const auditOf = (action: AuditAction, username: string) => h.deps.models.AuditEntry.find({ action, username }).sort({ at: 1 }).lean<Array<{ detail?: string }>>();

describe('counting before checking', () => {
  it('20 parallel wrong guesses and the right password sent while they run do not sign in', async () => {
    await handler('burst');
    const guesses = Array.from({ length: 20 }, (_, i) => attempt('burst', `wrong-${i}`, '10.1.0.1'));
    // The right password goes out once all twenty are counted, while their checks may still run.
    const counted = async () => Number((await h.deps.redis.hGet(h.deps.key('stafffail', 'burst'), '*')) ?? 0);
    while ((await counted()) < 20) await new Promise((r) => setTimeout(r, 5));
    const right = await attempt('burst', STAFF_PASSWORD, '10.1.0.1');
    const wrong = await Promise.all(guesses);

    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe('LOGIN_FAILED');
    expect(right.headers.get('set-cookie')).toBeNull();
    expect(wrong.every((r) => r.status === 401 && r.body.error.code === 'LOGIN_FAILED')).toBe(true);
    // Only the first five were checked against the real hash; the rest were refused as locked.
    const failures = await auditOf('staff_login_failed', 'burst');
    expect(failures.filter((a) => a.detail!.includes('reason=wrong_password'))).toHaveLength(5);
    expect(failures.filter((a) => a.detail!.includes('reason=locked'))).toHaveLength(16);
  });

  it('a successful sign-in clears the username’s failures', async () => {
    await handler('forgetful');
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 4; i++) expect((await attempt('forgetful', 'wrong', '10.2.0.1')).status).toBe(401);
      expect((await attempt('forgetful', STAFF_PASSWORD, '10.2.0.1')).status).toBe(200);
    }
    expect(await h.deps.redis.hGetAll(h.deps.key('stafffail', 'forgetful'))).toEqual({});
  });
});

describe('one answer for wrong, unknown and locked', () => {
  it('a wrong password, an unknown username, an inactive account and a locked account get the same answer after the same argon2 work', async () => {
    await handler('victim');
    await handler('retired');
    await h.deps.models.Staff.updateOne({ username: 'retired' }, { $set: { active: false } });
    for (let i = 0; i < 5; i++) await attempt('victim', 'wrong', '10.3.0.1');
    const verify = jest.spyOn(argon2, 'verify');

    const replies = [
      await attempt('boss', 'wrong-password', '10.3.0.2'),
      await attempt('nobody-by-this-name', 'wrong-password', '10.3.0.2'),
      await attempt('retired', STAFF_PASSWORD, '10.3.0.2'),
      await attempt('victim', STAFF_PASSWORD, '10.3.0.1'),
    ];

    expect(replies.map((r) => r.status)).toEqual([401, 401, 401, 401]);
    expect(new Set(replies.map((r) => JSON.stringify(r.body))).size).toBe(1);
    expect(replies[0].body.error).toEqual({ code: 'LOGIN_FAILED', message: '用户名或密码错误；连续失败多次后需等待一段时间再试' });
    expect(verify).toHaveBeenCalledTimes(4);
  });
});

describe('limits per address', () => {
  it('one address that fails on many usernames gets 429 with Retry-After, and locks nobody out elsewhere', async () => {
    await handler('target');
    for (let i = 0; i < 5; i++) expect((await attempt('target', 'wrong', '10.4.0.1')).status).toBe(401);
    for (let i = 0; i < 19; i++) expect((await attempt(`sprayed-${i}`, 'wrong', '10.4.0.1')).status).toBe(401);

    const refused = await attempt('sprayed-last', 'wrong', '10.4.0.1');
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('RATE_LIMITED');
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(Number(refused.headers.get('retry-after'))).toBeLessThanOrEqual(15 * 60);

    // The owner, elsewhere, is not affected by the stranger's failures.
    expect((await attempt('target', STAFF_PASSWORD, '10.4.0.2')).status).toBe(200);
  });

  it('failures from many addresses lock the account for everyone, audited and shown to admins', async () => {
    await handler('popular');
    await Promise.all(
      Array.from({ length: 6 }, (_, a) => (async () => {
        for (let i = 0; i < 5; i++) await attempt('popular', 'wrong', `10.5.0.${a + 1}`);
      })()),
    );

    const right = await attempt('popular', STAFF_PASSWORD, '10.5.1.1');
    expect(right.status).toBe(401);
    expect(right.body.error.code).toBe('LOGIN_FAILED');
    const locks = await auditOf('staff_locked', 'popular');
    expect(locks.filter((a) => a.detail!.includes('scope=account'))).toHaveLength(1);
    const boss = await signIn(h, 'boss');
    const listed = (await boss.get('/admin/staff')).body.items.find((s: { username: string }) => s.username === 'popular');
    expect(listed.locked).toBe(true);

    expect((await boss.post(`/admin/staff/${listed.id}`, { unlock: true })).body.locked).toBe(false);
    expect((await attempt('popular', STAFF_PASSWORD, '10.5.1.1')).status).toBe(200);
  });
});

describe('audit', () => {
  it('records a sign-in, each failure and the lockout, with the address and never the typed unknown name', async () => {
    await handler('audited');
    for (let i = 0; i < 5; i++) await attempt('audited', 'wrong', '10.6.0.1');
    await attempt('audited', STAFF_PASSWORD, '10.6.0.2');
    await attempt('my-password-typed-as-name', 'x', '10.6.0.3');

    const failed = await auditOf('staff_login_failed', 'audited');
    expect(failed).toHaveLength(5);
    expect(failed[0].detail).toBe('ip=10.6.0.1 reason=wrong_password');
    expect((await auditOf('staff_locked', 'audited')).map((a) => a.detail)).toEqual(['ip=10.6.0.1 scope=address']);
    expect((await auditOf('staff_login', 'audited')).map((a) => a.detail)).toEqual(['ip=10.6.0.2']);
    const unknown = await h.deps.models.AuditEntry.find({ action: 'staff_login_failed', detail: 'ip=10.6.0.3 reason=unknown_user' }).lean();
    expect(unknown).toHaveLength(1);
    expect(unknown[0].username).toBe('-');
    expect(JSON.stringify(await h.deps.models.AuditEntry.find({}).lean())).not.toContain('my-password-typed-as-name');
  });
});
