// Whether a lawyer is on leave on a day is asked for every lawyer a rotation
// decision or a duty fill judges. lawyer_leaves_lawyer (lawyer_id, starts_on)
// finds every leave that started by that day, which grows with the years of
// history (each one a heap read); this index finds only the leaves that end on
// or after the day, and answers from the index alone.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index lawyer_leaves_until on lawyer_leaves (lawyer_id, ends_on, starts_on)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists lawyer_leaves_until`.execute(db);
}
