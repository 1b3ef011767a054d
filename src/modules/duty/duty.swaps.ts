// Swaps: a person on duty asks to hand their seat to another eligible person, or
// to give it back (the shift is then unfilled again). Nothing moves until a
// manager approves; approval checks the role and overlaps again under the shift
// lock. A rejection needs a reason. Both people are told in the app.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, DutySwapsTable } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { notify } from '../events/notifications.js';
import { isPerson, personColumns, personOfRow, type Person } from '../events/person.js';
import { rotationPolicyAt, servingRegions } from '../rotation/rotation.facts.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { dayOf } from '../events/events.rules.js';
import { checkSeat, lockAssignment } from './duty.assign.js';
import type { Shift } from './duty.service.js';
import { reasonText } from '../../lib/forms.js';

type Db = Kysely<DB> | Transaction<DB>;
export type Swap = Selectable<DutySwapsTable>;

function samePerson(a: Person | null, b: Person): boolean {
  return !!a && (a.lawyerId ?? null) === (b.lawyerId ?? null) && (a.volunteerId ?? null) === (b.volunteerId ?? null);
}

/**
 * The person asks to hand their seat on to `to` (null: give it back). Checked now
 * as well as at approval, so an impossible request is refused at once.
 */
export async function requestSwap(db: Kysely<DB>, actor: Actor, p: Person, assignmentId: number, to: Person | null, reason: string, now = new Date()): Promise<Swap> {
  const why = reasonText(reason, 1000, { required: false });
  return transactionWithRetry(db, async (trx) => {
    const { shift, a } = await lockAssignment(trx, assignmentId);
    if (!samePerson(personOfRow(a), p)) throw new NotFoundError('Assignment not found');
    if (a.status !== 'assigned') throw new RuleError(409, 'not_assigned', 'duty.err.notAssigned');
    if (to && samePerson(to, p)) throw new ValidationError([{ field: 'to', key: 'duty.err.swapSelf' }]);
    if (to) await checkSeat(trx, shift, to, now, { needFreeSeat: false });
    else if (now.getTime() >= shift.starts_at.getTime()) throw new RuleError(409, 'shift_started', 'duty.err.started');
    const pending = await trx.selectFrom('duty_swaps').select('id').where('assignment_id', '=', a.id).where('status', '=', 'pending').executeTakeFirst();
    if (pending) throw new RuleError(409, 'swap_pending', 'duty.err.swapPending');
    const row = await trx
      .insertInto('duty_swaps')
      .values({ assignment_id: a.id, to_lawyer_id: to?.lawyerId ?? null, to_volunteer_id: to?.volunteerId ?? null, requested_by: actor.id, reason: why, created_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'duty.swap_requested', entity: 'duty_swap', entityId: row.id, after: row });
    return row;
  });
}

async function lockSwap(trx: Transaction<DB>, swapId: number): Promise<{ swap: Swap; shift: Shift }> {
  const found = isRowId(swapId) ? await trx.selectFrom('duty_swaps').select('assignment_id').where('id', '=', swapId).executeTakeFirst() : undefined;
  if (!found) throw new NotFoundError('Swap not found');
  const { shift } = await lockAssignment(trx, found.assignment_id);
  const swap = await trx.selectFrom('duty_swaps').selectAll().where('id', '=', swapId).forUpdate().executeTakeFirstOrThrow();
  if (swap.status !== 'pending') throw new RuleError(409, 'swap_decided', 'duty.err.swapDecided');
  return { swap, shift };
}

async function stationOf(trx: Db, shift: Shift) {
  return (await trx.selectFrom('organizations').select('name').where('id', '=', shift.organization_id).executeTakeFirstOrThrow()).name;
}

