// Logging in (with throttling that every instance shares, since the failure
// counts live in the database) and changing one's own password.
import { sql, type Kysely } from 'kysely';
import type { DB, User } from '../../db/types.js';
import { hashPassword, PASSWORD_MIN, verifyPassword } from '../../lib/secrets.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { endUserSessions } from '../../plugins/session.js';
import type { FieldError } from '../../lib/errors.js';

export const MAX_FAILURES = 5;
export const WINDOW_MINUTES = 15;

export type LoginResult =
  | { ok: true; user: User }
  | { ok: false; reason: 'failed' | 'disabled' }
  | { ok: false; reason: 'locked'; minutes: number };

/** Minutes until the oldest failure of the window leaves it, when the limit is reached. */
async function lockedFor(db: Kysely<DB>, email: string, ip: string): Promise<number> {
  const row = await db
    .selectFrom('login_attempts')
    .select([
      sql<number>`count(*) filter (where email = ${email})::int`.as('by_email'),
      sql<number>`count(*) filter (where ip = ${ip})::int`.as('by_ip'),
      sql<Date | null>`(array_agg(at order by at desc) filter (where email = ${email}))[${MAX_FAILURES}]`.as('email_nth'),
      sql<Date | null>`(array_agg(at order by at desc) filter (where ip = ${ip}))[${MAX_FAILURES}]`.as('ip_nth'),
    ])
    .where('success', '=', false)
    .where('at', '>', sql<Date>`now() - make_interval(mins => ${WINDOW_MINUTES})`)
    .where((eb) => eb.or([eb('email', '=', email), eb('ip', '=', ip)]))
    .executeTakeFirstOrThrow();
  const nth = [row.by_email >= MAX_FAILURES ? row.email_nth : null, row.by_ip >= MAX_FAILURES ? row.ip_nth : null]
    .filter((d): d is Date => d !== null)
    .map((d) => new Date(d).getTime());
  if (nth.length === 0) return 0;
  const until = Math.max(...nth) + WINDOW_MINUTES * 60_000;
  return Math.max(1, Math.ceil((until - Date.now()) / 60_000));
}

export async function login(db: Kysely<DB>, email: string, password: string, ip: string): Promise<LoginResult> {
  const normalized = email.trim().toLowerCase();
  const actor: Actor = { id: null, name: normalized || 'anonymous', ip };
  const minutes = await lockedFor(db, normalized, ip);
  if (minutes > 0) {
    await audit(db, actor, { action: 'login.refused_locked', entity: 'user', after: { email: normalized, ip } });
    return { ok: false, reason: 'locked', minutes };
  }
  const user = normalized
    ? await db.selectFrom('users').selectAll().where(sql<string>`lower(email)`, '=', normalized).executeTakeFirst()
    : undefined;
  const valid = await verifyPassword(user?.password_hash, password);
  if (!user || !valid) {
    await db.insertInto('login_attempts').values({ email: normalized, ip, success: false }).execute();
    await audit(db, actor, { action: 'login.failed', entity: 'user', entityId: user?.id, after: { email: normalized, ip } });
    const nowLocked = await lockedFor(db, normalized, ip);
    if (nowLocked > 0) {
      await audit(db, actor, { action: 'login.locked', entity: 'user', entityId: user?.id, after: { email: normalized, ip } });
      return { ok: false, reason: 'locked', minutes: nowLocked };
    }
    return { ok: false, reason: 'failed' };
  }
  if (user.disabled_at) {
    await audit(db, actor, { action: 'login.refused_disabled', entity: 'user', entityId: user.id });
    return { ok: false, reason: 'disabled' };
  }
  await db.insertInto('login_attempts').values({ email: normalized, ip, success: true }).execute();
  await db.updateTable('users').set({ last_login_at: new Date() }).where('id', '=', user.id).execute();
  await audit(db, { id: user.id, name: user.email, ip }, { action: 'login', entity: 'user', entityId: user.id });
  return { ok: true, user };
}

export interface PasswordChange {
  current: string;
  next: string;
  confirm: string;
}

/** Changes the user's password and ends their other sessions; returns field errors instead. */
export async function changePassword(
  db: Kysely<DB>,
  actor: Actor & { id: number },
  input: PasswordChange,
  keepSession: string | undefined,
): Promise<FieldError[]> {
  const user = await db.selectFrom('users').select(['id', 'password_hash']).where('id', '=', actor.id).executeTakeFirstOrThrow();
  const errors: FieldError[] = [];
  if (!(await verifyPassword(user.password_hash, input.current))) errors.push({ field: 'current', key: 'password.wrong' });
  if (input.next.length < PASSWORD_MIN) errors.push({ field: 'next', key: 'password.tooShort', params: { min: PASSWORD_MIN } });
  else if (input.next === input.current) errors.push({ field: 'next', key: 'password.sameAsOld' });
  if (input.next !== input.confirm) errors.push({ field: 'confirm', key: 'password.mismatch' });
  if (errors.length) return errors;
  const hash = await hashPassword(input.next);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable('users').set({ password_hash: hash, must_change_password: false, updated_at: new Date() }).where('id', '=', actor.id).execute();
    await audit(trx, actor, { action: 'user.password_changed', entity: 'user', entityId: actor.id });
  });
  await endUserSessions(db, actor.id, keepSession);
  return [];
}
