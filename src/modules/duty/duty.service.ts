// Duty shifts: define them (one, or weekly for N weeks) at a workstation, read
// one with its people, list a date range with the unfilled shifts first, and a
// person's own duty.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, DutyAssignmentsTable, DutyShiftsTable } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { startOfDay } from '../../lib/format.js';
import { addDays } from '../../lib/workdays.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { APP_TZ } from '../cases/cases.service.js';
import { dayOf } from '../events/events.rules.js';
import { isPerson, type Person } from '../events/person.js';
import { checkShift, DUTY_PLACE_KINDS, weekly, type ShiftInput } from './duty.rules.js';

type Db = Kysely<DB> | Transaction<DB>;
export type Shift = Selectable<DutyShiftsTable>;
export type Assignment = Selectable<DutyAssignmentsTable>;
/** Assignments that hold a seat. */
export const SEATED = ['assigned', 'attended', 'no_show'] as const;

/** The workstations (and liaison points) duty shifts can be held at, by name. */
export async function dutyStations(db: Db) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name', 'region_code', 'kind'])
    .where('kind', 'in', [...DUTY_PLACE_KINDS])
    .where('active', '=', true)
    .orderBy('region_code')
    .orderBy('name')
    .orderBy('id')
    .execute();
}

/**
 * Creates the shift, or `weeks` of them a week apart (sharing series_id = the
 * first one's id). The region is the workstation's. Bad input throws a
 * ValidationError and writes nothing.
 */
