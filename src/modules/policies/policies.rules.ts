// Field rules for new policy versions, without I/O: the time limits and the
// means-test standard, and yuan <-> fen without ever going through a float.
import type { FieldError } from '../../lib/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import { isIsoDate } from '../calendar/calendar.service.js';
import type { TimeLimits } from './policies.service.js';

/** Every time limit, in the order the page shows them, with its label. */
export const TIME_LIMIT_FIELDS: readonly { key: keyof TimeLimits; label: MessageKey }[] = [
  { key: 'reviewDays', label: 'policy.limit.reviewDays' },
  { key: 'assignDaysCriminal', label: 'policy.limit.assignDaysCriminal' },
  { key: 'assignDaysNotified', label: 'policy.limit.assignDaysNotified' },
  { key: 'assignDaysOther', label: 'policy.limit.assignDaysOther' },
  { key: 'appealDays', label: 'policy.limit.appealDays' },
  { key: 'materialsDays', label: 'policy.limit.materialsDays' },
  { key: 'emergencyPaperworkDays', label: 'policy.limit.emergencyPaperworkDays' },
];

export const MAX_LIMIT_DAYS = 60;

/** What the form sends: strings, checked here and turned into numbers. */
export interface TimeLimitsInput {
  effectiveFrom: string;
  limits: Record<keyof TimeLimits, string>;
  note: string;
}

/** Its errors name the fields as the page does, where the time-limits form sits beside it: meansFrom, meansNote. */
export interface MeansStandardInput {
  regionCode: string;
  effectiveFrom: string;
  allowance: string;
  multiplierPct: string;
  note: string;
}

/**
 * Yuan as typed ('750', '750.5', '1,500.00', full-width digits) to integer fen, or
 * null. Parsed as text: 0.1 + 0.2 never happens to money here.
 */
export function parseYuan(value: string): number | null {
  const v = value
    .replace(/[０-９．]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\s,，]/g, '')
    .replace(/^[¥￥]/, '')
    .replace(/元$/, '');
  const m = /^(\d{1,7})(?:\.(\d{1,2}))?$/.exec(v);
  if (!m) return null;
  return Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
}

/** Fen as yuan with two decimals, '75050' -> '750.50', by string arithmetic. */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const digits = String(Math.abs(Math.trunc(fen))).padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/**
 * The income per head at or below which a household qualifies, in fen. Shown to
 * people only: half a fen is rounded half up (the means test itself compares
 * income * 100 <= allowance * multiplier exactly).
 */
export function thresholdFen(allowanceFen: number, multiplierPct: number): number {
  return Math.floor((allowanceFen * multiplierPct + 50) / 100);
}

/** The effective date of a new version: a real date, today or later. */
export function checkEffective(value: string, today: string, errors: FieldError[], field: string) {
  if (!value) errors.push({ field, key: 'err.required' });
  else if (!isIsoDate(value)) errors.push({ field, key: 'calendar.err.date' });
  // a version that starts in the past would rewrite what applied on days already gone
  else if (value < today) errors.push({ field, key: 'policy.err.past' });
}

export function checkTimeLimits(input: TimeLimitsInput, today: string): { errors: FieldError[]; value: TimeLimits } {
  const errors: FieldError[] = [];
  checkEffective(input.effectiveFrom, today, errors, 'effectiveFrom');
  const value = {} as TimeLimits;
  for (const { key } of TIME_LIMIT_FIELDS) {
    const raw = input.limits[key];
    const n = /^\d{1,3}$/.test(raw) ? Number(raw) : NaN;
    if (raw === '') errors.push({ field: key, key: 'err.required' });
    else if (!(n >= 1 && n <= MAX_LIMIT_DAYS)) errors.push({ field: key, key: 'policy.err.days', params: { max: MAX_LIMIT_DAYS } });
    value[key] = n;
  }
  if (input.note.length > 500) errors.push({ field: 'note', key: 'err.tooLong', params: { max: 500 } });
  return { errors, value };
}

export function checkMeansStandard(input: MeansStandardInput, regions: ReadonlySet<string>, today: string): { errors: FieldError[]; allowanceFen: number; multiplierPct: number } {
  const errors: FieldError[] = [];
  if (!input.regionCode) errors.push({ field: 'regionCode', key: 'err.required' });
  else if (!regions.has(input.regionCode)) errors.push({ field: 'regionCode', key: 'err.region' });
  checkEffective(input.effectiveFrom, today, errors, 'meansFrom');
  const allowanceFen = parseYuan(input.allowance) ?? -1;
  if (input.allowance === '') errors.push({ field: 'allowance', key: 'err.required' });
  else if (allowanceFen <= 0) errors.push({ field: 'allowance', key: 'policy.err.allowance' });
  const multiplierPct = /^\d{1,4}$/.test(input.multiplierPct) ? Number(input.multiplierPct) : -1;
  if (input.multiplierPct === '') errors.push({ field: 'multiplierPct', key: 'err.required' });
  else if (multiplierPct < 1 || multiplierPct > 1000) errors.push({ field: 'multiplierPct', key: 'policy.err.multiplier' });
  if (input.note.length > 500) errors.push({ field: 'meansNote', key: 'err.tooLong', params: { max: 500 } });
  return { errors, allowanceFen, multiplierPct };
}

export type VersionState = 'scheduled' | 'in_force' | 'superseded';

/**
 * Each version's state on `today`, versions grouped by `group` (one policy key,
 * or one region): the latest one started by today is in force.
 */
export function versionStates<T extends { effective_from: string }>(rows: T[], today: string, group: (row: T) => string): (T & { state: VersionState })[] {
  const current = new Map<string, string>();
  for (const r of rows) {
    const g = group(r);
    if (r.effective_from <= today && (current.get(g) ?? '') < r.effective_from) current.set(g, r.effective_from);
  }
  return rows.map((r) => ({
    ...r,
    state: r.effective_from > today ? 'scheduled' : current.get(group(r)) === r.effective_from ? 'in_force' : 'superseded',
  }));
}
