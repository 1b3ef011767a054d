// Factories: each test makes the rows it needs, no shared seed data.
import type { Kysely } from 'kysely';
import type { DB, OrganizationKind, Role } from '../../src/db/types.js';
import { hashPassword } from '../../src/lib/secrets.js';

let counter = 0;
const next = () => ++counter;

export const PASSWORD = 'correct horse battery';
let passwordHash: Promise<string> | undefined;

export async function makeUser(db: Kysely<DB>, role: Role = 'admin', fields: { email?: string; name?: string; mustChange?: boolean } = {}) {
  passwordHash ??= hashPassword(PASSWORD);
  const n = next();
  return db
    .insertInto('users')
    .values({
      email: fields.email ?? `${role}${n}@test.example`,
      name: fields.name ?? `${role} ${n}`,
      role,
      password_hash: await passwordHash,
      must_change_password: fields.mustChange ?? false,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function makeOrganization(db: Kysely<DB>, fields: { name?: string; kind?: OrganizationKind; regionCode?: string; parentId?: number | null } = {}) {
  const n = next();
  return db
    .insertInto('organizations')
    .values({
      name: fields.name ?? `测试机构 ${n}`,
      kind: fields.kind ?? 'workstation',
      region_code: fields.regionCode ?? '511902',
      parent_id: fields.parentId ?? null,
      address: null,
      phone: null,
      opening_hours: null,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}
