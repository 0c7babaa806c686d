import { z } from './zod-zh';
import { COMPLAINT_STATUSES, CASE_TYPES } from '../complaint/status';
import { complaintDetail, complaintSummary, deadlinesView } from './complaints';
import { calendarDate, isoDate, singleLine } from './common';
import { EXPORT_PURPOSES, EXPORT_PURPOSE_TEXT } from '../complaint/export-purposes';

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
  regionPrefix: z.string(),
});
export const staffSessionReply = z.object({ staff: staffView, csrfToken: z.string() });

const bureauCode = z.string().regex(/^\d{6,12}$/, '机构代码应为 6 到 12 位数字');
/** A supervisor's region: a province, a city or a county (2, 4 or 6 digits of GB/T 2260). */
const regionPrefix = z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, '辖区应为省、市或区县的区划代码（2、4 或 6 位）');
const booleanFlag = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The queue's filters: the list and the export take exactly these. */
const caseFilterFields = {
  status: z.enum(COMPLAINT_STATUSES).optional(),
  type: z.enum(CASE_TYPES).optional(),
  category: z.string().trim().max(32).optional(),
  region: z.string().regex(/^\d{2,12}$/, '区划代码应为数字').optional(),
  overdue: booleanFlag.optional(),
  dueSoon: booleanFlag.optional(),
  from: calendarDate.optional(),
  to: calendarDate.optional(),
  q: z.string().trim().max(100).optional(),
};
export const caseListQuery = z.strictObject({
  ...caseFilterFields,
  sort: z.enum(['received_desc', 'received_asc', 'due_asc']).default('received_desc'),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
/** The queue's filters as the server applies them (defaults filled in). */
export type CaseListQuery = z.output<typeof caseListQuery>;
export type CaseFilters = Pick<CaseListQuery, keyof typeof caseFilterFields>;

export const EXPORT_FORMATS = ['csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
/** preparing: counting the rows; running: writing them; then how it ended. */
export const EXPORT_STATES = ['preparing', 'running', 'done', 'aborted', 'failed'] as const;

/**
 * The queue's filters plus the file format, for an export with the complainants' details masked.
 * Their details in full are never asked for in a query string: see exportFullBody.
 */
export const exportQuery = z.strictObject({
  ...caseFilterFields,
  format: z.enum(EXPORT_FORMATS, '导出格式应为 csv 或 xlsx'),
  personal: z.literal('masked', '此处只能导出脱敏信息；导出投诉人完整信息须填写用途并再次输入密码').default('masked'),
  /** Chosen by the page, so it can follow the progress while the browser downloads. */
  exportId: z.uuid('导出标识格式不正确').optional(),
});
export type ExportQuery = z.output<typeof exportQuery>;

export const exportPurpose = z.strictObject({
  category: z.enum(EXPORT_PURPOSES, '请选择导出用途'),
  text: z
    .string()
    .trim()
    .min(EXPORT_PURPOSE_TEXT.min, `请写明导出用途（至少 ${EXPORT_PURPOSE_TEXT.min} 个字）`)
    .max(EXPORT_PURPOSE_TEXT.max, `用途说明不超过 ${EXPORT_PURPOSE_TEXT.max} 个字`),
});
export type ExportPurpose = z.infer<typeof exportPurpose>;

/**
 * Asks to export complainants' names and phones in full: the queue's filters, the format, the
 * purpose and the staff member's password again. Answered with a single-use ticket to download with.
 */
export const exportFullBody = z.strictObject({
  filters: z
    .strictObject({ ...caseFilterFields, overdue: z.boolean().optional(), dueSoon: z.boolean().optional() })
    .default({}),
  format: z.enum(EXPORT_FORMATS, '导出格式应为 csv 或 xlsx'),
  purpose: exportPurpose,
  password: z.string().min(1, '请输入您的登录密码').max(256, '密码过长'),
  exportId: z.uuid('导出标识格式不正确').optional(),
});
export type ExportFullBody = z.output<typeof exportFullBody>;

export const exportTicket = z.object({
  ticket: z.string(),
  exportId: z.string(),
  total: z.number().int(),
  expiresInS: z.number().int(),
});
export type ExportTicket = z.infer<typeof exportTicket>;
export const exportTicketParam = z.object({ ticket: z.string().regex(/^[A-Za-z0-9_-]{43}$/, '导出凭证格式不正确') });

export const exportProgress = z.object({
  exportId: z.string(),
  format: z.enum(EXPORT_FORMATS),
  total: z.number().int(),
  done: z.number().int(),
  state: z.enum(EXPORT_STATES),
});
export type ExportProgress = z.infer<typeof exportProgress>;
/** The queue's filters as the admin page sends them. */
export type CaseQuery = Omit<z.input<typeof caseListQuery>, 'overdue' | 'dueSoon' | 'page' | 'pageSize'> & {
  overdue?: boolean;
  dueSoon?: boolean;
  page: number;
  pageSize: number;
};

export const clockView = z.object({
  kind: z.enum(['accept', 'mediation', 'decide', 'inform']),
  due: isoDate,
  daysLeft: z.number().int(),
  overdue: z.boolean(),
  paused: z.boolean(),
  /** The due date is an estimate (暂定): it lies in or beyond a year whose holidays are not yet published. */
  provisional: z.boolean(),
});

/** Staff see every clock, reports' included. */
export const staffDeadlines = deadlinesView.extend({ decideBy: isoDate.optional(), informBy: isoDate.optional() });

export const adminCaseSummary = complaintSummary.extend({
  deadlines: staffDeadlines,
  daysLeft: z.number().int().nullable(),
  overdue: z.boolean(),
  version: z.number().int(),
  bureauCode: z.string(),
  clock: clockView.nullable(),
});
export const adminCaseList = z.object({
  items: z.array(adminCaseSummary),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

export const dashboardView = z.object({
  open: z.number().int(),
  dueSoon: z.number().int(),
  overdue: z.number().int(),
  submitted: z.number().int(),
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

export const piiFields = ['name', 'idNumber', 'phone', 'address'] as const;
export type PiiField = (typeof piiFields)[number];

export const caseActionView = z.object({
  action: z.string(),
  label: z.string(),
  needsReason: z.boolean(),
  needs: z.array(z.enum(['reasonCode', 'reason', 'toBureau'])),
  reasons: z.array(z.object({ code: z.string(), label: z.string(), basis: z.string() })),
});

export const adminCaseDetail = complaintDetail.extend({
  deadlines: staffDeadlines,
  type: z.enum(CASE_TYPES),
  version: z.number().int(),
  daysLeft: z.number().int().nullable(),
  overdue: z.boolean(),
  clock: clockView.nullable(),
  bureau: z.object({ code: z.string(), name: z.string() }),
  ruleSet: z.object({ id: z.string(), title: z.string() }),
  complainant: z.object({
    platform: z.string(),
    nameMasked: z.string().optional(),
    phoneMasked: z.string().optional(),
    addressMasked: z.string().optional(),
    revealable: z.array(z.enum(piiFields)),
  }),
  testing: z.object({ pausedOn: isoDate, note: z.string().optional() }).nullable(),
  pauses: z.array(z.object({ from: isoDate, to: isoDate, workingDays: z.number().int(), note: z.string().optional() })),
  transfers: z.array(
    z.object({
      at: z.string(),
      kind: z.enum(['transfer', 'reassign']),
      fromBureau: z.string(),
      toBureau: z.string(),
      reasonCode: z.string().optional(),
      reason: z.string(),
      by: z.string(),
    }),
  ),
  feedback: z.object({ satisfied: z.boolean(), text: z.string().optional(), at: z.string() }).nullable(),
  /** Intake details shown as they come (respondent, business, evidence, flags, linked cases). */
  intake: z.record(z.string(), z.unknown()),
  actions: z.array(caseActionView),
  deliveries: z.array(deliveryView),
});

export const transitionBody = z.strictObject({
  action: z.string().regex(/^[a-z_]{2,32}$/, '操作不正确'),
  reasonCode: z.string().regex(/^[a-z_]{2,40}$/, '请选择法定事由').optional(),
  reason: z.string().trim().min(2, '请填写原因').max(500, '原因不超过 500 字').optional(),
  toBureau: bureauCode.optional(),
  version: z.number().int().min(0),
});
export type TransitionInput = z.infer<typeof transitionBody>;

export const revealBody = z.strictObject({ field: z.enum(piiFields) });
export const revealReply = z.object({ field: z.enum(piiFields), value: z.string() });

export const bureauView = z.object({ code: z.string(), name: z.string(), regionCode: z.string() });
export const bureauList = z.object({ items: z.array(bureauView) });
const bureauName = singleLine('机构名称', 2, 100);
/** A bureau is county-level: its region is a county (6 digits, checked against GB/T 2260 by the server) and its code begins with it. */
export const bureauCreateBody = z
  .strictObject({
    code: bureauCode,
    name: bureauName,
    regionCode: z.string().regex(/^\d{6}$/, '区划代码应为 6 位区县代码'),
  })
  .refine((b) => b.code.startsWith(b.regionCode), { path: ['code'], message: '机构代码应以所在区县的区划代码开头' });
export const bureauUpdateBody = z.strictObject({ name: bureauName });

export const staffAccountView = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(staffRoles),
  bureauCode: z.string(),
  regionPrefix: z.string(),
  active: z.boolean(),
  locked: z.boolean(),
});
export const staffList = z.object({ items: z.array(staffAccountView) });
const password = z.string().min(10, '密码至少 10 位').max(128, '密码不超过 128 位');
export const staffCreateBody = z.strictObject({
  username: z.string().trim().regex(/^[a-z][a-z0-9_.-]{2,31}$/, '用户名为 3 到 32 位小写字母、数字或 _.-，以字母开头'),
  displayName: singleLine('姓名', 2, 32),
  role: z.enum(staffRoles),
  bureauCode,
  regionPrefix: regionPrefix.optional(),
  password,
});
export const staffUpdateBody = z.strictObject({
  displayName: singleLine('姓名', 2, 32).optional(),
  role: z.enum(staffRoles).optional(),
  bureauCode: bureauCode.optional(),
  regionPrefix: regionPrefix.optional(),
  active: z.boolean().optional(),
  password: password.optional(),
  unlock: z.literal(true).optional(),
});

export const auditQuery = z.strictObject({
  action: z
    .enum([
      'case_view', 'reveal', 'transition', 'export', 'staff_create', 'staff_update', 'bureau_create', 'bureau_update', 'hotspot_seen',
      // Reads and resends staff make outside the case page, and refused confirmations of a full export.
      'evidence_view', 'delivery_resend', 'export_reauth_failed',
      // Staff sign-in.
      'staff_login', 'staff_login_failed', 'staff_locked',
    ])
    .optional(),
  caseNumber: z.string().max(32).optional(),
  username: z.string().max(64).optional(),
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export const auditList = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      username: z.string(),
      role: z.string(),
      action: z.string(),
      caseNumber: z.string().optional(),
      field: z.string().optional(),
      target: z.string().optional(),
      detail: z.string().optional(),
    }),
  ),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

/** The consumer's view of progress: the steps so far in plain words, the next deadline, feedback. */
export const progressView = z.object({
  number: z.string(),
  status: z.enum(COMPLAINT_STATUSES),
  statusLabel: z.string(),
  /** `by`: for a staff step, the bureau and the role (北京市朝阳区市场监督管理局 · 承办人), never the account. */
  steps: z.array(z.object({ at: z.string(), label: z.string(), statusLabel: z.string(), by: z.string().optional(), note: z.string().optional() })),
  nextDeadline: z.object({ label: z.string(), due: isoDate, daysLeft: z.number().int(), paused: z.boolean(), provisional: z.boolean() }).nullable(),
  feedback: z.object({ satisfied: z.boolean(), text: z.string().optional(), at: z.string() }).nullable(),
  canGiveFeedback: z.boolean(),
});
export const feedbackBody = z.strictObject({
  satisfied: z.boolean(),
  text: z.string().trim().max(500, '评价不超过 500 字').optional(),
});
