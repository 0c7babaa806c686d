import { Tag } from 'antd';
import type { ComplaintStatus } from '../../../../shared/complaint/status';
import { STATUS_COLORS, STATUS_LABELS } from '../labels';

export function StatusTag({ status, label }: { status: ComplaintStatus; label?: string }) {
  return (
    <Tag color={STATUS_COLORS[status]} className={`status-${status}`}>
      {label ?? STATUS_LABELS[status]}
    </Tag>
  );
}
