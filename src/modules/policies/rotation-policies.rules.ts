// Field rules for new versions of the rotation, quota and hours-lock policies,
// without I/O. Whatever passes is stored exactly as their readers take it:
// rotationPolicyAt spreads it over its defaults, quotaPolicyOf would silently
// put a default in place of a number it does not accept, lockDateOf clamps.
import { CASE_KINDS, type CaseKind } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import type { MessageKey } from '../../i18n/index.js';
import type { HoursLockPolicy } from '../hours/hours.rules.js';
import type { QuotaPolicy } from '../quotas/quotas.rules.js';
import type { RotationPolicyValue } from '../rotation/rotation.facts.js';
import { checkEffective } from './policies.rules.js';

export const LEVELS = ['1', '2', '3'] as const;
export const REGION_MODES: readonly RotationPolicyValue['regionMode'][] = ['own', 'own_or_neighbours', 'any'];
export const MAX_DECLINE_DAYS = 30;
/** lockDateOf would move a 29th..31st to the month's last day in February: only days every month has */
export const MAX_LOCK_DAY = 28;

/** The quota's numbers in the order the page shows them, with their bounds. */
export const QUOTA_FIELDS = [
  { key: 'cases', label: 'policyAdmin.quota.cases', kind: 'whole', min: 0, max: 100 },
  { key: 'hours', label: 'policyAdmin.quota.hours', kind: 'tenths', min: 0, max: 2000 },
  { key: 'newlyLicensedYears', label: 'policyAdmin.quota.newlyLicensedYears', kind: 'whole', min: 0, max: 10 },
  { key: 'newlyLicensedFactor', label: 'policyAdmin.quota.newlyLicensedFactor', kind: 'factor', min: 0, max: 1 },
  { key: 'longLeaveDays', label: 'policyAdmin.quota.longLeaveDays', kind: 'whole', min: 1, max: 366 },
  { key: 'longLeaveFactor', label: 'policyAdmin.quota.longLeaveFactor', kind: 'factor', min: 0, max: 1 },
] as const satisfies readonly { key: Exclude<keyof QuotaPolicy, 'levelFactor'>; label: MessageKey; kind: 'whole' | 'tenths' | 'factor'; min: number; max: number }[];

export type QuotaNumberKey = (typeof QUOTA_FIELDS)[number]['key'];

/** What the rotation form sends; errors name the fields as the page does. */
export interface RotationInput {
  effectiveFrom: string;
  minLevel: Record<CaseKind, string>;
  seriousCriminalLevel: string;
  regionMode: string;
  /** by region code as posted (unknown ones included): the regions its lawyers may also serve */
  neighbours: Record<string, string[]>;
  declineDays: string;
  /** 'yes' or 'no' */
  returnTurn: string;
  note: string;
}

export interface QuotaInput {
  effectiveFrom: string;
  numbers: Record<QuotaNumberKey, string>;
  levelFactor: Record<(typeof LEVELS)[number], string>;
  note: string;
}

export interface HoursLockInput {
  effectiveFrom: string;
  lockDay: string;
  note: string;
}

/** The names of the form fields, where they differ from the value's keys. */
export const minLevelField = (kind: CaseKind) => `minLevel-${kind}`;
export const neighbourField = (code: string) => `nb-${code}`;
export const levelFactorField = (level: string) => `levelFactor-${level}`;

