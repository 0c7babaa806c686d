import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireStaff, SESSION_COOKIE, sessionCookie } from '../../http/staff-auth';
import { clientAddress } from '../../http/rate-limit';
import {
  adminCaseDetail,
  adminCaseList,
  adminLoginBody,
  caseListQuery,
  dashboardView,
  revealBody,
  revealReply,
  staffSessionReply,
  transitionBody,
} from '../../../../shared/api/admin';
import * as staffService from './staff.service';
import * as handling from '../handling/handling.service';
import { caseNumberParam } from '../../../../shared/api/complaints';

export function adminRoutes(api: Api, deps: Deps): void {
  const staff = [requireStaff(deps)];
  const numberParam = caseNumberParam;

  api.route(
    {
      method: 'post',
      path: '/admin/login',
      tag: 'admin',
      summary: '工作人员登录（密码错误、用户名不存在、账号锁定答复相同）',
      body: adminLoginBody,
      response: staffSessionReply,
      errors: [401, 429],
    },
    async ({ body, ctx }) => {
      const { sid, session } = await staffService.login(deps, body.username, body.password, clientAddress(ctx));
      ctx.cookies.set(SESSION_COOKIE, sid, sessionCookie(deps, deps.config.staffSessionTtlS * 1000));
      return staffService.staffView(deps, session);
    },
  );
  api.route(
    { method: 'post', path: '/admin/logout', tag: 'admin', summary: '退出登录', security: 'staffCookie', middleware: staff },
    async ({ ctx }) => {
      await staffService.logout(deps, ctx.state.staff, ctx.state.sid);
      ctx.cookies.set(SESSION_COOKIE, '', sessionCookie(deps, 0));
    },
  );
  api.route(
    { method: 'get', path: '/admin/me', tag: 'admin', summary: '当前工作人员', security: 'staffCookie', response: staffSessionReply, middleware: staff },
    ({ ctx }) => staffService.staffView(deps, ctx.state.staff),
  );
  api.route(
    {
      method: 'get',
      path: '/admin/cases',
      errors: [403],
      tag: 'admin',
      summary: '案件列表（限本人管辖范围）',
      security: 'staffCookie',
      query: caseListQuery,
      response: adminCaseList,
      middleware: staff,
    },
    ({ query, ctx }) => handling.listCases(deps, ctx.state.staff, query),
  );
  api.route(
    { method: 'get', path: '/admin/dashboard', tag: 'admin', summary: '时限提醒：即将到期与超期案件数', security: 'staffCookie', response: dashboardView, middleware: staff },
    ({ ctx }) => handling.dashboard(deps, ctx.state.staff),
  );
  api.route(
    {
      method: 'post',
      path: '/admin/cases/:number/reveal',
      errors: [404],
      tag: 'admin',
      summary: '查看投诉人完整信息（记入审计日志）',
      security: 'staffCookie',
      params: numberParam,
      body: revealBody,
      response: revealReply,
      middleware: staff,
    },
    ({ params, body, ctx }) => handling.reveal(deps, ctx.state.staff, params.number, body.field),
  );
  api.route(
    {
      method: 'get',
      path: '/admin/cases/:number',
      errors: [404],
      tag: 'admin',
      summary: '案件详情',
      security: 'staffCookie',
      params: numberParam,
      response: adminCaseDetail,
      middleware: staff,
    },
    ({ params, ctx }) => handling.getCase(deps, ctx.state.staff, params.number),
  );
  api.route(
    {
      method: 'post',
      path: '/admin/cases/:number/transitions',
      errors: [404, 409, 422],
      tag: 'admin',
      summary: '办理操作（受理、不予受理、调解、办结……）',
      security: 'staffCookie',
      params: numberParam,
      body: transitionBody,
      response: adminCaseDetail,
      middleware: staff,
    },
    ({ params, body, ctx }) => handling.transition(deps, ctx.state.staff, params.number, body),
  );
}
