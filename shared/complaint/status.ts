/** Case states and the words the UI uses for them. */
export const COMPLAINT_STATUSES = [
  'submitted',
  'accepted',
  'rejected',
  'mediating',
  'resolved',
  'mediation_ended',
  'closed',
  'withdrawn',
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
};

export const CASE_TYPES = ['complaint', 'report'] as const;
export type CaseType = (typeof CASE_TYPES)[number];
export const CASE_TYPE_LABELS: Record<CaseType, string> = { complaint: '投诉', report: '举报' };
