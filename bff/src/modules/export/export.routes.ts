import type { Context } from 'koa';
import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireStaff } from '../../http/staff-auth';
import { exportFullBody, exportProgress, exportQuery, exportTicket, exportTicketParam } from '../../../../shared/api/admin';
import * as exporter from './export.service';

const FILE_TYPES = ['text/csv', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet'];

function sendFile(ctx: Context, file: exporter.ExportDownload) {
  ctx.type = file.contentType;
  // RFC 6266 / 5987: browsers take the UTF-8 name, older clients the ASCII one.
  ctx.set('Content-Disposition', `attachment; filename="${file.filename.ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename.utf8)}`);
  ctx.set('Cache-Control', 'private, no-store');
  ctx.set('X-Export-Id', file.exportId);
  ctx.set('X-Export-Total', String(file.total));
  return file.body;
}

export function exportRoutes(api: Api, deps: Deps): void {
  const staff = [requireStaff(deps)];
  api.route(
    {
      method: 'get',
      path: '/admin/export',
      errors: [403],
      tag: 'admin',
      summary: '导出案件（CSV 或 Excel；投诉人信息脱敏；筛选条件同案件列表，限本人管辖范围；记入审计日志）',
      security: 'staffCookie',
      query: exportQuery,
      produces: FILE_TYPES,
      middleware: staff,
    },
    async ({ query, ctx }) => sendFile(ctx, await exporter.startExport(deps, ctx.state.staff, query)),
  );
  api.route(
    {
      method: 'post',
      path: '/admin/export/full',
      tag: 'admin',
      summary: '申请导出投诉人完整姓名和电话：填写用途、再次输入密码，不超过行数上限；返回一次性下载凭证（记入审计日志）',
      security: 'staffCookie',
      body: exportFullBody,
      response: exportTicket,
      status: 201,
      errors: [403, 422, 429],
      middleware: staff,
    },
    ({ body, ctx }) => exporter.authoriseFullExport(deps, ctx.state.staff, body),
  );
  api.route(
    {
      method: 'get',
      path: '/admin/export/full/:ticket',
      tag: 'admin',
      summary: '凭一次性凭证下载含投诉人完整信息的导出文件（仅限申请人，1 分钟内有效）',
      security: 'staffCookie',
      params: exportTicketParam,
      produces: FILE_TYPES,
      errors: [403, 410, 422],
      middleware: staff,
    },
    async ({ params, ctx }) => {
      const request = await exporter.redeemTicket(deps, ctx.state.staff, params.ticket);
      return sendFile(ctx, await exporter.startExport(deps, ctx.state.staff, request));
    },
  );
  api.route(
    {
      method: 'get',
      path: '/admin/export/progress/:exportId',
      tag: 'admin',
      summary: '导出进度（仅限发起导出的工作人员）',
      security: 'staffCookie',
      params: z.object({ exportId: z.uuid() }),
      response: exportProgress,
      errors: [404],
      middleware: staff,
    },
    ({ params, ctx }) => exporter.exportProgress(deps, ctx.state.staff, params.exportId),
  );
}
