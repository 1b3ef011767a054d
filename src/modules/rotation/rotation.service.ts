// Assigning a granted case by the rotation (or by a manager's override with a
// written reason): one transaction that holds the rotation-state row, so each
// decision sees the one before it. Declines are in rotation.decline.ts.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AssignmentsTable, Case, DB } from '../../db/types.js';
import { prepared } from '../../db/prepared.js';
import { NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { auditValues, type Actor } from '../../plugins/audit.js';
import type { MessageKey } from '../../i18n/index.js';
import { ensure } from '../cases/cases.flow.js';
import { caseEventValues, getCase, today } from '../cases/cases.service.js';
import { compareRanked, ensureStandings, nextStanding, pick, type LawyerId, type PickResult, type Standing, type Standings } from './rotation.js';
import { explain, readExplanation, STORED_CANDIDATES, type Explanation } from './rotation.explain.js';
import { decisionContext, insertStandings, joinedBetween, loadFacts, beginDecision, type DecisionContext, type DecisionFacts } from './rotation.facts.js';
import { currentSeq, transactionWithRetry } from './rotation.lock.js';
import { reasonText } from '../../lib/forms.js';

export { loadFacts } from './rotation.facts.js';
export { declineAssignment } from './rotation.decline.js';

type Db = Kysely<DB> | Transaction<DB>;

interface Decision {
  facts: DecisionFacts;
  standings: Standings;
  joined: [LawyerId, Standing][];
  result: PickResult;
  /** how many lawyers of the pool were judged (all of them, or its head in rotation order) */
  examined: number;
}

/** The first lawyers of the pool, in rotation order, that a decision loads (more when they do not settle it). */
export const FIRST_PAGE = 96;

/**
 * Facts, standings (the pool's newcomers joined at `seq`) and the rotation's pick
 * for one case.
 *
 * A decision judges the pool from its head, in rotation order, a page at a time
 * (loadFacts with a limit), and stops as soon as the head settles everything the
 * decision records: the pick (the first eligible), every ineligible lawyer ahead
 * of it (all in the head, being ahead), and the first STORED_CANDIDATES
 * candidates, provided the head's last lawyer comes strictly after the last of
 * those (so nobody outside it can come before them). The pick is then the same as
 * judging the whole pool, without loading a thousand lawyers' facts. The whole
 * pool is judged when it has newcomers (they must join first), for an override
 * (the manager's choice may be anywhere), and for the manager's preview (every
 * eligible lawyer is offered for an override).
 */
async function decide(db: Db, c: Case, seq: number, on: string, options: { include?: readonly LawyerId[]; whole?: boolean; context?: DecisionContext } = {}): Promise<Decision> {
  const include = options.include ?? [];
  const context = options.context ?? (await decisionContext(db, c, on));
  if (!include.length && !options.whole) {
    for (let limit = FIRST_PAGE; ; limit *= 4) {
      const facts = await loadFacts(db, c, on, { limit, context });
      if (facts.newcomers > 0) break;
      const result = pick(facts.lawyers, facts.standings, facts.needs);
      if (facts.poolSize !== null || settled(facts, result)) return { facts, standings: facts.standings, joined: [], result, examined: facts.lawyers.length };
    }
  }
  const facts = await loadFacts(db, c, on, { include, context });
  const standings = ensureStandings(facts.standings, facts.lawyers, seq);
  return { facts, standings, joined: joinedBetween(facts.standings, standings), result: pick(facts.lawyers, standings, facts.needs), examined: facts.lawyers.length };
}

/**
 * Whether a head of the pool, loaded in the SQL rotation order, settles the pick,
 * the skips and the stored candidates: it holds STORED_CANDIDATES candidates, and
 * its last lawyer comes after the last of them (in the same order in JavaScript,
 * which rotation.facts.ts ROTATION_ORDER mirrors), so that every lawyer not loaded
 * comes after them too.
 */
function settled(facts: DecisionFacts, result: PickResult): boolean {
  const last = facts.lawyers.at(-1);
  const boundary = result.candidates[STORED_CANDIDATES - 1];
  const standing = last && facts.standings.get(last.id);
  if (!last || !boundary || !standing) return false;
  return last.id === boundary.lawyerId || compareRanked({ lawyerId: last.id, standing, weight: last.weight ?? 1 }, boundary) > 0;
}

export interface Preview {
  chosen: { lawyerId: number; name: string } | null;
  candidates: { lawyerId: number; name: string; rank: number; turns: number; weight: number; lastSeq: number | null }[];
  /** the ineligible lawyers ahead of the pick, in rotation order */
  passedOver: { lawyerId: number; name: string; reason: string; turns: number; lastSeq: number | null }[];
  /** ineligible lawyers of the pool by reason (ahead of the pick or not) */
  ineligible: Partial<Record<string, number>>;
  /** the lawyers in line for the case: its category and region */
  poolSize: number;
  /** the seq this decision would take */
  seq: number;
}

/** What the rotation would do now: read-only, no lock (the manager confirms with expectedLawyerId). */
export async function previewAssignment(db: Db, caseId: number, on = today()): Promise<Preview> {
  const c = await getCase(db, caseId);
  if (!c) throw new NotFoundError();
  ensure('assign', c.status);
  const seq = (await currentSeq(db)) + 1;
  const { facts, result } = await decide(db, c, seq, on, { whole: true });
  const names = new Map(facts.lawyers.map((l) => [l.id, l.name]));
  return {
    chosen: result.chosen === null ? null : { lawyerId: result.chosen, name: names.get(result.chosen)! },
    candidates: result.candidates.map((x) => ({ lawyerId: x.lawyerId, name: names.get(x.lawyerId)!, rank: x.rank, turns: x.standing.turns, weight: x.weight, lastSeq: x.standing.lastSeq })),
    passedOver: result.skipped.map((p) => ({ lawyerId: p.lawyerId, name: names.get(p.lawyerId)!, reason: p.reason, turns: p.standing.turns, lastSeq: p.standing.lastSeq })),
    ineligible: result.ineligible,
    poolSize: facts.poolSize ?? facts.lawyers.length,
    seq,
  };
}

export type AssignmentRow = Selectable<AssignmentsTable>;
export interface AssignResult {
  assignment: AssignmentRow & { explanation: Explanation };
  case: Case;
}

/** Writes a decision: the turn, the assignment with its explanation, the standing, the case, timeline and audit. */
async function record(
  trx: Transaction<DB>,
  actor: Actor,
  before: Case,
  d: Decision,
  input: { seq: number; on: string; lawyerId: LawyerId; method: 'rotation' | 'override'; reason: string | null },
): Promise<AssignResult> {
  const { seq, on, lawyerId, method, reason } = input;
  await insertStandings(trx, d.joined);
  const explanation = explain({
    seq,
    on,
    method,
    chosen: lawyerId,
    result: d.result,
    needs: d.facts.needs,
    joined: d.joined,
    caseDueOn: before.due_on,
    reason: reason ?? undefined,
    poolSize: d.facts.poolSize ?? undefined,
    examined: d.examined,
  });
  const standing = nextStanding(d.standings.get(lawyerId)!, method, seq);
  const lawyer = d.facts.lawyers.find((l) => l.id === lawyerId)!;
  const pickOf = (c: Pick<Case, 'status' | 'lawyer_id' | 'assigned_on' | 'due_on'>) => ({ status: c.status, lawyer_id: c.lawyer_id, assigned_on: c.assigned_on, due_on: c.due_on });
  const entry = auditValues(actor, {
    action: 'case.assign',
    entity: 'case',
    entityId: before.id,
    before: pickOf(before),
    after: { ...pickOf({ status: 'assigned', lawyer_id: lawyerId, assigned_on: on, due_on: null }), seq, method, reason, rotation_pick: d.result.chosen, turns: standing.turns },
  });
  // one statement (a round trip each would be most of a decision's time): the assignment, the lawyer's
  // standing, the case, its timeline entry and the audit entry, which names the new assignment's id
  const row = await trx
    .with('a', (q) =>
      q
        .insertInto('assignments')
        .values({ case_id: before.id, lawyer_id: lawyerId, seq, method, reason, explanation: JSON.stringify(explanation), assigned_by: actor.id })
        .returning(['id', 'status', 'assigned_at']),
    )
    .with('s', (q) => q.updateTable('rotation_standings').set({ turns: standing.turns, last_seq: standing.lastSeq, updated_at: new Date() }).where('lawyer_id', '=', lawyerId).returning('lawyer_id'))
    .with('e', (q) => q.insertInto('case_events').values(caseEventValues(before.id, actor, 'assign', { lawyerId, lawyer: lawyer.name, method, ...(reason && { reason }), seq })).returning('id'))
    .with('au', (q) => q.insertInto('audit_log').values({ ...entry, after: sql`${entry.after}::jsonb || jsonb_build_object('assignment_id', (select id from a))` }).returning('id'))
    .updateTable('cases')
    .set({ status: 'assigned', lawyer_id: lawyerId, assigned_on: on, due_on: null, updated_at: new Date() })
    .where('id', '=', before.id)
    .returningAll()
    .returning([
      sql<number>`(select id from a)`.as('assignment_id'),
      sql<AssignmentRow['status']>`(select status from a)`.as('assignment_status'),
      sql<Date>`(select assigned_at from a)`.as('assignment_assigned_at'),
      sql<number>`(select count(*) from s)::int`.as('standings_updated'),
    ])
    .modifyEnd(prepared)
    .executeTakeFirstOrThrow();
  const { assignment_id, assignment_status, assignment_assigned_at, standings_updated, ...after } = row;
  if (standings_updated !== 1) throw new Error(`rotation: lawyer ${lawyerId} has no standing to update`);
  const assignment: AssignmentRow = {
    id: assignment_id,
    case_id: before.id,
    lawyer_id: lawyerId,
    seq,
    method,
    reason,
    explanation,
    status: assignment_status,
    decline_reason: null,
    decline_kind: null,
    declined_at: null,
    decline_seq: null,
    assigned_by: actor.id,
    assigned_at: assignment_assigned_at,
  };
  return { assignment: { ...assignment, explanation }, case: after };
}

/** Locks the rotation and the case, checks the case may be assigned, and decides. */
async function begin(trx: Transaction<DB>, caseId: number, on: string, options: { include?: readonly LawyerId[]; whole?: boolean } = {}) {
  const { seq, row: before, context } = await beginDecision(trx, caseId, on);
  ensure('assign', before.status);
  return { seq, before, d: await decide(trx, before, seq, on, { ...options, context }) };
}

/** The rotation's pick. With expectedLawyerId, refused (409 rotation_moved) when the pick is now someone else. */
export async function assignByRotation(db: Kysely<DB>, actor: Actor, caseId: number, input: { expectedLawyerId?: number } = {}, on = today()): Promise<AssignResult> {
  return transactionWithRetry(db, async (trx) => {
    const { seq, before, d } = await begin(trx, caseId, on);
    const chosen = d.result.chosen;
    if (chosen === null) throw new RuleError(422, 'no_eligible_lawyer', 'rotation.err.noEligible');
    if (input.expectedLawyerId !== undefined && input.expectedLawyerId !== chosen) {
      const name = d.facts.lawyers.find((l) => l.id === chosen)?.name ?? '';
      throw new RuleError(409, 'rotation_moved', 'rotation.err.moved', { lawyer: name });
    }
    return record(trx, actor, before, d, { seq, on, lawyerId: chosen, method: 'rotation', reason: null });
  });
}

/** A manager's choice of another eligible lawyer, with a written reason: it counts as that lawyer's turn. */
export async function assignByOverride(db: Kysely<DB>, actor: Actor, caseId: number, input: { lawyerId: number; reason: string }, on = today()): Promise<AssignResult> {
  const reason = reasonText(input.reason, 1000);
  return transactionWithRetry(db, async (trx) => {
    const { seq, before, d } = await begin(trx, caseId, on, { include: Number.isSafeInteger(input.lawyerId) ? [input.lawyerId] : [], whole: true });
    if (!d.facts.lawyers.some((l) => l.id === input.lawyerId)) throw new ValidationError([{ field: 'lawyerId', key: 'err.choice' }]);
    // from the whole list: a lawyer behind the rotation's pick may still be ineligible
    const skipped = d.result.passedOver.find((p) => p.lawyerId === input.lawyerId);
    if (skipped) throw new ValidationError([{ field: 'lawyerId', key: `rotation.ineligible.${skipped.reason}` as MessageKey }]);
    return record(trx, actor, before, d, { seq, on, lawyerId: input.lawyerId, method: 'override', reason });
  });
}

export interface AssignmentView {
  id: number;
  seq: number;
  lawyerId: number;
  lawyerName: string;
  method: 'rotation' | 'override';
  reason: string | null;
  status: 'active' | 'declined' | 'ended';
  assignedAt: Date;
  assignedBy: string | null;
  declineReason: string | null;
  declineKind: 'consumed' | 'returned' | null;
  declinedAt: Date | null;
  /** null for a row written before the explanation format */
  explanation: Explanation | null;
  /** names of every lawyer the explanation mentions */
  names: Record<number, string>;
}

/** A case's assignments, newest first, with the lawyers' names and the explanation ("why this lawyer"). */
export async function assignmentsOf(db: Db, caseId: number): Promise<AssignmentView[]> {
  const rows = await db
    .selectFrom('assignments as a')
    .innerJoin('lawyers as l', 'l.id', 'a.lawyer_id')
    .leftJoin('users as u', 'u.id', 'a.assigned_by')
    .selectAll('a')
    .select(['l.name as lawyer_name', 'u.name as assigned_by_name'])
    .where('a.case_id', '=', caseId)
    .orderBy('a.seq', 'desc')
    .execute();
  const explanations = rows.map((r) => readExplanation(r.explanation));
  const ids = new Set<number>();
  for (const e of explanations) for (const x of [...(e?.candidates ?? []), ...(e?.passedOver ?? [])]) ids.add(x.lawyerId);
  const names = ids.size ? await db.selectFrom('lawyers').select(['id', 'name']).where('id', 'in', [...ids]).execute() : [];
  const nameOf = Object.fromEntries(names.map((n) => [n.id, n.name]));
  return rows.map((r, i) => ({
    id: r.id,
    seq: Number(r.seq),
    lawyerId: r.lawyer_id,
    lawyerName: r.lawyer_name,
    method: r.method,
    reason: r.reason,
    status: r.status,
    assignedAt: r.assigned_at,
    assignedBy: r.assigned_by_name,
    declineReason: r.decline_reason,
    declineKind: r.decline_kind,
    declinedAt: r.declined_at,
    explanation: explanations[i],
    names: nameOf,
  }));
}
