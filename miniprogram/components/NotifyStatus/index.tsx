/** Under a case step: whether its subscription message reached the consumer, or why not. */
import { Text } from '@tarojs/components';
import type { ComplaintDetail } from '@shared/api/complaints';
import './index.scss';

type Notification = NonNullable<ComplaintDetail['timeline'][number]['notification']>;

export default function NotifyStatus({ notification }: { notification?: Notification }) {
  if (!notification) return null;
  return <Text className={`notify-status notify-${notification.status}`}>{notification.label}</Text>;
}
