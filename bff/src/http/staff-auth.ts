import type { Middleware } from 'koa';
import type { Deps } from '../context';
import { csrfMatches, loadSession } from '../modules/staff/staff.service';
import { AppError } from './errors';

export const SESSION_COOKIE = 'sid';

/** The session cookie's attributes; Secure whenever the app runs in production (behind HTTPS). */
export function sessionCookie(deps: Deps, maxAgeMs: number) {
  return { httpOnly: true, sameSite: 'strict' as const, secure: deps.config.production, path: '/api/v1/admin', maxAge: maxAgeMs };
}

/** Staff session cookie; every state-changing request must also carry the session's CSRF token. */
export function requireStaff(deps: Deps): Middleware {
  return async (ctx, next) => {
    const sid = ctx.cookies.get(SESSION_COOKIE);
    const session = sid && /^[A-Za-z0-9_-]{20,100}$/.test(sid) ? await loadSession(deps, sid) : null;
    if (!session) throw new AppError(401, 'AUTH_REQUIRED', '请先登录');
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD' && !csrfMatches(session, ctx.get('x-csrf-token'))) {
      throw new AppError(403, 'CSRF_FAILED', '页面已过期，请刷新后重试');
    }
    ctx.state.staff = session;
    ctx.state.sid = sid;
    await next();
  };
}
