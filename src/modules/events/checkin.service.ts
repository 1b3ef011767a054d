// Check-in: a manager's roster (attended / no-show), the volunteer's own check-in
// with the code shown at the event, and no-shows recorded after it. Attending
// credits the event's hours once: the sign-up moves to 'attended' and links its
// hour entry in the same transaction, under the event lock; the link is unique.
//
// Credited entries are created 'approved': the attendance itself is the check (a
// manager's roster, or a code only given out at the event) and the hours are the
// event's scheduled length, not a claim, so a pending step would only ask a manager
// to approve what the system already knows. The hours' monthly lock guards people's
// own entries and does not hold this one back.
import { timingSafeEqual } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { NotFoundError, RuleError } from '../../lib/errors.js';
import { audit, SYSTEM_ACTOR, type Actor } from '../../plugins/audit.js';
import { creditAttendance } from '../hours/hours.service.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { eventsPolicyAt, lockEvent, type Event } from './events.service.js';
import { creditedTenths, dayOf, rosterOpen, selfCheckInOpen } from './events.rules.js';
import { isPerson, personColumns, personOfRow, type Person } from './person.js';
import type { Signup } from './signups.service.js';

export type RosterOutcome = 'attended' | 'no_show';

export interface CheckInResult {
  signup: Signup;
  /** true when this call credited the hours; false when they already were */
  credited: boolean;
}

async function liveSignup(trx: Transaction<DB>, eventId: number, p: Person): Promise<Signup | undefined> {
  return trx.selectFrom('event_signups as s').selectAll().where('s.event_id', '=', eventId).where(isPerson('s', p)).where('s.status', '<>', 'cancelled').executeTakeFirst();
}

/** Marks the sign-up attended and credits the hours, unless it already is (then nothing changes). */
async function attend(trx: Transaction<DB>, actor: Actor, event: Event, s: Signup, now: Date): Promise<CheckInResult> {
  if (s.status === 'attended') return { signup: s, credited: false };
  const policy = await eventsPolicyAt(trx, dayOf(event.starts_at));
  const entry = await creditAttendance(
    trx,
    actor,
    personColumns(personOfRow(s)),
    { eventId: event.id, workDate: dayOf(event.starts_at), tenths: creditedTenths(event, policy), kind: event.kind === 'duty_shift' ? 'duty_shift' : 'outreach', description: event.title },
    now,
  );
  // conditional on the status read under the lock: a second check-in can never credit again
  const signup = await trx
    .updateTable('event_signups')
    .set({ status: 'attended', checked_in_at: now, checked_in_by: actor.id, hour_entry_id: entry.id, updated_at: now })
    .where('id', '=', s.id)
    .where('status', '=', s.status)
    .where('hour_entry_id', 'is', null)
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, { action: 'event.attended', entity: 'event_signup', entityId: s.id, before: { status: s.status }, after: { status: 'attended', hour_entry_id: entry.id } });
  return { signup, credited: true };
}

/**
 * A manager's roster, from the event's day on: attended (a confirmed seat, a
 * waitlisted person who came and was let in, or a no-show who turned up late) or
 * no-show (a confirmed seat). Attended is final: its hours are credited.
 */
export async function checkIn(db: Kysely<DB>, actor: Actor, eventId: number, person: Person, outcome: RosterOutcome, now = new Date()): Promise<CheckInResult> {
  return transactionWithRetry(db, async (trx) => {
    const event = await lockEvent(trx, eventId);
    if (event.status === 'cancelled') throw new RuleError(409, 'event_cancelled', 'events.err.cancelled');
    if (!rosterOpen(event, now)) throw new RuleError(422, 'roster_not_open', 'events.err.rosterNotOpen', { day: dayOf(event.starts_at) });
    const s = await liveSignup(trx, eventId, person);
    if (!s) throw new NotFoundError('No sign-up for this event');
    if (outcome === 'attended') return attend(trx, actor, event, s, now);
    if (s.status === 'no_show') return { signup: s, credited: false };
    if (s.status === 'attended') throw new RuleError(409, 'already_attended', 'events.err.attended');
    if (s.status !== 'confirmed') throw new RuleError(422, 'not_confirmed', 'events.err.notConfirmed');
    const signup = await trx.updateTable('event_signups').set({ status: 'no_show', checked_in_by: actor.id, updated_at: now }).where('id', '=', s.id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'event.no_show', entity: 'event_signup', entityId: s.id, before: { status: s.status }, after: { status: 'no_show' } });
    return { signup, credited: false };
  });
}

