// Follow-ups to training (0012): a manager cancels a session with a reason,
// which the session page, the course's session list and the notices show.
// Nullable: sessions cancelled before this column existed have no reason.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table training_sessions add column cancel_reason text check (cancel_reason is null or length(cancel_reason) between 1 and 500)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table training_sessions drop column if exists cancel_reason`.execute(db);
}
