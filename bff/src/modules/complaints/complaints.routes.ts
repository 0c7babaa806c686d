import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import { requireConsumer } from '../../http/consumer-auth';
import {
  complaintCreateBody,
  complaintDetail,
  complaintList,
  complaintSummary,
  idempotencyKey,
} from '../../../../shared/api/complaints';
import * as complaints from './complaints.service';

export function complaintRoutes(api: Api, deps: Deps): void {
  const auth = [requireConsumer(deps)];
  api.route(
    {
      method: 'post',
      path: '/complaints',
      tag: 'complaints',
      summary: '提交投诉（同一 Idempotency-Key 只生成一件）',
      security: 'bearer',
      body: complaintCreateBody,
      response: complaintSummary,
      status: 201,
      middleware: auth,
    },
    ({ body, ctx }) => {
      const key = idempotencyKey.safeParse(ctx.get('idempotency-key'));
      if (!key.success) throw new AppError(400, 'IDEMPOTENCY_KEY_REQUIRED', '缺少或无效的请求标识（Idempotency-Key）');
      return complaints.submitComplaint(deps, ctx.state.user, key.data, body);
    },
  );
  api.route(
    { method: 'get', path: '/complaints', tag: 'complaints', summary: '我的投诉', security: 'bearer', response: complaintList, middleware: auth },
    async ({ ctx }) => ({ items: await complaints.listMine(deps, ctx.state.user) }),
  );
  api.route(
    {
      method: 'get',
      path: '/complaints/:number',
      tag: 'complaints',
      summary: '投诉详情',
      security: 'bearer',
      params: z.object({ number: z.string().max(32) }),
      response: complaintDetail,
      middleware: auth,
    },
    ({ params, ctx }) => complaints.getMine(deps, ctx.state.user, params.number),
  );
}
