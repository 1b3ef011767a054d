// Accounts: created, edited, disabled and reset by an admin; every write audited.
import { sql, type Kysely, type Transaction } from 'kysely';
import { inTransaction } from '../../db/tx.js';
import type { DB, Role, User } from '../../db/types.js';
import { ROLES } from '../../db/types.js';
import { ValidationError, type FieldError, NotFoundError } from '../../lib/errors.js';
import { generatePassword, hashPassword, PASSWORD_MIN } from '../../lib/secrets.js';
import { EMAIL_RE } from '../../lib/forms.js';
import { audit, changedFields, type Actor } from '../../plugins/audit.js';
import { endUserSessions } from '../../plugins/session.js';
import { PAGE_SIZE, toPage, type Page } from '../../lib/paging.js';
import { isRowId } from '../../lib/access.js';

export interface UserInput {
  email: string;
  name: string;
  role: Role;
  password?: string | null;
  lawyerId?: number | null;
  volunteerId?: number | null;
}

export type PublicUser = Omit<User, 'password_hash'>;

const PUBLIC_COLUMNS = [
  'id',
  'email',
  'name',
  'role',
  'must_change_password',
  'disabled_at',
  'lawyer_id',
  'volunteer_id',
  'last_login_at',
  'created_at',
  'updated_at',
] as const;

async function check(db: Kysely<DB> | Transaction<DB>, input: UserInput, exceptId?: number): Promise<void> {
  const errors: FieldError[] = [];
  if (!input.name) errors.push({ field: 'name', key: 'err.required' });
  else if (input.name.length > 100) errors.push({ field: 'name', key: 'err.tooLong', params: { max: 100 } });
  if (!input.email) errors.push({ field: 'email', key: 'err.required' });
  else if (!EMAIL_RE.test(input.email) || input.email.length > 200) errors.push({ field: 'email', key: 'err.email' });
  if (!ROLES.includes(input.role)) errors.push({ field: 'role', key: 'err.choice' });
  if (input.password && input.password.length < PASSWORD_MIN) {
    errors.push({ field: 'password', key: 'password.tooShort', params: { min: PASSWORD_MIN } });
  }
  if (input.email && !errors.some((e) => e.field === 'email')) {
    let q = db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', input.email.toLowerCase());
    if (exceptId) q = q.where('id', '!=', exceptId);
    if (await q.executeTakeFirst()) errors.push({ field: 'email', key: 'users.err.emailTaken' });
  }
  if (errors.length) throw new ValidationError(errors);
}

/** The unique index decides when two requests take one email at once: the loser gets the form's message. */
function rethrowEmailTaken(err: unknown): never {
  const e = err as { code?: string; constraint?: string } | null;
  if (e?.code === '23505' && e.constraint === 'users_email') throw new ValidationError([{ field: 'email', key: 'users.err.emailTaken' }]);
  throw err;
}

/** Creates a user. Without a password one is generated; it is returned once and must be changed at first login. */
export async function createUser(db: Kysely<DB> | Transaction<DB>, actor: Actor, input: UserInput): Promise<{ user: PublicUser; password: string }> {
  await check(db, input);
  const generated = !input.password;
  const password = input.password || generatePassword();
  const hash = await hashPassword(password);
  const user = await inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('users')
      .values({
        email: input.email,
        name: input.name,
        role: input.role,
        password_hash: hash,
        must_change_password: generated,
        lawyer_id: input.role === 'lawyer' ? (input.lawyerId ?? null) : null,
        volunteer_id: input.role === 'volunteer' ? (input.volunteerId ?? null) : null,
      })
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'user.created', entity: 'user', entityId: row.id, after: row });
    return row;
  }).catch(rethrowEmailTaken);
  return { user, password };
}

export async function getUser(db: Kysely<DB>, id: number): Promise<PublicUser | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export async function updateUser(db: Kysely<DB>, actor: Actor, id: number, input: Omit<UserInput, 'password'>): Promise<PublicUser> {
  await check(db, input, id);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').select(PUBLIC_COLUMNS).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError();
    const after = await trx
      .updateTable('users')
      .set({ email: input.email, name: input.name, role: input.role, updated_at: new Date() })
      .where('id', '=', id)
      .returning(PUBLIC_COLUMNS)
      .executeTakeFirstOrThrow();
    const diff = changedFields(before, after);
    await audit(trx, actor, { action: 'user.updated', entity: 'user', entityId: id, ...diff });
    if (before.role !== after.role) await endUserSessions(trx, id);
    return after;
  }).catch(rethrowEmailTaken);
}

export async function setDisabled(db: Kysely<DB>, actor: Actor, id: number, disabled: boolean): Promise<void> {
  if (disabled && actor.id === id) throw new ValidationError([{ field: 'id', key: 'users.err.self' }]);
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('users').select(['id', 'disabled_at']).where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError();
    const disabledAt = disabled ? (before.disabled_at ?? new Date()) : null;
    await trx.updateTable('users').set({ disabled_at: disabledAt, updated_at: new Date() }).where('id', '=', id).execute();
    await audit(trx, actor, {
      action: disabled ? 'user.disabled' : 'user.enabled',
      entity: 'user',
      entityId: id,
      before: { disabled_at: before.disabled_at },
      after: { disabled_at: disabledAt },
    });
    if (disabled) await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
  });
}

/** Sets a new temporary password, ends the user's sessions; they must change it at next login. */
export async function resetPassword(db: Kysely<DB>, actor: Actor, id: number): Promise<string> {
  const password = generatePassword();
  const hash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable('users')
      .set({ password_hash: hash, must_change_password: true, updated_at: new Date() })
      .where('id', '=', id)
      .executeTakeFirst();
    if (!res.numUpdatedRows) throw new NotFoundError();
    await audit(trx, actor, { action: 'user.password_reset', entity: 'user', entityId: id });
    await trx.deleteFrom('sessions').where('user_id', '=', id).execute();
  });
  return password;
}

export interface UserFilter {
  q?: string;
  role?: string;
  page: number;
}

export async function listUsers(db: Kysely<DB>, filter: UserFilter): Promise<Page<PublicUser & { total_count: number }>> {
  let q = db.selectFrom('users').select([...PUBLIC_COLUMNS, sql<number>`(count(*) over ())::int`.as('total_count')]);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('name', 'ilike', like), eb('email', 'ilike', like)]));
  }
  if (filter.role && (ROLES as string[]).includes(filter.role)) q = q.where('role', '=', filter.role as Role);
  const rows = await q
    .orderBy('name')
    .orderBy('id')
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  return toPage(rows, filter.page);
}
