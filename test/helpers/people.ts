// Factories for lawyers and volunteers (and their accounts).
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import { makeOrganization, makeUser } from './factories.js';

let counter = 0;

export async function makeLawyer(
  db: Kysely<DB>,
  fields: Partial<{ name: string; licenseNo: string; organizationId: number; practiceAreas: string[]; level: number; regionCode: string; phone: string; status: 'active' | 'on_leave' | 'inactive' }> = {},
) {
  const n = ++counter;
  const organizationId = fields.organizationId ?? (await makeOrganization(db, { kind: 'law_firm', name: `测试律所 ${n}` })).id;
  return db
    .insertInto('lawyers')
    .values({
      name: fields.name ?? `律师${n}`,
      license_no: fields.licenseNo ?? String(15119_2020_0000_0000n + BigInt(n) + BigInt(process.pid % 1000) * 1000n),
      organization_id: organizationId,
      practice_areas: fields.practiceAreas ?? ['criminal'],
      level: fields.level ?? 2,
      region_code: fields.regionCode ?? '511902',
      phone: fields.phone ?? null,
      status: fields.status ?? 'active',
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeVolunteer(db: Kysely<DB>, fields: Partial<{ name: string; phone: string; email: string; status: 'pending' | 'approved' | 'rejected'; regionCode: string }> = {}) {
  const n = ++counter;
  return db
    .insertInto('volunteers')
    .values({
      name: fields.name ?? `志愿者${n}`,
      phone: fields.phone ?? `137${String(10_000_000 + n * 7919 + (process.pid % 1000)).padStart(8, '0')}`,
      email: fields.email ?? null,
      region_code: fields.regionCode ?? '511902',
      status: fields.status ?? 'approved',
      consent_at: new Date(),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A lawyer with a login account linked to them. */
export async function makeLawyerUser(db: Kysely<DB>, fields: Parameters<typeof makeLawyer>[1] = {}) {
  const lawyer = await makeLawyer(db, fields);
  const user = await makeUser(db, 'lawyer', { name: lawyer.name });
  await db.updateTable('users').set({ lawyer_id: lawyer.id }).where('id', '=', user.id).execute();
  return { lawyer, user };
}

export async function makeVolunteerUser(db: Kysely<DB>, fields: Parameters<typeof makeVolunteer>[1] = {}) {
  const volunteer = await makeVolunteer(db, fields);
  const user = await makeUser(db, 'volunteer', { name: volunteer.name });
  await db.updateTable('users').set({ volunteer_id: volunteer.id }).where('id', '=', user.id).execute();
  return { volunteer, user };
}
