// Shifts for the duty tests: at a workstation in Bazhou, on fixed future dates, created at NOW.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import type { Actor } from '../../src/plugins/audit.js';
import { createShifts, type Shift } from '../../src/modules/duty/duty.service.js';
import type { ShiftInput } from '../../src/modules/duty/duty.rules.js';
import { makeOrganization } from '../helpers/factories.js';

export const ACTOR: Actor = { id: null, name: 'test' };
/** "now" of the service tests: 1 March 2030, 10:00 in Shanghai. */
export const NOW = new Date('2030-03-01T10:00:00+08:00');
export const at = (day: string, hm: string) => `${day}T${hm}:00+08:00`;

export async function makeStation(db: Kysely<DB>, regionCode = '511902', name?: string) {
  return makeOrganization(db, { kind: 'workstation', regionCode, name });
}

/** A shift (default: 10 March 2030, 09:00 to 12:00 Shanghai, one seat, anyone) at `organizationId`. */
export async function makeShift(db: Kysely<DB>, organizationId: number, fields: Partial<ShiftInput> = {}, now = NOW): Promise<Shift> {
  const [first] = await createShifts(db, ACTOR, { organizationId, startsAt: at('2030-03-10', '09:00'), endsAt: at('2030-03-10', '12:00'), seats: 1, who: 'either', ...fields }, now);
  return first;
}

export async function liveRows(db: Kysely<DB>, shiftId: number) {
  return db.selectFrom('duty_assignments').selectAll().where('shift_id', '=', shiftId).where('status', '<>', 'released').orderBy('id').execute();
}
