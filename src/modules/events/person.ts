// Who signs up: a volunteer, or a lawyer joining outreach (exactly one, as in
// hour_entries). Helpers to name, find and lock that person.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { NotFoundError, RuleError } from '../../lib/errors.js';
import type { Owner } from '../hours/hours.service.js';

type Db = Kysely<DB> | Transaction<DB>;

export type Person = Owner;

/** The person a logged-in user is, if any (a volunteer's or a lawyer's own account). */
export function personOfUser(user: { role: string; volunteerId?: number | null; lawyerId?: number | null } | null): Person | null {
  if (user?.role === 'volunteer' && user.volunteerId) return { volunteerId: user.volunteerId };
  if (user?.role === 'lawyer' && user.lawyerId) return { lawyerId: user.lawyerId };
  return null;
}

/** The columns of a row that name a person: { volunteer_id, lawyer_id }. */
export function personColumns(p: Person): { volunteer_id: number | null; lawyer_id: number | null } {
  return { volunteer_id: p.volunteerId ?? null, lawyer_id: p.lawyerId ?? null };
}

export function personOfRow(r: { volunteer_id: number | null; lawyer_id: number | null }): Person {
  return r.volunteer_id ? { volunteerId: r.volunteer_id } : { lawyerId: r.lawyer_id! };
}

/** A SQL condition on a table alias's volunteer_id / lawyer_id. */
export function isPerson(alias: string, p: Person) {
  return p.volunteerId
    ? sql<boolean>`${sql.ref(`${alias}.volunteer_id`)} = ${p.volunteerId}`
    : sql<boolean>`${sql.ref(`${alias}.lawyer_id`)} = ${p.lawyerId ?? 0}`;
}

/**
 * Locks the person's row for the rest of the transaction: their sign-ups to two
 * different events (each under its own event lock) then queue here, so the
 * overlap check of the second sees the first. FOR NO KEY UPDATE: inserts that
 * merely reference the person are not held up.
 * Refuses a volunteer who is not approved (422); an unknown person is a 404.
 */
export async function lockPerson(trx: Transaction<DB>, p: Person): Promise<{ name: string }> {
  if (p.volunteerId) {
    const v = await trx.selectFrom('volunteers').select(['name', 'status']).where('id', '=', p.volunteerId).forNoKeyUpdate().executeTakeFirst();
    if (!v) throw new NotFoundError('Volunteer not found');
    if (v.status !== 'approved') throw new RuleError(422, 'volunteer_not_approved', 'events.err.notApproved');
    return { name: v.name };
  }
  const l = await trx.selectFrom('lawyers').select(['name']).where('id', '=', p.lawyerId ?? 0).forNoKeyUpdate().executeTakeFirst();
  if (!l) throw new NotFoundError('Lawyer not found');
  return { name: l.name };
}

/** Whether a person exists (a volunteer of any status, or a lawyer). */
export async function personExists(db: Db, p: Person): Promise<boolean> {
  const row = p.volunteerId
    ? await db.selectFrom('volunteers').select('id').where('id', '=', p.volunteerId).executeTakeFirst()
    : await db.selectFrom('lawyers').select('id').where('id', '=', p.lawyerId ?? 0).executeTakeFirst();
  return !!row;
}
