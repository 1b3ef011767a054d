// Rotation eligibility: may this lawyer take this case today? Pure: the caller
// resolves the day's leave, the regions a lawyer serves (own plus neighbours, by
// policy) and the level the case needs (policy), and passes plain facts in.
import type { LawyerStatus } from '../../db/types.js';

export type LawyerId = number;

/**
 * Why a lawyer is passed over, in the order they are checked: the first that
 * applies is the one recorded. 'declined' (this lawyer already declined this very
 * case) is last: it is the lawyer's own act, not a skip by the rotation.
 */
export const PASS_REASONS = ['inactive', 'on_leave', 'practice_area', 'level', 'training', 'region', 'conflict', 'cap', 'declined'] as const;
export type PassReason = (typeof PASS_REASONS)[number];

/** One lawyer's facts for one decision (one case, one day). */
export interface LawyerFacts {
  id: LawyerId;
  status: LawyerStatus;
  /** on leave that day (lawyer_leaves resolved by the caller) */
  onLeave: boolean;
  practiceAreas: readonly string[];
  /** qualification level 1..3 */
  level: number;
  /** region codes served: the lawyer's own region plus its neighbours, by policy */
  regions: readonly string[];
  /** parties the lawyer has a recorded conflict with (normalised again here, so raw is fine) */
  conflicts: readonly string[];
  openCases: number;
  maxOpenCases: number;
  /** trainings held (flags until the training records exist) */
  trainings: readonly string[];
  /** policy weight, > 0; a lawyer of weight 2 takes two turns for every one of weight 1. Default 1. */
  weight?: number;
}

/** What a case needs of its lawyer. */
export interface CaseNeeds {
  /** the case category; matched against practice areas */
  category: string;
  regionCode: string;
  /** minimum qualification level (policy: e.g. a possible life sentence needs 3) */
  minLevel: number;
  /** trainings required, all of them */
  trainings: readonly string[];
  opposingParties: readonly string[];
  /** lawyers who already declined this case: not asked again */
  declinedBy?: readonly LawyerId[];
}

/**
 * A party name for comparison: full-width ASCII forms (Ａ, １, （）) to half-width,
 * the ideographic space to a space, spaces trimmed and collapsed, lower case.
 */
export function normaliseParty(name: string): string {
  return name
    .replace(/[\uFF01-\uFF5E]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
}

/** The weight of a lawyer, checked: a zero, negative or non-number weight is a data error. */
export function weightOf(lawyer: Pick<LawyerFacts, 'id' | 'weight'>): number {
  const w = lawyer.weight ?? 1;
  if (!Number.isFinite(w) || w <= 0) throw new RangeError(`rotation: lawyer ${lawyer.id} has weight ${w}, must be > 0`);
  return w;
}

/** The needs with the opposing parties normalised once, for checking many lawyers. */
export interface PreparedNeeds {
  needs: CaseNeeds;
  parties: ReadonlySet<string>;
  declinedBy: ReadonlySet<LawyerId>;
}

export function prepareNeeds(needs: CaseNeeds): PreparedNeeds {
  const parties = new Set(needs.opposingParties.map(normaliseParty).filter((p) => p !== ''));
  return { needs, parties, declinedBy: new Set(needs.declinedBy ?? []) };
}

export function checkPrepared(lawyer: LawyerFacts, prepared: PreparedNeeds): PassReason | null {
  const { needs } = prepared;
  if (lawyer.status === 'inactive') return 'inactive';
  if (lawyer.status === 'on_leave' || lawyer.onLeave) return 'on_leave';
  if (!lawyer.practiceAreas.includes(needs.category)) return 'practice_area';
  if (lawyer.level < needs.minLevel) return 'level';
  if (!needs.trainings.every((t) => lawyer.trainings.includes(t))) return 'training';
  if (!lawyer.regions.includes(needs.regionCode)) return 'region';
  if (prepared.parties.size && lawyer.conflicts.some((c) => prepared.parties.has(normaliseParty(c)))) return 'conflict';
  if (lawyer.openCases >= lawyer.maxOpenCases) return 'cap';
  if (prepared.declinedBy.has(lawyer.id)) return 'declined';
  return null;
}

/** null when the lawyer may take the case, else the first reason they are passed over. */
export function checkEligibility(lawyer: LawyerFacts, needs: CaseNeeds): PassReason | null {
  return checkPrepared(lawyer, prepareNeeds(needs));
}
