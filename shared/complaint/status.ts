/** Case states and the words the UI uses for them. Complaints and reports share one list. */
export const COMPLAINT_STATUSES = [
  'submitted',
  'accepted',
  'rejected',
  'mediating',
  'resolved',
  'mediation_ended',
  'closed',
  'withdrawn',
  'case_opened',
  'not_opened',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const STATUS_LABELS: Record<ComplaintStatus, string> = {
  submitted: '待受理',
  accepted: '已受理',
  rejected: '不予受理',
  mediating: '调解中',
  resolved: '调解成功',
  mediation_ended: '终止调解',
  closed: '已办结',
  withdrawn: '已撤回',
  case_opened: '已立案',
  not_opened: '不予立案',
};

/** States no action leaves. */
export const FINAL_STATUSES: readonly ComplaintStatus[] = ['rejected', 'closed', 'withdrawn'];

export const CASE_TYPES = ['complaint', 'report'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_TYPE_LABELS: Record<CaseType, string> = { complaint: '投诉', report: '举报' };
