// Foundation: reference regions, organisations, people, accounts, sessions,
// API tokens, the append-only audit log, login throttling and the job-run ledger.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table regions (
    code text primary key check (code ~ '^[0-9]{6}$'),
    name_zh text not null,
    name_en text not null,
    parent_code text references regions(code),
    level text not null check (level in ('city','district','county','zone','township','village')),
    national boolean not null default true
  )`,
  `insert into regions (code, name_zh, name_en, parent_code, level, national) values
    ('511900', '巴中市', 'Bazhong City', null, 'city', true),
    ('511902', '巴州区', 'Bazhou District', '511900', 'district', true),
    ('511903', '恩阳区', 'Enyang District', '511900', 'district', true),
    ('511921', '通江县', 'Tongjiang County', '511900', 'county', true),
    ('511922', '南江县', 'Nanjiang County', '511900', 'county', true),
    ('511923', '平昌县', 'Pingchang County', '511900', 'county', true),
    ('511971', '巴中经济开发区', 'Bazhong Economic Development Zone', '511900', 'zone', false)`,
  `create table organizations (
    id serial primary key,
    name text not null check (length(name) between 1 and 200),
    kind text not null check (kind in ('centre','workstation','liaison_point','partner_station','law_firm','service_office')),
    region_code text not null references regions(code),
    parent_id int references organizations(id),
    address text,
    phone text,
    opening_hours text,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index organizations_kind_region on organizations (kind, region_code)`,
  `create index organizations_region on organizations (region_code)`,
  `create index organizations_parent on organizations (parent_id)`,
  `create table lawyers (
    id serial primary key,
    name text not null,
    license_no text not null unique,
    organization_id int references organizations(id),
    practice_areas text[] not null default '{}',
    level smallint not null default 1 check (level between 1 and 3),
    region_code text not null references regions(code),
    languages text[] not null default '{}',
    phone text,
    email text,
    max_open_cases int not null default 5 check (max_open_cases >= 0),
    status text not null default 'active' check (status in ('active','on_leave','inactive')),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index lawyers_org on lawyers (organization_id)`,
  `create index lawyers_region_status on lawyers (region_code, status)`,
  `create table volunteers (
    id serial primary key,
    name text not null,
    phone text,
    email text,
    region_code text not null references regions(code),
    skills text[] not null default '{}',
    availability jsonb not null default '{}',
    status text not null default 'pending' check (status in ('pending','approved','rejected')),
    consent_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create index volunteers_region on volunteers (region_code, status)`,
  `create unique index volunteers_phone on volunteers (phone) where phone is not null`,
  `create table users (
    id serial primary key,
    email text not null,
    name text not null,
    role text not null check (role in ('admin','manager','lawyer','volunteer','auditor')),
    password_hash text not null,
    must_change_password boolean not null default false,
    disabled_at timestamptz,
    lawyer_id int unique references lawyers(id),
    volunteer_id int unique references volunteers(id),
    last_login_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `create unique index users_email on users (lower(email))`,
  `create table sessions (
    id text primary key,
    user_id int not null references users(id) on delete cascade,
    created_at timestamptz not null default now(),
    last_seen_at timestamptz not null default now(),
    expires_at timestamptz not null,
    ip text,
    user_agent text,
    flash jsonb
  )`,
  `create index sessions_user on sessions (user_id)`,
  `create index sessions_expires on sessions (expires_at)`,
  `create table api_tokens (
    id serial primary key,
    user_id int not null references users(id) on delete cascade,
    name text not null,
    token_hash text not null unique,
    prefix text not null,
    created_at timestamptz not null default now(),
    last_used_at timestamptz,
    revoked_at timestamptz
  )`,
  `create index api_tokens_user on api_tokens (user_id)`,
  `create table audit_log (
    id bigserial primary key,
    at timestamptz not null default now(),
    actor_id int references users(id),
    actor_name text,
    action text not null,
    entity text not null,
    entity_id text,
    before jsonb,
    after jsonb,
    ip text,
    request_id text
  )`,
  `create index audit_log_at on audit_log (at desc, id desc)`,
  `create index audit_log_entity on audit_log (entity, entity_id, at desc)`,
  `create index audit_log_actor on audit_log (actor_id, at desc)`,
  `create function audit_log_append_only() returns trigger language plpgsql as $$
  begin
    raise exception 'audit_log is append-only';
  end $$`,
  `create trigger audit_log_no_change before update or delete on audit_log
    for each row execute function audit_log_append_only()`,
  `create table login_attempts (
    id bigserial primary key,
    at timestamptz not null default now(),
    email text not null,
    ip text not null,
    success boolean not null
  )`,
  `create index login_attempts_email on login_attempts (email, at) where not success`,
  `create index login_attempts_ip on login_attempts (ip, at) where not success`,
  `create table job_runs (
    id bigserial primary key,
    job text not null,
    slot text not null,
    started_at timestamptz not null default now(),
    finished_at timestamptz,
    status text not null default 'running' check (status in ('running','ok','failed')),
    detail text,
    unique (job, slot)
  )`,
  `create table app_meta (
    key text primary key,
    value jsonb not null
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  // one statement per call: the embedded driver runs a single statement per query
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table app_meta, job_runs, login_attempts, audit_log, api_tokens, sessions, users,
    volunteers, lawyers, organizations, regions cascade`.execute(db);
  await sql`drop function audit_log_append_only()`.execute(db);
}
