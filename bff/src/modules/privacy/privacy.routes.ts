import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireConsumer } from '../../http/consumer-auth';
import { confirmBody } from '../../../../shared/api/identity';
import * as account from './account.service';

export function privacyRoutes(api: Api, deps: Deps): void {
  const auth = { security: 'bearer' as const, middleware: [requireConsumer(deps)] };
  api.route(
    {
      method: 'post',
      path: '/identity/consent/withdraw',
      tag: 'identity',
      summary: '撤回身份信息授权（删除本账号的实名信息，之后投诉需重新认证）',
      body: confirmBody,
      errors: [409],
      ...auth,
    },
    ({ ctx }) => account.withdrawConsent(deps, ctx.state.user),
  );
  api.route(
    {
      method: 'post',
      path: '/account/cancel',
      tag: 'auth',
      summary: '注销账号（有未办结的投诉时不能注销）',
      body: confirmBody,
      errors: [409],
      ...auth,
    },
    ({ ctx }) => account.cancelAccount(deps, ctx.state.user),
  );
}
