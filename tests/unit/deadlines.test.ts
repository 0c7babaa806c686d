import {
  RULE_SETS,
  deadlineState,
  extendForPause,
  initialDeadlines,
  ruleSetFor,
  runningClock,
  type RuleSet,
} from '../../shared/complaint/deadlines';
import { addWorkingDays } from '../../shared/calendar/working-days';

describe('rule sets by date of receipt', () => {
  it('governs cases received up to 2026-04-14 by Order 20 and from 2026-04-15 by Order 121', () => {
    expect(ruleSetFor('2025-09-26').id).toBe('samr-order-20');
    expect(ruleSetFor('2026-04-14').id).toBe('samr-order-20');
    expect(ruleSetFor('2026-04-15').id).toBe('samr-order-121');
    expect(ruleSetFor('2026-11-23').id).toBe('samr-order-121');
  });

  it('applies a later rule set with other limits only to cases received after its effective date', () => {
    const later: RuleSet = { ...RULE_SETS[1], id: 'later', effectiveFrom: '2026-12-01', acceptWithin: 3 };
    const sets = [...RULE_SETS, later];
    expect(initialDeadlines('complaint', '2026-11-30', ruleSetFor('2026-11-30', sets))).toEqual({ acceptBy: addWorkingDays('2026-11-30', 7) });
    expect(initialDeadlines('complaint', '2026-12-01', ruleSetFor('2026-12-01', sets))).toEqual({ acceptBy: '2026-12-04' });
  });

  it('keeps rule sets sorted by effective date', () => {
    const dates = RULE_SETS.map((s) => s.effectiveFrom);
    expect([...dates].sort()).toEqual(dates);
  });
});

describe('first deadlines', () => {
  it('a complaint received Friday 2025-09-26 must be accepted by 2025-10-13 (REFERENCE.md)', () => {
    expect(initialDeadlines('complaint', '2025-09-26')).toEqual({ acceptBy: '2025-10-13' });
  });

  it('a complaint received on the last working day before National Day 2026 is due a week after the holiday', () => {
    // Wed 09-30 received; 10-01..10-07 holidays; 10-08 (1), 10-09 (2), Sat 10-10 make-up (3), 10-12..10-15 (4-7).
    expect(initialDeadlines('complaint', '2026-09-30')).toEqual({ acceptBy: '2026-10-15' });
  });

  it('a complaint received on the make-up Sunday 2026-09-20 counts from Monday and skips Mid-Autumn Festival', () => {
    // 09-21 (1) .. 09-24 (4), Friday 09-25 is 中秋节, 09-28 (5), 09-29 (6), 09-30 (7).
    expect(initialDeadlines('complaint', '2026-09-20')).toEqual({ acceptBy: '2026-09-30' });
  });

  it('a complaint received on the make-up Saturday 2026-10-10 counts from Monday 10-12', () => {
    // 10-12 (1) .. 10-16 (5), 10-19 (6), 10-20 (7).
    expect(initialDeadlines('complaint', '2026-10-10')).toEqual({ acceptBy: '2026-10-20' });
  });

  it('a report must be decided within 15 working days of receipt', () => {
    expect(initialDeadlines('report', '2026-09-30')).toEqual({ decideBy: addWorkingDays('2026-09-30', 15) });
    // 10-08, 10-09, Saturday 10-10 (3), two weeks (13), 10-26 (14), 10-27 (15).
    expect(initialDeadlines('report', '2026-09-30').decideBy).toBe('2026-10-27');
  });

  it('mediation accepted on 2026-09-30 must end 45 working days later, skipping the holiday', () => {
    // 10-08..10-10 (3), eight weeks from 10-12 (43 by Friday 12-04), 12-07 (44), 12-08 (45).
    expect(addWorkingDays('2026-09-30', 45)).toBe('2026-12-08');
  });
});

describe('testing periods', () => {
  it('moves the mediation deadline by the working days the testing took', () => {
    // Paused Tue 09-29, resumed Fri 10-09: 09-30, 10-08, 10-09 are the paused working days.
    expect(extendForPause('2026-11-20', '2026-09-29', '2026-10-09')).toBe(addWorkingDays('2026-11-20', 3));
  });

  it('counts a make-up workday inside the pause', () => {
    // Paused Fri 10-09, resumed Mon 10-12: Saturday 10-10 works, Sunday does not.
    expect(extendForPause('2026-11-20', '2026-10-09', '2026-10-12')).toBe(addWorkingDays('2026-11-20', 2));
  });

  it('leaves the deadline alone when resumed the same day', () => {
    expect(extendForPause('2026-11-20', '2026-10-09', '2026-10-09')).toBe('2026-11-20');
  });

  it('stops the clock while paused: days left are counted as of the pause', () => {
    const clock = runningClock(
      { type: 'complaint', status: 'mediating', deadlines: { mediationBy: '2026-10-15' }, pausedOn: '2026-09-30' },
      '2026-11-30',
    );
    expect(clock).toEqual({ kind: 'mediation', due: '2026-10-15', daysLeft: 7, overdue: false, paused: true });
  });
});

describe('running clocks', () => {
  const today = '2026-10-12';
  it.each([
    ['complaint', 'submitted', { acceptBy: '2026-10-14' }, 'accept', 2, false],
    ['complaint', 'accepted', { acceptBy: '2026-10-01', mediationBy: '2026-10-09' }, 'mediation', -2, true],
    ['complaint', 'mediating', { mediationBy: '2026-10-12' }, 'mediation', 0, false],
    ['report', 'submitted', { decideBy: '2026-10-20' }, 'decide', 6, false],
    ['report', 'case_opened', { informBy: '2026-10-13' }, 'inform', 1, false],
  ] as const)('a %s in %s runs the clock %j', (type, status, deadlines, kind, daysLeft, overdue) => {
    expect(runningClock({ type, status, deadlines }, today)).toMatchObject({ kind, daysLeft, overdue });
  });

  it.each(['resolved', 'mediation_ended', 'closed', 'rejected', 'withdrawn'] as const)('runs no clock in %s', (status) => {
    expect(runningClock({ type: 'complaint', status, deadlines: { acceptBy: '2026-10-01', mediationBy: '2026-10-02' } }, today)).toBeNull();
  });

  it('marks due soon within two working days, overdue after the due date', () => {
    const at = (due: string) => deadlineState(runningClock({ type: 'complaint', status: 'submitted', deadlines: { acceptBy: due } }, today));
    expect(at('2026-10-20')).toBe('ok');
    expect(at('2026-10-14')).toBe('due_soon');
    expect(at('2026-10-12')).toBe('due_soon');
    expect(at('2026-10-09')).toBe('overdue');
    expect(deadlineState(null)).toBe('none');
  });
});
