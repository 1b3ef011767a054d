// The holiday calendar as stored in calendar_days: loaded for working-day maths,
// and kept by the admin (add, change, remove a day).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { addDays, addWorkingDays, isWeekend, spanFor, workingDaysBetween, type Calendar } from '../../lib/workdays.js';
import { audit, type Actor } from '../../plugins/audit.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The calendar's exceptions between two dates (inclusive). */
export async function loadCalendar(db: Db, from: string, to: string): Promise<Calendar> {
  const rows = await db.selectFrom('calendar_days').select(['day', 'kind']).where('day', '>=', from).where('day', '<=', to).execute();
  const holidays = new Set<string>();
  const workdays = new Set<string>();
  for (const r of rows) (r.kind === 'holiday' ? holidays : workdays).add(r.day);
  return { holidays, workdays };
}

/** A calendar wide enough for a limit of `days` working days from `from`. */
export function loadCalendarFor(db: Db, from: string, days: number): Promise<Calendar> {
  return loadCalendar(db, addDays(from, -spanFor(days)), addDays(from, spanFor(days)));
}

/** A real calendar date 'YYYY-MM-DD' (2000-2099: anything else is a typing slip). */
export function isIsoDate(value: string): boolean {
  if (!/^20\d{2}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export const MIN_YEAR = 2000;
export const MAX_YEAR = 2099;

/** The stored exceptions of one year, in date order. */
export async function calendarYear(db: Db, year: number) {
  return db
    .selectFrom('calendar_days')
    .select(['day', 'kind', 'name', 'source', 'updated_at'])
    .where('day', '>=', `${year}-01-01`)
    .where('day', '<=', `${year}-12-31`)
    .orderBy('day')
    .execute();
}

/** Working days in a year on a calendar holding at least that year. */
export function workingDaysInYear(cal: Calendar, year: number): number {
  return workingDaysBetween(cal, `${year - 1}-12-31`, `${year}-12-31`);
}

export interface DayInput {
  day: string;
  kind: string;
  name: string;
}

/** Field errors of a calendar entry: only a weekday can be a holiday, only a weekend day a make-up workday. */
export function checkDay(input: DayInput): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.day) errors.push({ field: 'day', key: 'err.required' });
  else if (!isIsoDate(input.day)) errors.push({ field: 'day', key: 'calendar.err.date' });
  if (input.kind !== 'holiday' && input.kind !== 'workday') errors.push({ field: 'kind', key: 'err.choice' });
  else if (isIsoDate(input.day)) {
    // storing a weekend "holiday" or a weekday "workday" would change nothing and mislead the list
    if (input.kind === 'holiday' && isWeekend(input.day)) errors.push({ field: 'day', key: 'calendar.err.holidayOnWeekend' });
    if (input.kind === 'workday' && !isWeekend(input.day)) errors.push({ field: 'day', key: 'calendar.err.workdayOnWeekday' });
  }
  if (input.name.length > 100) errors.push({ field: 'name', key: 'err.tooLong', params: { max: 100 } });
  return errors;
}

/** Adds a day to the calendar or changes it; the entry becomes the admin's. */
export async function setDay(db: Kysely<DB>, actor: Actor, input: DayInput) {
  const errors = checkDay(input);
  if (errors.length) throw new ValidationError(errors);
  const kind = input.kind as 'holiday' | 'workday';
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('calendar_days').select(['day', 'kind', 'name', 'source']).where('day', '=', input.day).forUpdate().executeTakeFirst();
    const after = await trx
      .insertInto('calendar_days')
      .values({ day: input.day, kind, name: input.name, source: 'admin' })
      .onConflict((oc) => oc.column('day').doUpdateSet({ kind, name: input.name, source: 'admin', updated_at: new Date() }))
      .returning(['day', 'kind', 'name', 'source'])
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'calendar.day_set', entity: 'calendar', entityId: input.day, before: before ?? null, after });
    return after;
  });
}

/** Removes a day from the calendar: it becomes an ordinary weekday or weekend day again. */
export async function removeDay(db: Kysely<DB>, actor: Actor, day: string) {
  if (!isIsoDate(day)) throw new NotFoundError();
  return db.transaction().execute(async (trx) => {
    const before = await trx.deleteFrom('calendar_days').where('day', '=', day).returning(['day', 'kind', 'name', 'source']).executeTakeFirst();
    if (!before) throw new NotFoundError();
    await audit(trx, actor, { action: 'calendar.day_deleted', entity: 'calendar', entityId: day, before, after: null });
    return before;
  });
}

export const MAX_CALC_DAYS = 250;

/**
 * `n` working days after `from` on the stored calendar, and the years on the way
 * that hold no entry at all (a year nobody has entered yet counts Monday-Friday
 * only, which the page says).
 */
export async function calculateDeadline(db: Db, from: string, n: number) {
  // a year has about 250 working days in 365: 1.6 calendar days per working day is ample
  const cal = await loadCalendar(db, from, addDays(from, Math.ceil(n * 1.6) + 30));
  const result = addWorkingDays(cal, from, n);
  const years: number[] = [];
  for (let y = Number(from.slice(0, 4)); y <= Number(result.slice(0, 4)); y++) years.push(y);
  const covered = await db
    .selectFrom('calendar_days')
    .select(sql<number>`extract(year from day)::int`.as('year'))
    .where('day', '>=', `${years[0]}-01-01`)
    .where('day', '<=', `${years[years.length - 1]}-12-31`)
    .groupBy(sql`extract(year from day)`)
    .execute();
  const have = new Set(covered.map((r) => Number(r.year)));
  return { from, n, result, missingYears: years.filter((y) => !have.has(y)) };
}
