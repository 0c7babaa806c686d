import { z } from './zod-zh';
import { COMPLAINT_STATUSES, CASE_TYPES } from '../complaint/status';
import { isoDate } from './common';
import { NOTIFY_STATES } from '../notify/status';

export const complaintCreateBody = z.strictObject({
  respondentName: z.string().trim().min(2, '被投诉方名称至少 2 个字').max(100, '被投诉方名称不超过 100 个字'),
  description: z.string().trim().min(20, '问题描述至少 20 个字').max(2000, '问题描述不超过 2000 个字'),
});
export type ComplaintCreate = z.infer<typeof complaintCreateBody>;

export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求标识格式不正确');


export const deadlinesView = z.object({ acceptBy: isoDate.optional(), mediationBy: isoDate.optional() });

export const timelineEntry = z.object({
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  note: z.string().optional(),
  /** Present on steps that send a subscription message: what became of it. */
  notification: z.object({ status: z.enum(NOTIFY_STATES), label: z.string() }).optional(),
});

export const complaintSummary = z.object({
  number: z.string(),
  type: z.enum(CASE_TYPES),
  status: z.enum(COMPLAINT_STATUSES),
  statusLabel: z.string(),
  respondentName: z.string(),
  receivedAt: z.string(),
  deadlines: deadlinesView,
});
export type ComplaintSummary = z.infer<typeof complaintSummary>;

export const complaintDetail = complaintSummary.extend({
  description: z.string(),
  timeline: z.array(timelineEntry),
});
export type ComplaintDetail = z.infer<typeof complaintDetail>;

export const complaintList = z.object({ items: z.array(complaintSummary) });
