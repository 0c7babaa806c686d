import { Tag } from 'antd';
import type { CaseSummary } from '../api';

/** The running legal clock of a case: acceptance while submitted, mediation once accepted. */
export function runningDeadline(c: Pick<CaseSummary, 'status' | 'deadlines'>): { kind: string; date: string } | null {
  if (c.status === 'submitted' && c.deadlines.acceptBy) return { kind: '受理', date: c.deadlines.acceptBy };
  if ((c.status === 'accepted' || c.status === 'mediating') && c.deadlines.mediationBy) {
    return { kind: '调解', date: c.deadlines.mediationBy };
  }
  return null;
}

export function DeadlineBadge({ daysLeft, overdue }: { daysLeft: number | null; overdue: boolean }) {
  if (overdue) {
    return (
      <Tag color="red" className="deadline-overdue">
        已超期
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
