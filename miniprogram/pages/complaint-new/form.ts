/** The intake form's state, its conversion to request bodies and drafts, and per-step checks with the shared schemas. */
import type { z } from 'zod';
import {
  businessInput,
  complaintCreateBody,
  consumerInput,
  reportCreateBody,
  respondentInput,
  type ComplaintCreate,
  type ReportCreate,
} from '@shared/api/complaints';
import type { DraftData } from '@shared/api/drafts';
import { LIMITS, type JurisdictionBasis } from '@shared/complaint/intake';

export type IntakeKind = 'complaint' | 'report';

export interface EvidenceItem {
  fileId: string;
  kind: 'image' | 'video' | 'pdf';
  sha256: string;
  /** The local path, for a thumbnail while the page lives. */
  name?: string;
}

export interface FormState {
  step: number;
  respondent: {
    name: string;
    creditCode: string;
    address: string;
    regionCode: string;
    regionLabel: string;
    domicileRegionCode: string;
    domicileRegionLabel: string;
    platform: { name: string; regionCode: string; regionLabel: string };
  };
  consumer: { phone: string; address: string };
  business: {
    kind: string;
    categoryCode: string;
    nature: string;
    problemTypeCode: string;
    channel: string;
    productName: string;
    amountYuan: string;
    occurredOn: string;
    demands: Array<{ type: string; text?: string }>;
  };
  description: string;
  evidence: EvidenceItem[];
  basis: JurisdictionBasis;
  anonymous: boolean;
}

export const todayString = () => {
  const d = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
};

export const emptyForm = (): FormState => ({
  step: 0,
  respondent: { name: '', creditCode: '', address: '', regionCode: '', regionLabel: '', domicileRegionCode: '', domicileRegionLabel: '', platform: { name: '', regionCode: '', regionLabel: '' } },
  consumer: { phone: '', address: '' },
  business: { kind: 'goods', categoryCode: '', nature: '', problemTypeCode: '', channel: '', productName: '', amountYuan: '', occurredOn: todayString(), demands: [] },
  description: '',
  evidence: [],
  basis: 'place_of_business',
  anonymous: false,
});

