import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { requireConsumer } from '../../http/consumer-auth';
import { perAddress, perUser } from '../../http/rate-limit';
import { linkBody, linkCodeReply, linkReply, phoneBody, phoneReply, verifyBody, verifyReply } from '../../../../shared/api/identity';
import * as identity from './identity.service';
import * as linking from './linking.service';

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
    {
      method: 'post',
      path: '/identity/link-code',
      tag: 'identity',
      summary: '生成关联码（10 分钟内在另一个平台的账号中输入）',
      response: linkCodeReply,
      errors: [403, 409],
      ...auth,
    },
    ({ ctx }) => linking.issueLinkCode(deps, ctx.state.user),
  );
  api.route(
    {
      method: 'post',
      path: '/identity/links',
      tag: 'identity',
      summary: '关联同一实名身份的微信和支付宝账号（凭另一账号的关联码，或两个账号相同的手机号）',
      body: linkBody,
      response: linkReply,
      errors: [403, 409, 422, 429],
      ...auth,
    },
    ({ body, ctx }) => linking.linkAccounts(deps, ctx.state.user, body),
  );
  api.route(
    { method: 'delete', path: '/identity/links', tag: 'identity', summary: '解除账号关联（任一账号均可解除）', errors: [409], ...auth },
    ({ ctx }) => linking.unlinkAccounts(deps, ctx.state.user),
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
