import type { Context } from 'koa';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import { requireConsumer } from '../../http/consumer-auth';
import { perAddress, perUser } from '../../http/rate-limit';
import {
  caseNumberParam,
  complaintCreateBody,
  complaintDetail,
  complaintList,
  complaintSummary,
  idempotencyKey,
  reportCreateBody,
  respondentQuery,
  respondentSuggestions,
  withdrawBody,
} from '../../../../shared/api/complaints';
import * as complaints from './complaints.service';

function keyOf(ctx: Context): string {
  const key = idempotencyKey.safeParse(ctx.get('idempotency-key'));
  if (!key.success) throw new AppError(400, 'IDEMPOTENCY_KEY_REQUIRED', '缺少或无效的请求标识（Idempotency-Key）');
  return key.data;
}

export function complaintRoutes(api: Api, deps: Deps): void {
  const auth = [requireConsumer(deps)];
  const { limits } = deps.config;
  const submitIp = perAddress(deps, 'submit-ip', limits.submitIp);
  api.route(
    {
      method: 'post',
      path: '/complaints',
      tag: 'complaints',
      summary: '提交投诉（同一 Idempotency-Key 只生成一件；同一经营者已有在办投诉时答 409，fileAnyway 时关联两件）',
      security: 'bearer',
      body: complaintCreateBody,
      response: complaintSummary,
      status: 201,
      errors: [403, 409, 422, 429],
      middleware: [...auth, submitIp, perUser(deps, 'complaint-user', limits.submitUser)],
    },
    ({ body, ctx }) => complaints.submitComplaint(deps, ctx.state.user, keyOf(ctx), body),
  );
  api.route(
    {
      method: 'post',
      path: '/reports',
      tag: 'complaints',
      summary: '提交举报（可匿名；同一 Idempotency-Key 只生成一件）',
      security: 'bearer',
      body: reportCreateBody,
      response: complaintSummary,
      status: 201,
      errors: [403, 409, 422, 429],
      middleware: [...auth, submitIp, perUser(deps, 'report-user', limits.submitUser)],
    },
    ({ body, ctx }) => complaints.submitReport(deps, ctx.state.user, keyOf(ctx), body),
  );
  api.route(
    { method: 'get', path: '/complaints', tag: 'complaints', summary: '我的投诉', security: 'bearer', response: complaintList, middleware: auth },
    async ({ ctx }) => ({ items: await complaints.listMine(deps, ctx.state.user) }),
  );
  api.route(
    {
      method: 'get',
      path: '/complaints/:number',
      errors: [404],
      tag: 'complaints',
      summary: '投诉详情',
      security: 'bearer',
      params: caseNumberParam,
      response: complaintDetail,
      middleware: auth,
    },
    ({ params, ctx }) => complaints.getMine(deps, ctx.state.user, params.number),
  );
  api.route(
    {
      method: 'post',
      path: '/complaints/:number/withdraw',
      errors: [404, 409],
      tag: 'complaints',
      summary: '撤回投诉（办结前）',
      security: 'bearer',
      params: caseNumberParam,
      body: withdrawBody,
      response: complaintDetail,
      middleware: auth,
    },
    ({ params, body, ctx }) => complaints.withdraw(deps, ctx.state.user, params.number, body.reason),
  );
  api.route(
    {
      method: 'get',
      path: '/respondents',
      tag: 'complaints',
      summary: '被投诉方名称联想（仅来自本人以往的投诉和举报）',
      security: 'bearer',
      query: respondentQuery,
      response: respondentSuggestions,
      errors: [429],
      middleware: [...auth, perAddress(deps, 'lookup-ip', limits.lookupIp)],
    },
    async ({ query, ctx }) => ({ items: await complaints.suggestRespondents(deps, ctx.state.user, query.q) }),
  );
}
