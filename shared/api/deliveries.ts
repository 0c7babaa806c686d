import { z } from './zod-zh';
import { deliveryView } from './admin';

/** Outbox entry keys: `<case number>-v<version>-<event>`; nothing else may reach a field path. */
export const DELIVERY_KEY = /^(TS|JB)\d{14}[0-9X]-v\d{1,6}-[a-z_]{2,32}$/;

export const deliveryKeyParam = z.strictObject({ key: z.string().regex(DELIVERY_KEY, '消息编号格式不正确') });

export const deadLetterQuery = z.strictObject({
  status: z.literal('dead').default('dead'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const deadLetterItem = deliveryView.extend({ number: z.string(), respondentName: z.string(), resends: z.number().int() });
export const deadLetterList = z.object({
  items: z.array(deadLetterItem),
  /** Cases with at least one dead entry; pages count cases. */
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});
export type DeadLetterItem = z.infer<typeof deadLetterItem>;
