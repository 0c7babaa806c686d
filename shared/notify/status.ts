/** What a consumer is told about the message of one case step, derived from its outbox entry. */
export const NOTIFY_STATES = ['sent', 'not_subscribed', 'pending', 'failed'] as const;
export type NotifyState = (typeof NOTIFY_STATES)[number];

export const NOTIFY_STATE_LABELS: Record<NotifyState, string> = {
  sent: '已发送通知',
  not_subscribed: '未订阅通知',
  pending: '通知发送中',
  failed: '通知发送失败',
};

export const DELIVERY_STATUSES = ['pending', 'queued', 'sending', 'sent', 'skipped', 'rejected', 'dead'] as const;
export type DeliveryStatusName = (typeof DELIVERY_STATUSES)[number];

export function notifyStateOf(status: string): NotifyState {
  switch (status) {
    case 'sent':
      return 'sent';
    case 'skipped':
      return 'not_subscribed';
    case 'rejected':
    case 'dead':
      return 'failed';
    default:
      return 'pending';
  }
}
