import { z } from './zod-zh';
import { COMPLAINT_STATUSES, CASE_TYPES } from '../complaint/status';
import { isoDate } from './common';
import { isValidCreditCode } from '../complaint/credit-code';
import { normalizeCaseNumber } from '../complaint/case-number';
import { DEADLINE_KEYS } from '../complaint/deadlines';
import { CATEGORY_TREE, PROBLEM_TYPE_TREE, leafCodes } from '../complaint/categories';
import {
  BUSINESS_KINDS,
  CHANNELS,
  DEMANDS,
  EVIDENCE_KINDS,
  JURISDICTION_BASES,
  LIMITS,
} from '../complaint/intake';
import { NOTIFY_STATES } from '../notify/status';

const CATEGORY_LEAVES = leafCodes(CATEGORY_TREE);
const PROBLEM_LEAVES = leafCodes(PROBLEM_TYPE_TREE);

const text = (label: string, { min, max }: { min: number; max: number }) =>
  z.string().trim().min(min, `${label}至少 ${min} 个字`).max(max, `${label}不超过 ${max} 个字`);

/** A county-level GB/T 2260 code; the BFF checks that it exists. */
export const regionCode = z.string().regex(/^\d{6}$/, '请选择省、市、区县');

export const creditCode = z
  .string()
  .trim()
  .transform((v) => v.toUpperCase())
  .refine(isValidCreditCode, '统一社会信用代码有误，请核对（18 位，末位为校验码）');

/** Beijing's calendar date today: events cannot lie in the future. */
const beijingToday = () => new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);

