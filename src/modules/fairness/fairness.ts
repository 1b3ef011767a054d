// Fairness figures for a period: how far each lawyer's cases are from the share
// their eligible days and policy weight entitle them to. Pure: the service loads
// the counts and days; this file only does arithmetic, so it is tested with known
// answers and reused by the simulation (test/bench/fairness-sim.ts).
import { addDays } from '../../lib/workdays.js';

export interface LawyerLoad {
  lawyerId: number;
  /** turns received in the period (rotation + override + consumed declines) */
  received: number;
  /** days in the period the lawyer could have been picked (not on leave, already registered) */
  eligibleDays: number;
  /** rotation policy weight, > 0 (default 1) */
  weight: number;
}

export interface LawyerFairness extends LawyerLoad {
  /** expected / assignments: with one kind of case, (eligibleDays x weight) / the sum of everyone's */
  expectedShare: number;
  /** the cases a perfectly fair rotation would have given (expectedCases) */
  expected: number;
  /** received - expected, in cases; positive: more than their share */
  deviation: number;
}

export interface FairnessFigures {
  assignments: number;
  /** lawyers eligible in the period: any eligible day, or any case received */
  lawyers: number;
  /** the average lawyer's expected share, 1 / lawyers (the per-lawyer shares sum to 1) */
  expectedShare: number;
  top10PctShareRatio: number;
  maxAbsDeviation: number;
  gini: number;
  perLawyer: LawyerFairness[];
}

/** Texas flags a top-10% ratio above 3; our goal is at most 1.2. */
export const TEXAS_FLAG = 3;
export const OUR_GOAL = 1.2;

/**
 * How many lawyers make "the top 10%": a tenth of them rounded up, at least one,
 * so the group always covers at least 10% of the lawyers.
 */
export function topGroupSize(lawyers: number): number {
  return lawyers <= 0 ? 0 : Math.max(1, Math.ceil(lawyers / 10 - 1e-9));
}

/**
 * The share of the assignments held by the top 10% (at least one) of the lawyers,
 * ranked by cases received, divided by their share of the lawyers (k / n).
 * 1 means the top group got no more than its head count; Texas flags > 3.
 * With no assignments nothing is concentrated: 1.
 */
export function top10PctShareRatio(received: readonly number[]): number {
  const n = received.length;
  const total = received.reduce((s, r) => s + r, 0);
  if (n === 0 || total === 0) return 1;
  const k = topGroupSize(n);
  const top = [...received].sort((a, b) => b - a).slice(0, k).reduce((s, r) => s + r, 0);
  return top / total / (k / n);
}

/** The cases of one kind in the period (a practice area in a region), and the lawyers in line for them. */
export interface Demand {
  cases: number;
  /** the lawyers in line for these cases (the kind's pool), by id */
  pool: readonly number[];
}

/**
 * The cases each lawyer would have received from a perfectly fair rotation, when
 * lawyers are in line for different cases: each kind's cases are shared among the
 * lawyers of its pool in proportion to eligibleDays x weight, and a lawyer's
 * expectation is the sum over the kinds. So a lawyer of a quiet practice area is
 * not "behind" the lawyers of a busy one. Without demand, every case is of one
 * kind and everyone is in line for it. The cases of a kind whose pool had no
 * eligible day are shared by everyone's capacity: the expectations always add up
 * to the cases.
 */
export function expectedCases(loads: readonly LawyerLoad[], demand?: readonly Demand[]): Map<number, number> {
  const capacity = new Map(loads.map((l) => [l.lawyerId, Math.max(0, l.eligibleDays) * l.weight]));
  const everyone = loads.map((l) => l.lawyerId);
  const kinds = demand ?? [{ cases: loads.reduce((s, l) => s + l.received, 0), pool: everyone }];
  const out = new Map(everyone.map((id) => [id, 0]));
  for (const kind of kinds) {
    const inLine = kind.pool.filter((id) => capacity.has(id));
    const sum = (ids: readonly number[]) => ids.reduce((s, id) => s + capacity.get(id)!, 0);
    const pool = sum(inLine) > 0 ? inLine : everyone;
    const total = sum(pool);
    if (total <= 0) continue;
    for (const id of pool) out.set(id, out.get(id)! + (kind.cases * capacity.get(id)!) / total);
  }
  return out;
}

