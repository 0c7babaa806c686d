import { z } from './zod-zh';
import { COMPLAINT_STATUSES, CASE_TYPES } from '../complaint/status';
import { complaintDetail, complaintSummary } from './complaints';

export const staffRoles = ['admin', 'supervisor', 'handler'] as const;
export const ROLE_LABELS: Record<(typeof staffRoles)[number], string> = {
  admin: '管理员',
  supervisor: '监管主管',
  handler: '承办人',
};

export const adminLoginBody = z.strictObject({
  username: z.string().trim().min(1, '请输入用户名').max(64, '用户名过长'),
  password: z.string().min(1, '请输入密码').max(256, '密码过长'),
});

export const staffView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(staffRoles),
  bureau: z.object({ code: z.string(), name: z.string() }),
});
export const staffSessionReply = z.object({ staff: staffView, csrfToken: z.string() });

export const caseListQuery = z.strictObject({
  status: z.enum(COMPLAINT_STATUSES).optional(),
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

export const adminCaseSummary = complaintSummary.extend({
  daysLeft: z.number().int().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
});
export const adminCaseList = z.object({
  items: z.array(adminCaseSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const deliveryView = z.object({
  key: z.string(),
  event: z.string(),
  platform: z.string(),
  templateId: z.string(),
  status: z.string(),
  attempts: z.number().int(),
  at: z.string(),
  error: z.string().optional(),
});

export const adminCaseDetail = complaintDetail.extend({
  type: z.enum(CASE_TYPES),
  version: z.number().int(),
  daysLeft: z.number().int().nullable(),
  overdue: z.boolean(),
  complainant: z.object({ platform: z.string(), nameMasked: z.string().optional() }),
  actions: z.array(z.object({ action: z.string(), label: z.string(), needsReason: z.boolean() })),
  deliveries: z.array(deliveryView),
});

export const transitionBody = z.strictObject({
  action: z.string().regex(/^[a-z_]{2,32}$/, '操作不正确'),
  reason: z.string().trim().min(2, '请填写原因').max(500, '原因不超过 500 字').optional(),
  version: z.number().int().min(0),
});
