// The assigned lawyer declines within the policy's window: the case goes back to
// the rotation (granted, the decliner is not asked again) and the turn stays
// consumed, unless the reason is a conflict of interest and the policy returns it.
// A decline takes a seq of its own: the replay must know when the turn came back.
import type { Kysely } from 'kysely';
import type { Case, DB } from '../../db/types.js';
import { RuleError } from '../../lib/errors.js';
import { addDays } from '../../lib/workdays.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { timeLimitsAt } from '../policies/policies.service.js';
import { assignDays, caseEvent, lockCase, today, workingDaysAfter } from '../cases/cases.service.js';
import { declineKind, nextStanding, normaliseParty } from './rotation.js';
import { readExplanation, standingBefore } from './rotation.explain.js';
import { loadStanding, rotationPolicyAt } from './rotation.facts.js';
import { lockRotation, setSeq, transactionWithRetry } from './rotation.lock.js';
import { reasonText } from '../../lib/forms.js';

export async function declineAssignment(db: Kysely<DB>, actor: Actor, caseId: number, input: { reason: string; conflict: boolean }, on = today()): Promise<Case> {
  const reason = reasonText(input.reason, 1000);
  return transactionWithRetry(db, async (trx) => {
    const seq = (await lockRotation(trx)) + 1;
    const before = await lockCase(trx, caseId);
    if (before.status !== 'assigned') throw new RuleError(409, 'invalid_state', 'rotation.err.notAssigned');
    const assignment = await trx.selectFrom('assignments').selectAll().where('case_id', '=', caseId).where('status', '=', 'active').forUpdate().executeTakeFirst();
    if (!assignment || assignment.lawyer_id !== before.lawyer_id) throw new RuleError(409, 'invalid_state', 'rotation.err.notAssigned');
    // the window is the policy's in force on the day of the assignment: it was the promise made then
    const assignedOn = before.assigned_on ?? on;
    const policy = await rotationPolicyAt(trx, assignedOn);
    const lastDay = addDays(assignedOn, policy.declineDays);
    if (on > lastDay) throw new RuleError(409, 'decline_window_closed', 'rotation.err.declineWindow', { date: lastDay, days: policy.declineDays });

    const kind = declineKind(input.conflict ? 'conflict' : 'other', { returnTurnOnConflictDecline: policy.returnTurnOnConflictDecline });
    const explanation = readExplanation(assignment.explanation);
    const standing = await loadStanding(trx, assignment.lawyer_id);
    let turns = standing?.turns ?? null;
    if (standing && kind === 'decline_returned') {
      const was = explanation ? standingBefore(explanation, assignment.lawyer_id) : undefined;
      // without the recorded standing only the count can be given back
      const next = nextStanding(standing, 'decline_returned', Number(assignment.seq), was ?? { ...standing, lastSeq: standing.lastSeq });
      turns = next.turns;
      await trx.updateTable('rotation_standings').set({ turns: next.turns, last_seq: next.lastSeq, updated_at: new Date() }).where('lawyer_id', '=', assignment.lawyer_id).execute();
    }
    await setSeq(trx, seq);
    await trx
      .updateTable('assignments')
      .set({ status: 'declined', decline_reason: reason, decline_kind: kind === 'decline_returned' ? 'returned' : 'consumed', declined_at: new Date(), decline_seq: seq })
      .where('id', '=', assignment.id)
      .execute();

    if (input.conflict && before.opposing_parties.length) {
      const known = await trx.selectFrom('lawyer_conflicts').select('party').where('lawyer_id', '=', assignment.lawyer_id).execute();
      const have = new Set(known.map((k) => normaliseParty(k.party)));
      const fresh = [...new Map(before.opposing_parties.map((p) => [normaliseParty(p), p.trim()])).entries()].filter(([n]) => n && !have.has(n));
      if (fresh.length)
        await trx
          .insertInto('lawyer_conflicts')
          .values(fresh.map(([, party]) => ({ lawyer_id: assignment.lawyer_id, party: party.slice(0, 200), note: `${before.number}: ${reason}`.slice(0, 500) })))
          .execute();
    }

    const dueOn = explanation?.caseDueOn ?? (await workingDaysAfter(trx, on, assignDays((await timeLimitsAt(trx, on)).value, before)));
    const after = await trx
      .updateTable('cases')
      .set({ status: 'granted', lawyer_id: null, assigned_on: null, due_on: dueOn, updated_at: new Date() })
      .where('id', '=', caseId)
      .returningAll()
      .executeTakeFirstOrThrow();
    const lawyer = await trx.selectFrom('lawyers').select('name').where('id', '=', assignment.lawyer_id).executeTakeFirst();
    const turn = kind === 'decline_returned' ? 'returned' : 'consumed';
    await caseEvent(trx, caseId, actor, 'decline', { lawyerId: assignment.lawyer_id, lawyer: lawyer?.name ?? null, reason, conflict: input.conflict, turn, seq });
    const pickOf = (c: Case) => ({ status: c.status, lawyer_id: c.lawyer_id, assigned_on: c.assigned_on, due_on: c.due_on });
    await audit(trx, actor, {
      action: 'case.decline',
      entity: 'case',
      entityId: caseId,
      before: { ...pickOf(before), assignment_status: 'active', turns: standing?.turns ?? null },
      after: { ...pickOf(after), assignment_id: assignment.id, assignment_status: 'declined', decline_kind: turn, conflict: input.conflict, seq, turns },
    });
    return after;
  });
}
