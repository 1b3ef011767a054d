// Who holds a duty seat: a person signs up (or a manager puts them on), releases
// their own sign-up before the shift, and a manager marks attendance. Every seat
// decision runs in one transaction holding the shift row FOR UPDATE, then the
// person's row (events/person.ts lockPerson), so two sign-ups for the last seat,
// or one person's sign-ups to two overlapping shifts, queue and see each other.
//
// Attended credits the shift's length as an APPROVED hour entry of kind
// 'duty_shift', as the events module credits attended events: the attendance is
// the check and the hours are the shift's scheduled length. Approved lawyer hours
// count toward the quota (quotas.service.ts approvedHours).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, DutySource, LawyerStatus } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { NotFoundError, RuleError } from '../../lib/errors.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { creditAttendance } from '../hours/hours.service.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { creditedTenths, dayOf, DEFAULT_EVENTS_POLICY, shanghaiText } from '../events/events.rules.js';
import { isPerson, lockPerson, personColumns, personOfRow, type Person } from '../events/person.js';
import { notifyMany } from '../events/notifications.js';
import { roleFits } from './duty.rules.js';
import { lockShift, SEATED, type Assignment, type Shift } from './duty.service.js';
import { reasonText } from '../../lib/forms.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function seatsTaken(trx: Db, shiftId: number): Promise<number> {
  const row = await trx
    .selectFrom('duty_assignments')
    .select(sql<number>`count(*)::int`.as('n'))
    .where('shift_id', '=', shiftId)
    .where('status', 'in', [...SEATED])
    .executeTakeFirstOrThrow();
  return row.n;
}

/** Another scheduled shift overlapping this one that the person holds (assigned or attended). */
export async function clashOf(trx: Db, p: Person, shift: Pick<Shift, 'id' | 'starts_at' | 'ends_at'>) {
  return trx
    .selectFrom('duty_assignments as a')
    .innerJoin('duty_shifts as s', 's.id', 'a.shift_id')
    .innerJoin('organizations as o', 'o.id', 's.organization_id')
    .select(['s.id', 's.starts_at', 'o.name'])
    .where(isPerson('a', p))
    .where('a.status', 'in', ['assigned', 'attended'])
    .where('s.status', '=', 'scheduled')
    .where('s.id', '<>', shift.id)
    .where('s.starts_at', '<', shift.ends_at)
    .where('s.ends_at', '>', shift.starts_at)
    .orderBy('s.starts_at')
    .limit(1)
    .executeTakeFirst();
}

/** The person's live assignment on this shift, if any. */
export async function liveAssignment(trx: Db, shiftId: number, p: Person): Promise<Assignment | undefined> {
  return trx.selectFrom('duty_assignments as a').selectAll().where('a.shift_id', '=', shiftId).where(isPerson('a', p)).where('a.status', '<>', 'released').executeTakeFirst();
}

/** A lawyer's status, and whether a leave of theirs covers any day of the shift (undefined: no such lawyer). */
export async function lawyerOnShiftDays(trx: Db, lawyerId: number, shift: Shift): Promise<{ status: LawyerStatus; on_leave: boolean } | undefined> {
  const l = await trx
    .selectFrom('lawyers as l')
    .select((eb) => [
      'l.status',
      eb
        .exists(eb.selectFrom('lawyer_leaves as v').select('v.id').whereRef('v.lawyer_id', '=', 'l.id').where('v.starts_on', '<=', dayOf(shift.ends_at)).where('v.ends_on', '>=', dayOf(shift.starts_at)))
        .as('on_leave'),
    ])
    .where('l.id', '=', lawyerId)
    .executeTakeFirst();
  return l && { status: l.status, on_leave: Boolean(l.on_leave) };
}

/** Whether a lawyer may take duty on the shift's days: not inactive, not on leave. */
async function lawyerRefusal(trx: Db, lawyerId: number, shift: Shift): Promise<RuleError | null> {
  const l = await lawyerOnShiftDays(trx, lawyerId, shift);
  if (!l) return new RuleError(422, 'lawyer_unknown', 'duty.err.person');
  if (l.status === 'inactive') return new RuleError(422, 'lawyer_inactive', 'duty.err.inactive');
  if (l.status === 'on_leave' || l.on_leave) return new RuleError(422, 'lawyer_on_leave', 'duty.err.onLeave');
  return null;
}