export async function createShifts(db: Kysely<DB>, actor: Actor, input: ShiftInput, now = new Date()): Promise<Shift[]> {
  const { errors, value: v } = checkShift(input, now);
  let regionCode = '';
  if (!errors.some((e) => e.field === 'organizationId')) {
    const org = await db.selectFrom('organizations').select(['region_code']).where('id', '=', v.organizationId).where('kind', 'in', [...DUTY_PLACE_KINDS]).where('active', '=', true).executeTakeFirst();
    if (!org) errors.push({ field: 'organizationId', key: 'duty.err.station' });
    else regionCode = org.region_code;
  }
  if (errors.length) throw new ValidationError(errors);
  return db.transaction().execute(async (trx) => {
    const created: Shift[] = [];
    for (let i = 0; i < v.weeks; i++) {
      const row = await trx
        .insertInto('duty_shifts')
        .values({
          organization_id: v.organizationId,
          region_code: regionCode,
          starts_at: weekly(v.startsAt, i),
          ends_at: weekly(v.endsAt, i),
          seats: v.seats,
          who: v.who,
          note: v.note,
          series_id: created[0]?.id ?? null,
          created_by: actor.id,
          created_at: now,
          updated_at: now,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      created.push(row);
    }
    if (v.weeks > 1) created[0] = await trx.updateTable('duty_shifts').set({ series_id: created[0].id }).where('id', '=', created[0].id).returningAll().executeTakeFirstOrThrow();
    for (const s of created) await audit(trx, actor, { action: 'duty.shift_created', entity: 'duty_shift', entityId: s.id, after: s });
    return created;
  });
}

/** The shift locked for the rest of the transaction: every seat decision on it queues here. */
export async function lockShift(trx: Transaction<DB>, id: number): Promise<Shift> {
  const row = isRowId(id) ? await trx.selectFrom('duty_shifts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
  if (!row) throw new NotFoundError('Shift not found');
  return row;
}

export type ListedShift = Shift & { station: string; filled: number };

function listed(db: Db) {
  return db
    .selectFrom('duty_shifts as s')
    .innerJoin('organizations as o', 'o.id', 's.organization_id')
    .selectAll('s')
    .select([
      'o.name as station',
      sql<number>`(select count(*)::int from duty_assignments a where a.shift_id = s.id and a.status in ('assigned','attended','no_show'))`.as('filled'),
    ]);
}

export async function getShift(db: Db, id: number): Promise<ListedShift | undefined> {
  if (!isRowId(id)) return undefined;
  return listed(db).where('s.id', '=', id).executeTakeFirst();
}

export interface ShiftFilter {
  /** first day (Asia/Shanghai) shifts start on */
  from: string;
  /** last day, inclusive */
  to: string;
  organizationId?: number;
  regionCode?: string;
  unfilledOnly?: boolean;
  limit?: number;
}

/** Scheduled shifts starting in the range: the unfilled ones first, then by start time. */
export async function listShifts(db: Db, f: ShiftFilter): Promise<ListedShift[]> {
  const unfilled = sql<boolean>`(select count(*) from duty_assignments a where a.shift_id = s.id and a.status in ('assigned','attended','no_show')) < s.seats`;
  let q = listed(db)
    .where('s.status', '=', 'scheduled')
    .where('s.starts_at', '>=', startOfDay(f.from, APP_TZ))
    .where('s.starts_at', '<', startOfDay(addDays(f.to, 1), APP_TZ));
  if (f.organizationId) q = q.where('s.organization_id', '=', f.organizationId);
  if (f.regionCode) q = q.where('s.region_code', '=', f.regionCode);
  if (f.unfilledOnly) q = q.where(unfilled);
  return q
    .orderBy(sql`${unfilled} desc`)
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .limit(f.limit ?? 200)
    .execute();
}

export interface Assignee {
  id: number;
  lawyerId: number | null;
  volunteerId: number | null;
  name: string;
  source: Assignment['source'];
  status: Assignment['status'];
  pendingSwap: number | null;
}

/** Who holds the shift's seats (released ones left out), in the order they came. */
export async function assigneesOf(db: Db, shiftId: number): Promise<Assignee[]> {
  const rows = await db
    .selectFrom('duty_assignments as a')
    .leftJoin('lawyers as l', 'l.id', 'a.lawyer_id')
    .leftJoin('volunteers as v', 'v.id', 'a.volunteer_id')
    .select([
      'a.id',
      'a.lawyer_id',
      'a.volunteer_id',
      'a.source',
      'a.status',
      sql<string>`coalesce(l.name, v.name)`.as('name'),
      sql<number | null>`(select w.id from duty_swaps w where w.assignment_id = a.id and w.status = 'pending')`.as('pending_swap'),
    ])
    .where('a.shift_id', '=', shiftId)
    .where('a.status', '<>', 'released')
    .orderBy('a.id')
    .execute();
  return rows.map((r) => ({ id: r.id, lawyerId: r.lawyer_id, volunteerId: r.volunteer_id, name: r.name, source: r.source, status: r.status, pendingSwap: r.pending_swap }));
}

/** The person's seats (not released) with their shifts. */
const seatsOf = (db: Db, p: Person) =>
  db
    .selectFrom('duty_assignments as a')
    .innerJoin('duty_shifts as s', 's.id', 'a.shift_id')
    .innerJoin('organizations as o', 'o.id', 's.organization_id')
    .select(['a.id', 'a.status', 'a.source', 's.id as shift_id', 's.starts_at', 's.ends_at', 's.region_code', 's.status as shift_status', 'o.name as station'])
    .where(isPerson('a', p))
    .where('a.status', '<>', 'released');

/** The person's duty (not released) from `from` on, soonest first. */
export async function dutyOf(db: Db, p: Person, from: Date) {
  return seatsOf(db, p)
    .where('s.ends_at', '>', from)
    .orderBy('s.starts_at')
    .orderBy('a.id')
    .limit(200)
    .execute();
}

/** How far back "my duty" shows the shifts that have ended, with how each went. */
export const RECENT_DAYS = 30;

/** The person's duty (not released) that ended in the last RECENT_DAYS before `now`, latest first: attended, no-show, or not marked yet. */
export async function recentDutyOf(db: Db, p: Person, now: Date) {
  return seatsOf(db, p)
    .where('s.ends_at', '<=', now)
    .where('s.ends_at', '>', new Date(now.getTime() - RECENT_DAYS * 86_400_000))
    .orderBy('s.starts_at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(200)
    .execute();
}

/** "My duty": what is coming up, and what ended lately with how it went. */
export async function myDuty(db: Db, p: Person, now: Date) {
  const [items, recent] = await Promise.all([dutyOf(db, p, now), recentDutyOf(db, p, now)]);
  return { items, recent };
}

/** A day range for a list: from `from` (default today) for 14 days unless `to` is given. */
export function defaultRange(on: string): { from: string; to: string } {
  return { from: on, to: addDays(on, 13) };
}

export { dayOf };