/** A manager approves: the seat moves to the other person (source 'swap'), or is given back. */
export async function approveSwap(db: Kysely<DB>, actor: Actor, swapId: number, now = new Date()) {
  return transactionWithRetry(db, async (trx) => {
    const { swap, shift } = await lockSwap(trx, swapId);
    const a = await trx.selectFrom('duty_assignments').selectAll().where('id', '=', swap.assignment_id).executeTakeFirstOrThrow();
    if (a.status !== 'assigned') throw new RuleError(409, 'not_assigned', 'duty.err.notAssigned');
    const from = personOfRow(a);
    const to: Person | null = swap.to_lawyer_id ? { lawyerId: swap.to_lawyer_id } : swap.to_volunteer_id ? { volunteerId: swap.to_volunteer_id } : null;
    if (to) await checkSeat(trx, shift, to, now, { needFreeSeat: false });
    else if (now.getTime() >= shift.starts_at.getTime()) throw new RuleError(409, 'shift_started', 'duty.err.started');
    await trx.updateTable('duty_assignments').set({ status: 'released', released_at: now, updated_at: now }).where('id', '=', a.id).execute();
    const moved = to
      ? await trx
          .insertInto('duty_assignments')
          .values({ shift_id: shift.id, ...personColumns(to), source: 'swap', status: 'assigned', assigned_by: actor.id, created_at: now, updated_at: now })
          .returningAll()
          .executeTakeFirstOrThrow()
      : null;
    const row = await trx
      .updateTable('duty_swaps')
      .set({ status: 'approved', decided_by: actor.id, decided_at: now, new_assignment_id: moved?.id ?? null })
      .where('id', '=', swap.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const notice = { shiftId: shift.id, title: await stationOf(trx, shift), startsAt: shift.starts_at.toISOString() };
    await notify(trx, from, 'duty.swap_approved', notice);
    if (to) await notify(trx, to, 'duty.swap_received', notice);
    await audit(trx, actor, { action: 'duty.swap_approved', entity: 'duty_swap', entityId: swap.id, before: { status: 'pending', assignment: a }, after: { status: 'approved', released: a.id, assignment: moved } });
    return { swap: row, assignment: moved };
  });
}

/** A manager rejects with a reason; the seat stays where it was. */
export async function rejectSwap(db: Kysely<DB>, actor: Actor, swapId: number, reason: string, now = new Date()): Promise<Swap> {
  const why = reasonText(reason, 1000);
  return transactionWithRetry(db, async (trx) => {
    const { swap, shift } = await lockSwap(trx, swapId);
    const row = await trx.updateTable('duty_swaps').set({ status: 'rejected', decided_by: actor.id, decided_at: now, decision_reason: why }).where('id', '=', swap.id).returningAll().executeTakeFirstOrThrow();
    const a = await trx.selectFrom('duty_assignments').select(['lawyer_id', 'volunteer_id']).where('id', '=', swap.assignment_id).executeTakeFirstOrThrow();
    await notify(trx, personOfRow(a), 'duty.swap_rejected', { shiftId: shift.id, title: await stationOf(trx, shift), startsAt: shift.starts_at.toISOString(), reason: why });
    await audit(trx, actor, { action: 'duty.swap_rejected', entity: 'duty_swap', entityId: swap.id, before: { status: 'pending' }, after: { status: 'rejected', decision_reason: why } });
    return row;
  });
}

/** The person who asked takes the request back. */
export async function withdrawSwap(db: Kysely<DB>, actor: Actor, p: Person, swapId: number, now = new Date()): Promise<Swap> {
  return transactionWithRetry(db, async (trx) => {
    const { swap } = await lockSwap(trx, swapId);
    const a = await trx.selectFrom('duty_assignments').select(['lawyer_id', 'volunteer_id']).where('id', '=', swap.assignment_id).executeTakeFirstOrThrow();
    if (!samePerson(personOfRow(a), p)) throw new NotFoundError('Swap not found');
    const row = await trx.updateTable('duty_swaps').set({ status: 'withdrawn', decided_by: actor.id, decided_at: now }).where('id', '=', swap.id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'duty.swap_withdrawn', entity: 'duty_swap', entityId: swap.id, before: { status: 'pending' }, after: { status: 'withdrawn' } });
    return row;
  });
}

/** Pending requests, oldest first, with the shift and both people named. */
export async function pendingSwaps(db: Db, limit = 200) {
  return db
    .selectFrom('duty_swaps as w')
    .innerJoin('duty_assignments as a', 'a.id', 'w.assignment_id')
    .innerJoin('duty_shifts as s', 's.id', 'a.shift_id')
    .innerJoin('organizations as o', 'o.id', 's.organization_id')
    .leftJoin('lawyers as fl', 'fl.id', 'a.lawyer_id')
    .leftJoin('volunteers as fv', 'fv.id', 'a.volunteer_id')
    .leftJoin('lawyers as tl', 'tl.id', 'w.to_lawyer_id')
    .leftJoin('volunteers as tv', 'tv.id', 'w.to_volunteer_id')
    .select([
      'w.id',
      'w.reason',
      'w.created_at',
      's.id as shift_id',
      's.starts_at',
      's.ends_at',
      'o.name as station',
      sql<string>`coalesce(fl.name, fv.name)`.as('from_name'),
      sql<string | null>`coalesce(tl.name, tv.name)`.as('to_name'),
    ])
    .where('w.status', '=', 'pending')
    .orderBy('w.created_at')
    .orderBy('w.id')
    .limit(limit)
    .execute();
}

/** The person's pending request for an assignment, if any. */
export async function pendingOf(db: Db, p: Person, assignmentId: number): Promise<Swap | undefined> {
  return db
    .selectFrom('duty_swaps as w')
    .innerJoin('duty_assignments as a', 'a.id', 'w.assignment_id')
    .selectAll('w')
    .where('w.assignment_id', '=', assignmentId)
    .where('w.status', '=', 'pending')
    .where(isPerson('a', p))
    .executeTakeFirst();
}

/** Whom a seat may be handed to: active lawyers serving the region and/or approved volunteers of the region, by name. */
export async function swapTargets(db: Db, shift: Shift): Promise<{ value: string; name: string }[]> {
  const out: { value: string; name: string }[] = [];
  if (shift.who !== 'volunteer') {
    const regions = servingRegions(await rotationPolicyAt(db, dayOf(shift.starts_at)), shift.region_code);
    let q = db.selectFrom('lawyers').select(['id', 'name']).where('status', '=', 'active');
    if (regions) q = q.where('region_code', 'in', regions);
    for (const l of await q.orderBy('name').orderBy('id').limit(300).execute()) out.push({ value: `l:${l.id}`, name: l.name });
  }
  if (shift.who !== 'lawyer') {
    const vs = await db.selectFrom('volunteers').select(['id', 'name']).where('status', '=', 'approved').where('region_code', '=', shift.region_code).orderBy('name').orderBy('id').limit(300).execute();
    for (const v of vs) out.push({ value: `v:${v.id}`, name: v.name });
  }
  return out;
}

/** 'l:12' / 'v:7' from a form; '' is nobody (give the seat back); anything else is null. */
export function readTarget(value: string): Person | null | undefined {
  if (value === '') return null;
  const m = /^([vl]):(\d{1,10})$/.exec(value);
  if (!m || !isRowId(Number(m[2]))) return undefined;
  return m[1] === 'v' ? { volunteerId: Number(m[2]) } : { lawyerId: Number(m[2]) };
}
