// Logged hours: a case closure reports the case's total hours, which may be more
// than a day's 24. Such an entry is kind 'case'; every other entry keeps the
// 24-hour ceiling. The column widens to numeric(5,1) to hold the 9,999.9 a
// closure may report (cases.hours allows four digits).
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table hour_entries drop constraint hour_entries_hours_check`.execute(db);
  await sql`alter table hour_entries alter column hours type numeric(5,1)`.execute(db);
  await sql`alter table hour_entries add constraint hour_entries_hours_check check (hours > 0 and (hours <= 24 or kind = 'case'))`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table hour_entries drop constraint hour_entries_hours_check`.execute(db);
  // fails while a closure entry above 24 hours exists: going back must not drop recorded hours
  await sql`alter table hour_entries alter column hours type numeric(4,1)`.execute(db);
  await sql`alter table hour_entries add constraint hour_entries_hours_check check (hours > 0 and hours <= 24)`.execute(db);
}
