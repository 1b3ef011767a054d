// Outreach events: create (one, or a weekly/monthly series), read, list upcoming
// by region, kind and dates, cancel (everyone signed up is notified).
import { randomInt } from 'node:crypto';
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, EventKind, EventsTable } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { startOfDay } from '../../lib/format.js';
import { addDays } from '../../lib/workdays.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { APP_TZ } from '../cases/cases.service.js';
import { policyAt } from '../policies/policies.service.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { checkEvent, type EventInput } from './events.input.js';
import { dayOf, DEFAULT_EVENTS_POLICY, occurrenceOffsets, type EventsPolicy } from './events.rules.js';
import { notifyMany } from './notifications.js';
import { personOfRow } from './person.js';
import { reasonText } from '../../lib/forms.js';

type Db = Kysely<DB> | Transaction<DB>;
export type Event = Selectable<EventsTable>;
/** Seat holders: confirmed, and after the day those who attended or did not show. */
export const SEAT_STATUSES = ['confirmed', 'attended', 'no_show'] as const;

export async function eventsPolicyAt(db: Db, day: string): Promise<EventsPolicy> {
  const found = await policyAt<Partial<EventsPolicy>>(db, 'events', day);
  return { ...DEFAULT_EVENTS_POLICY, ...found?.value };
}

const newCode = () => String(randomInt(0, 1_000_000)).padStart(6, '0');

/** The audit snapshot of an event: everything but its check-in code, which only staff at the event should see. */
function snapshot(e: Event) {
  const { checkin_code: _code, ...rest } = e;
  return rest;
}

/**
 * Creates the event, or with `repeat` a series of `repeat.count` events a week or
 * a month apart (each its own row with its own check-in code, sharing series_id =
 * the first one's id). Bad input throws a ValidationError and writes nothing.
 */
