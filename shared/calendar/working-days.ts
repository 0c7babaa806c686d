/**
 * Deadlines in Chinese working days (工作日): public holidays are skipped and make-up workdays
 * (调休) count. The day of receipt is not counted (民法典 Art 201); the deadline is the Nth
 * working day after it. Dates are Beijing calendar dates, YYYY-MM-DD, and all arithmetic is done
 * on those strings in UTC, so the server's time zone never moves a deadline.
 *
 * Which days are holidays is known only for years whose State Council notice is out. A year
 * without a schedule counts weekends alone, and any deadline reaching into it is provisional
 * (暂定) until the year's schedule is entered.
 */
import calendarData from 'chinese-days/dist/chinese-days.json';

/** One year's holiday arrangement, as the State Council's notice (国务院办公厅关于…部分节假日安排的通知) gives it. */
export interface YearSchedule {
  year: number;
  /** Days off, as inclusive ranges, each named for its festival. */
  holidays: ReadonlyArray<{ name: string; from: string; to: string }>;
  /** Weekend days that are working days (调休上班). */
  workdays: readonly string[];
  /** The notice the schedule comes from. */
  notice?: { title: string; date: string };
}

const DAY_MS = 86_400_000;
const toTime = (date: string) => Date.parse(`${date}T00:00:00Z`);
const fromTime = (t: number) => new Date(t).toISOString().slice(0, 10);
const weekday = (date: string) => new Date(toTime(date)).getUTCDay();
const yearOf = (date: string) => Number(date.slice(0, 4));

export function nextDate(date: string): string {
  return fromTime(toTime(date) + DAY_MS);
}

/** Every date of an inclusive range. */
function datesBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = toTime(from); t <= toTime(to); t += DAY_MS) out.push(fromTime(t));
  return out;
}

/** A working-day calendar over a set of year schedules. */
export class WorkCalendar {
  private readonly years = new Map<number, YearSchedule>();
  private readonly holidays = new Set<string>();
  private readonly workdays = new Set<string>();

  constructor(schedules: Iterable<YearSchedule>) {
    for (const s of schedules) {
      this.years.set(s.year, s);
      for (const h of s.holidays) for (const d of datesBetween(h.from, h.to)) this.holidays.add(d);
      for (const d of s.workdays) this.workdays.add(d);
    }
  }

  /** The years with a schedule, ascending. */
  get knownYears(): number[] {
    return [...this.years.keys()].sort((a, b) => a - b);
  }

  hasYear(year: number): boolean {
    return this.years.has(year);
  }

  schedule(year: number): YearSchedule | undefined {
    return this.years.get(year);
  }

  isWorkingDay(date: string): boolean {
    if (this.holidays.has(date)) return false;
    if (this.workdays.has(date)) return true;
    const day = weekday(date);
    return day !== 0 && day !== 6;
  }

  /** The `days`-th working day after `date` (which itself is not counted). */
  addWorkingDays(date: string, days: number): string {
    if (!Number.isInteger(days) || days < 1) throw new RangeError('days must be a whole number of at least 1');
    let d = date;
    for (let counted = 0; counted < days; ) {
      d = nextDate(d);
      if (this.isWorkingDay(d)) counted += 1;
    }
    return d;
  }

  /** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier. */
  workingDaysBetween(from: string, to: string): number {
    if (from === to) return 0;
    const [a, b, sign] = from < to ? [from, to, 1] : [to, from, -1];
    let count = 0;
    for (let d = nextDate(a); d <= b; d = nextDate(d)) if (this.isWorkingDay(d)) count += 1;
    return count * sign;
  }

  /** True when some year from `from` to `to` has no schedule: a deadline between them is only an estimate. */
  isProvisional(from: string, to: string): boolean {
    const [a, b] = from < to ? [from, to] : [to, from];
    for (let y = yearOf(a); y <= yearOf(b); y++) if (!this.years.has(y)) return true;
    return false;
  }
}

/** The schedules shipped with the code (from the chinese-days package), by year. */
export function shippedSchedules(): YearSchedule[] {
  const data = calendarData as { holidays: Record<string, string>; workdays: Record<string, string> };
  const byYear = new Map<number, { holidays: Map<string, string[]>; workdays: string[] }>();
  const year = (y: number) => {
    let entry = byYear.get(y);
    if (!entry) byYear.set(y, (entry = { holidays: new Map(), workdays: [] }));
    return entry;
  };
  for (const [date, label] of Object.entries(data.holidays)) {
    const name = label.split(',')[1] ?? label;
    const days = year(yearOf(date)).holidays;
    days.set(name, [...(days.get(name) ?? []), date]);
  }
  for (const date of Object.keys(data.workdays)) year(yearOf(date)).workdays.push(date);
  return [...byYear.entries()]
    .sort(([a], [b]) => a - b)
    .map(([y, e]) => ({
      year: y,
      // A festival's days as consecutive ranges (a name can recur in a year, e.g. 元旦 at both ends).
      holidays: [...e.holidays.entries()].flatMap(([name, dates]) => {
        const ranges: { name: string; from: string; to: string }[] = [];
        for (const d of dates.sort()) {
          const last = ranges[ranges.length - 1];
          if (last && nextDate(last.to) === d) last.to = d;
          else ranges.push({ name, from: d, to: d });
        }
        return ranges;
      }).sort((a, b) => a.from.localeCompare(b.from)),
      workdays: e.workdays.sort(),
    }));
}

let current = new WorkCalendar(shippedSchedules());

/** The calendar deadlines are counted on; the server replaces it when a year's schedule is entered. */
export function workCalendar(): WorkCalendar {
  return current;
}

export function useWorkCalendar(calendar: WorkCalendar): void {
  current = calendar;
}

/** The last year the shipped holiday data covers. */
export const CALENDAR_LAST_YEAR = Math.max(...shippedSchedules().map((s) => s.year));

export const addWorkingDays = (date: string, days: number): string => current.addWorkingDays(date, days);
export const isWorkingDay = (date: string): boolean => current.isWorkingDay(date);
export const workingDaysBetween = (from: string, to: string): number => current.workingDaysBetween(from, to);
export const isProvisional = (from: string, to: string): boolean => current.isProvisional(from, to);

/** The Beijing calendar date (UTC+8, no daylight saving) of an instant. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
