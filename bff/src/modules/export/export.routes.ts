import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireStaff } from '../../http/staff-auth';
import { exportProgress, exportQuery } from '../../../../shared/api/admin';
import * as exporter from './export.service';

export function exportRoutes(api: Api, deps: Deps): void {
  const staff = [requireStaff(deps)];
  api.route(
    {
      method: 'get',
      path: '/admin/export',
      errors: [403],
      tag: 'admin',
      summary: '导出案件（CSV 或 Excel；筛选条件同案件列表，限本人管辖范围；记入审计日志）',
      security: 'staffCookie',
      query: exportQuery,
      produces: ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'],
      middleware: staff,
    },
    async ({ query, ctx }) => {
      const file = await exporter.startExport(deps, ctx.state.staff, query);
      ctx.type = file.contentType;
      // RFC 6266 / 5987: browsers take the UTF-8 name, older clients the ASCII one.
      ctx.set('Content-Disposition', `attachment; filename="${file.filename.ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename.utf8)}`);
      ctx.set('Cache-Control', 'private, no-store');
      ctx.set('X-Export-Id', file.exportId);
      ctx.set('X-Export-Total', String(file.total));
      return file.body;
    },
  );
  api.route(
    {
      method: 'get',
      path: '/admin/export/progress/:exportId',
      errors: [404],
      tag: 'admin',
      summary: '导出进度（仅限发起导出的工作人员）',
      security: 'staffCookie',
      params: z.object({ exportId: z.uuid() }),
      response: exportProgress,
      middleware: staff,
    },
    ({ params, ctx }) => exporter.exportProgress(deps, ctx.state.staff, params.exportId),
  );
}
