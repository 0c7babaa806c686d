/** Chinese words the admin page shows for the codes the API returns. */
import { ACTION_LABELS } from '../../../shared/complaint/workflow';
import type { ComplaintStatus } from '../../../shared/complaint/status';
import type { Staff } from './api';

export { STATUS_LABELS, CASE_TYPE_LABELS, COMPLAINT_STATUSES } from '../../../shared/complaint/status';

// Not imported from shared/api/admin: that module brings zod (about 24 kB gzip) into the page.
export const ROLE_LABELS: Record<Staff['role'], string> = {
  admin: '管理员',
  supervisor: '监管主管',
  handler: '承办人',
};

export const STATUS_COLORS: Record<ComplaintStatus, string> = {
  submitted: 'gold',
  accepted: 'blue',
  rejected: 'magenta',
  mediating: 'cyan',
  resolved: 'green',
  mediation_ended: 'volcano',
  closed: 'default',
  withdrawn: 'default',
  case_opened: 'purple',
  not_opened: 'magenta',
};

export const actionLabel = (action: string): string => ACTION_LABELS[action] ?? action;

export const PLATFORM_LABELS: Record<string, string> = { wechat: '微信', alipay: '支付宝' };

export function actorLabel(actor: string): string {
  if (actor === 'consumer') return '投诉人';
  if (actor.startsWith('staff:')) return `工作人员 ${actor.slice('staff:'.length)}`;
  return '系统';
}

export const EVENT_LABELS: Record<string, string> = {
  accepted: '受理通知',
  rejected: '不予受理通知',
  mediation_started: '调解开始通知',
  mediation_ended: '终止调解通知',
  resolved: '调解成功通知',
  closed: '办结通知',
  transferred: '移送通知',
  report_decided: '举报处理结果通知',
};

export const CLOCK_LABELS: Record<string, string> = { accept: '受理', mediation: '调解', decide: '立案决定', inform: '告知举报人' };

export const PII_LABELS: Record<string, string> = { name: '姓名', idNumber: '身份证号', phone: '电话', address: '地址' };

export const AUDIT_LABELS: Record<string, string> = {
  case_view: '查看案件',
  reveal: '查看投诉人信息',
  transition: '办理操作',
  export: '导出案件',
  staff_create: '新增工作人员',
  staff_update: '修改工作人员',
  bureau_create: '新增机构',
  bureau_update: '修改机构',
  hotspot_seen: '标记热点已查看',
  evidence_view: '查看证据',
  delivery_resend: '重发订阅消息',
  export_reauth_failed: '导出验证密码错误',
  staff_login: '登录',
  staff_login_failed: '登录失败',
  staff_locked: '登录失败过多被锁定',
};

export const DELIVERY_STATUS: Record<string, { label: string; color: string }> = {
  pending: { label: '待发送', color: 'default' },
  queued: { label: '发送中', color: 'processing' },
  sending: { label: '发送中', color: 'processing' },
  sent: { label: '已送达', color: 'success' },
  skipped: { label: '未订阅，未发送', color: 'warning' },
  rejected: { label: '平台拒收', color: 'error' },
  dead: { label: '发送失败', color: 'error' },
};
