/** Drafts hold a form as typed: every field optional, nothing checked beyond shape and length. */
import { z } from './zod-zh';

const s = (max: number) => z.string().max(max).optional();

const respondentDraft = z.strictObject({
  name: s(100),
  creditCode: s(18),
  address: s(200),
  regionCode: s(6),
  /** Region names as picked, so a resumed draft shows them without asking the server. */
  regionLabel: s(60),
  domicileRegionCode: s(6),
  domicileRegionLabel: s(60),
  platform: z.strictObject({ name: s(50), regionCode: s(6), regionLabel: s(60) }).optional(),
});

export const draftData = z.strictObject({
  step: z.number().int().min(0).max(10).optional(),
  respondent: respondentDraft.optional(),
  consumer: z.strictObject({ phone: s(11), address: s(200) }).optional(),
  business: z
    .strictObject({
      kind: s(16),
      categoryCode: s(64),
      /** The first level of the problem-type tree, chosen before the problem type. */
      nature: s(32),
      problemTypeCode: s(64),
      channel: s(32),
      productName: s(100),
      amountCents: z.number().int().min(0).max(10_000_000_000).optional(),
      occurredOn: s(10),
      demands: z.array(z.strictObject({ type: z.string().max(32), text: s(200) })).max(7).optional(),
    })
    .optional(),
  description: s(2000),
  evidence: z
    .array(z.strictObject({ fileId: z.string().regex(/^[a-f0-9]{24}$/), kind: z.string().max(16), name: s(200), sha256: s(64) }))
    .max(9)
    .optional(),
  jurisdiction: z.strictObject({ basis: s(32) }).optional(),
  anonymous: z.boolean().optional(),
});
export type DraftData = z.infer<typeof draftData>;

export const DRAFT_KINDS = ['complaint', 'report'] as const;
export const draftKindParam = z.object({ kind: z.enum(DRAFT_KINDS) });
/** `baseVersion` is the version the client last saw: a save from a stale copy answers 409. */
export const draftSaveBody = z.strictObject({ data: draftData, baseVersion: z.number().int().min(0).optional() });
export const draftView = z.object({ kind: z.enum(DRAFT_KINDS), data: draftData, version: z.number(), updatedAt: z.string() });
export type DraftView = z.infer<typeof draftView>;
