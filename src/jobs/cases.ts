// Daily, just after midnight in Asia/Shanghai: applications whose missing
// materials were not supplied by their deadline count as withdrawn (DOMAIN:
// "materials not supplied means the application is withdrawn").
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';
import { todayIn } from '../lib/format.js';
import { SYSTEM_ACTOR } from '../plugins/audit.js';
import { lapseMaterials } from '../modules/cases/cases.actions.js';
import { APP_TZ } from '../modules/cases/cases.service.js';
import type { JobContext } from './index.js';

/** The Shanghai date of an instant: the job's slot and its "today". */
export const shanghaiDate = (now: Date): string => todayIn(APP_TZ, now);

export async function lapseOverdueMaterials(db: Kysely<DB>, ctx: JobContext): Promise<string> {
  const today = shanghaiDate(ctx.now ?? new Date());
  const due = await db
    .selectFrom('cases')
    .select(['id', 'number'])
    .where('status', '=', 'pending_materials')
    .where('due_on', '<', today)
    .orderBy('due_on')
    .orderBy('id')
    .execute();
  let withdrawn = 0;
  const failed: string[] = [];
  // each case in its own transaction (lapseMaterials opens one): one refusal or error leaves the rest to run
  for (const c of due) {
    try {
      await lapseMaterials(db, SYSTEM_ACTOR, c.id, today);
      withdrawn++;
    } catch (err) {
      failed.push(c.number);
      ctx.log.error({ err, caseId: c.id }, 'lapsing materials failed');
    }
  }
  return `overdue applications withdrawn: ${withdrawn}${failed.length ? `, failed: ${failed.length} (${failed.slice(0, 20).join(', ')})` : ''}`;
}
