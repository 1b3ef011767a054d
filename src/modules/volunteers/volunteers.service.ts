// Volunteers: public sign-up, review by a manager (approval creates the account),
// the registry, and a volunteer's own profile.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Volunteer } from '../../db/types.js';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { PAGE_SIZE, toPage } from '../../lib/paging.js';
import { audit, changedFields, type Actor } from '../../plugins/audit.js';
import { createUser } from '../users/users.service.js';
import { checkVolunteer, type VolunteerInput } from './volunteers.rules.js';
import { isRowId } from '../../lib/access.js';

type Db = Kysely<DB> | Transaction<DB>;
type Status = Volunteer['status'];

export async function regionSet(db: Db): Promise<Set<string>> {
  return new Set((await db.selectFrom('regions').select('code').execute()).map((r) => r.code));
}

async function validate(db: Db, input: VolunteerInput, id?: number): Promise<void> {
  const errors = checkVolunteer(input, await regionSet(db));
  if (input.phone && !errors.some((e) => e.field === 'phone')) {
    let q = db.selectFrom('volunteers').select('id').where('phone', '=', input.phone);
    if (id) q = q.where('id', '!=', id);
    if (await q.executeTakeFirst()) errors.push({ field: 'phone', key: 'vol.err.phoneTaken' });
  }
  if (errors.length) throw new ValidationError(errors);
}

export function toVolunteerRow(input: VolunteerInput) {
  return {
    name: input.name,
    phone: input.phone,
    email: input.email,
    region_code: input.regionCode,
    skills: input.skills,
    languages: input.languages,
    availability: JSON.stringify(input.availability),
  };
}

/** A new volunteer: 'pending' from the public page, 'approved' when staff register them. */
export async function createVolunteer(db: Kysely<DB>, actor: Actor, input: VolunteerInput, status: Status, consent: boolean): Promise<Volunteer> {
  if (!consent) throw new ValidationError([{ field: 'consent', key: 'vol.err.consent' }]);
  return db.transaction().execute(async (trx) => {
    await validate(trx, input);
    const row = await trx
      .insertInto('volunteers')
      .values({ ...toVolunteerRow(input), status, consent_at: new Date(), reviewed_at: status === 'approved' ? new Date() : null })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: status === 'pending' ? 'volunteer.signed_up' : 'volunteer.created', entity: 'volunteer', entityId: row.id, after: row });
    return row;
  });
}

export async function updateVolunteer(db: Kysely<DB>, actor: Actor, id: number, input: VolunteerInput, action = 'volunteer.updated'): Promise<Volunteer> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('volunteers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError();
    await validate(trx, input, id);
    const after = await trx
      .updateTable('volunteers')
      .set({ ...toVolunteerRow(input), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const pick = (v: Volunteer) => ({ name: v.name, phone: v.phone, email: v.email, region_code: v.region_code, skills: v.skills, languages: v.languages, availability: v.availability });
    await audit(trx, actor, { action, entity: 'volunteer', entityId: id, ...changedFields(pick(before), pick(after)) });
    return after;
  });
}

/**
 * Approves a pending volunteer and creates their account in the same
 * transaction; the generated password is returned once.
 */
export async function approveVolunteer(db: Kysely<DB>, actor: Actor, id: number, note: string | null): Promise<{ login: string | null; password: string | null }> {
  return db.transaction().execute(async (trx) => {
    const v = await trx.selectFrom('volunteers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!v) throw new NotFoundError();
    const account = await trx.selectFrom('users').select('id').where('volunteer_id', '=', id).executeTakeFirst();
    if (!account && !v.email) throw new ValidationError([{ field: 'email', key: 'vol.err.needEmail' }]);
    await trx.updateTable('volunteers').set({ status: 'approved', review_note: note, reviewed_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, actor, { action: 'volunteer.approved', entity: 'volunteer', entityId: id, before: { status: v.status }, after: { status: 'approved', note } });
    if (account) return { login: null, password: null };
    const { password } = await createUser(trx, actor, { email: v.email!, name: v.name, role: 'volunteer', password: null, volunteerId: id });
    return { login: v.email, password };
  });
}

export async function rejectVolunteer(db: Kysely<DB>, actor: Actor, id: number, note: string | null): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const v = await trx.selectFrom('volunteers').select(['id', 'status']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!v) throw new NotFoundError();
    await trx.updateTable('volunteers').set({ status: 'rejected', review_note: note, reviewed_at: new Date(), updated_at: new Date() }).where('id', '=', id).execute();
    // a rejected volunteer's account, if any, stops working
    await trx.updateTable('users').set({ disabled_at: new Date() }).where('volunteer_id', '=', id).where('disabled_at', 'is', null).execute();
    await audit(trx, actor, { action: 'volunteer.rejected', entity: 'volunteer', entityId: id, before: { status: v.status }, after: { status: 'rejected', note } });
  });
}

export async function getVolunteer(db: Db, id: number): Promise<Volunteer | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('volunteers').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface VolunteerFilter {
  q?: string;
  status?: string;
  regionCode?: string;
  skill?: string;
  sort?: string;
}

export function filteredVolunteers(db: Db, filter: VolunteerFilter) {
  let q = db.selectFrom('volunteers as v').innerJoin('regions as r', 'r.code', 'v.region_code');
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('v.name', 'ilike', like), eb('v.phone', 'like', like), eb('v.email', 'ilike', like)]));
  }
  if (filter.status === 'pending' || filter.status === 'approved' || filter.status === 'rejected') q = q.where('v.status', '=', filter.status);
  if (filter.regionCode) q = q.where('v.region_code', '=', filter.regionCode);
  if (filter.skill) q = q.where(sql<boolean>`${filter.skill} = any(v.skills)`);
  return q;
}

export async function listVolunteers(db: Db, filter: VolunteerFilter & { page: number }) {
  let q = filteredVolunteers(db, filter).select([
    'v.id',
    'v.name',
    'v.phone',
    'v.email',
    'v.status',
    'v.skills',
    'v.created_at',
    'r.name_zh as region_zh',
    'r.name_en as region_en',
    sql<number>`(count(*) over ())::int`.as('total_count'),
  ]);
  if (filter.sort === 'newest') q = q.orderBy('v.created_at', 'desc');
  else if (filter.sort === 'region') q = q.orderBy('v.region_code').orderBy('v.name');
  else q = q.orderBy('v.name');
  const rows = await q
    .orderBy('v.id')
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  return toPage(rows, filter.page);
}

export type { FieldError };
