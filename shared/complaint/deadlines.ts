/**
 * Legal time limits as rule sets with an effective date, and the clocks they start. A case is
 * governed by the rule set in force on the day it was received, so a later rule set (SAMR Order
 * 121, from 2026-04-15) applies to cases received from then on while older cases keep theirs.
 */
import { addWorkingDays, isProvisional, workingDaysBetween } from '../calendar/working-days';
import type { CaseType, ComplaintStatus } from './status';

export interface RuleSet {
  id: string;
  title: string;
  /** First Beijing date of receipt the rule set governs. */
  effectiveFrom: string;
  /** Accept or reject a complaint, from receipt. */
  acceptWithin: number;
  /** Mediation ends, from acceptance; testing time excluded. */
  mediationWithin: number;
  /** Decide whether to open a case on a report, from receipt. */
  decideReportWithin: number;
  /** Tell a real-name reporter the decision, from the decision. */
  informReporterWithin: number;
}

/**
 * Order 121's article text could not be confirmed, so its limits repeat Order 20's; when the
 * text is confirmed, only this entry changes.
 */
export const RULE_SETS: readonly RuleSet[] = [
  {
    id: 'samr-order-20',
    title: '市场监督管理投诉举报处理暂行办法（总局令第20号）',
    effectiveFrom: '2020-01-01',
    acceptWithin: 7,
    mediationWithin: 45,
    decideReportWithin: 15,
    informReporterWithin: 5,
  },
  {
    id: 'samr-order-121',
    title: '市场监督管理投诉举报处理办法（总局令第121号）',
    effectiveFrom: '2026-04-15',
    acceptWithin: 7,
    mediationWithin: 45,
    decideReportWithin: 15,
    informReporterWithin: 5,
  },
];

/** The rule set in force on a date of receipt (rule sets sorted by effectiveFrom). */
export function ruleSetFor(receivedOn: string, sets: readonly RuleSet[] = RULE_SETS): RuleSet {
  let found = sets[0];
  for (const s of sets) if (s.effectiveFrom <= receivedOn) found = s;
  return found;
}

export interface Deadlines {
  acceptBy?: string;
  mediationBy?: string;
  decideBy?: string;
  informBy?: string;
}

export const DEADLINE_KEYS = ['acceptBy', 'mediationBy', 'decideBy', 'informBy'] as const;
export type DeadlineKey = (typeof DEADLINE_KEYS)[number];

/**
 * The deadlines of a case that are only estimates (暂定): counting from its receipt to them crosses
 * a year whose holiday schedule is not yet known, so only weekends were skipped there.
 */
export function provisionalDeadlines(receivedOn: string, deadlines: Partial<Record<DeadlineKey, string | null | undefined>>): DeadlineKey[] {
  return DEADLINE_KEYS.filter((k) => {
    const due = deadlines[k];
    return typeof due === 'string' && isProvisional(receivedOn, due);
  });
}

/** The first clock of a new case: acceptance for a complaint, the decision for a report. */
export function initialDeadlines(type: CaseType, receivedOn: string, rules = ruleSetFor(receivedOn)): Deadlines {
  return type === 'complaint'
    ? { acceptBy: addWorkingDays(receivedOn, rules.acceptWithin) }
    : { decideBy: addWorkingDays(receivedOn, rules.decideReportWithin) };
}

/**
 * A testing period (检验、检测、鉴定) does not count toward the mediation limit: the deadline
 * moves by the working days from the pause (exclusive) to the resumption (inclusive).
 */
export function extendForPause(due: string, pausedOn: string, resumedOn: string): string {
  const paused = workingDaysBetween(pausedOn, resumedOn);
  return paused > 0 ? addWorkingDays(due, paused) : due;
}

/** Working days left within which a running clock is shown as due soon. */
export const DUE_SOON_WORKING_DAYS = 2;

export type DeadlineState = 'none' | 'ok' | 'due_soon' | 'overdue';
export type ClockKind = 'accept' | 'mediation' | 'decide' | 'inform';

export interface Clock {
  kind: ClockKind;
  due: string;
  daysLeft: number;
  overdue: boolean;
  paused: boolean;
}

export interface ClockFacts {
  type: CaseType;
  status: ComplaintStatus;
  deadlines?: { [K in keyof Deadlines]?: string | null } | null;
  /** Set while a testing period runs. */
  pausedOn?: string | null;
}

function runningDue(c: ClockFacts): { kind: ClockKind; due?: string | null } | undefined {
  const d = c.deadlines ?? {};
  switch (c.status) {
    case 'submitted':
      return c.type === 'complaint' ? { kind: 'accept', due: d.acceptBy } : { kind: 'decide', due: d.decideBy };
    case 'accepted':
    case 'mediating':
      return { kind: 'mediation', due: d.mediationBy };
    case 'case_opened':
    case 'not_opened':
      return { kind: 'inform', due: d.informBy };
    default:
      return undefined;
  }
}

/** The legal clock running now, if any; a paused clock stands still on the day it was paused. */
export function runningClock(c: ClockFacts, today: string): Clock | null {
  const r = runningDue(c);
  if (!r?.due) return null;
  const paused = r.kind === 'mediation' && !!c.pausedOn;
  const asOf = paused ? c.pausedOn! : today;
  return { kind: r.kind, due: r.due, daysLeft: workingDaysBetween(asOf, r.due), overdue: asOf > r.due, paused };
}

export function deadlineState(clock: Clock | null): DeadlineState {
  if (!clock) return 'none';
  if (clock.overdue) return 'overdue';
  return clock.daysLeft <= DUE_SOON_WORKING_DAYS ? 'due_soon' : 'ok';
}
