// The fair assignment rotation: who is next, and how each turn moves the standings.
// Pure and deterministic: no clock, no database, no randomness. The DB layer loads
// the standings under a lock on the rotation-state row, calls pick, stores the
// result with its explanation and the new standing of the lawyer who took the turn.
//
// The rule: among the eligible lawyers, the next is the one with the fewest turns
// divided by weight; ties go to the oldest last turn (never having had one is
// oldest), then the lowest id. A lawyer passed over keeps their standing untouched,
// so they are still next once eligible again ("shall remain next in order").
import { checkPrepared, PASS_REASONS, prepareNeeds, weightOf, type CaseNeeds, type LawyerFacts, type LawyerId, type PassReason } from './eligibility.js';

export * from './eligibility.js';

/** A lawyer's place in the rotation. */
export interface Standing {
  /** turns consumed: rotation picks + overrides + consumed declines, plus the starting level of a newcomer (whole turns) */
  turns: number;
  /** sequence number of the last turn taken (or of joining); null: none since the rotation began */
  lastSeq: number | null;
  /** sequence number at which the lawyer joined (0 for the pool the rotation began with) */
  joinedSeq: number;
}

export type Standings = ReadonlyMap<LawyerId, Standing>;

export interface Ranked {
  lawyerId: LawyerId;
  standing: Standing;
  weight: number;
}

export interface Candidate extends Ranked {
  /** turns / weight, for display; ordering uses exact cross-multiplication */
  weightedTurns: number;
  /** 1 = next */
  rank: number;
}

export interface PassedOver {
  lawyerId: LawyerId;
  reason: PassReason;
}

export interface Skipped extends PassedOver {
  standing: Standing;
}

export interface PickResult {
  chosen: LawyerId | null;
  /** the eligible lawyers, in rotation order */
  candidates: Candidate[];
  /** the ineligible lawyers with the first reason, by id */
  passedOver: PassedOver[];
  /**
   * The ineligible lawyers whose standing put them ahead of the pick (all who have
   * a standing when nobody could be picked), in rotation order: the turns they
   * would have had, each kept for them. A lawyer behind the pick was not skipped.
   */
  skipped: Skipped[];
  /** how many lawyers were ineligible, by reason */
  ineligible: Partial<Record<PassReason, number>>;
}

export type TurnKind = 'rotation' | 'override' | 'decline_consumed' | 'decline_returned';

export interface RotationPolicy {
  /** a decline for a conflict of interest gives the turn back (default true) */
  returnTurnOnConflictDecline: boolean;
}

export const DEFAULT_POLICY: RotationPolicy = { returnTurnOnConflictDecline: true };

/** A weight in tenths: a whole number for a weight of one decimal, else the weight times 10 as it is. */
function tenths(weight: number): number {
  const t = Math.round(weight * 10);
  return Math.abs(t - weight * 10) < 1e-9 ? t : weight * 10;
}

/** Rotation order: negative when a comes before b. Total and antisymmetric for distinct ids. */
export function compareRanked(a: Ranked, b: Ranked): number {
  // a.turns / a.weight vs b.turns / b.weight without division, in tenths of a
  // weight: exact for the one-decimal weights the lawyers table holds (0.1 times
  // 3 is not 0.3 in floating point, but 1 times 3 is 3)
  const byTurns = a.standing.turns * tenths(b.weight) - b.standing.turns * tenths(a.weight);
  if (byTurns !== 0) return byTurns;
  const la = a.standing.lastSeq;
  const lb = b.standing.lastSeq;
  if (la !== lb) {
    if (la === null) return -1;
    if (lb === null) return 1;
    return la - lb;
  }
  return a.lawyerId - b.lawyerId;
}

/**
 * The next eligible lawyer and why. Every lawyer given is either a candidate or
 * passed over. An eligible lawyer without a standing is an error: join them first
 * (ensureStandings) so a newcomer never starts at zero.
 */
export function pick(lawyers: readonly LawyerFacts[], standings: Standings, needs: CaseNeeds): PickResult {
  const prepared = prepareNeeds(needs);
  const seen = new Set<LawyerId>();
  const candidates: Candidate[] = [];
  const passedOver: PassedOver[] = [];
  const ineligible: Partial<Record<PassReason, number>> = {};
  const ranked: (Ranked & { reason: PassReason })[] = [];
  for (const lawyer of lawyers) {
    if (seen.has(lawyer.id)) throw new Error(`rotation: lawyer ${lawyer.id} given twice`);
    seen.add(lawyer.id);
    const reason = checkPrepared(lawyer, prepared);
    if (reason) {
      passedOver.push({ lawyerId: lawyer.id, reason });
      ineligible[reason] = (ineligible[reason] ?? 0) + 1;
      const standing = standings.get(lawyer.id);
      // a weight that is not a number is only an error for someone who could be picked
      const w = lawyer.weight ?? 1;
      if (standing) ranked.push({ lawyerId: lawyer.id, standing, weight: Number.isFinite(w) && w > 0 ? w : 1, reason });
      continue;
    }
    const standing = standings.get(lawyer.id);
    if (!standing) throw new Error(`rotation: lawyer ${lawyer.id} has no standing (join them first)`);
    const weight = weightOf(lawyer);
    candidates.push({ lawyerId: lawyer.id, standing, weight, weightedTurns: standing.turns / weight, rank: 0 });
  }
  candidates.sort(compareRanked);
  for (let i = 0; i < candidates.length; i++) candidates[i].rank = i + 1;
  passedOver.sort((a, b) => a.lawyerId - b.lawyerId);
  const first = candidates[0];
  const skipped = ranked
    .filter((x) => !first || compareRanked(x, first) < 0)
    .sort(compareRanked)
    .map((x) => ({ lawyerId: x.lawyerId, reason: x.reason, standing: x.standing }));
  // keys in the order reasons are checked, whatever the order of the input
  const counts: Partial<Record<PassReason, number>> = {};
  for (const r of PASS_REASONS) if (ineligible[r]) counts[r] = ineligible[r];
  return { chosen: first?.lawyerId ?? null, candidates, passedOver, skipped, ineligible: counts };
}

