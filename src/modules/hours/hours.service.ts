// Logged hours: a lawyer's (or volunteer's) own entries, the monthly lock, the
// entry a case closure creates, and the approved totals the quotas count.
// Hours are numeric(…,1) strings from both drivers: summed in SQL as numeric,
// converted through whole tenths, never added as floats.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, HourEntriesTable, HourKind } from '../../db/types.js';
import type { Selectable } from 'kysely';
import { isRowId } from '../../lib/access.js';
import { RuleError, ValidationError } from '../../lib/errors.js';
import { PAGE_SIZE, toPage } from '../../lib/paging.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { today } from '../cases/cases.service.js';
import { policyAt } from '../policies/policies.service.js';
import { checkHours, DEFAULT_LOCK, hoursNumber, isLocked, lockDateOf, MAX_ENTRY_TENTHS, tenthsOf, tenthsToText, type HourInput, type HoursLockPolicy } from './hours.rules.js';

type Db = Kysely<DB> | Transaction<DB>;
export type HourEntry = Selectable<HourEntriesTable>;

/** Whose hours: exactly one of the two (the table's check says the same). */
export type Owner = { lawyerId: number; volunteerId?: null } | { lawyerId?: null; volunteerId: number };

/** The case statuses a lawyer may log hours on: theirs from assignment to review. */
export const LOGGABLE_CASE_STATUSES = ['assigned', 'accepted', 'closed', 'reviewed'] as const;

/**
 * Approved hours per lawyer with work dates from `from` to `to` (both inclusive),
 * as numbers with one decimal. Lawyers with none are absent from the map.
 */
export async function approvedHours(db: Db, options: { lawyerIds?: number[]; from: string; to: string }): Promise<Map<number, number>> {
  if (options.lawyerIds && options.lawyerIds.length === 0) return new Map();
  let q = db
    .selectFrom('hour_entries')
    .select(['lawyer_id', sql<string>`sum(hours)::text`.as('total')])
    .where('status', '=', 'approved')
    .where('lawyer_id', 'is not', null)
    .where('work_date', '>=', options.from)
    .where('work_date', '<=', options.to)
    .groupBy('lawyer_id');
  if (options.lawyerIds) q = q.where('lawyer_id', 'in', options.lawyerIds);
  const rows = await q.execute();
  return new Map(rows.map((r) => [r.lawyer_id!, hoursNumber(tenthsOf(r.total))]));
}

/** The lock policy in force on the work date (the month's rules are the ones it was worked under). */
export async function lockDayAt(db: Db, workDate: string): Promise<number> {
  const found = await policyAt<Partial<HoursLockPolicy>>(db, 'hours_lock', workDate);
  return found?.value.lockDay ?? DEFAULT_LOCK.lockDay;
}

export async function ensureUnlocked(db: Db, workDate: string, on: string): Promise<void> {
  const lockDay = await lockDayAt(db, workDate);
  if (isLocked(workDate, lockDay, on)) {
    throw new RuleError(409, 'month_locked', 'hours.err.locked', { month: workDate.slice(0, 7), date: lockDateOf(workDate, lockDay) });
  }
}

/** The lawyer's own cases they may log hours on, for the form's select. */
export async function caseChoices(db: Db, lawyerId: number) {
  return db
    .selectFrom('cases')
    .select(['id', 'number', 'applicant_name'])
    .where('lawyer_id', '=', lawyerId)
    .where('status', 'in', LOGGABLE_CASE_STATUSES)
    .orderBy('id', 'desc')
    .limit(500)
    .execute();
}

async function ownsCase(db: Db, owner: Owner, caseId: number): Promise<boolean> {
  if (!owner.lawyerId || !isRowId(caseId)) return false;
  const row = await db.selectFrom('cases').select('id').where('id', '=', caseId).where('lawyer_id', '=', owner.lawyerId).where('status', 'in', LOGGABLE_CASE_STATUSES).executeTakeFirst();
  return !!row;
}

