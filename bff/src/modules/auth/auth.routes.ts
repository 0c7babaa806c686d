import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireConsumer } from '../../http/consumer-auth';
import { loginBody, refreshBody, sessionReply, userView } from '../../../../shared/api/auth';
import { profileView } from '../../../../shared/api/identity';
import * as auth from './auth.service';
import { profile } from '../identity/identity.service';

export function authRoutes(api: Api, deps: Deps): void {
  api.route(
    { method: 'post', path: '/auth/login', errors: [401, 403, 429, 502], tag: 'auth', summary: '用平台登录凭证换取会话', body: loginBody, response: sessionReply },
    ({ body }) => auth.login(deps, body.platform, body.code),
  );
  api.route(
    { method: 'post', path: '/auth/refresh', errors: [401], tag: 'auth', summary: '轮换刷新凭证', body: refreshBody, response: sessionReply },
    ({ body }) => auth.refresh(deps, body.refreshToken),
  );
  api.route(
    { method: 'post', path: '/auth/logout', tag: 'auth', summary: '退出登录并吊销刷新凭证', body: refreshBody },
    ({ body }) => auth.logout(deps, body.refreshToken),
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
