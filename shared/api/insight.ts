/** The bureau dashboard: figures for a period and a region within the viewer's scope. */
import { z } from './zod-zh';
import { calendarDate } from './common';

/** At most one year per view: 366 counter documents. */
export const INSIGHT_MAX_DAYS = 366;

export const insightQuery = z
  .strictObject({
    from: calendarDate,
    to: calendarDate,
    region: z.string().regex(/^(\d{2}|\d{4}|\d{6})$/, '地区应为省、市或区县的区划代码').optional(),
  })
  .refine((q) => q.from <= q.to, { message: '开始日期不能晚于结束日期', path: ['from'] })
  .refine((q) => (Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 < INSIGHT_MAX_DAYS, {
    message: `统计区间不能超过 ${INSIGHT_MAX_DAYS} 天`,
    path: ['to'],
  });
export type InsightQuery = z.infer<typeof insightQuery>;

const bucket = z.object({ key: z.string(), label: z.string(), count: z.number().int() });
const duration = z.object({
  /** Cases with the step done, received in the period. */
  count: z.number().int(),
  /** Working days from receipt, nearest rank; null without cases. */
  median: z.number().int().nullable(),
  p90: z.number().int().nullable(),
});

export const hotspotView = z.object({
  kind: z.enum(['respondent', 'category']),
  key: z.string(),
  label: z.string(),
  /** Cases in the last 7 days. */
  recent: z.number().int(),
  /** Average cases per 7 days over the 8 weeks before. */
  usual: z.number(),
  seen: z.object({ by: z.string(), at: z.string() }).nullable(),
});

export const insightView = z.object({
  scope: z.object({ region: z.string(), label: z.string(), level: z.enum(['bureau', 'all', 'province', 'city', 'county']) }),
  period: z.object({ from: z.string(), to: z.string() }),
  totals: z.object({
    received: z.number().int(),
    complaints: z.number().int(),
    reports: z.number().int(),
    /** Received in the period and still open now. */
    open: z.number().int(),
    overdueNow: z.number().int(),
    /** Received in the period and past a legal deadline at some point. */
    late: z.number().int(),
    overdueRate: z.number().nullable(),
  }),
  perDay: z.array(z.object({ day: z.string(), count: z.number().int() })),
  byStatus: z.array(bucket),
  byCategory: z.array(bucket),
  byProblemType: z.array(bucket),
  byChannel: z.array(bucket),
  byCounty: z.array(bucket),
  toDecision: duration,
  toClosure: duration,
  mediation: z.object({ agreed: z.number().int(), ended: z.number().int(), successRate: z.number().nullable() }),
  topRespondents: z.array(bucket),
  hotspots: z.array(hotspotView),
  /** Where the figures come from, and how long reading them took on the server. */
  source: z.object({ documents: z.number().int(), ms: z.number() }),
});
export type InsightView = z.infer<typeof insightView>;
export type HotspotView = z.infer<typeof hotspotView>;

export const hotspotSeenBody = z.strictObject({
  kind: z.enum(['respondent', 'category']),
  key: z.string().regex(/^[0-9a-z._~-]{1,64}$/i, '热点标识有误'),
  region: z.string().regex(/^(\d{2}|\d{4}|\d{6})$/).optional(),
});