/** Field checks, then the case (a case not theirs reads as an unknown one), then the lock. */
async function checked(db: Db, owner: Owner, input: HourInput, on: string, maxTenths?: number) {
  const { errors, tenths, kind } = checkHours(input, on, maxTenths);
  if (input.caseId !== null && !errors.some((e) => e.field === 'caseId') && !(await ownsCase(db, owner, input.caseId))) {
    errors.push({ field: 'caseId', key: 'hours.err.case' });
  }
  if (errors.length) throw new ValidationError(errors);
  await ensureUnlocked(db, input.date, on);
  return { tenths, kind };
}

export function ownerOf(e: Pick<HourEntry, 'lawyer_id' | 'volunteer_id'>): Owner {
  return e.lawyer_id ? { lawyerId: e.lawyer_id } : { volunteerId: e.volunteer_id! };
}

export async function logHours(db: Kysely<DB>, actor: Actor, owner: Owner, input: HourInput, on = today()): Promise<HourEntry> {
  return db.transaction().execute(async (trx) => {
    const { tenths, kind } = await checked(trx, owner, input, on);
    const row = await trx
      .insertInto('hour_entries')
      .values({
        lawyer_id: owner.lawyerId ?? null,
        volunteer_id: owner.volunteerId ?? null,
        case_id: input.caseId,
        event_id: input.eventId,
        work_date: input.date,
        hours: tenthsToText(tenths),
        kind,
        description: input.description.trim(),
        created_by: actor.id,
        updated_at: new Date(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'hours.logged', entity: 'hour_entry', entityId: row.id, after: row });
    return row;
  });
}

/** The entry locked for a change by its owner: still pending, and its month still open. */
async function lockOwn(trx: Transaction<DB>, owner: Owner, id: number, on: string): Promise<HourEntry> {
  const row = isRowId(id) ? await trx.selectFrom('hour_entries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
  const mine = row && (owner.lawyerId ? row.lawyer_id === owner.lawyerId : row.volunteer_id === owner.volunteerId);
  if (!row || !mine) throw new RuleError(409, 'not_found', 'hours.err.gone');
  if (row.status !== 'pending') throw new RuleError(409, 'entry_decided', 'hours.err.decided');
  await ensureUnlocked(trx, row.work_date, on);
  return row;
}

export async function updateEntry(db: Kysely<DB>, actor: Actor, owner: Owner, id: number, input: HourInput, on = today()): Promise<HourEntry> {
  return db.transaction().execute(async (trx) => {
    const before = await lockOwn(trx, owner, id, on);
    // a case closure's total may be above a day: its lawyer may correct it, up to what was reported, as long as it stays a case entry
    const reported = tenthsOf(before.hours);
    const max = before.kind === 'case' && input.kind === 'case' && reported > MAX_ENTRY_TENTHS ? reported : undefined;
    const { tenths, kind } = await checked(trx, owner, input, on, max);
    const after = await trx
      .updateTable('hour_entries')
      .set({ work_date: input.date, hours: tenthsToText(tenths), kind, case_id: input.caseId, event_id: input.eventId, description: input.description.trim(), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'hours.updated', entity: 'hour_entry', entityId: id, before, after });
    return after;
  });
}

export async function deleteEntry(db: Kysely<DB>, actor: Actor, owner: Owner, id: number, on = today()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await lockOwn(trx, owner, id, on);
    await trx.deleteFrom('hour_entries').where('id', '=', id).execute();
    await audit(trx, actor, { action: 'hours.deleted', entity: 'hour_entry', entityId: id, before });
  });
}

/**
 * Hours credited by a verified attendance (an event's check-in, a duty shift's
 * roster): an approved entry, outside the month lock (the attendance is the
 * verification), audited. The caller links it to the attendance in the same
 * transaction, so it is credited once.
 */
