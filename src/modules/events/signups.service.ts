// Sign-ups: seats and the waitlist. Every decision runs in one transaction that
// holds the event row FOR UPDATE, so parallel sign-ups and cancellations of one
// event queue and each sees the others' seats; seq is the arrival order.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, EventSignupsTable } from '../../db/types.js';
import { HttpError, NotFoundError, RuleError } from '../../lib/errors.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { eventsPolicyAt, lockEvent, SEAT_STATUSES, type Event } from './events.service.js';
import { dayOf, promotionAllowed, shanghaiText, signupRefusal, type SignupRefusal } from './events.rules.js';
import { notify } from './notifications.js';
import { isPerson, lockPerson, personColumns, personOfRow, type Person } from './person.js';

type Db = Kysely<DB> | Transaction<DB>;
export type Signup = Selectable<EventSignupsTable>;

export interface SignupResult {
  signup: Signup;
  status: 'confirmed' | 'waitlisted';
  /** place on the waitlist, 1 = next to be promoted; null when confirmed */
  position: number | null;
}

function refusalError(r: SignupRefusal): RuleError {
  switch (r.code) {
    case 'event_cancelled':
      return new RuleError(409, r.code, 'events.err.cancelled');
    case 'event_started':
      return new RuleError(409, r.code, 'events.err.started');
    case 'signup_not_open':
      return new RuleError(422, r.code, 'events.err.notOpen', { at: shanghaiText(r.at) });
    case 'signup_closed':
      return new RuleError(422, r.code, 'events.err.closed', { at: shanghaiText(r.at) });
  }
}

/** Another scheduled event overlapping this one that the person holds a confirmed (or attended) seat for. */
async function clashOf(trx: Db, p: Person, event: Event) {
  return trx
    .selectFrom('event_signups as s')
    .innerJoin('events as e', 'e.id', 's.event_id')
    .select(['e.id', 'e.title', 'e.starts_at'])
    .where(isPerson('s', p))
    .where('s.status', 'in', ['confirmed', 'attended'])
    .where('e.status', '=', 'scheduled')
    .where('e.id', '<>', event.id)
    .where('e.starts_at', '<', event.ends_at)
    .where('e.ends_at', '>', event.starts_at)
    .orderBy('e.starts_at')
    .limit(1)
    .executeTakeFirst();
}

async function seatsOf(trx: Db, eventId: number) {
  return trx
    .selectFrom('event_signups')
    .select([
      sql<number>`count(*) filter (where status in ('confirmed','attended','no_show'))::int`.as('taken'),
      sql<number>`count(*) filter (where status = 'waitlisted')::int`.as('waitlisted'),
      sql<number>`coalesce(max(seq), 0)::int`.as('maxSeq'),
    ])
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow();
}

/**
 * Signs a person up: confirmed while seats are free and nobody waits, else
 * waitlisted at the end of the queue (a newcomer never jumps the waitlist, even
 * on the event day when seats freed are not filled automatically). Refuses a
 * cancelled or started event, a time outside the window, a second sign-up and an
 * overlap with an event the person is confirmed for.
 */
