/**
 * Staff sign-in: argon2 passwords, attempts counted in Redis before the password is checked,
 * sessions kept in Redis.
 *
 * Failures are counted per (username, address) and per username over all addresses. An address
 * that reaches STAFF_LOCK_PAIR failures on a username is locked out of it; the account is locked
 * for everyone only at STAFF_LOCK_ACCOUNT failures, a threshold above LIMIT_STAFF_FAILURES_IP (the
 * failures one address may make over all usernames), so no single address can lock anyone out,
 * and a stranger needs several addresses and keeps the lock only while still failing.
 * A wrong password, an unknown or inactive username and a locked account get the same answer
 * after the same argon2 work.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import argon2 from 'argon2';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import { limiter } from '../../http/rate-limit';
import * as audit from '../audit/audit.service';
import type { staffRoles } from '../../../../shared/api/admin';

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

/** The most sessions one staff member keeps open; a new sign-in beyond it ends the oldest. */
export const MAX_SESSIONS_PER_STAFF = 20;
/** Distinct addresses remembered per username in a window; beyond it a new address counts as locked out. */
const MAX_ADDRESSES_PER_USERNAME = 500;

// Verifying against a real hash for unknown names keeps response times alike.
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(randomBytes(16).toString('hex')));

export function hashPassword(password: string): Promise<string> {
  return argon2.hash(password, { type: argon2.argon2id });
}

export const loginFailed = () => new AppError(401, 'LOGIN_FAILED', '用户名或密码错误；连续失败多次后需等待一段时间再试');

// One atomic step per attempt: count it for the address and for the username, start the window on
// the first count, and restart it when a count reaches its lock threshold (the lock lasts a window).
const COUNT_ATTEMPT = `
local field = ARGV[1]
if redis.call('HEXISTS', KEYS[1], field) == 0 and redis.call('HLEN', KEYS[1]) >= tonumber(ARGV[6]) then
  field = '+'
end
local pair = redis.call('HINCRBY', KEYS[1], field, 1)
local all = redis.call('HINCRBY', KEYS[1], '*', 1)
if field == '+' then pair = tonumber(ARGV[2]) + 1 end
local ttl = redis.call('PTTL', KEYS[1])
local want = -1
if ttl < 0 then want = math.max(tonumber(ARGV[3]), tonumber(ARGV[5])) end
if pair == tonumber(ARGV[2]) then want = math.max(want, tonumber(ARGV[3])) end
if all == tonumber(ARGV[4]) then want = math.max(want, tonumber(ARGV[5])) end
if want > ttl then redis.call('PEXPIRE', KEYS[1], want) end
return {pair, all}
`;

const failuresKey = (deps: Deps, username: string) => deps.key('stafffail', username);
const addressField = (address: string) => `a:${address}`;

async function countAttempt(deps: Deps, username: string, address: string): Promise<{ pair: number; all: number }> {
  const { staffLockPair, staffLockAccount } = deps.config.limits;
  const [pair, all] = (await deps.redis.eval(COUNT_ATTEMPT, {
    keys: [failuresKey(deps, username)],
    arguments: [
      addressField(address),
      String(staffLockPair.points),
      String(staffLockPair.durationS * 1000),
      String(staffLockAccount.points),
      String(staffLockAccount.durationS * 1000),
      String(MAX_ADDRESSES_PER_USERNAME),
    ],
  })) as [number, number];
  return { pair, all };
}

/** Forgets every failure counted against a username (an administrator's unlock). */
export async function clearLoginFailures(deps: Deps, username: string): Promise<void> {
  await deps.redis.del(failuresKey(deps, username));
}

