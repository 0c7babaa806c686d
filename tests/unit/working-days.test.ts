import { spawnSync } from 'node:child_process';
import path from 'node:path';
import {
  addWorkingDays,
  beijingDate,
  isProvisional,
  shippedSchedules,
  workingDaysBetween,
  CALENDAR_LAST_YEAR,
  WorkCalendar,
} from '../../shared/calendar/working-days';
import { CALENDAR_CHECKS } from '../support/calendar-checks';

const ROOT = path.resolve(__dirname, '../..');

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

describe('the calendar gives the same answers whatever the server’s time zone', () => {
  it.each(['Asia/Shanghai', 'UTC', 'America/New_York', 'Pacific/Kiritimati'])('TZ=%s: every hand-made check', (tz) => {
    const run = spawnSync(path.join(ROOT, 'node_modules/.bin/tsx'), ['tests/support/calendar-probe.ts'], {
      cwd: ROOT,
      env: { ...process.env, TZ: tz },
      encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    const answers = JSON.parse(run.stdout) as unknown[];
    const wrong = CALENDAR_CHECKS.flatMap((c, i) => (answers[i] === c.expect ? [] : [`${JSON.stringify(c)} answered ${JSON.stringify(answers[i])}`]));
    expect(wrong).toEqual([]);
    expect(answers).toHaveLength(CALENDAR_CHECKS.length);
  }, 60_000);
});

describe('a year without a schedule', () => {
  const next = CALENDAR_LAST_YEAR + 1;

  it('counts weekends alone and calls any deadline reaching into it provisional', () => {
    // With no data for the next year, its 1 January is an ordinary working day unless it falls on a weekend.
    const calendar = new WorkCalendar(shippedSchedules());
    expect(calendar.hasYear(next)).toBe(false);
    expect(calendar.isProvisional(`${CALENDAR_LAST_YEAR}-12-01`, `${CALENDAR_LAST_YEAR}-12-31`)).toBe(false);
    expect(calendar.isProvisional(`${CALENDAR_LAST_YEAR}-12-24`, `${next}-01-04`)).toBe(true);
    expect(isProvisional(`${CALENDAR_LAST_YEAR}-12-24`, `${next}-01-04`)).toBe(true);
  });

  it('a case received 2026-12-24: 7 working days end 2027-01-04 on weekends alone, 2027-01-05 once a New Year holiday is entered', () => {
    const shipped = shippedSchedules().filter((s) => s.year <= 2026);
    const before = new WorkCalendar(shipped);
    expect(before.addWorkingDays('2026-12-24', 7)).toBe('2027-01-04');
    expect(before.isProvisional('2026-12-24', '2027-01-04')).toBe(true);
    const after = new WorkCalendar([...shipped, { year: 2027, holidays: [{ name: '元旦', from: '2027-01-01', to: '2027-01-03' }], workdays: [] }]);
    expect(after.addWorkingDays('2026-12-24', 7)).toBe('2027-01-05');
    expect(after.isProvisional('2026-12-24', '2027-01-05')).toBe(false);
  });

  it('a make-up working day entered for a year counts, a holiday entered does not', () => {
    const calendar = new WorkCalendar([{ year: 2030, holidays: [{ name: '国庆节', from: '2030-10-01', to: '2030-10-07' }], workdays: ['2030-09-29'] }]);
    expect(calendar.isWorkingDay('2030-09-29')).toBe(true); // a Sunday
    expect(calendar.isWorkingDay('2030-10-02')).toBe(false); // a Wednesday
    expect(calendar.addWorkingDays('2030-09-27', 1)).toBe('2030-09-29');
  });

  it('the shipped schedules match the package they come from, day by day, for 2025 and 2026', () => {
    const calendar = new WorkCalendar(shippedSchedules());
    const y2026 = calendar.schedule(2026)!;
    expect(y2026.holidays.map((h) => h.name)).toEqual(expect.arrayContaining(['元旦', '春节', '国庆节']));
    expect(y2026.workdays).toEqual(expect.arrayContaining(['2026-01-04', '2026-02-14', '2026-02-28']));
    expect(calendar.knownYears).toEqual(expect.arrayContaining([2025, 2026]));
  });
});
