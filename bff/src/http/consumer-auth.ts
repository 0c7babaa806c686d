import type { Middleware } from 'koa';
import type { Deps } from '../context';
import { assertSessionLive, verifyAccessToken } from '../modules/auth/tokens';
import { AppError } from './errors';

export interface ConsumerState {
  user: { id: string; platform: 'wechat' | 'alipay' };
}

/** Bearer JWT of a signed-in consumer; sets ctx.state.user. */
export function requireConsumer(deps: Deps): Middleware {
  return async (ctx, next) => {
    const header = ctx.get('authorization');
    const m = /^Bearer ([A-Za-z0-9._-]+)$/.exec(header);
    if (!m) throw new AppError(401, 'AUTH_REQUIRED', '请先登录');
    const claims = verifyAccessToken(deps, m[1]);
    await assertSessionLive(deps, claims);
    ctx.state.user = { id: claims.sub, platform: claims.platform };
    await next();
  };
}
