import { z } from './zod-zh';
import { platformSchema } from './common';

export const loginBody = z.strictObject({
  platform: platformSchema,
  code: z.string().trim().min(1, '缺少登录凭证').max(128, '登录凭证格式不正确'),
});
export type LoginBody = z.infer<typeof loginBody>;

export const refreshBody = z.strictObject({
  refreshToken: z.string().min(20, '刷新凭证格式不正确').max(200, '刷新凭证格式不正确'),
});

export const userView = z.object({
  id: z.string(),
  platform: platformSchema,
  verified: z.boolean(),
});
export type UserView = z.infer<typeof userView>;

export const sessionReply = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
  user: userView,
});
export type SessionReply = z.infer<typeof sessionReply>;
