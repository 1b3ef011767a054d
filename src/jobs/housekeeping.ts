// Hourly: drop expired sessions and login attempts older than a day, and the
// uploaded rows of imports left unconfirmed for a week (they hold personal data),
// and API idempotency keys after 7 days (a client retries within minutes, not weeks).
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/types.js';

export async function housekeeping(db: Kysely<DB>): Promise<string> {
  const sessions = await db.deleteFrom('sessions').where('expires_at', '<', sql<Date>`now()`).executeTakeFirst();
  const attempts = await db.deleteFrom('login_attempts').where('at', '<', sql<Date>`now() - interval '1 day'`).executeTakeFirst();
  const imports = await db
    .updateTable('import_runs')
    .set({ status: 'cancelled', rows: '[]', finished_at: new Date(), updated_at: new Date() })
    .where('status', '=', 'checked')
    .where('updated_at', '<', sql<Date>`now() - interval '7 days'`)
    .executeTakeFirst();
  const keys = await db.deleteFrom('idempotency_keys').where('created_at', '<', sql<Date>`now() - interval '7 days'`).executeTakeFirst();
  return [
    `sessions removed: ${Number(sessions.numDeletedRows)}`,
    `login attempts removed: ${Number(attempts.numDeletedRows)}`,
    `stale imports cancelled: ${Number(imports.numUpdatedRows)}`,
    `idempotency keys removed: ${Number(keys.numDeletedRows)}`,
  ].join(', ');
}
