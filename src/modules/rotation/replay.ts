// Replaying the recorded history: re-run the rotation over every recorded event
// and list each assignment it would have made differently. Each decision is judged
// on the standings as they really were at the time (built from the recorded
// assignments, not from the replay's own picks): a wrong assignment is reported
// once, at its own seq, and the decisions after it are judged on the world it made.
import { applyTurn, joinStanding, pick, type Standing, type Standings, type TurnKind } from './rotation.js';
import type { CaseNeeds, LawyerFacts, LawyerId } from './eligibility.js';

export interface JoinEvent {
  type: 'join';
  seq: number;
  lawyer: LawyerFacts;
  /** the pool at the time (for the newcomer's starting level) */
  pool: readonly LawyerFacts[];
}

export interface AssignEvent {
  type: 'assign';
  seq: number;
  caseId: number;
  needs: CaseNeeds;
  /** every lawyer of the rotation, with the facts of that day */
  lawyers: readonly LawyerFacts[];
  recorded: {
    lawyerId: LawyerId | null;
    kind: 'rotation' | 'override';
    /** the manager's written reason, for an override */
    reason?: string | null;
  };
}

export interface DeclineEvent {
  type: 'decline';
  seq: number;
  caseId: number;
  lawyerId: LawyerId;
  /** seq of the assignment declined */
  assignedSeq: number;
  kind: Extract<TurnKind, 'decline_consumed' | 'decline_returned'>;
}

export type HistoryEvent = JoinEvent | AssignEvent | DeclineEvent;

export interface History {
  initial: Standings;
  /** in seq order */
  events: readonly HistoryEvent[];
}

export type DifferenceProblem =
  /** a rotation assignment to someone other than the rotation's pick (or to someone when nobody was eligible) */
  | 'other_lawyer'
  /** an override to a lawyer who was not eligible */
  | 'override_ineligible'
  /** an override without a written reason */
  | 'override_without_reason';

export interface Difference {
  seq: number;
  caseId: number;
  kind: 'rotation' | 'override';
  recorded: LawyerId | null;
  /** what the rotation would have picked */
  expected: LawyerId | null;
  problem: DifferenceProblem;
}

export interface Rerun {
  differences: Difference[];
  /** the standings the recorded events lead to: compare with the stored ones */
  standings: Standings;
}

/** Re-runs the rotation over a history: the differences and the standings it ends with. */
export function rerun(history: History): Rerun {
  let state = history.initial;
  const before = new Map<number, Standing>();
  const differences: Difference[] = [];
  for (const event of history.events) {
    if (event.type === 'join') {
      state = joinStanding(state, event.lawyer, event.pool, event.seq);
    } else if (event.type === 'decline') {
      state = applyTurn(state, event.lawyerId, event.kind, event.assignedSeq, before.get(event.assignedSeq));
    } else {
      const result = pick(event.lawyers, state, event.needs);
      const { lawyerId, kind, reason } = event.recorded;
      const base = { seq: event.seq, caseId: event.caseId, kind, recorded: lawyerId, expected: result.chosen };
      if (kind === 'rotation' && lawyerId !== result.chosen) differences.push({ ...base, problem: 'other_lawyer' });
      if (kind === 'override' && !result.candidates.some((c) => c.lawyerId === lawyerId)) differences.push({ ...base, problem: 'override_ineligible' });
      else if (kind === 'override' && !reason?.trim()) differences.push({ ...base, problem: 'override_without_reason' });
      const standing = lawyerId === null ? undefined : state.get(lawyerId);
      if (lawyerId !== null && standing) {
        before.set(event.seq, standing);
        state = applyTurn(state, lawyerId, kind, event.seq);
      }
    }
  }
  return { differences, standings: state };
}

/** The recorded assignments the rotation would have made differently (none for an untouched history). */
export function replay(history: History): Difference[] {
  return rerun(history).differences;
}
