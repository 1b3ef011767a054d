// Duty follow-ups: a cancelled shift says why (the reason the manager wrote,
// told to the people on it), and the hourly no-show job finds the seats still
// only 'assigned' without walking every past shift: that partial index holds the
// upcoming seats and the few past ones nobody marked yet. Shifts cancelled before
// this migration keep a null reason.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table duty_shifts add column cancel_reason text check (length(cancel_reason) <= 500)`,
  `alter table duty_shifts add constraint duty_shifts_cancel_reason check (cancel_reason is null or status = 'cancelled')`,
  `create index duty_assignments_assigned on duty_assignments (shift_id) where status = 'assigned'`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists duty_assignments_assigned`.execute(db);
  await sql`alter table duty_shifts drop column if exists cancel_reason`.execute(db);
}
