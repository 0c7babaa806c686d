import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireConsumer } from '../../http/consumer-auth';
import { perAddress, rateLimit } from '../../http/rate-limit';
import { loginBody, refreshBody, sessionReply, userView } from '../../../../shared/api/auth';
import { profileView } from '../../../../shared/api/identity';
import * as auth from './auth.service';
import { profile } from '../identity/identity.service';

export function authRoutes(api: Api, deps: Deps): void {
  const { limits } = deps.config;
  // A code works once: retrying one only spends the vendor's quota. Counted by a digest, never the code itself.
  const perCode = rateLimit(deps, {
    name: 'login-code',
    rule: limits.loginCode,
    key: (ctx) => {
      const body = (ctx.request as { body?: { platform?: unknown; code?: unknown } }).body;
      return typeof body?.code === 'string' ? createHash('sha256').update(`${String(body.platform)}\u0000${body.code}`).digest('base64url') : undefined;
    },
  });
  api.route(
    {
      method: 'post',
      path: '/auth/login',
      tag: 'auth',
      summary: '用平台登录凭证换取会话',
      body: loginBody,
      response: sessionReply,
      errors: [401, 403, 429, 502],
      middleware: [perAddress(deps, 'login-ip', limits.loginIp), perCode],
    },
    ({ body }) => auth.login(deps, body.platform, body.code),
  );
  api.route(
    {
      method: 'post',
      path: '/auth/refresh',
      tag: 'auth',
      summary: '轮换刷新凭证',
      body: refreshBody,
      response: sessionReply,
      errors: [401, 429],
      middleware: [perAddress(deps, 'refresh-ip', limits.refreshIp)],
    },
    ({ body }) => auth.refresh(deps, body.refreshToken),
  );
  api.route(
    {
      method: 'post',
      path: '/auth/logout',
      tag: 'auth',
      // The bearer is optional: a client whose access token has expired can still end its refresh token.
      summary: '退出本设备：吊销刷新凭证及由其签发的访问凭证（可附带 Bearer 访问凭证，一并吊销）',
      body: refreshBody,
    },
    ({ body, ctx }) => auth.logout(deps, body.refreshToken, /^Bearer ([A-Za-z0-9._-]+)$/.exec(ctx.get('authorization'))?.[1]),
  );
  api.route(
    {
      method: 'get',
      path: '/me',
      tag: 'auth',
      summary: '当前用户',
      security: 'bearer',
      response: z.object({ user: userView, profile: profileView }),
      middleware: [requireConsumer(deps)],
    },
    async ({ ctx }) => ({ user: await auth.me(deps, ctx.state.user.id), profile: await profile(deps, ctx.state.user.id) }),
  );
  api.route(
    {
      method: 'post',
      path: '/auth/logout-all',
      tag: 'auth',
      summary: '退出所有设备上的登录',
      security: 'bearer',
      middleware: [requireConsumer(deps)],
    },
    ({ ctx }) => auth.logoutEverywhere(deps, ctx.state.user.id),
  );
}
