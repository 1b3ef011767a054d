// API tokens: random, shown once, stored as a SHA-256 hash, revocable by their owner.
import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../../db/types.js';
import { randomToken, sha256 } from '../../lib/secrets.js';
import { ValidationError } from '../../lib/errors.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { isRowId } from '../../lib/access.js';

export const TOKEN_PREFIX = 'fy_';

export async function createToken(db: Kysely<DB>, actor: Actor, userId: number, name: string): Promise<{ id: number; token: string }> {
  const label = name.trim();
  if (!label) throw new ValidationError([{ field: 'name', key: 'err.required' }]);
  if (label.length > 100) throw new ValidationError([{ field: 'name', key: 'err.tooLong', params: { max: 100 } }]);
  const token = TOKEN_PREFIX + randomToken(32);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('api_tokens')
      .values({ user_id: userId, name: label, token_hash: sha256(token), prefix: token.slice(0, 8) })
      .returning(['id', 'name', 'prefix', 'user_id'])
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'api_token.created', entity: 'api_token', entityId: row.id, after: row });
    return { id: row.id, token };
  });
}

export async function listTokens(db: Kysely<DB>, userId: number) {
  return db
    .selectFrom('api_tokens')
    .select(['id', 'name', 'prefix', 'created_at', 'last_used_at', 'revoked_at', 'user_id'])
    .where('user_id', '=', userId)
    .orderBy('created_at', 'desc')
    .execute();
}

export async function getToken(db: Kysely<DB>, id: number) {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('api_tokens').select(['id', 'user_id', 'revoked_at', 'name']).where('id', '=', id).executeTakeFirst();
}

export async function revokeToken(db: Kysely<DB>, actor: Actor, id: number): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const res = await trx.updateTable('api_tokens').set({ revoked_at: new Date() }).where('id', '=', id).where('revoked_at', 'is', null).executeTakeFirst();
    if (res.numUpdatedRows) await audit(trx, actor, { action: 'api_token.revoked', entity: 'api_token', entityId: id });
  });
}

export interface TokenUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  lawyerId: number | null;
  volunteerId: number | null;
  tokenId: number;
}

/** The user behind a bearer token, if it is valid, unrevoked and its user enabled. */
export async function userForToken(db: Kysely<DB>, token: string): Promise<TokenUser | undefined> {
  if (!token.startsWith(TOKEN_PREFIX) || token.length > 100) return undefined;
  const row = await db
    .selectFrom('api_tokens as t')
    .innerJoin('users as u', 'u.id', 't.user_id')
    .select(['t.id as token_id', 't.last_used_at', 'u.id', 'u.email', 'u.name', 'u.role', 'u.lawyer_id', 'u.volunteer_id'])
    .where('t.token_hash', '=', sha256(token))
    .where('t.revoked_at', 'is', null)
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
  if (!row) return undefined;
  if (!row.last_used_at || Date.now() - new Date(row.last_used_at).getTime() > 60_000) {
    await db.updateTable('api_tokens').set({ last_used_at: sql<Date>`now()` }).where('id', '=', row.token_id).execute();
  }
  return { id: row.id, email: row.email, name: row.name, role: row.role, lawyerId: row.lawyer_id, volunteerId: row.volunteer_id, tokenId: row.token_id };
}
