// The yearly legal-aid obligation of one lawyer: what the quota policy asks after
// its reductions, how much of it the calendar expects by a given day, and whether
// the lawyer is on track, behind or done. Pure: dates are 'YYYY-MM-DD' strings
// already taken in Asia/Shanghai by the caller.

/** The 'quota' policy's value (policies table, versioned). */
export interface QuotaPolicy {
  cases: number;
  hours: number;
  /** licensed this many years or less before the year starts (or during it) counts as newly licensed */
  newlyLicensedYears: number;
  newlyLicensedFactor: number;
  /** leave days inside the year at or above this count as long leave */
  longLeaveDays: number;
  longLeaveFactor: number;
  /** by qualification level, '1'..'3'; a level not listed keeps factor 1 */
  levelFactor: Record<string, number>;
}

/** The shipped policy (migration 0007): fills keys a stored version leaves out. */
export const DEFAULT_QUOTA: QuotaPolicy = {
  cases: 2,
  hours: 20,
  newlyLicensedYears: 1,
  newlyLicensedFactor: 0.5,
  longLeaveDays: 90,
  longLeaveFactor: 0.5,
  levelFactor: { '1': 1, '2': 1, '3': 1 },
};

export type QuotaStatus = 'on_track' | 'behind' | 'met';
export const QUOTA_STATUSES: readonly QuotaStatus[] = ['behind', 'on_track', 'met'];
export type Reduction = 'newly_licensed' | 'long_leave' | 'level' | 'not_licensed';

export interface LawyerYearFacts {
  level: number;
  licensedOn: string | null;
  leaves: readonly { startsOn: string; endsOn: string }[];
}

export interface Requirement {
  cases: number;
  hours: number;
  factor: number;
  leaveDays: number;
  reductions: Reduction[];
}

const DAY = 86_400_000;
const EPS = 1e-9;
const toUtc = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10)));

export const yearStart = (year: number) => `${year}-01-01`;
export const yearEnd = (year: number) => `${year}-12-31`;
export const daysInYear = (year: number) => (toUtc(yearStart(year + 1)) - toUtc(yearStart(year))) / DAY;

/** Days of leave inside the year, each day once even where leaves overlap. */
export function leaveDaysIn(year: number, leaves: LawyerYearFacts['leaves']): number {
  const from = toUtc(yearStart(year));
  const to = toUtc(yearEnd(year));
  const spans = leaves
    .map((l) => [Math.max(from, toUtc(l.startsOn)), Math.min(to, toUtc(l.endsOn))] as const)
    .filter(([a, b]) => a <= b)
    .sort((x, y) => x[0] - y[0]);
  let days = 0;
  let covered = -Infinity; // last day already counted
  for (const [a, b] of spans) {
    const start = Math.max(a, covered + DAY);
    if (start <= b) days += (b - start) / DAY + 1;
    covered = Math.max(covered, b);
  }
  return days;
}

/** Up to a multiple of `step`, ignoring float noise (2 x 0.5 x 0.5 is 0.5, not 0.5000001). */
const ceilTo = (value: number, step: number) => Math.ceil(value / step - EPS) * step;
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * What the policy asks of this lawyer for the year. The factors multiply; the
 * requirement is then rounded UP, cases to a whole case and hours to one decimal
 * (hours are logged in tenths), so a reduction never asks less than its exact share.
 * A lawyer licensed only after the year ended owed nothing that year.
 */
export function requirement(policy: QuotaPolicy, year: number, lawyer: LawyerYearFacts): Requirement {
  const reductions: Reduction[] = [];
  let factor = 1;
  const leaveDays = leaveDaysIn(year, lawyer.leaves);
  if (lawyer.licensedOn && lawyer.licensedOn > yearEnd(year)) {
    return { cases: 0, hours: 0, factor: 0, leaveDays, reductions: ['not_licensed'] };
  }
  if (lawyer.licensedOn && lawyer.licensedOn >= yearStart(year - policy.newlyLicensedYears)) {
    factor *= policy.newlyLicensedFactor;
    reductions.push('newly_licensed');
  }
  if (leaveDays >= policy.longLeaveDays) {
    factor *= policy.longLeaveFactor;
    reductions.push('long_leave');
  }
  const levelFactor = policy.levelFactor[String(lawyer.level)] ?? 1;
  if (levelFactor !== 1) {
    factor *= levelFactor;
    reductions.push('level');
  }
  return {
    cases: Math.max(0, ceilTo(policy.cases * factor, 1)),
    hours: Math.max(0, round1(ceilTo(policy.hours * factor, 0.1))),
    factor,
    leaveDays,
    reductions,
  };
}

/**
 * The share of the year gone by the end of `on` (0..1): a past year is whole, a
 * future one has not started. Day one counts: on 1 January 1/365 has gone.
 */
export function shareOfYear(year: number, on: string): number {
  if (on > yearEnd(year)) return 1;
  if (on < yearStart(year)) return 0;
  return ((toUtc(on) - toUtc(yearStart(year))) / DAY + 1) / daysInYear(year);
}

export interface Progress {
  expectedCases: number;
  expectedHours: number;
  status: QuotaStatus;
}

/**
 * Slack before "behind" while the year runs: one whole case or one hour short of
 * the pace. Without it every lawyer would be behind on 2 January (2 cases x 1/365
 * is more than 0), and cases come one at a time. Once the year is over there is
 * no slack: anything short of the requirement is behind.
 */
export const TOLERANCE = { cases: 1, hours: 1 } as const;

/**
 * met: done reaches the requirement in both cases and hours (a zero requirement
 * is met by doing nothing); behind: either falls short of the expected pace by the
 * tolerance or more; otherwise on_track.
 */
export function progress(required: { cases: number; hours: number }, done: { cases: number; hours: number }, share: number): Progress {
  const expectedCases = required.cases * share;
  const expectedHours = required.hours * share;
  const casesMet = done.cases >= required.cases - EPS;
  const hoursMet = done.hours >= required.hours - EPS;
  const over = share >= 1;
  const short = (met: boolean, expected: number, got: number, slack: number) => !met && expected - got >= (over ? EPS : slack - EPS);
  let status: QuotaStatus = 'on_track';
  if (casesMet && hoursMet) status = 'met';
  else if (short(casesMet, expectedCases, done.cases, TOLERANCE.cases) || short(hoursMet, expectedHours, done.hours, TOLERANCE.hours)) status = 'behind';
  return { expectedCases: round1(expectedCases), expectedHours: round1(expectedHours), status };
}

/** A stored policy value merged over the defaults, numbers checked, so a bad key cannot poison every figure. */
export function quotaPolicyOf(value: unknown): QuotaPolicy {
  const v = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
  const fine = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0;
  const num = (k: Exclude<keyof QuotaPolicy, 'levelFactor'>) => {
    const x = v[k];
    return fine(x) ? x : DEFAULT_QUOTA[k];
  };
  const levels = v.levelFactor && typeof v.levelFactor === 'object' ? (v.levelFactor as Record<string, unknown>) : {};
  const levelFactor: Record<string, number> = { ...DEFAULT_QUOTA.levelFactor };
  for (const [k, f] of Object.entries(levels)) if (fine(f)) levelFactor[k] = f;
  return {
    cases: num('cases'),
    hours: num('hours'),
    newlyLicensedYears: num('newlyLicensedYears'),
    newlyLicensedFactor: num('newlyLicensedFactor'),
    longLeaveDays: num('longLeaveDays'),
    longLeaveFactor: num('longLeaveFactor'),
    levelFactor,
  };
}
