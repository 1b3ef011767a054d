// Hourly: drop expired sessions and login attempts older than a day.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.js';

export async function housekeeping(db: Kysely<DB>): Promise<string> {
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  const attempts = await db.deleteFrom('login_attempts').where('at', '<', sql<Date>`now() - interval '1 day'`).executeTakeFirst();
  return `sessions removed: ${Number(sessions.numDeletedRows)}, login attempts removed: ${Number(attempts.numDeletedRows)}`;
}
