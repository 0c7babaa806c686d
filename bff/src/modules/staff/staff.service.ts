/** Staff sign-in: argon2 passwords, lockout after repeated failures, sessions kept in Redis. */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { staffRoles } from '../../../../shared/api/admin';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

export type Role = (typeof staffRoles)[number];

export interface StaffSession {
  staffId: string;
  username: string;
  displayName: string;
  role: Role;
  bureauCode: string;
  regionPrefix: string;
  csrf: string;
}

// Verifying against a real hash for unknown names keeps response times alike.
let dummyHash: Promise<string> | undefined;

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export async function login(deps: Deps, username: string, password: string) {
  const { Staff } = deps.models;
  const staff = await Staff.findOne({ username, active: true }).lean();
  if (!staff) {
    dummyHash ??= hashPassword(randomBytes(16).toString('hex'));
    await argon2.verify(await dummyHash, password);
    throw new AppError(401, 'LOGIN_FAILED', '用户名或密码错误');
  }
  if (staff.lockedUntil && staff.lockedUntil > new Date()) {
    throw new AppError(423, 'ACCOUNT_LOCKED', `连续登录失败次数过多，账号已锁定，请 ${LOCK_MINUTES} 分钟后再试`);
  }
  if (!(await argon2.verify(staff.passwordHash, password))) {
    // Counted with $inc so that parallel guesses cannot slip past the limit.
    const counted = await Staff.findOneAndUpdate({ _id: staff._id }, { $inc: { failedLogins: 1 } }, { returnDocument: 'after' }).lean();
    const lock = (counted?.failedLogins ?? MAX_FAILED_LOGINS) >= MAX_FAILED_LOGINS;
    if (lock) {
      await Staff.updateOne({ _id: staff._id }, { $set: { failedLogins: 0, lockedUntil: new Date(Date.now() + LOCK_MINUTES * 60_000) } });
    }
    if (lock) throw new AppError(423, 'ACCOUNT_LOCKED', `连续登录失败次数过多，账号已锁定，请 ${LOCK_MINUTES} 分钟后再试`);
    throw new AppError(401, 'LOGIN_FAILED', '用户名或密码错误');
  }
  await Staff.updateOne({ _id: staff._id }, { $set: { failedLogins: 0 }, $unset: { lockedUntil: 1 } });

  const sid = randomBytes(32).toString('base64url');
  const session: StaffSession = {
    staffId: String(staff._id),
    username: staff.username,
    displayName: staff.displayName,
    role: staff.role as Role,
    bureauCode: staff.bureauCode,
    regionPrefix: staff.regionPrefix,
    csrf: randomBytes(24).toString('base64url'),
  };
  await deps.redis.set(deps.key('sess', sid), JSON.stringify(session), { EX: deps.config.staffSessionTtlS });
  // Remembered per staff member, so a change of role or bureau ends every session at once.
  await deps.redis.sAdd(deps.key('staffsess', session.staffId), sid);
  await deps.redis.expire(deps.key('staffsess', session.staffId), deps.config.staffSessionTtlS);
  return { sid, session };
}

export async function loadSession(deps: Deps, sid: string): Promise<StaffSession | null> {
  const key = deps.key('sess', sid);
  const raw = await deps.redis.get(key);
  if (!raw) return null;
  const session = JSON.parse(raw) as StaffSession;
  // Sliding expiry: an active session stays alive, an idle one ends; its index entry lives as long.
  await deps.redis.expire(key, deps.config.staffSessionTtlS);
  await deps.redis.expire(deps.key('staffsess', session.staffId), deps.config.staffSessionTtlS);
  return session;
}

export async function logout(deps: Deps, sid: string): Promise<void> {
  await deps.redis.del(deps.key('sess', sid));
}

/** Ends every session of a staff member (after a change of role, bureau, password or activity). */
export async function endSessions(deps: Deps, staffId: string): Promise<void> {
  const setKey = deps.key('staffsess', staffId);
  const sids = await deps.redis.sMembers(setKey);
  if (sids.length) await deps.redis.del(sids.map((sid) => deps.key('sess', sid)));
  await deps.redis.del(setKey);
}

export function csrfMatches(session: StaffSession, token: string): boolean {
  const a = Buffer.from(session.csrf);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function staffView(deps: Deps, session: StaffSession) {
  const bureau = await deps.models.Bureau.findOne({ code: session.bureauCode }).lean();
  return {
    staff: {
      id: session.staffId,
      username: session.username,
      displayName: session.displayName,
      role: session.role,
      bureau: { code: session.bureauCode, name: bureau?.name ?? session.bureauCode },
      regionPrefix: session.regionPrefix,
    },
    csrfToken: session.csrf,
  };
}
