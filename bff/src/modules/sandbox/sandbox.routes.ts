/**
 * Sandbox routes: the vendor client side (login codes, the subscribe dialog) for H5 previews and
 * tests, and what the stand-ins were sent. Mounted only while the sandbox is on; never in production.
 */
import { z } from 'zod';
import type { Api } from '../../http/api';
import type { Deps } from '../../context';
import { AppError } from '../../http/errors';
import { requireConsumer } from '../../http/consumer-auth';
import { idNumberField, nameField } from '../../../../shared/api/identity';

async function control<T>(base: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(new URL(`/__sandbox${path}`, base), {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(5000),
  }).catch(() => {
    throw new AppError(503, 'SANDBOX_UNAVAILABLE', '模拟平台未启动');
  });
  if (!res.ok) throw new AppError(502, 'SANDBOX_ERROR', `模拟平台返回错误 ${res.status}`);
  return (await res.json()) as T;
}

const testId = z.string().trim().regex(/^[A-Za-z0-9_-]{3,64}$/, '测试身份格式不正确');

export function sandboxRoutes(api: Api, deps: Deps): void {
  const wechat = deps.config.wechat.apiBase;
  const alipay = new URL(deps.config.alipay.gateway).origin;

  api.route(
    { method: 'post', path: '/sandbox/wechat/code', errors: [502], tag: 'sandbox', summary: '（沙箱）为测试身份生成微信登录 code', body: z.strictObject({ openid: testId }), response: z.object({ code: z.string() }) },
    ({ body }) => control(wechat, '/code', { openid: body.openid }),
  );
  api.route(
    { method: 'post', path: '/sandbox/alipay/code', errors: [502], tag: 'sandbox', summary: '（沙箱）为测试身份生成支付宝授权码', body: z.strictObject({ userId: testId }), response: z.object({ code: z.string() }) },
    ({ body }) => control(alipay, '/code', { userId: body.userId }),
  );
  api.route(
    {
      method: 'post',
      path: '/sandbox/subscribe',
      errors: [502],
      tag: 'sandbox',
      summary: '（沙箱）模拟用户在订阅弹窗中点击“允许”',
      security: 'bearer',
      body: z.strictObject({ templateIds: z.array(z.string().max(64)).min(1).max(3) }),
      response: z.object({ results: z.record(z.string(), z.string()) }),
      middleware: [requireConsumer(deps)],
    },
    async ({ body, ctx }) => {
      const user = await deps.models.User.findById(ctx.state.user.id).lean();
      if (!user) throw new AppError(401, 'AUTH_REQUIRED', '请先登录');
      return user.platform === 'wechat'
        ? control(wechat, '/subscribe', { openid: user.platformUserId, templateIds: body.templateIds })
        : control(alipay, '/subscribe', { userId: user.platformUserId, templateIds: body.templateIds });
    },
  );
  api.route(
    {
      method: 'post',
      path: '/sandbox/phone',
      errors: [502],
      tag: 'sandbox',
      summary: '（沙箱）模拟用户授权手机号，返回交给 POST /identity/phone 的凭证',
      security: 'bearer',
      body: z.strictObject({ phone: z.string().regex(/^1\d{10}$/, '手机号格式不正确') }),
      response: z.object({ code: z.string() }),
      middleware: [requireConsumer(deps)],
    },
    async ({ body, ctx }) => {
      const user = await deps.models.User.findById(ctx.state.user.id).lean();
      if (!user) throw new AppError(401, 'AUTH_REQUIRED', '请先登录');
      if (user.platform === 'wechat') return control<{ code: string }>(wechat, '/phone-code', { phone: body.phone });
      // my.getPhoneNumber's `response` string is what the client passes on.
      const { response } = await control<{ response: string }>(alipay, '/phone', { userId: user.platformUserId, mobile: body.phone });
      return { code: response };
    },
  );
  api.route(
    {
      method: 'post',
      path: '/sandbox/identity/people',
      errors: [502],
      tag: 'sandbox',
      summary: '（沙箱）在模拟身份核验服务中登记一个虚构的人',
      body: z.strictObject({ name: nameField, idNumber: idNumberField }),
      response: z.object({ people: z.number() }),
    },
    ({ body }) => control(deps.config.identity.apiBase, '/people', body),
  );
  api.route(
    {
      method: 'get',
      path: '/sandbox/messages',
      errors: [502],
      tag: 'sandbox',
      summary: '（沙箱）模拟平台收到的订阅消息，最新在前',
      response: z.object({ items: z.array(z.looseObject({ platform: z.enum(['wechat', 'alipay']), at: z.string() })) }),
    },
    async () => {
      type Item = { at: string } & Record<string, unknown>;
      const [wx, ali] = await Promise.all([
        control<{ items: Item[] }>(wechat, '/messages'),
        control<{ items: Item[] }>(alipay, '/messages'),
      ]);
      const items = [
        ...wx.items.map((m) => ({ platform: 'wechat', ...m })),
        ...ali.items.map((m) => ({ platform: 'alipay', ...m })),
      ].sort((a, b) => b.at.localeCompare(a.at));
      return { items };
    },
  );
}
