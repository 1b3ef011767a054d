// Working days: Monday to Friday, except the calendar's holidays, plus the
// calendar's make-up workdays (调休) that fall on a weekend. Pure: the calendar
// is loaded by modules/calendar and passed in. Dates are 'YYYY-MM-DD' strings in
// Asia/Shanghai; arithmetic is done on UTC midnights so no time zone shifts them.

export interface Calendar {
  /** weekdays that are days off */
  holidays: ReadonlySet<string>;
  /** weekend days that are worked */
  workdays: ReadonlySet<string>;
}

export const EMPTY_CALENDAR: Calendar = { holidays: new Set(), workdays: new Set() };

const DAY_MS = 86_400_000;

export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

export function isWeekend(day: string): boolean {
  const dow = new Date(`${day}T00:00:00Z`).getUTCDay();
  return dow === 0 || dow === 6;
}

export function isWorkingDay(cal: Calendar, day: string): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  return !isWeekend(day);
}

/**
 * The date that is `n` working days after `from` (the day `from` itself does not
 * count: a limit of 7 working days from a Monday application ends on the next
 * Wednesday, or later across holidays). n = 0 gives `from`.
 */
export function addWorkingDays(cal: Calendar, from: string, n: number): string {
  let day = from;
  let left = n;
  while (left > 0) {
    day = addDays(day, 1);
    if (isWorkingDay(cal, day)) left--;
  }
  return day;
}

/** Working days in (from, to]; 0 when to <= from. */
export function workingDaysBetween(cal: Calendar, from: string, to: string): number {
  let count = 0;
  for (let day = addDays(from, 1); day <= to; day = addDays(day, 1)) if (isWorkingDay(cal, day)) count++;
  return count;
}

/**
 * Working days left until `due` seen from `today`: 0 means due today, a negative
 * number counts the working days it is overdue.
 */
export function workingDaysLeft(cal: Calendar, today: string, due: string): number {
  if (due >= today) return workingDaysBetween(cal, today, due);
  return -workingDaysBetween(cal, due, today);
}

/** How far ahead a calendar must be loaded to compute a limit of n working days. */
export function spanFor(n: number): number {
  // at most the Spring Festival or National Day week plus weekends per week of limit
  return Math.ceil(n * 1.5) + 21;
}
