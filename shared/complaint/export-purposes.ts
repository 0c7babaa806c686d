/** Why a staff member exports complainants' details in full: asked for, audited, shown in the audit log. */
export const EXPORT_PURPOSES = ['mediation', 'verification', 'transfer', 'supervision', 'other'] as const;
export type ExportPurposeCategory = (typeof EXPORT_PURPOSES)[number];

export const EXPORT_PURPOSE_LABELS: Record<ExportPurposeCategory, string> = {
  mediation: '调解中联系投诉人',
  verification: '核查或回访',
  transfer: '移送或协查',
  supervision: '督办检查',
  other: '其他',
};

/** The stated purpose: long enough to say something, short enough for the audit log. */
export const EXPORT_PURPOSE_TEXT = { min: 5, max: 200 } as const;