/**
 * Gini coefficient of the rates x_i = received_i / expected_i, one observation
 * per lawyer expected to receive any case. With one kind of case, expected_i is
 * proportional to eligibleDays_i x weight_i, so these are the cases per eligible
 * day and weight, up to a common factor (which the coefficient ignores):
 *   G = sum_i sum_j |x_i - x_j| / (2 n^2 mean(x))
 * computed from the sorted rates as sum_i (2i - n - 1) x_(i) / (n sum x), i = 1..n.
 * 0: every lawyer received cases at the same rate per weighted eligible day;
 * towards 1: one lawyer got them all. All rates zero (no cases) or one lawyer: 0.
 * A lawyer with no eligible day who still received a case has no finite rate and
 * is left out here (their deviation shows it instead).
 */
export function gini(rates: readonly number[]): number {
  const x = rates.filter((r) => Number.isFinite(r)).sort((a, b) => a - b);
  const n = x.length;
  const sum = x.reduce((s, v) => s + v, 0);
  if (n < 2 || sum === 0) return 0;
  let acc = 0;
  for (let i = 0; i < n; i++) acc += (2 * (i + 1) - n - 1) * x[i];
  return acc / (n * sum);
}

/**
 * All the figures for one period, the expectations from the demand by kind of
 * case (see expectedCases; without it, one kind). Lawyers with no eligible day
 * and no case are not in the period.
 */
export function fairness(loads: readonly LawyerLoad[], demand?: readonly Demand[]): FairnessFigures {
  const inPeriod = loads.filter((l) => l.eligibleDays > 0 || l.received > 0);
  const assignments = inPeriod.reduce((s, l) => s + l.received, 0);
  const expectedOf = expectedCases(inPeriod, demand);
  const perLawyer = inPeriod.map((l) => {
    const expected = expectedOf.get(l.lawyerId) ?? 0;
    return { ...l, expectedShare: assignments > 0 ? expected / assignments : 0, expected, deviation: l.received - expected };
  });
  const n = perLawyer.length;
  return {
    assignments,
    lawyers: n,
    expectedShare: n ? 1 / n : 0,
    top10PctShareRatio: top10PctShareRatio(perLawyer.map((l) => l.received)),
    maxAbsDeviation: perLawyer.reduce((m, l) => Math.max(m, Math.abs(l.deviation)), 0),
    gini: gini(perLawyer.filter((l) => l.expected > 0).map((l) => l.received / l.expected)),
    perLawyer,
  };
}

export interface DayRange {
  /** 'YYYY-MM-DD', inclusive */
  from: string;
  /** 'YYYY-MM-DD', inclusive */
  to: string;
}

function daysIn(r: DayRange): number {
  return r.to < r.from ? 0 : Math.round((Date.parse(`${r.to}T00:00:00Z`) - Date.parse(`${r.from}T00:00:00Z`)) / 86_400_000) + 1;
}

/**
 * Days of the period [from, to] a lawyer could be picked: from the day they were
 * registered (`since`) on, minus the days covered by any leave (leaves may overlap;
 * a day is counted off once).
 */
export function eligibleDays(period: DayRange, since: string, leaves: readonly DayRange[]): number {
  const from = since > period.from ? since : period.from;
  const to = period.to;
  if (to < from) return 0;
  const clipped = leaves
    .map((l) => ({ from: l.from > from ? l.from : from, to: l.to < to ? l.to : to }))
    .filter((l) => l.from <= l.to)
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
  let off = 0;
  let coveredTo = addDays(from, -1);
  for (const l of clipped) {
    const start = l.from > coveredTo ? l.from : addDays(coveredTo, 1);
    if (start <= l.to) off += daysIn({ from: start, to: l.to });
    if (l.to > coveredTo) coveredTo = l.to;
  }
  return daysIn({ from, to }) - off;
}
