// Filling unfilled duty seats by the duty rotation. One transaction: the duty
// state row first (two managers filling at once queue here, so standings and
// seats are decided one fill at a time), then the chosen shifts in id order,
// then each picked lawyer. The order is the case rotation's (compareRanked) over
// the duty standings, which are kept apart from case turns. A lawyer passed over
// (inactive, on leave that day, already on the shift, on an overlapping shift)
// keeps their standing, so they stay next. Volunteers are never auto-filled.
// Each shift's pool (up to every lawyer of three regions) is read once, and the
// picks for all its empty seats are made from it in memory; only the picked
// lawyer is read again, once locked (fillSeats).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { startOfDay } from '../../lib/format.js';
import { addDays } from '../../lib/workdays.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { APP_TZ } from '../cases/cases.service.js';
import { dayOf } from '../events/events.rules.js';
import { notify } from '../events/notifications.js';
import { lockPerson } from '../events/person.js';
import { ensureStandings, type LawyerFacts, type Standing } from '../rotation/rotation.js';
import { rotationPolicyAt, servingRegions } from '../rotation/rotation.facts.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { clashOf, lawyerOnShiftDays, seatsTaken } from './duty.assign.js';
import { pickDuty, tookTurn, type DutyCandidate, type DutyPassReason } from './duty.rules.js';
import type { Shift } from './duty.service.js';

const SCOPE = 'city';

/** Locks the duty rotation for the rest of the transaction; returns its seq. */
async function lockDuty(trx: Transaction<DB>): Promise<number> {
  await trx.insertInto('duty_state').values({ scope: SCOPE }).onConflict((oc) => oc.doNothing()).execute();
  const row = await trx.selectFrom('duty_state').select('seq').where('scope', '=', SCOPE).forUpdate().executeTakeFirstOrThrow();
  return Number(row.seq);
}

async function takeDutySeq(trx: Transaction<DB>): Promise<number> {
  const row = await trx.updateTable('duty_state').set({ seq: sql`seq + 1` }).where('scope', '=', SCOPE).returning('seq').executeTakeFirstOrThrow();
  return Number(row.seq);
}

interface PoolRow {
  id: number;
  name: string;
  status: LawyerFacts['status'];
  weight: number;
  on_leave: boolean;
  on_shift: boolean;
  overlap: boolean;
  turns: number | null;
  last_seq: number | null;
  joined_seq: number | null;
}

/** The lawyers who serve the shift's region (rotation policy), each with that day's leave, clashes and duty standing. */
async function poolOf(trx: Transaction<DB>, shift: Shift): Promise<PoolRow[]> {
  const policy = await rotationPolicyAt(trx, dayOf(shift.starts_at));
  const regions = servingRegions(policy, shift.region_code);
  let q = trx
    .selectFrom('lawyers as l')
    .leftJoin('duty_standings as d', 'd.lawyer_id', 'l.id')
    .select(['l.id', 'l.name', 'l.status', 'l.weight', 'd.turns', 'd.last_seq', 'd.joined_seq'])
    .select((eb) => [
      eb
        .exists(eb.selectFrom('lawyer_leaves as v').select('v.id').whereRef('v.lawyer_id', '=', 'l.id').where('v.starts_on', '<=', dayOf(shift.ends_at)).where('v.ends_on', '>=', dayOf(shift.starts_at)))
        .as('on_leave'),
      eb
        .exists(eb.selectFrom('duty_assignments as a').select('a.id').whereRef('a.lawyer_id', '=', 'l.id').where('a.shift_id', '=', shift.id).where('a.status', '<>', 'released'))
        .as('on_shift'),
      eb
        .exists(
          eb
            .selectFrom('duty_assignments as a')
            .innerJoin('duty_shifts as s', 's.id', 'a.shift_id')
            .select('a.id')
            .whereRef('a.lawyer_id', '=', 'l.id')
            .where('a.status', 'in', ['assigned', 'attended'])
            .where('s.status', '=', 'scheduled')
            .where('s.id', '<>', shift.id)
            .where('s.starts_at', '<', shift.ends_at)
            .where('s.ends_at', '>', shift.starts_at),
        )
        .as('overlap'),
    ])
    .where('l.status', '<>', 'inactive');
  if (regions) q = q.where('l.region_code', 'in', regions);
  const rows = await q.orderBy('l.id').execute();
  return rows.map((r) => ({ ...r, weight: Number(r.weight), on_leave: Boolean(r.on_leave), on_shift: Boolean(r.on_shift), overlap: Boolean(r.overlap) }));
}

