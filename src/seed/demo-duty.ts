// Demo duty rosters: two weeks of morning shifts at four workstations, from
// tomorrow, none filled by rotation yet (a manager presses "fill" in the demo),
// the demo volunteer signed up for one. Idempotent; never into a database that
// already has shifts.
import type { Kysely } from 'kysely';
import type { DB } from '../db/types.js';
import type { Actor } from '../plugins/audit.js';
import { addDays } from '../lib/workdays.js';
import { today } from '../modules/cases/cases.service.js';
import { createShifts } from '../modules/duty/duty.service.js';
import { takeSeat } from '../modules/duty/duty.assign.js';

export async function seedDemoDuty(db: Kysely<DB>): Promise<number> {
  const any = await db.selectFrom('duty_shifts').select('id').limit(1).executeTakeFirst();
  if (any) return 0;
  const [manager, volunteer, stations] = await Promise.all([
    db.selectFrom('users').select(['id', 'name']).where('email', '=', 'manager@fayuan.demo').executeTakeFirst(),
    db.selectFrom('users').select('volunteer_id').where('email', '=', 'volunteer@fayuan.demo').executeTakeFirst(),
    db.selectFrom('organizations').select('id').where('kind', '=', 'workstation').where('active', '=', true).orderBy('id').limit(4).execute(),
  ]);
  const actor: Actor = manager ? { id: manager.id, name: manager.name } : { id: null, name: 'demo' };
  let count = 0;
  for (const [i, s] of stations.entries()) {
    const day = addDays(today(), 1 + i);
    const made = await createShifts(db, actor, { organizationId: s.id, startsAt: `${day}T09:00`, endsAt: `${day}T12:00`, seats: i === 0 ? 2 : 1, who: i === 3 ? 'volunteer' : 'either', weeks: 2 });
    count += made.length;
    if (i === 3 && volunteer?.volunteer_id) await takeSeat(db, actor, { volunteerId: volunteer.volunteer_id }, made[0].id, 'signup');
  }
  return count;
}
