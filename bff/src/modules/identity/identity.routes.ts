import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireConsumer } from '../../http/consumer-auth';
import { perAddress, perUser } from '../../http/rate-limit';
import { linkBody, linkReply, phoneBody, phoneReply, verifyBody, verifyReply } from '../../../../shared/api/identity';
import * as identity from './identity.service';

export function identityRoutes(api: Api, deps: Deps): void {
  const auth = { security: 'bearer' as const, middleware: [requireConsumer(deps)] };
  // Each check may cost a paid provider or vendor call: limited per address as well as per user.
  const identityIp = perAddress(deps, 'identity-ip', deps.config.limits.identityIp);
  api.route(
    {
      method: 'post',
      path: '/identity/verify',
      tag: 'identity',
      summary: '实名认证（姓名 + 身份证号）',
      body: verifyBody,
      response: verifyReply,
      ...auth,
      errors: [409, 422, 429, 502],
      middleware: [...auth.middleware, identityIp],
    },
    ({ body, ctx }) => identity.verify(deps, ctx.state.user, body),
  );
  api.route(
    { method: 'post', path: '/identity/link', tag: 'identity', summary: '确认关联同一实名身份的微信和支付宝账号', body: linkBody, response: linkReply, ...auth },
    ({ ctx }) => identity.link(deps, ctx.state.user),
  );
  api.route(
    {
      method: 'post',
      path: '/identity/phone',
      tag: 'identity',
      summary: '保存平台授权的手机号',
      body: phoneBody,
      response: phoneReply,
      ...auth,
      errors: [400, 422, 429, 502],
      middleware: [...auth.middleware, identityIp, perUser(deps, 'phone-user', deps.config.limits.phoneUser)],
    },
    ({ body, ctx }) => identity.savePhone(deps, ctx.state.user, body.platform, body.code),
  );
}
