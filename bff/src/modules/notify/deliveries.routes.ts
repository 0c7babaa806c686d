import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireStaff } from '../../http/staff-auth';
import { deliveryView } from '../../../../shared/api/admin';
import { deadLetterList, deadLetterQuery, deliveryKeyParam } from '../../../../shared/api/deliveries';
import * as deliveries from './deliveries.service';

export function deliveryRoutes(api: Api, deps: Deps): void {
  const staff = [requireStaff(deps)];
  api.route(
    {
      method: 'get',
      path: '/admin/deliveries',
      errors: [403],
      tag: 'admin',
      summary: '发送失败的订阅消息（限本人管辖范围）',
      security: 'staffCookie',
      query: deadLetterQuery,
      response: deadLetterList,
      middleware: staff,
    },
    ({ query, ctx }) => deliveries.listDead(deps, ctx.state.staff, query),
  );
  api.route(
    {
      method: 'post',
      path: '/admin/deliveries/:key/resend',
      tag: 'admin',
      summary: '重新发送一条发送失败的订阅消息（记入审计日志）',
      security: 'staffCookie',
      params: deliveryKeyParam,
      response: deliveryView,
      errors: [403, 404, 409],
      middleware: staff,
    },
    ({ params, ctx }) => deliveries.resend(deps, ctx.state.staff, params.key),
  );
}
