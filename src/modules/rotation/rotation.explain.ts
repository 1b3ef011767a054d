// What an assignment stores about its decision (assignments.explanation, jsonb),
// so that the case page can say "why this lawyer" and the replay can check the
// ORDER later.
//
// Stored, format v1:
// - needs: what the case needed that day;
// - candidates: the eligible lawyers in rotation order with their standing and
//   weight: the first 50, plus the chosen lawyer when an override went further
//   down (candidateCount says how many there were);
// - passedOver: EVERY ineligible lawyer with the first reason (the fairness report
//   counts skips by reason from it);
// - joined: lawyers who got their first standing in this decision [id, turns]
//   (their last turn and joining seq are this seq);
// - rotationPick: whom the rotation chose (equals lawyerId unless overridden).
// Limits (replay): a candidate beyond the first 50 is not stored, so a history in
// which such a lawyer should have come first is not detected; the facts behind a
// skip (the leave, the conflict) are trusted as recorded, and so is a newcomer's
// starting standing.
import type { Candidate, CaseNeeds, LawyerId, PassReason, PickResult, Standing } from './rotation.js';

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
  v: 1;
  seq: number;
  on: string;
  method: 'rotation' | 'override';
  needs: { category: string; regionCode: string; minLevel: number; trainings: string[]; opposingParties: string[]; declinedBy: LawyerId[] };
  rotationPick: LawyerId | null;
  candidates: StoredCandidate[];
  candidateCount: number;
  passedOver: { lawyerId: LawyerId; reason: PassReason }[];
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
}): Explanation {
  const { result, needs } = input;
  const top = result.candidates.slice(0, STORED_CANDIDATES);
  const chosen = result.candidates.find((c) => c.lawyerId === input.chosen);
  if (chosen && !top.includes(chosen)) top.push(chosen);
  return {
    v: 1,
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
    passedOver: result.passedOver.map((p) => ({ lawyerId: p.lawyerId, reason: p.reason })),
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

/** A stored explanation, read defensively (rows written before v1 have fewer fields). */
export function readExplanation(value: unknown): Explanation | null {
  const e = value as Partial<Explanation> | null;
  if (!e || typeof e !== 'object' || e.v !== 1 || !Array.isArray(e.candidates) || !Array.isArray(e.passedOver)) return null;
  return e as Explanation;
}
