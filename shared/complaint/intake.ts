/**
 * The words and limits of the intake form, shared by the form and the BFF so both refuse the
 * same input: channels, demands, field limits, evidence kinds and the jurisdiction rule.
 */

export const BUSINESS_KINDS = ['goods', 'services'] as const;
export type BusinessKind = (typeof BUSINESS_KINDS)[number];
export const BUSINESS_KIND_LABELS: Record<BusinessKind, string> = { goods: '商品', services: '服务' };

export const CHANNELS = ['store', 'online_platform', 'tv_phone', 'door_to_door', 'other'] as const;
export type Channel = (typeof CHANNELS)[number];
export const CHANNEL_LABELS: Record<Channel, string> = {
  store: '实体店',
  online_platform: '网络平台',
  tv_phone: '电视或电话购物',
  door_to_door: '上门推销',
  other: '其他',
};

export const DEMANDS = ['refund', 'return', 'exchange', 'repair', 'compensation', 'apology', 'other'] as const;
export type Demand = (typeof DEMANDS)[number];
export const DEMAND_LABELS: Record<Demand, string> = {
  refund: '退款',
  return: '退货',
  exchange: '换货',
  repair: '维修',
  compensation: '赔偿',
  apology: '赔礼道歉',
  other: '其他',
};

/** Where the case is handled (Order 20, Art 12, 13): the consumer chooses among the rules that apply. */
export const JURISDICTION_BASES = ['place_of_business', 'domicile', 'platform_domicile'] as const;
export type JurisdictionBasis = (typeof JURISDICTION_BASES)[number];
export const JURISDICTION_LABELS: Record<JurisdictionBasis, string> = {
  place_of_business: '被投诉方实际经营地',
  domicile: '被投诉方住所地',
  platform_domicile: '网络交易平台住所地',
};

export const LIMITS = {
  respondentName: { min: 2, max: 100 },
  address: { min: 5, max: 200 },
  platformName: { min: 2, max: 50 },
  productName: { min: 1, max: 100 },
  description: { min: 20, max: 2000 },
  demandText: { min: 2, max: 200 },
  /** 1 亿元 in cents: larger sums are typing mistakes, not consumer disputes. */
  amountCents: { min: 0, max: 10_000_000_000 },
  evidencePerCase: 9,
} as const;

export const EVIDENCE_KINDS = ['image', 'video', 'pdf'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];
export const EVIDENCE_KIND_LABELS: Record<EvidenceKind, string> = { image: '图片', video: '视频', pdf: 'PDF 文件' };

const MB = 1024 * 1024;
/** Accepted content types, as detected from the bytes, and the size limit of each kind. */
export const EVIDENCE_TYPES: Record<string, EvidenceKind> = {
  'image/jpeg': 'image',
  'image/png': 'image',
  'image/webp': 'image',
  'image/heic': 'image',
  'video/mp4': 'video',
  'video/quicktime': 'video',
  'application/pdf': 'pdf',
};
export const EVIDENCE_MAX_BYTES: Record<EvidenceKind, number> = { image: 10 * MB, video: 50 * MB, pdf: 20 * MB };
export const EVIDENCE_UPLOAD_MAX_BYTES = Math.max(...Object.values(EVIDENCE_MAX_BYTES));

/** Well-known e-commerce platforms and the county of their registered domicile (for Art 13 jurisdiction). */
export const KNOWN_PLATFORMS: ReadonlyArray<{ name: string; regionCode: string }> = [
  { name: '淘宝', regionCode: '330110' },
  { name: '天猫', regionCode: '330110' },
  { name: '京东', regionCode: '110115' },
  { name: '拼多多', regionCode: '310105' },
  { name: '抖音', regionCode: '110108' },
  { name: '美团', regionCode: '110105' },
  { name: '唯品会', regionCode: '440105' },
];

export interface JurisdictionInput {
  basis: JurisdictionBasis;
  channel?: Channel;
  respondent: { regionCode: string; domicileRegionCode?: string; platform?: { regionCode: string } };
}

export type JurisdictionChoice = { ok: true; regionCode: string } | { ok: false; code: string; message: string };

/**
 * The county whose bureau is competent for the basis the consumer chose: the place of business
 * (the respondent's region) or the registered domicile; for sellers on a platform also the
 * platform's domicile.
 */
export function jurisdictionRegion(input: JurisdictionInput): JurisdictionChoice {
  const { basis, respondent } = input;
  if (basis === 'place_of_business') return { ok: true, regionCode: respondent.regionCode };
  if (basis === 'domicile') {
    if (!respondent.domicileRegionCode) {
      return { ok: false, code: 'DOMICILE_REQUIRED', message: '选择住所地管辖时，请填写被投诉方的住所地区' };
    }
    return { ok: true, regionCode: respondent.domicileRegionCode };
  }
  if (!respondent.platform || (input.channel !== undefined && input.channel !== 'online_platform')) {
    return { ok: false, code: 'PLATFORM_REQUIRED', message: '只有通过网络平台购买时，才能选择平台住所地管辖，并需填写平台' };
  }
  return { ok: true, regionCode: respondent.platform.regionCode };
}

/** 北京市朝阳区建国路88号 -> 北京市朝阳区建国****: enough to recognise, not to locate. */
export function maskAddress(address: string): string {
  const chars = Array.from(address);
  const keep = Math.min(8, Math.max(1, chars.length - 4));
  return chars.slice(0, keep).join('') + '****';
}

/** Amount in cents -> "1,234.50" for display; integer arithmetic only. */
export function formatCents(cents: number): string {
  const yuan = Math.floor(cents / 100);
  const rest = String(cents % 100).padStart(2, '0');
  return `${yuan.toLocaleString('en-US')}.${rest}`;
}
