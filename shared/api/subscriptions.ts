import { z } from './zod-zh';
import { platformSchema } from './common';

export const subscribeResult = z.enum(['accept', 'reject', 'ban', 'filter']);
export type SubscribeResult = z.infer<typeof subscribeResult>;

export const subscriptionBody = z.strictObject({
  platform: platformSchema,
  results: z
    .record(z.string().regex(/^[A-Za-z0-9_-]{1,64}$/), subscribeResult)
    // One dialog asks for at most three templates (WeChat tmplIds, Alipay entityIds).
    .refine((r) => Object.keys(r).length >= 1 && Object.keys(r).length <= 3, '每次订阅 1 至 3 个消息模板'),
});

export const templatesQuery = z.strictObject({ platform: platformSchema });
export const templateView = z.object({ id: z.string(), event: z.string(), title: z.string() });
export const templatesReply = z.object({ templates: z.array(templateView) });
export const grantsReply = z.object({ grants: z.record(z.string(), z.number().int()) });
