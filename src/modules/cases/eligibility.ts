// Eligibility: the means test against the standard in force, and the exemptions
// that waive it. Pure: the standard is looked up by the service and passed in.
import { NOTIFIED_SOURCES, type CaseKind, type CaseSource, type Exemption, type PriorityGroup } from '../../db/types.js';

export interface StandardUsed {
  id: number;
  regionCode: string;
  effectiveFrom: string;
  allowanceFen: number;
  multiplierPct: number;
}

export interface EligibilityInput {
  kind: CaseKind;
  category: string;
  source: CaseSource;
  householdSize: number | null;
  monthlyIncomeFen: number | null;
  exemptions: readonly Exemption[];
  priorityGroups: readonly PriorityGroup[];
  /** a defendant who may be sentenced to life imprisonment or death must have a defender (Legal Aid Law art. 25) */
  possibleLifeSentence?: boolean;
}

export interface Eligibility {
  /** 'exemption' when an exemption waives the means test */
  rule: 'exemption' | 'means_test' | 'unknown';
  /** true: eligible; false: means test failed; null: not enough data to decide */
  passed: boolean | null;
  /** the exemptions that apply, claimed or derived */
  exemptions: Exemption[];
  /** exemptions that were claimed but do not fit the case (e.g. migrant wages on a criminal case) */
  rejectedClaims: Exemption[];
  standard: StandardUsed | null;
  thresholdFen: number | null;
  perHeadFen: number | null;
  householdSize: number | null;
  monthlyIncomeFen: number | null;
}

const WAGE_CATEGORIES = ['labor', 'work_injury'];

/** Why a claimed exemption cannot apply to this case, or null when it fits. */
function misfit(exemption: Exemption, input: EligibilityInput): boolean {
  if (exemption === 'migrant_wages') return !WAGE_CATEGORIES.includes(input.category) || input.kind === 'criminal';
  if (exemption === 'mandatory_defence') return input.kind !== 'criminal';
  return false;
}

/** Exemptions the facts of the case give without anyone claiming them. */
function derived(input: EligibilityInput): Exemption[] {
  const out: Exemption[] = [];
  if (input.priorityGroups.includes('migrant_worker') && WAGE_CATEGORIES.includes(input.category) && input.kind !== 'criminal') out.push('migrant_wages');
  // a minor defendant, or one facing life imprisonment or death, must have a defender; a court or police notification of a criminal case is one
  if (input.kind === 'criminal' && (input.priorityGroups.includes('minor') || input.possibleLifeSentence || NOTIFIED_SOURCES.includes(input.source)))
    out.push('mandatory_defence');
  return out;
}

/** The threshold per head in fen: allowance x multiplier %, rounded down to the fen. */
export function thresholdOf(standard: StandardUsed): number {
  return Math.floor((standard.allowanceFen * standard.multiplierPct) / 100);
}

export function assessEligibility(input: EligibilityInput, standard: StandardUsed | null): Eligibility {
  const rejectedClaims = input.exemptions.filter((e) => misfit(e, input));
  const exemptions = [...new Set([...input.exemptions.filter((e) => !misfit(e, input)), ...derived(input)])];
  const thresholdFen = standard ? thresholdOf(standard) : null;
  const size = input.householdSize;
  const income = input.monthlyIncomeFen;
  const perHeadFen = size && income !== null ? Math.round(income / size) : null;
  const base = { exemptions, rejectedClaims, standard, thresholdFen, perHeadFen, householdSize: size, monthlyIncomeFen: income };
  if (exemptions.length) return { ...base, rule: 'exemption', passed: true };
  if (!size || income === null || thresholdFen === null) return { ...base, rule: 'unknown', passed: null };
  // compare income with threshold x size: exact in integers, no per-head rounding
  return { ...base, rule: 'means_test', passed: income <= thresholdFen * size };
}