/** "12.5" -> 1250 with string arithmetic: money never passes through a float. */
export function yuanToCents(yuan: string): number | undefined {
  const m = /^(\d{1,9})(?:\.(\d{1,2}))?$/.exec(yuan.trim());
  if (!m) return undefined;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

export const centsToYuan = (cents: number) => `${Math.floor(cents / 100)}${cents % 100 ? `.${String(cents % 100).padStart(2, '0')}` : ''}`;

const blankToUndefined = (v: string) => (v.trim() === '' ? undefined : v.trim());

export function respondentBody(f: FormState, kind: IntakeKind) {
  const r = f.respondent;
  const onPlatform = kind === 'report' ? Boolean(r.platform.name) : f.business.channel === 'online_platform';
  return {
    name: r.name,
    creditCode: blankToUndefined(r.creditCode),
    address: r.address,
    regionCode: r.regionCode,
    domicileRegionCode: blankToUndefined(r.domicileRegionCode),
    platform: onPlatform ? { name: r.platform.name, regionCode: r.platform.regionCode } : undefined,
  };
}

export function businessBody(f: FormState) {
  const b = f.business;
  return {
    kind: b.kind,
    categoryCode: b.categoryCode,
    problemTypeCode: b.problemTypeCode,
    channel: b.channel,
    productName: b.productName,
    // An unparsable amount is sent as its text so the shared schema names the field.
    amountCents: yuanToCents(b.amountYuan) ?? (b.amountYuan as unknown as number),
    occurredOn: b.occurredOn,
    demands: b.demands.map((d) => (d.type === 'other' ? { type: d.type, text: d.text ?? '' } : { type: d.type })),
  };
}

export function complaintBody(f: FormState, fileAnyway = false): ComplaintCreate {
  return {
    respondent: respondentBody(f, 'complaint'),
    consumer: { phone: f.consumer.phone, address: f.consumer.address },
    business: businessBody(f),
    description: f.description,
    evidenceIds: f.evidence.map((e) => e.fileId),
    jurisdiction: { basis: f.basis },
    ...(fileAnyway ? { fileAnyway: true } : {}),
  } as ComplaintCreate;
}

export function reportBody(f: FormState): ReportCreate {
  return {
    respondent: respondentBody(f, 'report'),
    description: f.description,
    evidenceIds: f.evidence.map((e) => e.fileId),
    jurisdiction: { basis: f.basis },
    anonymous: f.anonymous,
    ...(f.anonymous ? {} : { reporter: { phone: f.consumer.phone, address: f.consumer.address } }),
  } as ReportCreate;
}

export type Errors = Record<string, string>;

/** Issues keyed by their full dotted path, first message per field. */
export function check(schema: z.ZodType, value: unknown, prefix = ''): Errors {
  // zod's fast path compiles code with new Function, which mini program runtimes do not allow.
  const result = schema.safeParse(value, { jitless: true });
  if (result.success) return {};
  const errors: Errors = {};
  for (const issue of result.error.issues) {
    const path = [prefix, ...issue.path.map(String)].filter(Boolean).join('.');
    if (!(path in errors)) errors[path] = issue.message;
  }
  return errors;
}

export interface Step {
  key: 'respondent' | 'consumer' | 'business' | 'facts' | 'evidence' | 'review';
  title: string;
}

export const STEPS: Record<IntakeKind, Step[]> = {
  complaint: [
    { key: 'respondent', title: '被投诉方' },
    { key: 'consumer', title: '投诉人' },
    { key: 'business', title: '消费信息' },
    { key: 'evidence', title: '证据' },
    { key: 'review', title: '确认提交' },
  ],
  report: [
    { key: 'respondent', title: '被举报方' },
    { key: 'facts', title: '举报内容' },
    { key: 'evidence', title: '证据' },
    { key: 'review', title: '确认提交' },
  ],
};

const descriptionErrors = (f: FormState): Errors => {
  const n = f.description.trim().length;
  if (n < LIMITS.description.min) return { description: `请至少写 ${LIMITS.description.min} 个字` };
  if (n > LIMITS.description.max) return { description: `不超过 ${LIMITS.description.max} 个字` };
  return {};
};

export function stepErrors(step: Step['key'], f: FormState, kind: IntakeKind): Errors {
  switch (step) {
    case 'respondent': {
      const errors = check(respondentInput, respondentBody(f, kind), 'respondent');
      // A complaint's platform is asked with the channel, on the business step.
      if (kind === 'complaint') {
        delete errors['respondent.platform.name'];
        delete errors['respondent.platform.regionCode'];
      }
      return errors;
    }
    case 'consumer':
      return check(consumerInput, f.consumer, 'consumer');
    case 'business': {
      const errors = { ...check(businessInput, businessBody(f), 'business'), ...descriptionErrors(f) };
      if (f.business.channel === 'online_platform') Object.assign(errors, check(respondentInput.shape.platform.unwrap(), respondentBody(f, kind).platform ?? {}, 'respondent.platform'));
      return errors;
    }
    case 'facts':
      return { ...descriptionErrors(f), ...(f.anonymous ? {} : check(consumerInput, f.consumer, 'consumer')) };
    case 'evidence':
      return {};
    case 'review':
      return kind === 'complaint' ? check(complaintCreateBody, complaintBody(f)) : check(reportCreateBody, reportBody(f));
  }
}

export function toDraft(f: FormState): DraftData {
  const cents = yuanToCents(f.business.amountYuan);
  return {
    step: f.step,
    respondent: { ...f.respondent, platform: { ...f.respondent.platform } },
    consumer: { ...f.consumer },
    business: {
      kind: f.business.kind,
      categoryCode: f.business.categoryCode,
      nature: f.business.nature,
      problemTypeCode: f.business.problemTypeCode,
      channel: f.business.channel,
      productName: f.business.productName,
      ...(cents !== undefined && cents <= LIMITS.amountCents.max ? { amountCents: cents } : {}),
      occurredOn: f.business.occurredOn,
      demands: f.business.demands.map((d) => ({ type: d.type, ...(d.text ? { text: d.text } : {}) })),
    },
    description: f.description,
    evidence: f.evidence.map((e) => ({ fileId: e.fileId, kind: e.kind, sha256: e.sha256 })),
    jurisdiction: { basis: f.basis },
    anonymous: f.anonymous,
  };
}

export function fromDraft(d: DraftData): FormState {
  const base = emptyForm();
  const r = d.respondent ?? {};
  const b = d.business ?? {};
  return {
    step: d.step ?? 0,
    respondent: { ...base.respondent, ...r, platform: { ...base.respondent.platform, ...r.platform } } as FormState['respondent'],
    consumer: { ...base.consumer, ...d.consumer } as FormState['consumer'],
    business: {
      ...base.business,
      ...b,
      amountYuan: b.amountCents === undefined ? '' : centsToYuan(b.amountCents),
      demands: b.demands ?? [],
    } as FormState['business'],
    description: d.description ?? '',
    evidence: (d.evidence ?? []) as EvidenceItem[],
    basis: (d.jurisdiction?.basis as JurisdictionBasis) ?? 'place_of_business',
    anonymous: d.anonymous ?? false,
  };
}
