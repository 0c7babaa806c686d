import { Tag, Tooltip } from 'antd';
import type { CaseSummary } from '../api';
import { CLOCK_LABELS } from '../labels';

/** Marks a due date counted into a year whose holidays are not yet published: an estimate until they are entered. */
export function ProvisionalTag() {
  return (
    <Tooltip title="该年度节假日安排尚未公布，期限暂按周末推算，公布后将重新计算">
      <Tag className="deadline-provisional">暂定</Tag>
    </Tooltip>
  );
}

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
