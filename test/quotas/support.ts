// Quota test data: cases given to a lawyer by the rotation or by hand, declined
// assignments, and hour entries, each on a chosen date.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import { makeCase } from '../helpers/cases.js';

let seq = 1_000_000;

/** A case assigned to the lawyer through an assignments row (rotation) on a day. */
export async function rotationCase(db: Kysely<DB>, lawyerId: number, on: string, status: 'active' | 'declined' | 'ended' = 'active') {
  const c = await makeCase(db);
  await db
    .insertInto('assignments')
    .values({
      case_id: c.id,
      lawyer_id: lawyerId,
      seq: ++seq,
      method: 'rotation',
      explanation: JSON.stringify({ candidates: [], passedOver: [] }),
      status,
      assigned_at: new Date(`${on}T10:00:00+08:00`),
      ...(status === 'declined' ? { decline_reason: 'busy', decline_kind: 'consumed' as const, declined_at: new Date(`${on}T12:00:00+08:00`) } : {}),
    })
    .execute();
  if (status !== 'declined') await db.updateTable('cases').set({ status: 'assigned', lawyer_id: lawyerId, assigned_on: on }).where('id', '=', c.id).execute();
  return c;
}

/** A case given by hand before the rotation existed: only cases.lawyer_id and assigned_on. */
export async function handCase(db: Kysely<DB>, lawyerId: number, on: string) {
  const c = await makeCase(db);
  await db.updateTable('cases').set({ status: 'assigned', lawyer_id: lawyerId, assigned_on: on }).where('id', '=', c.id).execute();
  return c;
}

export async function hours(db: Kysely<DB>, lawyerId: number, on: string, amount: string, status: 'pending' | 'approved' | 'rejected' = 'approved') {
  await db
    .insertInto('hour_entries')
    .values({ lawyer_id: lawyerId, work_date: on, hours: amount, kind: 'duty_shift', description: '值班', status })
    .execute();
}