export async function createEvent(db: Kysely<DB>, actor: Actor, input: EventInput, now = new Date()): Promise<Event[]> {
  const { errors, value: v } = checkEvent(input, now);
  if (!errors.some((e) => e.field === 'regionCode')) {
    const region = await db.selectFrom('regions').select('code').where('code', '=', v.regionCode).executeTakeFirst();
    if (!region) errors.push({ field: 'regionCode', key: 'err.region' });
  }
  if (errors.length) throw new ValidationError(errors);
  const shift = (d: Date | null, ms: number) => (d ? new Date(d.getTime() + ms) : null);
  return db.transaction().execute(async (trx) => {
    const created: Event[] = [];
    for (const ms of occurrenceOffsets(v.startsAt, v.repeat)) {
      const row = await trx
        .insertInto('events')
        .values({
          title: v.title,
          description: v.description,
          kind: v.kind,
          six_intos_target: v.sixIntosTarget,
          starts_at: shift(v.startsAt, ms)!,
          ends_at: shift(v.endsAt, ms)!,
          region_code: v.regionCode,
          location: v.location,
          capacity: v.capacity,
          skills_wanted: v.skillsWanted,
          signup_opens_at: shift(v.signupOpensAt, ms),
          signup_closes_at: shift(v.signupClosesAt, ms),
          series_id: created[0]?.id ?? null,
          checkin_code: newCode(),
          created_by: actor.id,
          // the default sign-up window opens at creation: the same clock as the checks above
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      created.push(row);
    }
    if (v.repeat) created[0] = await trx.updateTable('events').set({ series_id: created[0].id }).where('id', '=', created[0].id).returningAll().executeTakeFirstOrThrow();
    for (const e of created) await audit(trx, actor, { action: 'event.created', entity: 'event', entityId: e.id, after: snapshot(e) });
    return created;
  });
}

export async function getEvent(db: Db, id: number): Promise<Event | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('events').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The event locked for the rest of the transaction: every seat decision on it queues here. */
export async function lockEvent(trx: Transaction<DB>, id: number): Promise<Event> {
  const row = isRowId(id) ? await trx.selectFrom('events').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError('Event not found');
  return row;
}

export interface EventFilter {
  regionCode?: string;
  kind?: EventKind;
  /** first day (Asia/Shanghai) the events start on; default today */
  from?: string;
  /** last day (inclusive) */
  to?: string;
  seriesId?: number;
  includeCancelled?: boolean;
  /** keyset cursor from nextCursor */
  cursor?: string;
  limit?: number;
}

export type ListedEvent = Event & { taken: number; waitlisted: number };

export function eventCursor(e: { starts_at: Date; id: number }): string {
  return Buffer.from(`${e.starts_at.getTime()}.${e.id}`).toString('base64url');
}

function readCursor(cursor: string | undefined): { at: Date; id: number } | null {
  const m = /^(\d{1,15})\.(\d{1,10})$/.exec(Buffer.from(cursor ?? '', 'base64url').toString());
  return m ? { at: new Date(Number(m[1])), id: Number(m[2]) } : null;
}

function withCounts(db: Db) {
  return db
    .selectFrom('events as e')
    .selectAll('e')
    .select([
      sql<number>`(select count(*)::int from event_signups s where s.event_id = e.id and s.status in ('confirmed','attended','no_show'))`.as('taken'),
      sql<number>`(select count(*)::int from event_signups s where s.event_id = e.id and s.status = 'waitlisted')`.as('waitlisted'),
    ]);
}

/** One event with its seats taken and waitlist length. */
export async function getListedEvent(db: Db, id: number): Promise<ListedEvent | undefined> {
  if (!isRowId(id)) return undefined;
  return withCounts(db).where('e.id', '=', id).executeTakeFirst();
}

/** Events by start time, with their seats taken and waitlist length; a page and the cursor of the next. */
export async function listEvents(db: Db, filter: EventFilter, now = new Date()): Promise<{ items: ListedEvent[]; nextCursor: string | null }> {
  const limit = filter.limit ?? 50;
  let q = withCounts(db).where('e.starts_at', '>=', startOfDay(filter.from ?? dayOf(now), APP_TZ));
  if (filter.to) q = q.where('e.starts_at', '<', startOfDay(addDays(filter.to, 1), APP_TZ));
  if (filter.regionCode) q = q.where('e.region_code', '=', filter.regionCode);
  if (filter.kind) q = q.where('e.kind', '=', filter.kind);
  if (filter.seriesId) q = q.where('e.series_id', '=', filter.seriesId);
  if (!filter.includeCancelled) q = q.where('e.status', '=', 'scheduled');
  const after = readCursor(filter.cursor);
  if (after) q = q.where(sql<boolean>`(e.starts_at, e.id) > (${after.at}, ${after.id})`);
  const rows = await q.orderBy('e.starts_at').orderBy('e.id').limit(limit + 1).execute();
  const items = rows.slice(0, limit);
  return { items, nextCursor: rows.length > limit ? eventCursor(items[items.length - 1]) : null };
}

/** Cancels a scheduled event that has not ended, with a reason; notifies everyone confirmed or waitlisted. */
export async function cancelEvent(db: Kysely<DB>, actor: Actor, id: number, reason: string, now = new Date()): Promise<{ event: Event; notified: number }> {
  const why = reasonText(reason, 1000);
  return transactionWithRetry(db, async (trx) => {
    const before = await lockEvent(trx, id);
    if (before.status === 'cancelled') throw new RuleError(409, 'event_cancelled', 'events.err.cancelled');
    if (now.getTime() >= before.ends_at.getTime()) throw new RuleError(409, 'event_ended', 'events.err.ended');
    const event = await trx
      .updateTable('events')
      .set({ status: 'cancelled', cancel_reason: why, cancelled_at: now, updated_at: now })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const live = await trx.selectFrom('event_signups').select(['volunteer_id', 'lawyer_id']).where('event_id', '=', id).where('status', 'in', ['confirmed', 'waitlisted']).execute();
    await notifyMany(trx, live.map(personOfRow), 'event.cancelled', { eventId: id, title: event.title, startsAt: event.starts_at.toISOString(), reason: why });
    await audit(trx, actor, { action: 'event.cancelled', entity: 'event', entityId: id, before: { status: before.status }, after: { status: event.status, cancel_reason: why, notified: live.length } });
    return { event, notified: live.length };
  });
}
