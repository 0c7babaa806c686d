/** Consumer routes of handling: the progress of one case and feedback after closure. */
import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireConsumer } from '../../http/consumer-auth';
import { feedbackBody, progressView } from '../../../../shared/api/admin';
import * as feedback from './feedback.service';
import { caseNumberParam } from '../../../../shared/api/complaints';

export function feedbackRoutes(api: Api, deps: Deps): void {
  const auth = [requireConsumer(deps)];
  const params = caseNumberParam;
  api.route(
    {
      method: 'get',
      path: '/complaints/:number/progress',
      errors: [404],
      tag: 'complaints',
      summary: '办理进度：已办步骤与下一个期限',
      security: 'bearer',
      params,
      response: progressView,
      middleware: auth,
    },
    ({ params: p, ctx }) => feedback.progress(deps, ctx.state.user, p.number),
  );
  api.route(
    {
      method: 'post',
      path: '/complaints/:number/feedback',
      errors: [404, 409, 422],
      tag: 'complaints',
      summary: '办结后评价（满意或不满意）',
      security: 'bearer',
      params,
      body: feedbackBody,
      response: progressView,
      middleware: auth,
    },
    ({ params: p, body, ctx }) => feedback.giveFeedback(deps, ctx.state.user, p.number, body),
  );
}
