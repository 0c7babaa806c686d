import { Tag } from 'antd';
import type { CaseSummary } from '../api';
import { CLOCK_LABELS } from '../labels';

/** The running legal clock of a case, as the server computed it. */
export function runningDeadline(c: Pick<CaseSummary, 'clock'>): { kind: string; date: string } | null {
  return c.clock ? { kind: CLOCK_LABELS[c.clock.kind] ?? c.clock.kind, date: c.clock.due } : null;
}

export function DeadlineBadge({ daysLeft, overdue, paused }: { daysLeft: number | null; overdue: boolean; paused?: boolean }) {
  if (paused) {
    return (
      <Tag color="default" className="deadline-paused">
        检验检测中，暂停计时
      </Tag>
    );
  }
  if (overdue) {
    return (
      <Tag color="red" className="deadline-overdue">
        {daysLeft !== null && daysLeft < 0 ? `已超期 ${-daysLeft} 个工作日` : '已超期'}
      </Tag>
    );
  }
  if (daysLeft === null) return null;
  if (daysLeft === 0) {
    return (
      <Tag color="orange" className="deadline-due">
        今日到期
      </Tag>
    );
  }
  return (
    <Tag color={daysLeft <= 2 ? 'orange' : 'blue'} className="deadline-due">
      剩余 {daysLeft} 个工作日
    </Tag>
  );
}
