// Logged hours, the pure part: parsing hours as whole tenths (never floats),
// the monthly lock, and checking a form's input. No I/O.
import { HOUR_KINDS, type HourKind } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';

/** One entry may not exceed a day; a case closure's reported total is the one exception (see hours.service.ts). */
export const MAX_ENTRY_TENTHS = 240;

const HOURS_INPUT = /^(\d{1,4})(?:\.(\d)0*)?$/;

/**
 * A person's "2", "2.5" or "2.0" as tenths of an hour (25); null for anything
 * finer than a tenth ("2.25"), signed, or not a number. Integers only: 0.1 + 0.2 is exact.
 */
export function parseHours(value: string): number | null {
  const m = HOURS_INPUT.exec(value.trim());
  if (!m) return null;
  return Number(m[1]) * 10 + Number(m[2] ?? 0);
}

/** A numeric(…,1) value as the drivers return it ("2.5", "12", "3.0", or a number on PGlite) in tenths. */
export function tenthsOf(value: string | number | null | undefined): number {
  if (value === null || value === undefined || value === '') return 0;
  const s = String(value);
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(s);
  if (!m) throw new Error(`not a decimal: ${s}`);
  // numeric(…,1) and its sums keep one decimal; more digits would be a bug upstream, not rounding to hide
  const frac = m[3] ?? '0';
  if (/[1-9]/.test(frac.slice(1))) throw new Error(`finer than a tenth: ${s}`);
  const tenths = Number(m[2]) * 10 + Number(frac[0]);
  return m[1] === '-' ? -tenths : tenths;
}

/** Tenths as the text stored in numeric(…,1): 25 → "2.5", 20 → "2.0". */
export function tenthsToText(tenths: number): string {
  return `${Math.trunc(tenths / 10)}.${Math.abs(tenths % 10)}`;
}

/** Tenths for people: 25 → "2.5", 20 → "2". */
export function formatHours(tenths: number): string {
  return tenths % 10 === 0 ? String(tenths / 10) : tenthsToText(tenths);
}

/** Tenths as a number of hours with one decimal (25 → 2.5), for the API and the quotas. */
export function hoursNumber(tenths: number): number {
  return tenths / 10;
}

export interface HoursLockPolicy {
  lockDay: number;
}

export const DEFAULT_LOCK: HoursLockPolicy = { lockDay: 5 };

/** The day entries of workDate's month lock: lockDay of the next month ('2026-10-20', 5 → '2026-11-05'). */
export function lockDateOf(workDate: string, lockDay: number): string {
  const year = Number(workDate.slice(0, 4));
  const month = Number(workDate.slice(5, 7));
  const ny = month === 12 ? year + 1 : year;
  const nm = month === 12 ? 1 : month + 1;
  // a policy of 31 in a 30-day month means that month's last day
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  const day = Math.min(Math.max(1, Math.trunc(lockDay) || 1), last);
  return `${ny}-${String(nm).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/** Locked from the start of the lock day (Asia/Shanghai `today`). */
export function isLocked(workDate: string, lockDay: number, today: string): boolean {
  return today >= lockDateOf(workDate, lockDay);
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export function isDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export interface HourInput {
  date: string;
  hours: string;
  kind: string;
  caseId: number | null;
  eventId: number | null;
  description: string;
}

export interface CheckedHours {
  errors: FieldError[];
  tenths: number;
  kind: HourKind;
}

/** Field errors of an entry as a person typed it; the case's ownership and the lock are the service's. */
/**
 * `maxTenths`: the most one entry may hold, 24 hours unless the entry is a case
 * closure's report of the case's total (which its lawyer may correct, up to what
 * was reported: see updateEntry).
 */
export function checkHours(input: HourInput, today: string, maxTenths = MAX_ENTRY_TENTHS): CheckedHours {
  const errors: FieldError[] = [];
  if (!input.date) errors.push({ field: 'date', key: 'err.required' });
  else if (!isDate(input.date)) errors.push({ field: 'date', key: 'hours.err.date' });
  else if (input.date > today) errors.push({ field: 'date', key: 'hours.err.future' });
  const tenths = input.hours ? parseHours(input.hours) : null;
  if (!input.hours) errors.push({ field: 'hours', key: 'err.required' });
  else if (tenths === null || tenths <= 0 || tenths > maxTenths) errors.push({ field: 'hours', key: 'hours.err.hours', params: { max: formatHours(maxTenths) } });
  if (!(HOUR_KINDS as readonly string[]).includes(input.kind)) errors.push({ field: 'kind', key: 'err.choice' });
  else if (input.kind === 'case' && input.caseId === null) errors.push({ field: 'caseId', key: 'hours.err.caseNeeded' });
  const description = input.description.trim();
  if (!description) errors.push({ field: 'description', key: 'err.required' });
  else if (description.length > 1000) errors.push({ field: 'description', key: 'err.tooLong', params: { max: 1000 } });
  return { errors, tenths: tenths ?? 0, kind: input.kind as HourKind };
}
