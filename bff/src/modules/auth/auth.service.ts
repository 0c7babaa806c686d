import type { Deps } from '../../context';
import { retryingUpsert } from '../../infra/db';
import { AppError } from '../../http/errors';
import type { Platform } from '../../../../shared/api/common';
import type { SessionReply, UserView } from '../../../../shared/api/auth';
import { issueRefreshToken, revokeRefreshToken, revokeUserSessions, rotateRefreshToken, signAccessToken } from './tokens';

type UserDoc = { _id: unknown; platform: string; verified?: boolean | null };

export function toUserView(user: UserDoc): UserView {
  return { id: String(user._id), platform: user.platform as Platform, verified: Boolean(user.verified) };
}

async function session(deps: Deps, user: UserDoc, refreshToken?: string): Promise<SessionReply> {
  const view = toUserView(user);
  return {
    accessToken: signAccessToken(deps, { sub: view.id, platform: view.platform }),
    refreshToken: refreshToken ?? (await issueRefreshToken(deps, view.id, view.platform)),
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
  return session(deps, user, rotated.token);
}

export async function logout(deps: Deps, refreshToken: string): Promise<void> {
  await revokeRefreshToken(deps, refreshToken);
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