/** How a decline moves the turn: a conflict gives it back when the policy says so; any other reason keeps it consumed. */
export function declineKind(reason: string, policy: RotationPolicy = DEFAULT_POLICY): 'decline_consumed' | 'decline_returned' {
  return reason === 'conflict' && policy.returnTurnOnConflictDecline ? 'decline_returned' : 'decline_consumed';
}

/**
 * One lawyer's standing after a turn event.
 * - rotation, override: one more turn, last turn = seq.
 * - decline_consumed: unchanged, the turn given at the assignment stays consumed.
 * - decline_returned: the turn given at assignment seq `seq` is given back: one turn
 *   less, and if that turn is still their last, the last turn is what it was before
 *   (`before`: the standing recorded with the assignment, i.e. the chosen lawyer's
 *   candidate entry). With no turn in between, the standing is exactly `before`.
 */
export function nextStanding(standing: Standing, kind: TurnKind, seq: number, before?: Standing): Standing {
  switch (kind) {
    case 'rotation':
    case 'override':
      return { ...standing, turns: standing.turns + 1, lastSeq: seq };
    case 'decline_consumed':
      return standing;
    case 'decline_returned': {
      if (!before) throw new Error('rotation: a returned decline needs the standing recorded at the assignment');
      const lastSeq = standing.lastSeq === seq ? before.lastSeq : standing.lastSeq;
      return { ...standing, turns: standing.turns - 1, lastSeq };
    }
  }
}

/** The standings after a turn event (a new map; the input is not changed). */
export function applyTurn(standings: Standings, lawyerId: LawyerId, kind: TurnKind, seq: number, before?: Standing): Standings {
  const standing = standings.get(lawyerId);
  if (!standing) throw new Error(`rotation: lawyer ${lawyerId} has no standing`);
  const next = new Map(standings);
  next.set(lawyerId, nextStanding(standing, kind, seq, before));
  return next;
}

/**
 * Joining (a new lawyer, or one made active again after being inactive).
 *
 * A newcomer starting at zero turns would receive every case until they caught up
 * with lawyers who have served for years. Instead they start level with the lowest
 * standing among their peers: weighted turns = the minimum turns/weight of the
 * active lawyers, not on leave that day, sharing at least one practice area with
 * them (all active lawyers when none share one; zero when there is nobody), times
 * their own weight, rounded up to a whole turn (so turns stay integers; at most
 * one of their own turns above that minimum, never below it). Their last turn is
 * the joining seq, so they queue behind the peers at that level who have waited
 * longer. From then on they are one of the pool: in a pool where all are
 * eligible, the equal-turns bound holds for them at once.
 * A returning lawyer keeps their own standing when it is already at or above
 * that level (they are not pushed back); below it, they are raised to it.
 * Leave is not joining: a lawyer back from leave keeps their place (a skip costs
 * nothing); the caller may treat a very long leave as re-joining by policy.
 */
export function joinFloor(newcomer: LawyerFacts, pool: readonly LawyerFacts[], standings: Standings): number {
  const scored = pool.filter((l) => l.id !== newcomer.id && l.status === 'active' && standings.has(l.id));
  const peers = scored.filter((l) => !l.onLeave && l.practiceAreas.some((a) => newcomer.practiceAreas.includes(a)));
  const from = peers.length ? peers : scored;
  if (!from.length) return 0;
  return Math.min(...from.map((l) => standings.get(l.id)!.turns / weightOf(l)));
}

export function joinStanding(standings: Standings, newcomer: LawyerFacts, pool: readonly LawyerFacts[], seq: number): Standings {
  // rounded up to whole turns: at most one of their own turns above the lowest, never below it
  // Math.max: a floor of 0 would otherwise give -0 (ceil of a tiny negative)
  const turns = Math.max(0, Math.ceil(joinFloor(newcomer, pool, standings) * weightOf(newcomer) - 1e-9));
  const own = standings.get(newcomer.id);
  if (own && own.turns >= turns) return standings;
  const next = new Map(standings);
  next.set(newcomer.id, { turns, lastSeq: seq, joinedSeq: seq });
  return next;
}

/** Joins, in id order, every lawyer given who has no standing yet. */
export function ensureStandings(standings: Standings, lawyers: readonly LawyerFacts[], seq: number): Standings {
  const newcomers = lawyers.filter((l) => !standings.has(l.id)).sort((a, b) => a.id - b.id);
  if (!newcomers.length) return standings;
  // one copy for the whole batch (a first decision may join thousands), each
  // newcomer joining on the standings as the earlier ones left them
  const out = new Map(standings);
  for (const lawyer of newcomers) {
    const turns = Math.max(0, Math.ceil(joinFloor(lawyer, lawyers, out) * weightOf(lawyer) - 1e-9));
    out.set(lawyer.id, { turns, lastSeq: seq, joinedSeq: seq });
  }
  return out;
}

/** The standings of a pool that starts the rotation together: all level, none has had a turn. */
export function initialStandings(ids: readonly LawyerId[]): Standings {
  return new Map(ids.map((id) => [id, { turns: 0, lastSeq: null, joinedSeq: 0 }]));
}
