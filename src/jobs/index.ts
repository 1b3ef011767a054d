// The job registry and the run-once guard: a transaction-level advisory lock on
// the job name, then a UNIQUE(job, slot) row in job_runs. A second instance
// firing for the same slot finds the row and does nothing.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.js';
import { housekeeping } from './housekeeping.js';
import { lapseOverdueMaterials, shanghaiDate } from './cases.js';
import { recordOverdueNoShows } from '../modules/events/checkin.service.js';
import { recordOverdueDutyNoShows } from '../modules/duty/duty.noshows.js';

export interface JobContext {
  log: { info(obj: object, msg?: string): void; error(obj: object, msg?: string): void };
  now?: Date;
}

export interface JobDefinition {
  name: string;
  cron: string;
  /** the slot a run belongs to: one run per slot */
  slot(now: Date): string;
  run(db: Kysely<DB>, ctx: JobContext): Promise<string>;
}

const hourSlot = (now: Date) => now.toISOString().slice(0, 13);

export const JOBS: JobDefinition[] = [
  { name: 'housekeeping', cron: '17 * * * *', slot: hourSlot, run: housekeeping },
  // the scheduler runs cron in config.tz (Asia/Shanghai by default): 00:07 there, once per Shanghai date
  { name: 'cases-lapse-materials', cron: '7 0 * * *', slot: shanghaiDate, run: lapseOverdueMaterials },
  // hourly: confirmed seats of events that ended more than the events policy's noShowAfterHours (12) ago become no-shows
  { name: 'events-no-shows', cron: '41 * * * *', slot: hourSlot, run: (db, ctx) => recordOverdueNoShows(db, ctx.now) },
  // hourly, the same: duty seats still only assigned on shifts that ended more than noShowAfterHours ago (duty.noshows.ts)
  { name: 'duty-no-shows', cron: '41 * * * *', slot: hourSlot, run: (db, ctx) => recordOverdueDutyNoShows(db, ctx.now) },
];

export function findJob(name: string): JobDefinition | undefined {
  return JOBS.find((j) => j.name === name);
}

export async function runJob(
  db: Kysely<DB>,
  name: string,
  ctx: JobContext,
  options: { slot?: string } = {},
): Promise<{ ran: boolean; slot: string; detail?: string }> {
  const job = findJob(name);
  if (!job) throw new Error(`Unknown job "${name}". Known jobs: ${JOBS.map((j) => j.name).join(', ')}`);
  const slot = options.slot ?? job.slot(ctx.now ?? new Date());
  const claimed = await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`job:${name}`}))`.execute(trx);
    const row = await trx
      .insertInto('job_runs')
      .values({ job: name, slot })
      .onConflict((oc) => oc.columns(['job', 'slot']).doNothing())
      .returning('id')
      .executeTakeFirst();
    return row?.id;
  });
  if (!claimed) return { ran: false, slot };
  try {
    const detail = await job.run(db, ctx);
    await db.updateTable('job_runs').set({ status: 'ok', finished_at: new Date(), detail }).where('id', '=', claimed).execute();
    return { ran: true, slot, detail };
  } catch (err) {
    await db
      .updateTable('job_runs')
      .set({ status: 'failed', finished_at: new Date(), detail: String(err).slice(0, 1000) })
      .where('id', '=', claimed)
      .execute();
    throw err;
  }
}