function reasonOf(r: PoolRow): DutyPassReason | null {
  if (r.status === 'inactive') return 'inactive';
  if (r.status === 'on_leave' || r.on_leave) return 'on_leave';
  if (r.on_shift) return 'already_on_shift';
  if (r.overlap) return 'overlap';
  return null;
}

/**
 * The picked lawyer read again once locked: what may have changed since the pool
 * was read (a leave or status set, a sign-up to an overlapping shift committed
 * while we looked; the lock makes it visible now). Updates the pool row.
 */
async function recheck(trx: Transaction<DB>, r: PoolRow, shift: Shift): Promise<boolean> {
  const fresh = (await lawyerOnShiftDays(trx, r.id, shift))!;
  r.status = fresh.status;
  r.on_leave = fresh.on_leave;
  if (!r.on_leave && r.status !== 'inactive' && r.status !== 'on_leave' && (await clashOf(trx, { lawyerId: r.id }, shift))) r.overlap = true;
  return reasonOf(r) === null;
}

/** Joins the lawyers without a duty standing, level with the lowest of their peers (rotation.ts ensureStandings). */
async function standingsOf(trx: Transaction<DB>, pool: PoolRow[], seq: number): Promise<Map<number, Standing>> {
  const stored = new Map<number, Standing>();
  for (const r of pool) if (r.turns !== null) stored.set(r.id, { turns: r.turns, lastSeq: r.last_seq === null ? null : Number(r.last_seq), joinedSeq: Number(r.joined_seq ?? 0) });
  // every lawyer is a peer of every other for duty: one shared "practice area"
  const facts: LawyerFacts[] = pool.map((r) => ({ id: r.id, status: r.status, onLeave: r.on_leave, practiceAreas: ['duty'], level: 1, regions: [], conflicts: [], openCases: 0, maxOpenCases: 1, trainings: [], weight: r.weight }));
  const all = ensureStandings(stored, facts, seq);
  const added = [...all].filter(([id]) => !stored.has(id));
  if (added.length) {
    await trx
      .insertInto('duty_standings')
      .values(added.map(([id, s]) => ({ lawyer_id: id, turns: s.turns, last_seq: s.lastSeq, joined_seq: s.joinedSeq })))
      .onConflict((oc) => oc.column('lawyer_id').doNothing())
      .execute();
  }
  return new Map(all);
}

export interface FillResult {
  shiftId: number;
  picked: { lawyerId: number; name: string; seq: number }[];
  /** seats still empty (nobody eligible) */
  left: number;
  skipped: { lawyerId: number; reason: DutyPassReason }[];
}

/**
 * The shift's empty seats, up to `free`, from its pool read once: each seat goes
 * to the next eligible lawyer in rotation order, locked and checked again, who
 * then takes the turn (their standing moves in memory too, so the next seat goes
 * to the next lawyer) and is on the shift for the seats after.
 */
