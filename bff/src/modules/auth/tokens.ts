/**
 * Access tokens are short-lived HS256 JWTs with issuer and audience; refresh tokens are random,
 * kept in Redis by their hash, rotated on every use, and a reused one revokes its whole family.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import type { Platform } from '../../../../shared/api/common';

export interface AccessClaims {
  sub: string;
  platform: Platform;
  /** Issued at, in milliseconds (JWT's own iat has whole seconds only); set on verified tokens. */
  issuedAtMs?: number;
}

export function signAccessToken(deps: Deps, claims: AccessClaims): string {
  const { secret, issuer, audience, accessTtlS } = deps.config.jwt;
  return jwt.sign({ platform: claims.platform, iatms: Date.now() }, secret, {
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
    return { sub: payload.sub, platform: payload.platform, issuedAtMs };
  } catch (err) {
    if (err instanceof AppError) throw err;
    if (err instanceof jwt.TokenExpiredError) throw new AppError(401, 'TOKEN_EXPIRED', '登录已过期，请重新登录');
    throw new AppError(401, 'TOKEN_INVALID', '登录状态无效，请重新登录');
  }
}

const hash = (token: string) => createHash('sha256').update(token).digest('base64url');

interface RefreshRecord {
  userId: string;
  platform: Platform;
  family: string;
}

export async function issueRefreshToken(deps: Deps, userId: string, platform: Platform, family: string = randomUUID()) {
  const token = randomBytes(32).toString('base64url');
  const record: RefreshRecord = { userId, platform, family };
  const ttl = deps.config.jwt.refreshTtlS;
  await deps.redis
    .multi()
    .set(deps.key('rt', hash(token)), JSON.stringify(record), { EX: ttl })
    .sAdd(deps.key('rtfam', family), hash(token))
    .expire(deps.key('rtfam', family), ttl)
    .sAdd(deps.key('rtuser', userId), family)
    .expire(deps.key('rtuser', userId), ttl)
    .exec();
  return token;
}

/** Spends a refresh token; a token seen again after rotation revokes its family. */
export async function rotateRefreshToken(deps: Deps, token: string): Promise<RefreshRecord & { token: string }> {
  const key = deps.key('rt', hash(token));
  const raw = await deps.redis.getDel(key);
  if (!raw) {
    const usedFamily = await deps.redis.get(deps.key('rtused', hash(token)));
    if (usedFamily) await revokeFamily(deps, usedFamily);
    throw new AppError(401, 'REFRESH_INVALID', '登录已失效，请重新登录');
  }
  const record = JSON.parse(raw) as RefreshRecord;
  await deps.redis.set(deps.key('rtused', hash(token)), record.family, { EX: deps.config.jwt.refreshTtlS });
  const next = await issueRefreshToken(deps, record.userId, record.platform, record.family);
  return { ...record, token: next };
}

export async function revokeFamily(deps: Deps, family: string): Promise<void> {
  const members = await deps.redis.sMembers(deps.key('rtfam', family));
  const keys = members.map((h) => deps.key('rt', h));
  await deps.redis.del([...keys, deps.key('rtfam', family)]);
}

/**
 * Ends every session of a user: all refresh-token families, and access tokens issued until now
 * (checked on each request by assertSessionLive, for as long as an access token can live).
 */
export async function revokeUserSessions(deps: Deps, userId: string): Promise<void> {
  const families = await deps.redis.sMembers(deps.key('rtuser', userId));
  for (const family of families) await revokeFamily(deps, family);
  await deps.redis
    .multi()
    .del(deps.key('rtuser', userId))
    .set(deps.key('revokedBefore', userId), String(Date.now()), { EX: deps.config.jwt.accessTtlS })
    .exec();
}

export async function assertSessionLive(deps: Deps, claims: AccessClaims): Promise<void> {
  const before = await deps.redis.get(deps.key('revokedBefore', claims.sub));
  if (before && (claims.issuedAtMs ?? 0) <= Number(before)) {
    throw new AppError(401, 'SESSION_REVOKED', '登录已失效，请重新登录');
  }
}

export async function revokeRefreshToken(deps: Deps, token: string): Promise<void> {
  const raw = await deps.redis.get(deps.key('rt', hash(token)));
  if (raw) await revokeFamily(deps, (JSON.parse(raw) as RefreshRecord).family);
}
