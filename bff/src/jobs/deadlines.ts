/**
 * The deadline scanner: as working days pass, marks open cases due soon or overdue, so the queue
 * can filter and the dashboard can raise them. It writes only the marks, conditional on the
 * case version, so it never overwrites a transition and never makes a staff member's edit stale.
 */
import mongoose from 'mongoose';
import type { Deps } from '../context';
import type { CaseDoc } from '../modules/handling/handling.service';
import { deadlineState, runningClock } from '../../../shared/complaint/deadlines';
import type { CaseType, ComplaintStatus } from '../../../shared/complaint/status';
import { beijingDate } from '../../../shared/calendar/working-days';
import { CASE_FACTS_PROJECTION, recordCaseChange } from '../modules/insight/counters';
import { oncePerPeriod, type PeriodicJob } from './once-per-period';

const RUNNING: ComplaintStatus[] = ['submitted', 'accepted', 'mediating', 'case_opened', 'not_opened'];

export interface ScanResult {
  scanned: number;
  changed: number;
  overdue: number;
  dueSoon: number;
}

export async function scanOnce(deps: Deps, now = new Date()): Promise<ScanResult> {
  const today = beijingDate(now);
  const result: ScanResult = { scanned: 0, changed: 0, overdue: 0, dueSoon: 0 };
  const cursor = deps.models.Case.find(
    { status: mongoose.trusted({ $in: RUNNING }) },
    { version: 1, deadlines: 1, pausedOn: 1, dueOn: 1, ...CASE_FACTS_PROJECTION },
  )
    .lean<CaseDoc[]>()
    .cursor();
  for await (const doc of cursor) {
    result.scanned += 1;
    const clock = runningClock(
      { type: doc.type as CaseType, status: doc.status as ComplaintStatus, deadlines: doc.deadlines, pausedOn: doc.pausedOn },
      today,
    );
    const state = deadlineState(clock);
    if (state === 'overdue') result.overdue += 1;
    if (state === 'due_soon') result.dueSoon += 1;
    if (state === doc.deadlineState && (clock?.due ?? undefined) === (doc.dueOn ?? undefined)) continue;
    const marks = { deadlineState: state, ...(state === 'overdue' ? { wasOverdue: true } : {}) };
    const res = await deps.models.Case.updateOne(
      { _id: doc._id, version: doc.version },
      clock ? { $set: { ...marks, dueOn: clock.due } } : { $set: marks, $unset: { dueOn: 1 } },
    );
    result.changed += res.modifiedCount;
    if (res.modifiedCount) await recordCaseChange(deps, doc, { ...doc, ...marks });
  }
  return result;
}

/** Runs the scan once per period across all processes (see oncePerPeriod). */
export function startDeadlineScanner(deps: Deps, everyMs = deps.config.worker.deadlineScanMs): PeriodicJob {
  return oncePerPeriod(deps, { key: 'deadline-scan', message: 'deadline scan' }, everyMs, () => scanOnce(deps));
}
