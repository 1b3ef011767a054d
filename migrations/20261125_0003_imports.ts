// CSV imports of lawyers and volunteers: one row per uploaded file, holding the
// parsed rows with their problems until the user confirms (or cancels) the run.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table import_runs (
    id serial primary key,
    kind text not null check (kind in ('lawyers','volunteers')),
    status text not null default 'checking'
      check (status in ('checking','checked','writing','done','failed','cancelled')),
    file_name text not null check (length(file_name) between 1 and 255),
    fields text[] not null default '{}',
    ignored text[] not null default '{}',
    total int not null default 0,
    processed int not null default 0,
    created int not null default 0,
    updated int not null default 0,
    unchanged int not null default 0,
    invalid int not null default 0,
    rows jsonb not null default '[]',
    error text,
    created_by int not null references users(id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    finished_at timestamptz
  )`,
  `create index import_runs_creator on import_runs (created_by, created_at desc)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // one statement per call: the embedded driver runs a single statement per query
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table import_runs`.execute(db);
}