/**
 * Checks under the shift lock whether the person may take a seat of the shift,
 * and locks the person. Shared by sign-up, a manager's assignment and an approved swap.
 */
export async function checkSeat(trx: Transaction<DB>, shift: Shift, p: Person, now: Date, options: { needFreeSeat: boolean }): Promise<void> {
  if (shift.status === 'cancelled') throw new RuleError(409, 'shift_cancelled', 'duty.err.cancelled');
  if (now.getTime() >= shift.starts_at.getTime()) throw new RuleError(409, 'shift_started', 'duty.err.started');
  if (!roleFits(shift.who, p)) throw new RuleError(422, 'wrong_role', shift.who === 'lawyer' ? 'duty.err.lawyersOnly' : 'duty.err.volunteersOnly');
  await lockPerson(trx, p);
  if (p.lawyerId) {
    const refusal = await lawyerRefusal(trx, p.lawyerId, shift);
    if (refusal) throw refusal;
  }
  if (await liveAssignment(trx, shift.id, p)) throw new RuleError(409, 'already_on_shift', 'duty.err.already');
  const clash = await clashOf(trx, p, shift);
  if (clash) throw new RuleError(422, 'overlap', 'duty.err.overlap', { station: clash.name, at: shanghaiText(clash.starts_at) });
  if (options.needFreeSeat && (await seatsTaken(trx, shift.id)) >= shift.seats) throw new RuleError(409, 'shift_full', 'duty.err.full');
}

/** A person takes a seat: by their own sign-up, or put on by a manager. */
export async function takeSeat(db: Kysely<DB>, actor: Actor, p: Person, shiftId: number, source: Extract<DutySource, 'signup' | 'manager'>, now = new Date()): Promise<Assignment> {
  return transactionWithRetry(db, async (trx) => {
    const shift = await lockShift(trx, shiftId);
    await checkSeat(trx, shift, p, now, { needFreeSeat: true });
    const row = await trx
      .insertInto('duty_assignments')
      .values({ shift_id: shift.id, ...personColumns(p), source, status: 'assigned', assigned_by: actor.id, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: source === 'signup' ? 'duty.signed_up' : 'duty.assigned', entity: 'duty_assignment', entityId: row.id, after: row });
    return row;
  });
}

/**
 * The person releases their own sign-up before the shift starts. A seat the
 * rotation, a manager or a swap gave them is released only through a request a
 * manager approves (duty.swaps.ts).
 */
export async function release(db: Kysely<DB>, actor: Actor, p: Person, shiftId: number, now = new Date()): Promise<Assignment> {
  return transactionWithRetry(db, async (trx) => {
    const shift = await lockShift(trx, shiftId);
    const live = await liveAssignment(trx, shift.id, p);
    if (!live || live.status !== 'assigned') throw new NotFoundError('No duty to release');
    if (now.getTime() >= shift.starts_at.getTime()) throw new RuleError(409, 'shift_started', 'duty.err.started');
    if (live.source !== 'signup') throw new RuleError(409, 'needs_approval', 'duty.err.releaseNeedsApproval');
    const row = await trx.updateTable('duty_assignments').set({ status: 'released', released_at: now, updated_at: now }).where('id', '=', live.id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'duty.released', entity: 'duty_assignment', entityId: live.id, before: { status: live.status }, after: { status: 'released' } });
    return row;
  });
}

export type Outcome = 'attended' | 'no_show';

/** The assignment with its shift locked; a released or unknown one is a 404. */
export async function lockAssignment(trx: Transaction<DB>, assignmentId: number): Promise<{ shift: Shift; a: Assignment }> {
  const found = isRowId(assignmentId) ? await trx.selectFrom('duty_assignments').select('shift_id').where('id', '=', assignmentId).executeTakeFirst() : undefined;
  if (!found) throw new NotFoundError('Assignment not found');
  const shift = await lockShift(trx, found.shift_id);
  const a = await trx.selectFrom('duty_assignments').selectAll().where('id', '=', assignmentId).forUpdate().executeTakeFirst();
  if (!a || a.status === 'released') throw new NotFoundError('Assignment not found');
  return { shift, a };
}

