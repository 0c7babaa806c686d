import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireConsumer } from '../../http/consumer-auth';
import { grantsReply, subscriptionBody, templatesQuery, templatesReply } from '../../../../shared/api/subscriptions';
import * as subscriptions from './subscriptions.service';

export function subscriptionRoutes(api: Api, deps: Deps): void {
  const auth = [requireConsumer(deps)];
  api.route(
    { method: 'get', path: '/subscriptions/templates', tag: 'notify', summary: '可订阅的消息模板', query: templatesQuery, response: templatesReply },
    async ({ query }) => ({ templates: subscriptions.listTemplates(query.platform) }),
  );
  api.route(
    {
      method: 'post',
      path: '/subscriptions',
      tag: 'notify',
      summary: '记录订阅授权结果',
      security: 'bearer',
      body: subscriptionBody,
      response: grantsReply,
      middleware: auth,
    },
    ({ body, ctx }) => subscriptions.recordResults(deps, ctx.state.user, body.platform, body.results),
  );
}
