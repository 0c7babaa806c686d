import type { Deps } from '../../context';
import { retryingUpsert } from '../../infra/db';
import { AppError } from '../../http/errors';
import type { Platform } from '../../../../shared/api/common';
import type { SessionReply, UserView } from '../../../../shared/api/auth';
import {
  issueRefreshToken,
  revokeAccessToken,
  revokeRefreshToken,
  revokeUserSessions,
  rotateRefreshToken,
  signAccessToken,
  verifyAccessToken,
  type AccessClaims,
} from './tokens';

type UserDoc = { _id: unknown; platform: string; verified?: boolean | null };

export function toUserView(user: UserDoc): UserView {
  return { id: String(user._id), platform: user.platform as Platform, verified: Boolean(user.verified) };
}

async function session(deps: Deps, user: UserDoc, rotated?: { token: string; family: string }): Promise<SessionReply> {
  const view = toUserView(user);
  const refresh = rotated ?? (await issueRefreshToken(deps, view.id, view.platform));
  return {
    accessToken: signAccessToken(deps, { sub: view.id, platform: view.platform, family: refresh.family }),
    refreshToken: refresh.token,
    expiresIn: deps.config.jwt.accessTtlS,
    user: view,
  };
}

/** Exchanges a platform login code for our session, creating the user on first sign-in. */
export async function login(deps: Deps, platform: Platform, code: string): Promise<SessionReply> {
  const identity = await deps.platforms[platform].exchangeLoginCode(code);
  // A first sign-in from two devices at once creates one user.
  const user = await retryingUpsert(() =>
    deps.models.User.findOneAndUpdate(
      { platform, platformUserId: identity.platformUserId },
      {
        $set: { lastLoginAt: new Date(), ...(identity.unionId ? { unionId: identity.unionId } : {}) },
        $setOnInsert: { platform, platformUserId: identity.platformUserId, verified: false },
      },
      { upsert: true, returnDocument: 'after' },
    ).lean(),
  );
  return session(deps, user);
}

export async function refresh(deps: Deps, refreshToken: string): Promise<SessionReply> {
  const rotated = await rotateRefreshToken(deps, refreshToken);
  const user = await deps.models.User.findById(rotated.userId).lean();
  if (!user) throw new AppError(401, 'REFRESH_INVALID', '登录已失效，请重新登录');
  return session(deps, user, rotated);
}

/**
 * Signs this device out: the refresh token's family ends, and with it every access token issued
 * from it; the access token the client sent, if any and still valid, is revoked by its id as well.
 */
export async function logout(deps: Deps, refreshToken: string, bearer?: string): Promise<void> {
  await revokeRefreshToken(deps, refreshToken);
  if (!bearer) return;
  let claims: AccessClaims;
  try {
    claims = verifyAccessToken(deps, bearer);
  } catch {
    // An expired or foreign token has nothing left to revoke; signing out still succeeds.
    return;
  }
  await revokeAccessToken(deps, claims);
}

/** Signs the user out everywhere: every device, both tokens. */
export async function logoutEverywhere(deps: Deps, userId: string): Promise<void> {
  await revokeUserSessions(deps, userId);
  deps.logger.info({ event: 'auth.logout_all', userId }, 'all sessions revoked');
}

export async function me(deps: Deps, userId: string): Promise<UserView> {
  const user = await deps.models.User.findById(userId).lean();
  if (!user) throw new AppError(401, 'AUTH_REQUIRED', '请先登录');
  return toUserView(user);
}
