// Idempotency keys of the API: the first answer to a POST carrying
// `Idempotency-Key`, replayed when the same key and body come again.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table idempotency_keys (
    user_id int not null references users(id) on delete cascade,
    key text not null check (length(key) between 1 and 200),
    route text not null,
    body_hash text not null,
    status_code int,
    response jsonb,
    created_at timestamptz not null default now(),
    primary key (user_id, key)
  )`,
  `create index idempotency_keys_created on idempotency_keys (created_at)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table idempotency_keys`.execute(db);
}
