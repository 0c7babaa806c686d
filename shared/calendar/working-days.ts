/**
 * Deadlines in Chinese working days (工作日): public holidays are skipped and make-up workdays
 * (调休) count. The day of receipt is not counted (民法典 Art 201); the deadline is the Nth
 * working day after it. Dates are Beijing calendar dates, YYYY-MM-DD.
 */
import { findWorkday, isWorkday } from 'chinese-days';
import calendarData from 'chinese-days/dist/chinese-days.json';

/** The last year the holiday data covers; later years fall back to plain weekdays. */
export const CALENDAR_LAST_YEAR = Math.max(
  ...Object.keys((calendarData as { holidays: Record<string, string> }).holidays).map((d) => Number(d.slice(0, 4))),
);

// The holiday data does not change while a process runs, and answering from it parses dates each
// time: answers are kept (per date, and per date and count; a few thousand entries at most).
const CACHE_LIMIT = 50_000;
const workdays = new Map<string, boolean>();
const added = new Map<string, string>();

function remember<V>(cache: Map<string, V>, key: string, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= CACHE_LIMIT) cache.clear();
    value = compute();
    cache.set(key, value);
  }
  return value;
}

export function addWorkingDays(date: string, days: number): string {
  if (days < 1) throw new RangeError('days must be at least 1');
  return remember(added, `${date}+${days}`, () => findWorkday(days, date));
}

export function isWorkingDay(date: string): boolean {
  return remember(workdays, date, () => isWorkday(date));
}

/** Working days from `from` (exclusive) to `to` (inclusive); negative when `to` is earlier. */
export function workingDaysBetween(from: string, to: string): number {
  if (from === to) return 0;
  const [a, b, sign] = from < to ? [from, to, 1] : [to, from, -1];
  let count = 0;
  let d = a;
  while (d < b) {
    d = nextDate(d);
    if (isWorkingDay(d)) count += 1;
  }
  return count * sign;
}

function nextDate(date: string): string {
  const t = new Date(`${date}T00:00:00Z`);
  t.setUTCDate(t.getUTCDate() + 1);
  return t.toISOString().slice(0, 10);
}

/** The Beijing calendar date (UTC+8, no daylight saving) of an instant. */
export function beijingDate(at: Date): string {
  return new Date(at.getTime() + 8 * 3600_000).toISOString().slice(0, 10);
}
