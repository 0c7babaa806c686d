/**
 * Deadlines worked out by hand from the State Council's 2025 and 2026 holiday notices, with the
 * day of receipt not counted (民法典 Art 201).
 */
export type CalendarCheck =
  | { kind: 'add'; from: string; days: number; expect: string; why: string }
  | { kind: 'between'; from: string; to: string; expect: number; why: string }
  | { kind: 'working'; date: string; expect: boolean; why: string }
  | { kind: 'beijing'; at: string; expect: string; why: string };

export const CALENDAR_CHECKS: readonly CalendarCheck[] = [
  { kind: 'add', from: '2025-01-01', days: 1, expect: '2025-01-02', why: 'received on New Year’s Day: day 1 is the next working day, never the day of receipt' },
  { kind: 'add', from: '2025-01-24', days: 1, expect: '2025-01-26', why: 'Sunday 01-26 is a make-up working day before the Spring Festival' },
  { kind: 'add', from: '2025-01-27', days: 1, expect: '2025-02-05', why: 'Spring Festival 01-28..02-04' },
  { kind: 'add', from: '2025-02-07', days: 1, expect: '2025-02-08', why: 'Saturday 02-08 is a make-up working day' },
  { kind: 'add', from: '2025-04-03', days: 1, expect: '2025-04-07', why: 'Qingming 04-04..04-06' },
  { kind: 'add', from: '2025-04-25', days: 1, expect: '2025-04-27', why: 'Sunday 04-27 is a make-up working day' },
  { kind: 'add', from: '2025-04-30', days: 1, expect: '2025-05-06', why: 'Labour Day 05-01..05-05' },
  { kind: 'add', from: '2025-05-30', days: 1, expect: '2025-06-03', why: 'Dragon Boat 05-31..06-02' },
  { kind: 'add', from: '2025-09-26', days: 7, expect: '2025-10-13', why: 'REFERENCE.md example across National Day' },
  { kind: 'add', from: '2025-09-30', days: 1, expect: '2025-10-09', why: 'National Day and Mid-Autumn 10-01..10-08' },
  { kind: 'add', from: '2025-10-10', days: 1, expect: '2025-10-11', why: 'Saturday 10-11 is a make-up working day' },
  { kind: 'add', from: '2025-12-31', days: 1, expect: '2026-01-04', why: 'New Year 2026 01-01..01-03, Sunday 01-04 works' },
  { kind: 'add', from: '2026-01-04', days: 1, expect: '2026-01-05', why: 'from a make-up Sunday to Monday' },
  { kind: 'add', from: '2026-02-13', days: 1, expect: '2026-02-14', why: 'Saturday 02-14 is a make-up working day' },
  { kind: 'add', from: '2026-02-14', days: 1, expect: '2026-02-24', why: 'Spring Festival 02-15..02-23' },
  { kind: 'add', from: '2026-02-27', days: 1, expect: '2026-02-28', why: 'Saturday 02-28 is a make-up working day' },
  { kind: 'add', from: '2026-09-30', days: 1, expect: '2026-10-08', why: 'National Day 10-01..10-07' },
  { kind: 'add', from: '2026-09-30', days: 7, expect: '2026-10-15', why: 'Saturday 10-10 is a make-up working day' },
  { kind: 'add', from: '2026-10-10', days: 1, expect: '2026-10-12', why: 'received on a make-up Saturday' },
  { kind: 'add', from: '2026-11-21', days: 1, expect: '2026-11-23', why: 'received on a weekend' },
  { kind: 'add', from: '2026-11-21', days: 7, expect: '2026-12-01', why: 'a plain fortnight' },
  { kind: 'between', from: '2025-09-26', to: '2025-10-13', expect: 7, why: 'the REFERENCE.md example, counted back' },
  { kind: 'between', from: '2025-10-13', to: '2025-09-26', expect: -7, why: 'negative when the end is earlier' },
  { kind: 'between', from: '2026-02-13', to: '2026-02-24', expect: 2, why: '02-14 and 02-24 across the Spring Festival' },
  { kind: 'working', date: '2025-10-11', expect: true, why: 'make-up Saturday' },
  { kind: 'working', date: '2025-10-08', expect: false, why: 'last day of the National Day holiday' },
  { kind: 'working', date: '2026-01-04', expect: true, why: 'make-up Sunday' },
  { kind: 'working', date: '2026-02-23', expect: false, why: 'a Monday inside the Spring Festival' },
  { kind: 'beijing', at: '2026-11-22T16:30:00Z', expect: '2026-11-23', why: 'after 16:00 UTC it is the next day in Beijing' },
  { kind: 'beijing', at: '2026-11-22T15:59:59Z', expect: '2026-11-22', why: 'before midnight in Beijing' },
];
