import { addWorkingDays, beijingDate, workingDaysBetween, CALENDAR_LAST_YEAR } from '../../shared/calendar/working-days';

describe('working-day deadlines', () => {
  it('counts from the day after receipt, across National Day and its make-up workdays (REFERENCE.md example)', () => {
    // Friday 2025-09-26: Sunday 09-28 is a make-up workday, 10-01..10-08 are holidays, Saturday 10-11 works.
    expect(addWorkingDays('2025-09-26', 7)).toBe('2025-10-13');
  });

  it('a case received on the last working day before National Day 2026 is due after the holiday', () => {
    // 2026-09-30 (Wednesday) is the last working day; 10-01..10-07 are holidays, 10-10 (Saturday) is a make-up workday.
    expect(addWorkingDays('2026-09-30', 1)).toBe('2026-10-08');
    expect(addWorkingDays('2026-09-30', 7)).toBe('2026-10-15');
  });

  it('a case received on a make-up Saturday counts the following Monday as day 1', () => {
    expect(addWorkingDays('2026-10-10', 1)).toBe('2026-10-12');
  });

  it('a case received on a weekend has the next working day as day 1', () => {
    expect(addWorkingDays('2026-11-21', 1)).toBe('2026-11-23');
    expect(addWorkingDays('2026-11-21', 7)).toBe('2026-12-01');
  });

  it('counts working days between two dates', () => {
    expect(workingDaysBetween('2025-09-26', '2025-10-13')).toBe(7);
    expect(workingDaysBetween('2025-10-13', '2025-09-26')).toBe(-7);
    expect(workingDaysBetween('2026-11-23', '2026-11-23')).toBe(0);
  });

  it('uses the Beijing calendar date', () => {
    expect(beijingDate(new Date('2026-11-22T16:30:00Z'))).toBe('2026-11-23');
    expect(beijingDate(new Date('2026-11-22T15:59:59Z'))).toBe('2026-11-22');
  });

  it('knows which year its holiday data ends', () => {
    expect(CALENDAR_LAST_YEAR).toBeGreaterThanOrEqual(2026);
  });

  it('refuses a count below one', () => {
    expect(() => addWorkingDays('2026-11-23', 0)).toThrow(RangeError);
  });
});
