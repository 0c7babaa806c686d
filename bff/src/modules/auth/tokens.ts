/**
 * Access tokens are short-lived HS256 JWTs with issuer and audience; refresh tokens are random,
 * one live token per family (a sign-in), rotated on every use, and a reused one revokes its family
 * and the access tokens issued from it. Everything kept in Redis expires or is bounded: a family
 * is one hash, a user keeps at most MAX_FAMILIES_PER_USER, a revoked access token is remembered
 * only until it would have expired anyway.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { Platform } from '../../../../shared/api/common';

/** Signed-in devices one user keeps; a sign-in beyond it ends the one used least recently. */
export const MAX_FAMILIES_PER_USER = 20;

export interface AccessClaims {
  sub: string;
  platform: Platform;
  /** Issued at, in milliseconds (JWT's own iat has whole seconds only); set on verified tokens. */
  issuedAtMs?: number;
  /** The token's id, by which it can be revoked; set on verified tokens. */
  jti?: string;
  /** Expiry in seconds since the epoch; set on verified tokens. */
  exp?: number;
  /** A digest of the refresh-token family the token was issued from (not the family id itself). */
  fam?: string;
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');
const familyTag = (family: string) => hash(`family\u0000${family}`).slice(0, 22);

export function signAccessToken(deps: Deps, claims: AccessClaims & { family?: string }): string {
  const { secret, issuer, audience, accessTtlS } = deps.config.jwt;
  return jwt.sign({ platform: claims.platform, iatms: Date.now(), ...(claims.family ? { fam: familyTag(claims.family) } : {}) }, secret, {
    algorithm: 'HS256',
    subject: claims.sub,
    issuer,
    audience,
    expiresIn: accessTtlS,
    jwtid: randomUUID(),
  });
}

export function verifyAccessToken(deps: Deps, token: string): AccessClaims {
  const { secret, issuer, audience } = deps.config.jwt;
  try {
    const payload = jwt.verify(token, secret, { algorithms: ['HS256'], issuer, audience }) as jwt.JwtPayload;
    if (typeof payload.sub !== 'string' || (payload.platform !== 'wechat' && payload.platform !== 'alipay')) {
      throw new AppError(401, 'TOKEN_INVALID', '登录状态无效，请重新登录');
    }
    // Tokens signed before iatms was added still carry the standard iat.
    const issuedAtMs = typeof payload.iatms === 'number' ? payload.iatms : (payload.iat ?? 0) * 1000;
    return {
      sub: payload.sub,
      platform: payload.platform,
      issuedAtMs,
      ...(typeof payload.jti === 'string' ? { jti: payload.jti } : {}),
      ...(typeof payload.exp === 'number' ? { exp: payload.exp } : {}),
      ...(typeof payload.fam === 'string' ? { fam: payload.fam } : {}),
    };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof jwt.TokenExpiredError) throw new AppError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录');
    throw new AppError(401, 'TOKEN_INVALID', '登录状态无效，请重新登录');
  }
}

/** Revokes one access token until it would have expired anyway. */
export async function revokeAccessToken(deps: Deps, claims: AccessClaims): Promise<void> {
  if (!claims.jti) return;
  const left = (claims.exp ?? Math.floor(Date.now() / 1000) + deps.config.jwt.accessTtlS) - Math.floor(Date.now() / 1000);
  if (left > 0) await deps.redis.set(deps.key('atrevoked', claims.jti), '1', { EX: left });
}

interface FamilyRecord {
  userId: string;
  platform: Platform;
  family: string;
}

const familyKey = (deps: Deps, family: string) => deps.key('rtfamily', family);
const userFamiliesKey = (deps: Deps, userId: string) => deps.key('rtfamilies', userId);

/** A refresh token names its family, so the family's one live token is found without an index of spent ones. */
function parseRefreshToken(token: string): { family: string } | undefined {
  const m = /^([0-9a-f-]{36})\.[A-Za-z0-9_-]{43}$/.exec(token);
  return m ? { family: m[1] } : undefined;
}

const newToken = (family: string) => `${family}.${randomBytes(32).toString('base64url')}`;

