// Assignment rotation, obligation quotas and logged hours: the rotation's state
// (one row per pool, locked for every decision) and each lawyer's standing, the
// assignments with their explanation, hour entries, and the policies they follow.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table lawyers add column weight numeric(3,1) not null default 1 check (weight > 0 and weight <= 5)`,
  `alter table lawyers add column trainings text[] not null default '{}'`,
  `alter table lawyers add column licensed_on date`,
  // the level the case needs (a possible life sentence needs a senior) and a required training
  `alter table cases add column min_level int not null default 1 check (min_level between 1 and 3)`,
  `alter table cases add column required_training text`,
  `create table rotation_state (
    scope text primary key,
    seq bigint not null default 0
  )`,
  `insert into rotation_state (scope, seq) values ('city', 0)`,
  `create table rotation_standings (
    lawyer_id int primary key references lawyers(id) on delete cascade,
    turns int not null default 0 check (turns >= 0),
    last_seq bigint,
    joined_seq bigint not null default 0,
    updated_at timestamptz not null default now()
  )`,
  `create table assignments (
    id serial primary key,
    case_id int not null references cases(id),
    lawyer_id int not null references lawyers(id),
    seq bigint not null unique,
    method text not null check (method in ('rotation','override')),
    reason text check (length(reason) <= 1000),
    explanation jsonb not null,
    status text not null default 'active' check (status in ('active','declined','ended')),
    decline_reason text check (length(decline_reason) <= 1000),
    decline_kind text check (decline_kind in ('consumed','returned')),
    declined_at timestamptz,
    decline_seq bigint,
    assigned_by int references users(id),
    assigned_at timestamptz not null default now(),
    check (method = 'rotation' or length(coalesce(reason, '')) > 0)
  )`,
  // one case, one lawyer at a time, decided by the database
  `create unique index assignments_one_active on assignments (case_id) where status = 'active'`,
  `create index assignments_lawyer on assignments (lawyer_id, assigned_at)`,
  `create index assignments_at on assignments (assigned_at)`,
  `create table hour_entries (
    id serial primary key,
    lawyer_id int references lawyers(id),
    volunteer_id int references volunteers(id),
    case_id int references cases(id),
    event_id int,
    work_date date not null,
    hours numeric(4,1) not null check (hours > 0 and hours <= 24),
    kind text not null check (kind in ('case','duty_shift','consultation','outreach','training','other')),
    description text not null check (length(description) between 1 and 1000),
    status text not null default 'pending' check (status in ('pending','approved','rejected')),
    decision_reason text check (length(decision_reason) <= 1000),
    decided_by int references users(id),
    decided_at timestamptz,
    created_by int references users(id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((lawyer_id is null) <> (volunteer_id is null))
  )`,
  `create index hour_entries_lawyer on hour_entries (lawyer_id, work_date)`,
  `create index hour_entries_volunteer on hour_entries (volunteer_id, work_date)`,
  `create index hour_entries_status on hour_entries (status, work_date)`,
  `insert into policies (key, effective_from, value, note) values
    ('rotation', '2022-01-01',
     '{"minLevel":{"criminal":1,"civil":1,"administrative":1,"non_litigation":1},"seriousCriminalLevel":3,"regionMode":"own_or_neighbours","neighbours":{"511902":["511903","511971","511921","511923"],"511903":["511902","511922","511923"],"511921":["511902","511922"],"511922":["511903","511921"],"511923":["511902","511903"],"511971":["511902"]},"declineDays":3,"returnTurnOnConflictDecline":true}',
     'Rotation: levels by kind, neighbouring regions, decline window (days) and whether a conflict decline returns the turn'),
    ('quota', '2022-01-01',
     '{"cases":2,"hours":20,"newlyLicensedYears":1,"newlyLicensedFactor":0.5,"longLeaveDays":90,"longLeaveFactor":0.5,"levelFactor":{"1":1,"2":1,"3":1}}',
     'Yearly legal-aid obligation per lawyer and its reductions'),
    ('hours_lock', '2022-01-01', '{"lockDay":5}', 'A month''s hours lock on this day of the next month')`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from policies where key in ('rotation','quota','hours_lock')`.execute(db);
  await sql`drop table hour_entries, assignments, rotation_standings, rotation_state`.execute(db);
  await sql`alter table cases drop column min_level, drop column required_training`.execute(db);
  await sql`alter table lawyers drop column weight, drop column trainings, drop column licensed_on`.execute(db);
}