export async function login(deps: Deps, username: string, password: string, address: string) {
  const { Staff } = deps.models;
  const { limits } = deps.config;
  await limiter(deps, 'staff-login-ip', limits.staffLoginIp).consume(address);
  const addressFailures = limiter(deps, 'staff-fail-ip', limits.staffFailuresIp);
  // Spent before the check like every other count; given back when the password was right.
  await addressFailures.consume(address);
  const counted = await countAttempt(deps, username, address);
  const locked = counted.pair > limits.staffLockPair.points || counted.all > limits.staffLockAccount.points;

  const staff = await Staff.findOne({ username, active: true }).lean();
  const matches = await argon2.verify(staff && !locked ? staff.passwordHash : await dummy(), password);
  const ip = `ip=${address}`;
  if (!staff || locked || !matches) {
    const actor = staff
      ? { staffId: String(staff._id), username: staff.username, role: staff.role }
      : // The typed name is not kept: people type their password into the wrong field.
        { staffId: '-', username: '-', role: '-' };
    const reason = !staff ? 'unknown_user' : locked ? 'locked' : 'wrong_password';
    await audit.record(deps, actor, { action: 'staff_login_failed', detail: `${ip} reason=${reason}` });
    if (staff && !locked) {
      if (counted.all === limits.staffLockAccount.points) {
        const until = new Date(Date.now() + limits.staffLockAccount.durationS * 1000);
        await Staff.updateOne({ _id: staff._id }, { $set: { lockedUntil: until } });
        await audit.record(deps, actor, { action: 'staff_locked', detail: `${ip} scope=account until=${until.toISOString()}` });
      } else if (counted.pair === limits.staffLockPair.points) {
        await audit.record(deps, actor, { action: 'staff_locked', detail: `${ip} scope=address` });
      }
    }
    throw loginFailed();
  }
  // A right password clears the username's count and this address's; other addresses keep theirs.
  await deps.redis.hDel(failuresKey(deps, username), ['*', addressField(address)]);
  await addressFailures.refund(address, 1);
  if (staff.lockedUntil) await Staff.updateOne({ _id: staff._id }, { $unset: { lockedUntil: 1 } });

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
  const ttl = deps.config.staffSessionTtlS;
  const index = sessionIndexKey(deps, session.staffId);
  // Remembered per staff member (newest last), so a change of role or bureau ends every session at
  // once; the index keeps the newest MAX_SESSIONS_PER_STAFF and ends the sessions it drops.
  const [, , , dropped] = await deps.redis
    .multi()
    .set(deps.key('sess', sid), JSON.stringify(session), { EX: ttl })
    .zAdd(index, { score: Date.now(), value: sid })
    .expire(index, ttl)
    .zRange(index, 0, -(MAX_SESSIONS_PER_STAFF + 1))
    .exec();
  const old = dropped as unknown as string[];
  if (old.length) {
    await deps.redis.multi().del(old.map((s) => deps.key('sess', s))).zRem(index, old).exec();
  }
  await audit.record(deps, { staffId: session.staffId, username: session.username, role: session.role }, { action: 'staff_login', detail: ip });
  return { sid, session };
}

const sessionIndexKey = (deps: Deps, staffId: string) => deps.key('staffsessions', staffId);

export async function loadSession(deps: Deps, sid: string): Promise<StaffSession | null> {
  const key = deps.key('sess', sid);
  const raw = await deps.redis.get(key);
  if (!raw) return null;
  const session = JSON.parse(raw) as StaffSession;
  // Sliding expiry: an active session stays alive, an idle one ends; its index entry lives as long.
  await deps.redis.expire(key, deps.config.staffSessionTtlS);
  await deps.redis.expire(sessionIndexKey(deps, session.staffId), deps.config.staffSessionTtlS);
  return session;
}

export async function logout(deps: Deps, session: StaffSession, sid: string): Promise<void> {
  await deps.redis.multi().del(deps.key('sess', sid)).zRem(sessionIndexKey(deps, session.staffId), sid).exec();
}

/** Ends every session of a staff member (after a change of role, bureau, password or activity). */
export async function endSessions(deps: Deps, staffId: string): Promise<void> {
  const index = sessionIndexKey(deps, staffId);
  const sids = await deps.redis.zRange(index, 0, -1);
  if (sids.length) await deps.redis.del(sids.map((sid) => deps.key('sess', sid)));
  await deps.redis.del(index);
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