/** Starts a family (a sign-in on one device) and hands out its first refresh token. */
export async function issueRefreshToken(deps: Deps, userId: string, platform: Platform): Promise<{ token: string; family: string }> {
  const family = randomUUID();
  const token = newToken(family);
  const ttl = deps.config.jwt.refreshTtlS;
  const index = userFamiliesKey(deps, userId);
  const [, , , , dropped] = await deps.redis
    .multi()
    .hSet(familyKey(deps, family), { userId, platform, current: hash(token) })
    .expire(familyKey(deps, family), ttl)
    .zAdd(index, { score: Date.now(), value: family })
    .expire(index, ttl)
    .zRange(index, 0, -(MAX_FAMILIES_PER_USER + 1))
    .exec();
  for (const old of dropped as unknown as string[]) await revokeFamily(deps, old, userId);
  return { token, family };
}

// Swaps the family's live token only if the one presented is still it: two uses of one token never both win.
const ROTATE = `
if redis.call('HGET', KEYS[1], 'current') ~= ARGV[1] then return 0 end
redis.call('HSET', KEYS[1], 'current', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return 1
`;

/** Spends a refresh token; one seen again after rotation revokes its family. */
export async function rotateRefreshToken(deps: Deps, token: string): Promise<FamilyRecord & { token: string }> {
  const invalid = new AppError(401, 'REFRESH_INVALID', '登录已失效，请重新登录');
  const parsed = parseRefreshToken(token);
  if (!parsed) throw invalid;
  const key = familyKey(deps, parsed.family);
  const record = (await deps.redis.hGetAll(key)) as Partial<Record<'userId' | 'platform' | 'current', string>>;
  if (!record.userId || !record.platform) throw invalid;
  const next = newToken(parsed.family);
  const swapped = await deps.redis.eval(ROTATE, { keys: [key], arguments: [hash(token), hash(next), String(deps.config.jwt.refreshTtlS)] });
  if (swapped !== 1) {
    // A spent token came back: whoever holds the family's tokens, one of them is not its owner.
    await revokeFamily(deps, parsed.family, record.userId);
    throw invalid;
  }
  // The user's index lives as long as its newest family, so signing out everywhere still finds this one.
  const index = userFamiliesKey(deps, record.userId);
  await deps.redis.multi().zAdd(index, { score: Date.now(), value: parsed.family }).expire(index, deps.config.jwt.refreshTtlS).exec();
  return { userId: record.userId, platform: record.platform as Platform, family: parsed.family, token: next };
}

/** Ends a family: its refresh token, and every access token issued from it (for as long as one can live). */
export async function revokeFamily(deps: Deps, family: string, userId?: string): Promise<void> {
  const multi = deps.redis
    .multi()
    .del(familyKey(deps, family))
    .set(deps.key('famrevoked', familyTag(family)), '1', { EX: deps.config.jwt.accessTtlS });
  if (userId) multi.zRem(userFamiliesKey(deps, userId), family);
  await multi.exec();
}

/**
 * Ends every session of a user: all refresh-token families, and access tokens issued until now
 * (checked on each request by assertSessionLive, for as long as an access token can live).
 */
export async function revokeUserSessions(deps: Deps, userId: string): Promise<void> {
  const families = await deps.redis.zRange(userFamiliesKey(deps, userId), 0, -1);
  for (const family of families) await revokeFamily(deps, family);
  await deps.redis
    .multi()
    .del(userFamiliesKey(deps, userId))
    .set(deps.key('revokedBefore', userId), String(Date.now()), { EX: deps.config.jwt.accessTtlS })
    .exec();
}

export async function assertSessionLive(deps: Deps, claims: AccessClaims): Promise<void> {
  const keys = [deps.key('revokedBefore', claims.sub), deps.key('atrevoked', claims.jti ?? '-'), deps.key('famrevoked', claims.fam ?? '-')];
  const [before, tokenRevoked, familyRevoked] = await deps.redis.mGet(keys);
  if ((before && (claims.issuedAtMs ?? 0) <= Number(before)) || tokenRevoked || familyRevoked) {
    throw new AppError(401, 'SESSION_REVOKED', '登录已失效，请重新登录');
  }
}

/** Signs one device out: the refresh token's family ends, whether the token was the live one or a spent one. */
export async function revokeRefreshToken(deps: Deps, token: string): Promise<void> {
  const parsed = parseRefreshToken(token);
  if (!parsed) return;
  const key = familyKey(deps, parsed.family);
  const [userId, current] = await deps.redis.hmGet(key, ['userId', 'current']);
  if (!userId || !current) return;
  await revokeFamily(deps, parsed.family, userId);
}
