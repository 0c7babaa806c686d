import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireConsumer } from '../../http/consumer-auth';
import { draftKindParam, draftSaveBody, draftView } from '../../../../shared/api/drafts';
import * as drafts from './drafts.service';

export function draftRoutes(api: Api, deps: Deps): void {
  const auth = [requireConsumer(deps)];
  api.route(
    { method: 'get', path: '/drafts/:kind', errors: [404], tag: 'drafts', summary: '读取草稿（换设备后继续填写）', security: 'bearer', params: draftKindParam, response: draftView, middleware: auth },
    ({ params, ctx }) => drafts.getDraft(deps, ctx.state.user.id, params.kind),
  );
  api.route(
    {
      method: 'post',
      path: '/drafts/:kind',
      errors: [409],
      tag: 'drafts',
      summary: '保存草稿（边填边存）',
      security: 'bearer',
      params: draftKindParam,
      body: draftSaveBody,
      response: draftView,
      middleware: auth,
    },
    ({ params, body, ctx }) => drafts.saveDraft(deps, ctx.state.user.id, params.kind, body.data, body.baseVersion),
  );
  api.route(
    { method: 'delete', path: '/drafts/:kind', tag: 'drafts', summary: '删除草稿', security: 'bearer', params: draftKindParam, middleware: auth },
    async ({ params, ctx }) => {
      await drafts.deleteDraft(deps, ctx.state.user.id, params.kind);
    },
  );
}
