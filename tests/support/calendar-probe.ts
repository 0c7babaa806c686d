/**
 * Prints the calendar's answers for the checks in tests/unit/working-days.test.ts, so that suite
 * can run them in processes with other time zones (TZ is read once, when a process starts).
 */
import { addWorkingDays, beijingDate, isWorkingDay, workingDaysBetween } from '../../shared/calendar/working-days';
import { CALENDAR_CHECKS } from './calendar-checks';

const answers = CALENDAR_CHECKS.map((c) => {
  switch (c.kind) {
    case 'add':
      return addWorkingDays(c.from, c.days);
    case 'between':
      return workingDaysBetween(c.from, c.to);
    case 'working':
      return isWorkingDay(c.date);
    case 'beijing':
      return beijingDate(new Date(c.at));
  }
});
process.stdout.write(JSON.stringify(answers));
