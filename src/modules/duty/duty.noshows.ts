// The hourly no-show job of duty rosters, as events-no-shows is for events: a
// seat still only 'assigned' on a scheduled shift that ended more than the events
// policy's noShowAfterHours ago (the manager had the rest of the day to mark
// attendance) becomes a no-show. A no-show keeps its seat (the shift is not shown
// as unfilled afterwards) and credits no hours; a manager may still mark them
// attended if they did come. Cancelled shifts, attended and released people are
// never touched, and a second run finds nothing left to mark.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { audit, SYSTEM_ACTOR, type Actor } from '../../plugins/audit.js';
import { dayOf } from '../events/events.rules.js';
import { eventsPolicyAt } from '../events/events.service.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { lockShift } from './duty.service.js';

/** One shift's seats still only assigned become no-shows, under the shift lock (attendance is marked under it too). Returns how many. */
async function shiftNoShows(db: Kysely<DB>, actor: Actor, shiftId: number, endedBefore: Date, now: Date): Promise<number> {
  return transactionWithRetry(db, async (trx) => {
    const shift = await lockShift(trx, shiftId);
    if (shift.status !== 'scheduled' || shift.ends_at.getTime() > endedBefore.getTime()) return 0;
    const rows = await trx
      .updateTable('duty_assignments')
      .set({ status: 'no_show', marked_by: actor.id, marked_at: now, updated_at: now })
      .where('shift_id', '=', shiftId)
      .where('status', '=', 'assigned')
      .returning(['id'])
      .execute();
    for (const r of rows) await audit(trx, actor, { action: 'duty.no_show', entity: 'duty_assignment', entityId: r.id, before: { status: 'assigned' }, after: { status: 'no_show' } });
    return rows.length;
  });
}

/** Records the no-shows of every scheduled shift that ended at or before `endedBefore` and still has seats only assigned. Returns how many. */
export async function recordDutyNoShows(db: Kysely<DB>, actor: Actor, endedBefore: Date, now = new Date()): Promise<number> {
  const ended = await db
    .selectFrom('duty_assignments as a')
    .innerJoin('duty_shifts as s', 's.id', 'a.shift_id')
    .select('s.id')
    .distinct()
    .where('a.status', '=', 'assigned')
    .where('s.status', '=', 'scheduled')
    .where('s.ends_at', '<=', endedBefore)
    .orderBy('s.id')
    .execute();
  let total = 0;
  for (const s of ended) total += await shiftNoShows(db, actor, s.id, endedBefore, now);
  return total;
}

/** The scheduled job's body (duty-no-shows): the shifts that ended more than the events policy's noShowAfterHours ago. */
export async function recordOverdueDutyNoShows(db: Kysely<DB>, now = new Date()): Promise<string> {
  const policy = await eventsPolicyAt(db, dayOf(now));
  const endedBefore = new Date(now.getTime() - policy.noShowAfterHours * 3_600_000);
  const n = await recordDutyNoShows(db, SYSTEM_ACTOR, endedBefore, now);
  return `duty no-shows recorded: ${n}`;
}
