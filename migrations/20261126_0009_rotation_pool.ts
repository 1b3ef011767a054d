// The rotation's pool query (rotation.facts.ts loadFacts) picks the lawyers of a
// practice area: a GIN index on the array lets it skip the rest of the city's
// lawyers; each pool lawyer's open cases are counted from a small partial index
// (cases_lawyer would walk every case the lawyer ever had). The
// lawyers who already declined a case are found by case, not by a scan of every
// assignment ever made.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index lawyers_practice_areas on lawyers using gin (practice_areas)`.execute(db);
  await sql`create index assignments_case on assignments (case_id, seq)`.execute(db);
  await sql`create index cases_open_lawyer on cases (lawyer_id) where status in ('assigned', 'accepted')`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists cases_open_lawyer`.execute(db);
  await sql`drop index if exists assignments_case`.execute(db);
  await sql`drop index if exists lawyers_practice_areas`.execute(db);
}
