// What an assignment stores about its decision (assignments.explanation, jsonb),
// so that the case page can say "why this lawyer" and the replay can check the
// ORDER later.
//
// Stored, format v2:
// - needs: what the case needed that day;
// - candidates: the eligible lawyers in rotation order with their standing and
//   weight: the first 50, plus the chosen lawyer when an override went further
//   down (candidateCount says how many there were);
// - passedOver: the lawyers of the pool skipped because their standing put them
//   ahead of the rotation's pick, in rotation order, each with the first reason
//   and their standing (the fairness report counts skips by reason from it);
// - ineligible: how many lawyers judged were ineligible, by reason (those behind
//   the pick were not skipped: they were not next);
// - poolSize, examined: how many lawyers were in line for the case, and how many
//   of them, from the head in rotation order, the decision judged (enough to
//   settle the pick, the skips and the stored candidates: see decide());
// - joined: lawyers who got their first standing in this decision [id, turns]
//   (their last turn and joining seq are this seq);
// - rotationPick: whom the rotation chose (equals lawyerId unless overridden).
// The pool is the active lawyers who practise in the case's category and serve its
// region (rotation.facts.ts): lawyers outside it are not in line for the case.
// v1 (written before 2026-11-26) stored every ineligible lawyer in passedOver and
// no counts; it is read as it is.
// Limits (replay): a candidate beyond the first 50 is not stored, so a history in
// which such a lawyer should have come first is not detected; the facts behind a
// skip (the leave, the conflict) are trusted as recorded, and so is a newcomer's
// starting standing.
import type { Candidate, CaseNeeds, LawyerId, PassReason, PickResult, Standing } from './rotation.js';

export interface StoredSkip {
  lawyerId: LawyerId;
  reason: PassReason;
  /** v2: the standing that put them ahead */
  turns?: number;
  lastSeq?: number | null;
}

export const STORED_CANDIDATES = 50;

export interface StoredCandidate {
  lawyerId: LawyerId;
  rank: number;
  turns: number;
  lastSeq: number | null;
  joinedSeq: number;
  weight: number;
}

export interface Explanation {
  v: 1 | 2;
  seq: number;
  on: string;
  method: 'rotation' | 'override';
  needs: { category: string; regionCode: string; minLevel: number; trainings: string[]; opposingParties: string[]; declinedBy: LawyerId[] };
  rotationPick: LawyerId | null;
  candidates: StoredCandidate[];
  candidateCount: number;
  passedOver: StoredSkip[];
  /** v2: ineligible lawyers among those judged, by reason */
  ineligible?: Partial<Record<PassReason, number>>;
  /** v2: lawyers in line for the case (the pool) */
  poolSize?: number;
  /** v2: how many of them were judged, from the head in rotation order */
  examined?: number;
  joined: [LawyerId, number][];
  /** the case's assignment deadline before this assignment, restored if the lawyer declines */
  caseDueOn: string | null;
  /** an override's written reason (also in assignments.reason) */
  reason?: string;
}

function stored(c: Candidate): StoredCandidate {
  return { lawyerId: c.lawyerId, rank: c.rank, turns: c.standing.turns, lastSeq: c.standing.lastSeq, joinedSeq: c.standing.joinedSeq, weight: c.weight };
}

export function explain(input: {
  seq: number;
  on: string;
  method: 'rotation' | 'override';
  chosen: LawyerId;
  result: PickResult;
  needs: CaseNeeds;
  joined: [LawyerId, Standing][];
  caseDueOn: string | null;
  reason?: string;
  poolSize?: number;
  examined?: number;
}): Explanation {
  const { result, needs } = input;
  const top = result.candidates.slice(0, STORED_CANDIDATES);
  const chosen = result.candidates.find((c) => c.lawyerId === input.chosen);
  if (chosen && !top.includes(chosen)) top.push(chosen);
  return {
    v: 2,
    seq: input.seq,
    on: input.on,
    method: input.method,
    needs: {
      category: needs.category,
      regionCode: needs.regionCode,
      minLevel: needs.minLevel,
      trainings: [...needs.trainings],
      opposingParties: [...needs.opposingParties],
      declinedBy: [...(needs.declinedBy ?? [])],
    },
    rotationPick: result.chosen,
    candidates: top.map(stored),
    candidateCount: result.candidates.length,
    passedOver: result.skipped.map((p) => ({ lawyerId: p.lawyerId, reason: p.reason, turns: p.standing.turns, lastSeq: p.standing.lastSeq })),
    ineligible: { ...result.ineligible },
    ...(input.poolSize !== undefined && { poolSize: input.poolSize }),
    ...(input.examined !== undefined && { examined: input.examined }),
    joined: input.joined.map(([id, s]) => [id, s.turns]),
    caseDueOn: input.caseDueOn,
    ...(input.reason && { reason: input.reason }),
  };
}

/** The chosen lawyer's standing before the pick (what a returned turn goes back to). */
export function standingBefore(explanation: Explanation, lawyerId: LawyerId): Standing | undefined {
  const c = explanation.candidates.find((x) => x.lawyerId === lawyerId);
  return c ? { turns: c.turns, lastSeq: c.lastSeq, joinedSeq: c.joinedSeq } : undefined;
}

/** A stored explanation, read defensively (rows written before v1 have fewer fields; v1 and v2 differ as above). */
export function readExplanation(value: unknown): Explanation | null {
  const e = value as Partial<Explanation> | null;
  if (!e || typeof e !== 'object' || (e.v !== 1 && e.v !== 2) || !Array.isArray(e.candidates) || !Array.isArray(e.passedOver)) return null;
  return e as Explanation;
}