async function fillSeats(trx: Transaction<DB>, actor: Actor, shift: Shift, station: string, now: Date, free: number): Promise<FillResult> {
  const result: FillResult = { shiftId: shift.id, picked: [], left: free, skipped: [] };
  if (free <= 0) return result;
  const pool = await poolOf(trx, shift);
  const standings = await standingsOf(trx, pool, await lockDuty(trx));
  const byId = new Map(pool.map((r) => [r.id, r]));
  while (result.left > 0) {
    const candidates: DutyCandidate[] = pool.map((r) => ({ lawyerId: r.id, standing: standings.get(r.id)!, weight: r.weight, reason: reasonOf(r) }));
    const pick = pickDuty(candidates);
    if (pick.chosen === null) break;
    const chosen = byId.get(pick.chosen)!;
    const person = { lawyerId: chosen.id };
    await lockPerson(trx, person);
    if (!(await recheck(trx, chosen, shift))) continue;
    const seq = await takeDutySeq(trx);
    const before = standings.get(chosen.id)!;
    const after = tookTurn(before, seq);
    await trx.updateTable('duty_standings').set({ turns: after.turns, last_seq: after.lastSeq, updated_at: now }).where('lawyer_id', '=', chosen.id).execute();
    const row = await trx
      .insertInto('duty_assignments')
      .values({ shift_id: shift.id, lawyer_id: chosen.id, volunteer_id: null, source: 'rotation', status: 'assigned', seq, assigned_by: actor.id, created_at: now, updated_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    standings.set(chosen.id, after);
    chosen.on_shift = true;
    await audit(trx, actor, { action: 'duty.filled', entity: 'duty_assignment', entityId: row.id, before: { standing: before }, after: { ...row, standing: after, skipped: pick.skipped } });
    await notify(trx, person, 'duty.assigned', { shiftId: shift.id, title: station, startsAt: shift.starts_at.toISOString() });
    result.picked.push({ lawyerId: chosen.id, name: chosen.name, seq });
    for (const s of pick.skipped) if (!result.skipped.some((x) => x.lawyerId === s.lawyerId)) result.skipped.push(s);
    result.left--;
  }
  return result;
}

/**
 * Fills every empty seat of the given shifts (scheduled, not started, open to
 * lawyers) by the duty rotation. Shifts it cannot touch are left as they are.
 */
export async function fillShifts(db: Kysely<DB>, actor: Actor, shiftIds: readonly number[], now = new Date()): Promise<FillResult[]> {
  const ids = [...new Set(shiftIds)].filter((id) => Number.isInteger(id) && id > 0).sort((a, b) => a - b);
  if (ids.length === 0) return [];
  return transactionWithRetry(db, async (trx) => {
    await lockDuty(trx);
    const shifts = await trx.selectFrom('duty_shifts').selectAll().where('id', 'in', ids).orderBy('id').forUpdate().execute();
    const names = new Map((await trx.selectFrom('organizations').select(['id', 'name']).where('id', 'in', [...new Set(shifts.map((s) => s.organization_id))]).execute()).map((o) => [o.id, o.name]));
    const results: FillResult[] = [];
    // earliest first, so an earlier shift is never left empty for a later one
    for (const shift of [...shifts].sort((a, b) => a.starts_at.getTime() - b.starts_at.getTime() || a.id - b.id)) {
      if (shift.status !== 'scheduled' || shift.who === 'volunteer' || now.getTime() >= shift.starts_at.getTime()) continue;
      const free = shift.seats - (await seatsTaken(trx, shift.id));
      results.push(await fillSeats(trx, actor, shift, names.get(shift.organization_id) ?? '', now, free));
    }
    return results;
  });
}

/** The ids of the unfilled shifts open to lawyers in a day range (optionally one workstation or region) that fill would touch. */
export async function unfilledIn(db: Kysely<DB>, f: { from: string; to: string; organizationId?: number; regionCode?: string }, now = new Date()): Promise<number[]> {
  let q = db
    .selectFrom('duty_shifts as s')
    .select('s.id')
    .where('s.status', '=', 'scheduled')
    .where('s.who', '<>', 'volunteer')
    .where('s.starts_at', '>', now)
    .where('s.starts_at', '>=', startOfDay(f.from, APP_TZ))
    .where('s.starts_at', '<', startOfDay(addDays(f.to, 1), APP_TZ))
    .where(sql<boolean>`(select count(*) from duty_assignments a where a.shift_id = s.id and a.status in ('assigned','attended','no_show')) < s.seats`);
  if (f.organizationId) q = q.where('s.organization_id', '=', f.organizationId);
  if (f.regionCode) q = q.where('s.region_code', '=', f.regionCode);
  const rows = await q.orderBy('s.id').limit(500).execute();
  return rows.map((r) => r.id);
}