const isCalendarDate = (d: string) => {
  const t = Date.parse(`${d}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === d;
};

export const respondentInput = z.strictObject({
  name: text('被投诉方名称', LIMITS.respondentName),
  creditCode: creditCode.optional(),
  address: text('被投诉方地址', LIMITS.address),
  /** The county of the address above: the actual place of business. */
  regionCode,
  /** The county of the registered domicile, when it differs from the place of business. */
  domicileRegionCode: regionCode.optional(),
  /** The online platform the goods or service were bought on. */
  platform: z.strictObject({ name: text('平台名称', LIMITS.platformName), regionCode }).optional(),
});
export type RespondentInput = z.infer<typeof respondentInput>;

export const consumerInput = z.strictObject({
  phone: z.string().trim().regex(/^1[3-9]\d{9}$/, '请填写 11 位手机号码'),
  address: text('联系地址', LIMITS.address),
});

export const demandInput = z.strictObject({
  type: z.enum(DEMANDS),
  text: text('诉求说明', LIMITS.demandText).optional(),
});

export const businessInput = z
  .strictObject({
    kind: z.enum(BUSINESS_KINDS),
    categoryCode: z.string().max(64).refine((c) => CATEGORY_LEAVES.has(c), '请选择投诉分类'),
    problemTypeCode: z.string().max(64).refine((c) => PROBLEM_LEAVES.has(c), '请选择问题类型'),
    channel: z.enum(CHANNELS),
    productName: text('商品或服务名称', LIMITS.productName),
    amountCents: z
      .number()
      .int('金额以分为单位，须为整数')
      .min(LIMITS.amountCents.min, '金额不能为负数')
      .max(LIMITS.amountCents.max, '金额过大，请核对'),
    occurredOn: isoDate
      .refine(isCalendarDate, '日期不存在，请核对')
      .refine((d) => d <= beijingToday(), '日期不能晚于今天')
      .refine((d) => d >= '1990-01-01', '日期有误'),
    demands: z
      .array(demandInput)
      .min(1, '请至少选择一项诉求')
      .max(DEMANDS.length)
      .refine((ds) => new Set(ds.map((d) => d.type)).size === ds.length, '诉求不能重复'),
  })
  .superRefine((b, ctx) => {
    if (!b.categoryCode.startsWith(`${b.kind}.`)) {
      ctx.addIssue({ code: 'custom', path: ['categoryCode'], message: '投诉分类与商品/服务类型不一致' });
    }
    b.demands.forEach((d, i) => {
      if (d.type === 'other' && !d.text) ctx.addIssue({ code: 'custom', path: ['demands', i, 'text'], message: '选择“其他”诉求时请写明具体要求' });
    });
  });

export const evidenceIds = z
  .array(z.string().regex(/^[a-f0-9]{24}$/, '证据文件标识无效'))
  .max(LIMITS.evidencePerCase, `证据最多 ${LIMITS.evidencePerCase} 个`)
  .refine((ids) => new Set(ids).size === ids.length, '证据不能重复');

export const complaintCreateBody = z
  .strictObject({
    respondent: respondentInput,
    consumer: consumerInput,
    business: businessInput,
    description: text('问题描述', LIMITS.description),
    evidenceIds: evidenceIds.default([]),
    jurisdiction: z.strictObject({ basis: z.enum(JURISDICTION_BASES) }),
    /** File even though the same respondent already has an open case of mine; both get linked. */
    fileAnyway: z.boolean().optional(),
  })
  .superRefine((c, ctx) => {
    if (c.business.channel === 'online_platform' && !c.respondent.platform) {
      ctx.addIssue({ code: 'custom', path: ['respondent', 'platform'], message: '通过网络平台购买时，请填写平台名称' });
    }
  });
export type ComplaintCreate = z.input<typeof complaintCreateBody>;

export const reportCreateBody = z.strictObject({
  respondent: respondentInput,
  /** The facts: what, when, where; a report needs concrete leads. */
  description: text('举报内容', LIMITS.description),
  evidenceIds: evidenceIds.default([]),
  jurisdiction: z.strictObject({ basis: z.enum(JURISDICTION_BASES) }),
  anonymous: z.boolean(),
  /** A real-name reporter's contact details; absent for anonymous reports. */
  reporter: consumerInput.optional(),
}).superRefine((r, ctx) => {
  if (!r.anonymous && !r.reporter) ctx.addIssue({ code: 'custom', path: ['reporter'], message: '实名举报请填写联系方式，或选择匿名举报' });
  if (r.anonymous && r.reporter) ctx.addIssue({ code: 'custom', path: ['reporter'], message: '匿名举报不填写联系方式' });
});
export type ReportCreate = z.input<typeof reportCreateBody>;

export const idempotencyKey = z
  .string()
  .regex(/^[A-Za-z0-9_-]{8,64}$/, '请求标识格式不正确');

/** A case number as typed (spaces, lower case) becomes the stored form before any check or lookup. */
export const caseNumberParam = z.object({ number: z.string().max(32).transform(normalizeCaseNumber) });

export const withdrawBody = z.strictObject({ reason: z.string().trim().max(200).optional() });

/** `provisional` names the deadlines that are estimates (暂定): they reach into a year whose holidays are not yet published. */
export const deadlinesView = z.object({
  acceptBy: isoDate.optional(),
  mediationBy: isoDate.optional(),
  provisional: z.array(z.enum(DEADLINE_KEYS)).optional(),
});

export const timelineEntry = z.object({
  at: z.string(),
  /** 'consumer' or 'staff' in a consumer's reply; staff replies name the account ('staff:<username>'). */
  actor: z.string(),
  /** For staff steps in a consumer's reply: the bureau and the role, e.g. 北京市朝阳区市场监督管理局 · 承办人. */
  actorLabel: z.string().optional(),
  action: z.string(),
  from: z.string().nullable(),
  to: z.string(),
  note: z.string().optional(),
  /** Present on steps that send a subscription message: what became of it. */
  notification: z.object({ status: z.enum(NOTIFY_STATES), label: z.string() }).optional(),
});

export const jurisdictionView = z.object({
  basis: z.enum(JURISDICTION_BASES),
  regionCode: z.string(),
  bureauCode: z.string(),
  bureauName: z.string(),
  /** True when no bureau was found for the region and the default bureau took the case. */
  fallback: z.boolean(),
});

export const complaintSummary = z.object({
  number: z.string(),
  type: z.enum(CASE_TYPES),
  status: z.enum(COMPLAINT_STATUSES),
  statusLabel: z.string(),
  respondentName: z.string(),
  receivedAt: z.string(),
  deadlines: deadlinesView,
  jurisdiction: jurisdictionView.optional(),
  /** The other open case of mine against the same respondent, when I filed anyway. */
  duplicateOf: z.string().optional(),
});
export type ComplaintSummary = z.infer<typeof complaintSummary>;

export const evidenceRef = z.object({ fileId: z.string(), kind: z.enum(EVIDENCE_KINDS), sha256: z.string(), size: z.number() });

export const complaintDetail = complaintSummary.extend({
  description: z.string(),
  timeline: z.array(timelineEntry),
  respondent: z.object({
    name: z.string(),
    creditCode: z.string().optional(),
    address: z.string().optional(),
    regionCode: z.string(),
    domicileRegionCode: z.string().optional(),
    platform: z.object({ name: z.string(), regionCode: z.string() }).optional(),
  }).optional(),
  business: z.object({
    kind: z.enum(BUSINESS_KINDS),
    categoryCode: z.string(),
    problemTypeCode: z.string(),
    channel: z.enum(CHANNELS),
    productName: z.string(),
    amountCents: z.number(),
    occurredOn: z.string(),
    demands: z.array(z.object({ type: z.enum(DEMANDS), text: z.string().optional() })),
  }).optional(),
  complainant: z.object({ phoneMasked: z.string().optional(), addressMasked: z.string().optional(), nameMasked: z.string().optional() }).optional(),
  anonymous: z.boolean().optional(),
  evidence: z.array(evidenceRef).optional(),
  linkedCases: z.array(z.string()).optional(),
  canWithdraw: z.boolean().optional(),
});
export type ComplaintDetail = z.infer<typeof complaintDetail>;

export const complaintList = z.object({ items: z.array(complaintSummary) });

export const respondentQuery = z.object({ q: z.string().trim().min(1, '请输入名称').max(50) });
export const respondentSuggestions = z.object({
  items: z.array(z.object({ name: z.string(), creditCode: z.string().optional(), cases: z.number() })),
});