export async function signUp(db: Kysely<DB>, actor: Actor, person: Person, eventId: number, now = new Date()): Promise<SignupResult> {
  return transactionWithRetry(db, async (trx) => {
    const event = await lockEvent(trx, eventId);
    const refusal = signupRefusal(event, now);
    if (refusal) throw refusalError(refusal);
    await lockPerson(trx, person);
    const existing = await trx.selectFrom('event_signups as s').select('s.id').where('s.event_id', '=', eventId).where(isPerson('s', person)).where('s.status', '<>', 'cancelled').executeTakeFirst();
    if (existing) throw new RuleError(409, 'already_signed_up', 'events.err.already');
    const clash = await clashOf(trx, person, event);
    if (clash) throw new RuleError(422, 'overlap', 'events.err.overlap', { title: clash.title, at: shanghaiText(clash.starts_at) });
    const seats = await seatsOf(trx, eventId);
    const status = seats.taken < event.capacity && seats.waitlisted === 0 ? 'confirmed' : 'waitlisted';
    const signup = await trx
      .insertInto('event_signups')
      .values({ event_id: eventId, ...personColumns(person), status, seq: seats.maxSeq + 1, signed_up_at: now, created_by: actor.id, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    const position = status === 'waitlisted' ? seats.waitlisted + 1 : null;
    await audit(trx, actor, { action: 'event.signed_up', entity: 'event_signup', entityId: signup.id, after: { ...signup, position } });
    return { signup, status, position };
  });
}

/**
 * Fills free seats from the waitlist in seq order, skipping anyone now confirmed
 * for an overlapping event (they keep their place). Each promoted person is told.
 */
async function promote(trx: Transaction<DB>, actor: Actor, event: Event, now: Date): Promise<Signup[]> {
  let free = event.capacity - (await seatsOf(trx, event.id)).taken;
  if (free <= 0) return [];
  const waiting = await trx.selectFrom('event_signups').selectAll().where('event_id', '=', event.id).where('status', '=', 'waitlisted').orderBy('seq').execute();
  const promoted: Signup[] = [];
  for (const w of waiting) {
    if (free <= 0) break;
    const person = personOfRow(w);
    try {
      await lockPerson(trx, person);
    } catch (err) {
      if (err instanceof HttpError) continue; // a volunteer no longer approved (or gone) is passed over
      throw err;
    }
    if (await clashOf(trx, person, event)) continue;
    const row = await trx.updateTable('event_signups').set({ status: 'confirmed', promoted_at: now, updated_at: now }).where('id', '=', w.id).returningAll().executeTakeFirstOrThrow();
    await notify(trx, person, 'event.promoted', { eventId: event.id, title: event.title, startsAt: event.starts_at.toISOString() });
    await audit(trx, actor, { action: 'event.promoted', entity: 'event_signup', entityId: w.id, before: { status: w.status }, after: { status: row.status, promoted_at: now } });
    promoted.push(row);
    free--;
  }
  return promoted;
}

/**
 * Cancels the person's live sign-up before the event starts. A freed seat goes
 * to the first waitlisted, unless the policy's cut-off (the event day) has come.
 */
export async function cancelSignUp(db: Kysely<DB>, actor: Actor, person: Person, eventId: number, now = new Date()): Promise<{ signup: Signup; promoted: Signup[] }> {
  return transactionWithRetry(db, async (trx) => {
    const event = await lockEvent(trx, eventId);
    const live = await trx.selectFrom('event_signups as s').selectAll().where('s.event_id', '=', eventId).where(isPerson('s', person)).where('s.status', 'in', ['confirmed', 'waitlisted']).executeTakeFirst();
    if (!live) throw new NotFoundError('No sign-up to cancel');
    if (event.status === 'cancelled') throw new RuleError(409, 'event_cancelled', 'events.err.cancelled');
    if (now.getTime() >= event.starts_at.getTime()) throw new RuleError(409, 'event_started', 'events.err.cancelStarted');
    const signup = await trx.updateTable('event_signups').set({ status: 'cancelled', cancelled_at: now, updated_at: now }).where('id', '=', live.id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'event.signup_cancelled', entity: 'event_signup', entityId: live.id, before: { status: live.status }, after: { status: 'cancelled' } });
    const policy = await eventsPolicyAt(trx, dayOf(event.starts_at));
    const promoted = live.status === 'confirmed' && promotionAllowed(event, now, policy) ? await promote(trx, actor, event, now) : [];
    return { signup, promoted };
  });
}

export interface SignupEntry {
  id: number;
  volunteerId: number | null;
  lawyerId: number | null;
  name: string;
  status: Signup['status'];
  position: number | null;
  signedUpAt: Date;
  promotedAt: Date | null;
  checkedInAt: Date | null;
}

/** Seat holders (confirmed, attended, no-show) and the waitlist with positions, each in arrival order. */
export async function listSignups(db: Db, eventId: number): Promise<{ confirmed: SignupEntry[]; waitlisted: SignupEntry[] }> {
  const rows = await db
    .selectFrom('event_signups as s')
    .leftJoin('volunteers as v', 'v.id', 's.volunteer_id')
    .leftJoin('lawyers as l', 'l.id', 's.lawyer_id')
    .select(['s.id', 's.volunteer_id', 's.lawyer_id', 's.status', 's.signed_up_at', 's.promoted_at', 's.checked_in_at', sql<string>`coalesce(v.name, l.name)`.as('name')])
    .where('s.event_id', '=', eventId)
    .where('s.status', '<>', 'cancelled')
    .orderBy('s.seq')
    .execute();
  const entry = (r: (typeof rows)[number], position: number | null): SignupEntry => ({
    id: r.id,
    volunteerId: r.volunteer_id,
    lawyerId: r.lawyer_id,
    name: r.name,
    status: r.status,
    position,
    signedUpAt: r.signed_up_at,
    promotedAt: r.promoted_at,
    checkedInAt: r.checked_in_at,
  });
  const seated = new Set<string>(SEAT_STATUSES);
  return {
    confirmed: rows.filter((r) => seated.has(r.status)).map((r) => entry(r, null)),
    waitlisted: rows.filter((r) => r.status === 'waitlisted').map((r, i) => entry(r, i + 1)),
  };
}

/** The person's current sign-up per event (not cancelled), with the waitlist position: for lists and the calendar. */
export async function mySignups(db: Db, person: Person, eventIds: number[]): Promise<Map<number, { status: Signup['status']; position: number | null }>> {
  if (eventIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('event_signups as s')
    .select([
      's.event_id',
      's.status',
      sql<number>`(select count(*)::int from event_signups w where w.event_id = s.event_id and w.status = 'waitlisted' and w.seq <= s.seq)`.as('position'),
    ])
    .where(isPerson('s', person))
    .where('s.event_id', 'in', eventIds)
    .where('s.status', '<>', 'cancelled')
    .execute();
  return new Map(rows.map((r) => [r.event_id, { status: r.status, position: r.status === 'waitlisted' ? r.position : null }]));
}