export async function creditAttendance(
  trx: Db,
  actor: Actor,
  who: { lawyer_id: number | null; volunteer_id: number | null },
  input: { eventId: number | null; workDate: string; tenths: number; kind: HourKind; description: string },
  now: Date,
): Promise<HourEntry> {
  const entry = await trx
    .insertInto('hour_entries')
    .values({
      lawyer_id: who.lawyer_id,
      volunteer_id: who.volunteer_id,
      case_id: null,
      event_id: input.eventId,
      work_date: input.workDate,
      hours: tenthsToText(input.tenths),
      kind: input.kind,
      description: input.description.slice(0, 1000),
      status: 'approved',
      decided_by: actor.id,
      decided_at: now,
      created_by: actor.id,
      updated_at: now,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, { action: 'hours.logged', entity: 'hour_entry', entityId: entry.id, after: entry });
  return entry;
}

export async function getEntry(db: Db, id: number): Promise<HourEntry | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('hour_entries').selectAll().where('id', '=', id).executeTakeFirst();
}

/**
 * A case closed with reported hours becomes one pending 'case' entry for the
 * handling lawyer, inside the closing transaction. The closure reports the
 * case's total, which may exceed a day: migration 0008 lets 'case' entries do so.
 */
export async function closureHours(trx: Transaction<DB>, actor: Actor, c: { id: number; lawyer_id: number | null }, on: string, input: { outcome: string; hours: string | null }): Promise<void> {
  const tenths = input.hours ? tenthsOf(input.hours) : 0;
  if (!c.lawyer_id || tenths <= 0) return;
  const row = await trx
    .insertInto('hour_entries')
    .values({ lawyer_id: c.lawyer_id, case_id: c.id, work_date: on, hours: tenthsToText(tenths), kind: 'case', description: `结案：${input.outcome}`.slice(0, 1000), created_by: actor.id, volunteer_id: null, event_id: null, updated_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
  await audit(trx, actor, { action: 'hours.logged', entity: 'hour_entry', entityId: row.id, after: row });
}

function ownerWhere(owner: Owner) {
  return owner.lawyerId ? sql<boolean>`h.lawyer_id = ${owner.lawyerId}` : sql<boolean>`h.volunteer_id = ${owner.volunteerId ?? 0}`;
}

/** The owner's entries, newest work date first, with the case number. */
export async function listOwn(db: Db, owner: Owner, page: number) {
  const rows = await db
    .selectFrom('hour_entries as h')
    .leftJoin('cases as c', 'c.id', 'h.case_id')
    .selectAll('h')
    .select(['c.number as case_number', sql<number>`count(*) over ()::int`.as('total_count')])
    .where(ownerWhere(owner))
    .orderBy('h.work_date', 'desc')
    .orderBy('h.id', 'desc')
    .limit(PAGE_SIZE)
    .offset((page - 1) * PAGE_SIZE)
    .execute();
  return toPage(rows, page);
}

export interface HourTotals {
  yearApproved: number;
  yearPending: number;
  monthApproved: number;
  monthPending: number;
}

/** Approved and pending tenths for the year and the month of `on`, in one query. */
export async function totalsOf(db: Db, owner: Owner, on: string): Promise<HourTotals> {
  const year = `${on.slice(0, 4)}-01-01`;
  const month = `${on.slice(0, 7)}-01`;
  const sum = (status: string, from: string) => sql<string>`coalesce(sum(h.hours) filter (where h.status = ${status} and h.work_date >= ${from}), 0)::text`;
  const row = await db
    .selectFrom('hour_entries as h')
    .select([sum('approved', year).as('ya'), sum('pending', year).as('yp'), sum('approved', month).as('ma'), sum('pending', month).as('mp')])
    .where(ownerWhere(owner))
    .where('h.work_date', '>=', year)
    .where('h.work_date', '<=', `${on.slice(0, 4)}-12-31`)
    .executeTakeFirstOrThrow();
  return { yearApproved: tenthsOf(row.ya), yearPending: tenthsOf(row.yp), monthApproved: tenthsOf(row.ma), monthPending: tenthsOf(row.mp) };
}
