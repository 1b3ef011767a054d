// A criminal case whose defendant may be sentenced to life imprisonment or death
// (可能被判处无期徒刑、死刑) must go to an experienced lawyer (Legal Aid Law art. 26):
// the rotation then needs the level the 'rotation' policy names (seriousCriminalLevel).
// Only a criminal case can carry the flag; the check keeps any writer to that.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table cases add column possible_life_sentence boolean not null default false`.execute(db);
  await sql`alter table cases add constraint cases_life_sentence_criminal check (not possible_life_sentence or kind = 'criminal')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table cases drop constraint if exists cases_life_sentence_criminal`.execute(db);
  await sql`alter table cases drop column if exists possible_life_sentence`.execute(db);
}
