// A manager's review of logged hours: the queue with its filters, and the
// decision. A decision is final and is taken by a conditional UPDATE on
// status = 'pending', so two managers deciding the same entry cannot both win.
// The monthly lock does not stop a decision: the lock freezes what people
// report, and an entry reported in time must still reach approval and the quotas.
import { sql, type Kysely, type Transaction } from 'kysely';
import { HOUR_KINDS, type DB, type HourKind } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { RuleError, ValidationError } from '../../lib/errors.js';
import { PAGE_SIZE, toPage } from '../../lib/paging.js';
import { audit, type Actor } from '../../plugins/audit.js';
import type { HourEntry } from './hours.service.js';

type Db = Kysely<DB> | Transaction<DB>;
const STATUSES = ['pending', 'approved', 'rejected'] as const;
type Status = (typeof STATUSES)[number];

export interface ReviewFilter {
  status: Status;
  lawyerId?: number;
  /** 'YYYY-MM' */
  month: string;
  kind: HourKind | '';
  page: number;
}

export function reviewFilter(q: { status?: string; lawyer?: string; month?: string; kind?: string; page?: string }, page: number): ReviewFilter {
  const lawyerId = Number(q.lawyer);
  return {
    status: (STATUSES as readonly string[]).includes(q.status ?? '') ? (q.status as Status) : 'pending',
    lawyerId: isRowId(lawyerId) ? lawyerId : undefined,
    month: /^\d{4}-(0[1-9]|1[0-2])$/.test(q.month ?? '') ? q.month! : '',
    kind: (HOUR_KINDS as readonly string[]).includes(q.kind ?? '') ? (q.kind as HourKind) : '',
    page,
  };
}

function monthEnd(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
}

/** Entries for review, oldest work date first (the longest-waiting first), with who and which case. */
export async function listForReview(db: Db, f: ReviewFilter) {
  let q = db
    .selectFrom('hour_entries as h')
    .leftJoin('lawyers as l', 'l.id', 'h.lawyer_id')
    .leftJoin('volunteers as v', 'v.id', 'h.volunteer_id')
    .leftJoin('cases as c', 'c.id', 'h.case_id')
    .selectAll('h')
    .select(['c.number as case_number', sql<string>`coalesce(l.name, v.name)`.as('person_name'), sql<number>`count(*) over ()::int`.as('total_count')])
    .where('h.status', '=', f.status);
  if (f.lawyerId) q = q.where('h.lawyer_id', '=', f.lawyerId);
  if (f.month) q = q.where('h.work_date', '>=', `${f.month}-01`).where('h.work_date', '<=', monthEnd(f.month));
  if (f.kind) q = q.where('h.kind', '=', f.kind);
  const rows = await q
    .orderBy('h.work_date', f.status === 'pending' ? 'asc' : 'desc')
    .orderBy('h.id')
    .limit(PAGE_SIZE)
    .offset((f.page - 1) * PAGE_SIZE)
    .execute();
  return toPage(rows, f.page);
}

/** Lawyers with any hours, for the review filter. */
export async function lawyersWithHours(db: Db) {
  return db
    .selectFrom('lawyers as l')
    .select(['l.id', 'l.name'])
    .where((eb) => eb.exists(eb.selectFrom('hour_entries as h').select('h.id').whereRef('h.lawyer_id', '=', 'l.id')))
    .orderBy('l.name')
    .execute();
}

export interface Decision {
  approve: boolean;
  reason: string | null;
}

/** Approves or rejects one pending entry; a rejection needs a reason. */
export async function decideEntry(db: Kysely<DB>, actor: Actor, id: number, input: Decision): Promise<HourEntry> {
  const reason = input.reason?.trim() || null;
  if (!input.approve && !reason) throw new ValidationError([{ field: 'reason', key: 'hours.err.reasonRequired' }]);
  if (reason && reason.length > 1000) throw new ValidationError([{ field: 'reason', key: 'err.tooLong', params: { max: 1000 } }]);
  return db.transaction().execute(async (trx) => {
    const before = isRowId(id) ? await trx.selectFrom('hour_entries').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
    if (!before) throw new RuleError(409, 'not_found', 'hours.err.gone');
    const after = await decideLocked(trx, actor, before, input.approve, reason);
    if (!after) throw new RuleError(409, 'entry_decided', 'hours.err.decided');
    return after;
  });
}

async function decideLocked(trx: Transaction<DB>, actor: Actor, before: HourEntry, approve: boolean, reason: string | null): Promise<HourEntry | undefined> {
  const after = await trx
    .updateTable('hour_entries')
    .set({ status: approve ? 'approved' : 'rejected', decision_reason: reason, decided_by: actor.id, decided_at: new Date(), updated_at: new Date() })
    .where('id', '=', before.id)
    .where('status', '=', 'pending')
    .returningAll()
    .executeTakeFirst();
  if (!after) return undefined;
  const keys = ['status', 'decision_reason', 'decided_by', 'decided_at'] as const;
  await audit(trx, actor, {
    action: approve ? 'hours.approved' : 'hours.rejected',
    entity: 'hour_entry',
    entityId: before.id,
    before: Object.fromEntries(keys.map((k) => [k, before[k]])),
    after: Object.fromEntries(keys.map((k) => [k, after[k]])),
  });
  return after;
}

/** Approves the selected entries still pending in one transaction; returns how many it approved. */
export async function approveMany(db: Kysely<DB>, actor: Actor, ids: number[]): Promise<number> {
  const wanted = [...new Set(ids.filter(isRowId))].slice(0, 500);
  if (!wanted.length) return 0;
  return db.transaction().execute(async (trx) => {
    const rows = await trx.selectFrom('hour_entries').selectAll().where('id', 'in', wanted).where('status', '=', 'pending').orderBy('id').forUpdate().execute();
    let n = 0;
    for (const row of rows) if (await decideLocked(trx, actor, row, true, null)) n++;
    return n;
  });
}
