import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireStaff } from '../../http/staff-auth';
import { auditList, auditQuery } from '../../../../shared/api/admin';
import * as audit from './audit.service';

export function auditRoutes(api: Api, deps: Deps): void {
  api.route(
    {
      method: 'get',
      path: '/admin/audit',
      errors: [403],
      tag: 'admin',
      summary: '审计日志（管理员）',
      security: 'staffCookie',
      query: auditQuery,
      response: auditList,
      middleware: [requireStaff(deps)],
    },
    ({ query, ctx }) => audit.list(deps, ctx.state.staff, query),
  );
}
