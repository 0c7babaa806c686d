/** Staff and bureau management (admins), and the bureau list every staff member picks from. */
import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireStaff } from '../../http/staff-auth';
import {
  bureauCreateBody,
  bureauList,
  bureauUpdateBody,
  bureauView,
  staffAccountView,
  staffCreateBody,
  staffList,
  staffUpdateBody,
} from '../../../../shared/api/admin';
import * as management from './management.service';

export function staffRoutes(api: Api, deps: Deps): void {
  const staff = [requireStaff(deps)];
  const common = { tag: 'admin', security: 'staffCookie' as const, middleware: staff };

  api.route({ ...common, method: 'get', path: '/admin/bureaus', summary: '机构列表', response: bureauList }, () => management.listBureaus(deps));
  api.route(
    { ...common, method: 'post', path: '/admin/bureaus', errors: [409], summary: '新增机构（管理员）', body: bureauCreateBody, response: bureauView, status: 201 },
    ({ body, ctx }) => management.createBureau(deps, ctx.state.staff, body),
  );
  api.route(
    {
      ...common,
      method: 'post',
      path: '/admin/bureaus/:code',
      errors: [404],
      summary: '修改机构名称（管理员）',
      params: z.object({ code: z.string().max(12) }),
      body: bureauUpdateBody,
      response: bureauView,
    },
    ({ params, body, ctx }) => management.updateBureau(deps, ctx.state.staff, params.code, body),
  );
  api.route({ ...common, method: 'get', path: '/admin/staff', errors: [403], summary: '工作人员列表（管理员）', response: staffList }, ({ ctx }) =>
    management.listStaff(deps, ctx.state.staff),
  );
  api.route(
    { ...common, method: 'post', path: '/admin/staff', errors: [409], summary: '新增工作人员（管理员）', body: staffCreateBody, response: staffAccountView, status: 201 },
    ({ body, ctx }) => management.createStaff(deps, ctx.state.staff, body),
  );
  api.route(
    {
      ...common,
      method: 'post',
      path: '/admin/staff/:id',
      errors: [404],
      summary: '修改工作人员：角色、机构、辖区、停用、重置密码、解锁（管理员）',
      params: z.object({ id: z.string().max(64) }),
      body: staffUpdateBody,
      response: staffAccountView,
    },
    ({ params, body, ctx }) => management.updateStaff(deps, ctx.state.staff, params.id, body),
  );
}