function sameCode(given: string, expected: string): boolean {
  const a = Buffer.from(given.trim());
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The person checks themself in with the event's code, on the event's day, holding a confirmed seat. */
export async function selfCheckIn(db: Kysely<DB>, actor: Actor, person: Person, eventId: number, code: string, now = new Date()): Promise<CheckInResult> {
  return transactionWithRetry(db, async (trx) => {
    const event = await lockEvent(trx, eventId);
    if (event.status === 'cancelled') throw new RuleError(409, 'event_cancelled', 'events.err.cancelled');
    if (!selfCheckInOpen(event, now)) throw new RuleError(422, 'checkin_not_today', 'events.err.checkinDay', { day: dayOf(event.starts_at) });
    if (!sameCode(code, event.checkin_code)) throw new RuleError(422, 'wrong_code', 'events.err.code');
    const s = await liveSignup(trx, eventId, person);
    if (!s) throw new RuleError(422, 'not_signed_up', 'events.err.notSignedUp');
    if (s.status === 'waitlisted') throw new RuleError(422, 'not_confirmed', 'events.err.notConfirmed');
    return attend(trx, actor, event, s, now);
  });
}

/** After the event ends: every seat still only confirmed becomes a no-show. Returns how many. */
export async function recordNoShows(db: Kysely<DB>, actor: Actor, eventId: number, now = new Date()): Promise<number> {
  return transactionWithRetry(db, async (trx) => {
    const event = await lockEvent(trx, eventId);
    if (event.status === 'cancelled') throw new RuleError(409, 'event_cancelled', 'events.err.cancelled');
    if (now.getTime() < event.ends_at.getTime()) throw new RuleError(422, 'event_not_ended', 'events.err.notEnded');
    const rows = await trx
      .updateTable('event_signups')
      .set({ status: 'no_show', updated_at: now })
      .where('event_id', '=', eventId)
      .where('status', '=', 'confirmed')
      .returning(['id'])
      .execute();
    if (rows.length) await audit(trx, actor, { action: 'event.no_shows', entity: 'event', entityId: eventId, after: { signups: rows.map((r) => r.id) } });
    return rows.length;
  });
}

/**
 * Records the no-shows of every scheduled event that ended at or before
 * `endedBefore` (default: `now`) and still has confirmed seats. Returns how many.
 */
export async function recordAllNoShows(db: Kysely<DB>, actor: Actor, now = new Date(), endedBefore = now): Promise<number> {
  const ended = await db
    .selectFrom('events as e')
    .select('e.id')
    .where('e.status', '=', 'scheduled')
    .where('e.ends_at', '<=', endedBefore)
    .where((eb) => eb.exists(eb.selectFrom('event_signups as s').select('s.id').whereRef('s.event_id', '=', 'e.id').where('s.status', '=', 'confirmed')))
    .orderBy('e.ends_at')
    .execute();
  let total = 0;
  for (const e of ended) total += await recordNoShows(db, actor, e.id, now);
  return total;
}

/**
 * The scheduled job's body: no-shows of the events that ended more than the
 * policy's noShowAfterHours ago, so the manager's roster gets the rest of the day
 * (and the night) first. A no-show who did come can still be marked attended.
 */
export async function recordOverdueNoShows(db: Kysely<DB>, now = new Date()): Promise<string> {
  const policy = await eventsPolicyAt(db, dayOf(now));
  const endedBefore = new Date(now.getTime() - policy.noShowAfterHours * 3_600_000);
  const n = await recordAllNoShows(db, SYSTEM_ACTOR, now, endedBefore);
  return `no-shows recorded: ${n}`;
}
