import { z } from './zod-zh';
import { JURISDICTION_BASES, CHANNELS } from '../complaint/intake';
import { regionCode } from './complaints';

export const regionsQuery = z.object({ parent: z.string().regex(/^\d{2}(\d{2})?$/, '上级地区代码应为 2 位（省）或 4 位（市）').optional() });
export const regionList = z.object({
  items: z.array(z.object({ code: z.string(), name: z.string(), level: z.enum(['province', 'city', 'county']) })),
});
export type RegionItem = z.infer<typeof regionList>['items'][number];

export const bureausQuery = z.object({ region: regionCode });
export const bureauView = z.object({ code: z.string(), name: z.string(), regionCode: z.string(), regionName: z.string() });
export const bureauList = z.object({ items: z.array(bureauView) });

/** Ask which bureau the chosen rule leads to, before submitting. */
export const jurisdictionQuery = z.object({
  basis: z.enum(JURISDICTION_BASES),
  channel: z.enum(CHANNELS).optional(),
  regionCode,
  domicileRegionCode: regionCode.optional(),
  platformRegionCode: regionCode.optional(),
});
export const jurisdictionRecommendation = z.object({
  basis: z.enum(JURISDICTION_BASES),
  regionCode: z.string(),
  regionName: z.string(),
  bureau: bureauView,
  fallback: z.boolean(),
});
export type JurisdictionRecommendation = z.infer<typeof jurisdictionRecommendation>;