/** A whole number within bounds, or null (digits only: no signs, decimals or exponents). */
function whole(raw: string, min: number, max: number): number | null {
  if (!/^\d{1,4}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

/** Hours with at most one decimal ('20', '20.5'), as logged. */
function tenths(raw: string, min: number, max: number): number | null {
  if (!/^\d{1,4}(?:\.\d)?$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

/** A factor with at most two decimals ('0.5', '1', '0.75'). */
function factor(raw: string, min: number, max: number): number | null {
  if (!/^\d(?:\.\d{1,2})?$/.test(raw)) return null;
  const n = Number(raw);
  return n >= min && n <= max ? n : null;
}

function note(value: string, field: string, errors: FieldError[]) {
  if (value.length > 500) errors.push({ field, key: 'err.tooLong', params: { max: 500 } });
}

export function checkRotation(input: RotationInput, regions: readonly string[], today: string): { errors: FieldError[]; value: RotationPolicyValue } {
  const errors: FieldError[] = [];
  checkEffective(input.effectiveFrom, today, errors, 'rotationFrom');
  const minLevel: Record<string, number> = {};
  for (const kind of CASE_KINDS) {
    const raw = input.minLevel[kind];
    const n = whole(raw, 1, 3);
    if (raw === '') errors.push({ field: minLevelField(kind), key: 'err.required' });
    else if (n === null) errors.push({ field: minLevelField(kind), key: 'policyAdmin.err.level' });
    minLevel[kind] = n ?? 0;
  }
  const serious = whole(input.seriousCriminalLevel, 1, 3);
  if (input.seriousCriminalLevel === '') errors.push({ field: 'seriousCriminalLevel', key: 'err.required' });
  else if (serious === null) errors.push({ field: 'seriousCriminalLevel', key: 'policyAdmin.err.level' });
  // a serious criminal case never asks less than any criminal case
  else if (minLevel.criminal && serious < minLevel.criminal) errors.push({ field: 'seriousCriminalLevel', key: 'policyAdmin.err.seriousBelow' });
  const regionMode = REGION_MODES.find((m) => m === input.regionMode);
  if (!regionMode) errors.push({ field: 'regionMode', key: 'err.choice' });

  const known = new Set(regions);
  const neighbours: Record<string, string[]> = {};
  for (const code of Object.keys(input.neighbours)) if (!known.has(code)) errors.push({ field: 'neighbours', key: 'err.region' });
  for (const code of regions) {
    const chosen = new Set(input.neighbours[code] ?? []);
    const field = neighbourField(code);
    if ([...chosen].some((c) => !known.has(c))) errors.push({ field, key: 'err.region' });
    else if (chosen.has(code)) errors.push({ field, key: 'policyAdmin.err.ownRegion' });
    // in the regions' own order, so equal maps are stored alike
    const list = regions.filter((c) => chosen.has(c) && c !== code);
    if (list.length) neighbours[code] = list;
  }

  const declineDays = whole(input.declineDays, 0, MAX_DECLINE_DAYS);
  if (input.declineDays === '') errors.push({ field: 'declineDays', key: 'err.required' });
  else if (declineDays === null) errors.push({ field: 'declineDays', key: 'policyAdmin.err.whole', params: { min: 0, max: MAX_DECLINE_DAYS } });
  if (input.returnTurn !== 'yes' && input.returnTurn !== 'no') errors.push({ field: 'returnTurn', key: 'err.choice' });
  note(input.note, 'rotationNote', errors);
  return {
    errors,
    value: {
      minLevel,
      seriousCriminalLevel: serious ?? 0,
      regionMode: regionMode ?? 'own',
      neighbours,
      declineDays: declineDays ?? 0,
      returnTurnOnConflictDecline: input.returnTurn === 'yes',
    },
  };
}

const QUOTA_MESSAGES: Record<(typeof QUOTA_FIELDS)[number]['kind'], MessageKey> = {
  whole: 'policyAdmin.err.whole',
  tenths: 'policyAdmin.err.hours',
  factor: 'policyAdmin.err.factor',
};
const PARSE = { whole, tenths, factor };

/** The quota is yearly (quotaPolicyFor reads the version in force on 1 January), so a version starts on 1 January. */
export function checkQuota(input: QuotaInput, today: string): { errors: FieldError[]; value: QuotaPolicy } {
  const errors: FieldError[] = [];
  checkEffective(input.effectiveFrom, today, errors, 'quotaFrom');
  if (!errors.length && !input.effectiveFrom.endsWith('-01-01')) errors.push({ field: 'quotaFrom', key: 'policyAdmin.err.yearStart' });
  const numbers = {} as Record<QuotaNumberKey, number>;
  for (const f of QUOTA_FIELDS) {
    const raw = input.numbers[f.key];
    const n = PARSE[f.kind](raw, f.min, f.max);
    if (raw === '') errors.push({ field: f.key, key: 'err.required' });
    else if (n === null) errors.push({ field: f.key, key: QUOTA_MESSAGES[f.kind], params: { min: f.min, max: f.max } });
    numbers[f.key] = n ?? 0;
  }
  const levelFactor: Record<string, number> = {};
  for (const level of LEVELS) {
    const raw = input.levelFactor[level];
    const n = factor(raw, 0, 1);
    if (raw === '') errors.push({ field: levelFactorField(level), key: 'err.required' });
    else if (n === null) errors.push({ field: levelFactorField(level), key: 'policyAdmin.err.factor', params: { min: 0, max: 1 } });
    levelFactor[level] = n ?? 0;
  }
  note(input.note, 'quotaNote', errors);
  return { errors, value: { ...numbers, levelFactor } };
}

/** A month's entries follow one lock day, so a version starts on the first of a month. */
export function checkHoursLock(input: HoursLockInput, today: string): { errors: FieldError[]; value: HoursLockPolicy } {
  const errors: FieldError[] = [];
  checkEffective(input.effectiveFrom, today, errors, 'lockFrom');
  if (!errors.length && !input.effectiveFrom.endsWith('-01')) errors.push({ field: 'lockFrom', key: 'policyAdmin.err.monthStart' });
  const lockDay = whole(input.lockDay, 1, MAX_LOCK_DAY);
  if (input.lockDay === '') errors.push({ field: 'lockDay', key: 'err.required' });
  else if (lockDay === null) errors.push({ field: 'lockDay', key: 'policyAdmin.err.whole', params: { min: 1, max: MAX_LOCK_DAY } });
  note(input.note, 'lockNote', errors);
  return { errors, value: { lockDay: lockDay ?? 0 } };
}