/**
 * A manager marks attendance once the shift has started. Attended credits the
 * shift's hours exactly once (the link is unique and the update conditional);
 * attended is final. A no-show may still be marked attended (came late).
 */
export async function markAttendance(db: Kysely<DB>, actor: Actor, assignmentId: number, outcome: Outcome, now = new Date()): Promise<{ assignment: Assignment; credited: boolean }> {
  return transactionWithRetry(db, async (trx) => {
    const { shift, a } = await lockAssignment(trx, assignmentId);
    if (shift.status === 'cancelled') throw new RuleError(409, 'shift_cancelled', 'duty.err.cancelled');
    if (now.getTime() < shift.starts_at.getTime()) throw new RuleError(422, 'not_started', 'duty.err.notStarted', { at: shanghaiText(shift.starts_at) });
    if (a.status === outcome) return { assignment: a, credited: false };
    if (a.status === 'attended') throw new RuleError(409, 'already_attended', 'duty.err.attended');
    if (outcome === 'no_show') {
      const row = await trx.updateTable('duty_assignments').set({ status: 'no_show', marked_by: actor.id, marked_at: now, updated_at: now }).where('id', '=', a.id).returningAll().executeTakeFirstOrThrow();
      await audit(trx, actor, { action: 'duty.no_show', entity: 'duty_assignment', entityId: a.id, before: { status: a.status }, after: { status: 'no_show' } });
      return { assignment: row, credited: false };
    }
    const station = await trx.selectFrom('organizations').select('name').where('id', '=', shift.organization_id).executeTakeFirstOrThrow();
    const entry = await creditAttendance(
      trx,
      actor,
      personColumns(personOfRow(a)),
      { eventId: null, workDate: dayOf(shift.starts_at), tenths: creditedTenths(shift, DEFAULT_EVENTS_POLICY), kind: 'duty_shift', description: `${station.name} ${shanghaiText(shift.starts_at)}` },
      now,
    );
    const row = await trx
      .updateTable('duty_assignments')
      .set({ status: 'attended', hour_entry_id: entry.id, marked_by: actor.id, marked_at: now, updated_at: now })
      .where('id', '=', a.id)
      .where('hour_entry_id', 'is', null)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'duty.attended', entity: 'duty_assignment', entityId: a.id, before: { status: a.status }, after: { status: 'attended', hour_entry_id: entry.id } });
    return { assignment: row, credited: true };
  });
}

export const MAX_CANCEL_REASON = 500;

/**
 * A manager cancels a shift before it starts, saying why (required, at most 500
 * characters); everyone on it is told in the app, with the reason. Their
 * assignments stay, on a cancelled shift.
 */
export async function cancelShift(db: Kysely<DB>, actor: Actor, shiftId: number, reasonInput: string, now = new Date()): Promise<{ shift: Shift; notified: number }> {
  const reason = reasonText(reasonInput, MAX_CANCEL_REASON);
  return transactionWithRetry(db, async (trx) => {
    const before = await lockShift(trx, shiftId);
    if (before.status === 'cancelled') throw new RuleError(409, 'shift_cancelled', 'duty.err.cancelled');
    if (now.getTime() >= before.starts_at.getTime()) throw new RuleError(409, 'shift_started', 'duty.err.started');
    const shift = await trx.updateTable('duty_shifts').set({ status: 'cancelled', cancel_reason: reason, updated_at: now }).where('id', '=', shiftId).returningAll().executeTakeFirstOrThrow();
    const live = await trx.selectFrom('duty_assignments').select(['lawyer_id', 'volunteer_id']).where('shift_id', '=', shiftId).where('status', '=', 'assigned').execute();
    const station = await trx.selectFrom('organizations').select('name').where('id', '=', shift.organization_id).executeTakeFirstOrThrow();
    await notifyMany(trx, live.map(personOfRow), 'duty.cancelled', { shiftId: shift.id, title: station.name, startsAt: shift.starts_at.toISOString(), reason });
    await audit(trx, actor, { action: 'duty.shift_cancelled', entity: 'duty_shift', entityId: shiftId, before: { status: before.status }, after: { status: 'cancelled', reason, notified: live.length } });
    return { shift, notified: live.length };
  });
}
