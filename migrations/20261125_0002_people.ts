// People: lawyers' leave periods and recorded conflicts of interest, volunteer
// sign-up details, and import runs.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table lawyer_leaves (
    id serial primary key,
    lawyer_id int not null references lawyers(id) on delete cascade,
    starts_on date not null,
    ends_on date not null,
    reason text,
    created_at timestamptz not null default now(),
    check (ends_on >= starts_on)
  )`,
  `create index lawyer_leaves_lawyer on lawyer_leaves (lawyer_id, starts_on)`,
  `create table lawyer_conflicts (
    id serial primary key,
    lawyer_id int not null references lawyers(id) on delete cascade,
    party text not null check (length(party) between 1 and 200),
    party_kind text not null default 'person' check (party_kind in ('person','organization')),
    note text,
    created_at timestamptz not null default now()
  )`,
  `create index lawyer_conflicts_lawyer on lawyer_conflicts (lawyer_id)`,
  `create index lawyers_name on lawyers (name, id)`,
  `create index lawyers_status_name on lawyers (status, name, id)`,
  `alter table volunteers add column languages text[] not null default '{}'`,
  `alter table volunteers add column review_note text`,
  `alter table volunteers add column reviewed_at timestamptz`,
  `create index volunteers_name on volunteers (name, id)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table lawyer_conflicts, lawyer_leaves`.execute(db);
  await sql`drop index lawyers_name, lawyers_status_name, volunteers_name`.execute(db);
  await sql`alter table volunteers drop column languages, drop column review_note, drop column reviewed_at`.execute(db);
}
