// A person's service record: the events they signed up for, newest first, and
// their attended events and credited hours (for the certificate of service).
// Credited hours count while their hour entry stands approved.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { tenthsOf } from '../hours/hours.rules.js';
import { isPerson, type Person } from './person.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function historyOf(db: Db, person: Person, options: { limit?: number; offset?: number } = {}) {
  const rows = await db
    .selectFrom('event_signups as s')
    .innerJoin('events as e', 'e.id', 's.event_id')
    .leftJoin('hour_entries as h', (j) => j.onRef('h.id', '=', 's.hour_entry_id').on('h.status', '=', 'approved'))
    .select([
      's.id',
      's.event_id',
      's.status',
      's.signed_up_at',
      's.cancelled_at',
      's.promoted_at',
      's.checked_in_at',
      'e.title',
      'e.kind',
      'e.starts_at',
      'e.ends_at',
      'e.location',
      'e.region_code',
      'e.status as event_status',
      sql<string | null>`h.hours::text`.as('hours'),
      sql<number>`count(*) over ()::int`.as('total_count'),
    ])
    .where(isPerson('s', person))
    .orderBy('e.starts_at', 'desc')
    .orderBy('s.id', 'desc')
    .limit(options.limit ?? 50)
    .offset(options.offset ?? 0)
    .execute();
  return rows.map((r) => ({ ...r, hoursTenths: r.hours === null ? 0 : tenthsOf(r.hours) }));
}

export interface ServiceTotals {
  /** events attended */
  events: number;
  /** approved credited hours, in tenths */
  tenths: number;
  firstAt: Date | null;
  lastAt: Date | null;
}

/** Attended events and their credited hours, optionally within [from, to) instants. */
export async function serviceTotals(db: Db, person: Person, range: { from?: Date; to?: Date } = {}): Promise<ServiceTotals> {
  let q = db
    .selectFrom('event_signups as s')
    .innerJoin('events as e', 'e.id', 's.event_id')
    .leftJoin('hour_entries as h', (j) => j.onRef('h.id', '=', 's.hour_entry_id').on('h.status', '=', 'approved'))
    .select([
      sql<number>`count(*)::int`.as('events'),
      sql<string>`coalesce(sum(h.hours), 0)::text`.as('hours'),
      sql<Date | null>`min(e.starts_at)`.as('first_at'),
      sql<Date | null>`max(e.starts_at)`.as('last_at'),
    ])
    .where(isPerson('s', person))
    .where('s.status', '=', 'attended');
  if (range.from) q = q.where('e.starts_at', '>=', range.from);
  if (range.to) q = q.where('e.starts_at', '<', range.to);
  const row = await q.executeTakeFirstOrThrow();
  return { events: row.events, tenths: tenthsOf(row.hours), firstAt: row.first_at ? new Date(row.first_at) : null, lastAt: row.last_at ? new Date(row.last_at) : null };
}
