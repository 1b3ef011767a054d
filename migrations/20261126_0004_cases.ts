// Cases: consultations, applications on the statutory clock, the working-day
// calendar, versioned policies (time limits) and means-test standards, and each
// case's timeline, materials notices and key dates.
import { sql, type Kysely } from 'kysely';

const CASE_STATUSES = `'applied','pending_materials','granted','refused','appealed','assigned','accepted','closed','reviewed','withdrawn','terminated','transferred'`;

const statements = [
  // the calendar: only exceptions to "Monday to Friday work" are stored:
  // a weekday off (holiday) or a weekend day worked (workday, 调休 make-up day)
  `create table calendar_days (
    day date primary key,
    kind text not null check (kind in ('holiday','workday')),
    name text not null default '' check (length(name) <= 100),
    source text not null default 'admin' check (source in ('official','statutory','admin')),
    updated_at timestamptz not null default now()
  )`,
  // versioned policies: the value in force on a date is the one with the latest effective_from <= date
  `create table policies (
    id serial primary key,
    key text not null check (key ~ '^[a-z_]+$'),
    effective_from date not null,
    value jsonb not null,
    note text,
    created_by int references users(id),
    created_at timestamptz not null default now(),
    unique (key, effective_from)
  )`,
  `insert into policies (key, effective_from, value, note) values
    ('time_limits', '2022-01-01',
     '{"reviewDays":7,"assignDaysCriminal":3,"assignDaysNotified":3,"assignDaysOther":7,"appealDays":5,"materialsDays":10,"emergencyPaperworkDays":10}',
     'Legal Aid Law 2021 and the procedural rules: review 7, assignment 3 (criminal and notified) or 7, appeal 5 working days')`,
  // the means test: household income per head at most multiplier_pct % of the monthly allowance
  `create table means_standards (
    id serial primary key,
    region_code text not null references regions(code),
    effective_from date not null,
    allowance_fen int not null check (allowance_fen > 0),
    multiplier_pct int not null default 200 check (multiplier_pct between 1 and 1000),
    note text,
    created_by int references users(id),
    created_at timestamptz not null default now(),
    unique (region_code, effective_from)
  )`,
  // Bazhong's urban minimum living allowance (低保) per person per month, as data an admin corrects
  `insert into means_standards (region_code, effective_from, allowance_fen, multiplier_pct, note) values
    ('511900', '2024-01-01', 72000, 200, 'Bazhong urban minimum living allowance 720 yuan/month'),
    ('511900', '2025-07-01', 75000, 200, 'Bazhong urban minimum living allowance 750 yuan/month')`,
  `create table case_counters (
    year int primary key,
    last int not null default 0
  )`,
  `create table consultations (
    id serial primary key,
    at timestamptz not null default now(),
    channel text not null check (channel in ('walk_in','phone','hotline','online','workstation','outreach')),
    organization_id int references organizations(id),
    region_code text not null references regions(code),
    topic text not null,
    person_name text check (length(person_name) <= 100),
    phone text,
    question text not null check (length(question) between 1 and 2000),
    advice text not null default '' check (length(advice) <= 4000),
    became_application boolean not null default false,
    case_id int,
    created_by int references users(id),
    created_at timestamptz not null default now()
  )`,
  `create index consultations_at on consultations (at desc, id desc)`,
  `create table cases (
    id serial primary key,
    number text not null unique,
    status text not null default 'applied' check (status in (${CASE_STATUSES})),
    applicant_name text not null check (length(applicant_name) between 1 and 100),
    applicant_id_number text check (applicant_id_number ~ '^[0-9]{17}[0-9X]$'),
    applicant_phone text,
    applicant_address text check (length(applicant_address) <= 200),
    region_code text not null references regions(code),
    household_size int check (household_size between 1 and 30),
    monthly_income_fen bigint check (monthly_income_fen >= 0),
    kind text not null check (kind in ('criminal','civil','administrative','non_litigation')),
    category text not null,
    summary text not null default '' check (length(summary) <= 4000),
    opposing_parties text[] not null default '{}',
    priority_groups text[] not null default '{}',
    exemptions text[] not null default '{}',
    source text not null default 'walk_in' check (source in ('walk_in','workstation','court','procuratorate','police','online','hotline')),
    emergency boolean not null default false,
    green_channel boolean not null default false,
    centre_id int references organizations(id),
    consultation_id int references consultations(id),
    applied_on date not null,
    clock_started_on date,
    review_used_days int not null default 0,
    due_on date,
    paperwork_due_on date,
    paperwork_received_on date,
    eligibility jsonb,
    eligibility_rule text,
    decision text check (decision in ('granted','refused')),
    decision_reason text,
    decided_on date,
    decided_by int references users(id),
    appeal_reason text,
    appealed_on date,
    appeal_result text check (appeal_result in ('upheld','overturned')),
    termination_reason text,
    transferred_to int references organizations(id),
    lawyer_id int references lawyers(id),
    assigned_on date,
    accepted_on date,
    closed_on date,
    outcome text,
    hours numeric(6,1) check (hours >= 0),
    review_score int check (review_score between 0 and 100),
    review_findings text,
    reviewed_on date,
    reviewed_by int references users(id),
    followup_on date,
    followup_satisfied boolean,
    followup_complaint text,
    created_by int references users(id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  `alter table consultations add foreign key (case_id) references cases(id)`,
  `create index cases_queue on cases (status, green_channel desc, due_on, id)`,
  `create index cases_lawyer on cases (lawyer_id, status)`,
  `create index cases_created on cases (created_at desc, id desc)`,
  `create index cases_applicant on cases (applicant_name)`,
  // everything that happened to a case, for its timeline (the audit log keeps the security record)
  `create table case_events (
    id serial primary key,
    case_id int not null references cases(id) on delete cascade,
    at timestamptz not null default now(),
    actor_id int references users(id),
    actor_name text,
    kind text not null,
    detail jsonb not null default '{}'
  )`,
  `create index case_events_case on case_events (case_id, at, id)`,
  `create table case_material_requests (
    id serial primary key,
    case_id int not null references cases(id) on delete cascade,
    items text[] not null check (cardinality(items) between 1 and 30),
    note text,
    requested_on date not null,
    due_on date not null,
    status text not null default 'open' check (status in ('open','supplied','lapsed')),
    closed_on date,
    created_by int references users(id),
    created_at timestamptz not null default now()
  )`,
  `create index case_material_requests_case on case_material_requests (case_id, id)`,
  // at most one open request per case, decided by the database
  `create unique index case_material_requests_open on case_material_requests (case_id) where status = 'open'`,
  `create table case_dates (
    id serial primary key,
    case_id int not null references cases(id) on delete cascade,
    kind text not null check (kind in ('hearing','filing_deadline','meeting','other')),
    on_date date not null,
    at_time text check (at_time ~ '^[0-2][0-9]:[0-5][0-9]$'),
    place text check (length(place) <= 200),
    note text check (length(note) <= 500),
    created_by int references users(id),
    created_at timestamptz not null default now()
  )`,
  `create index case_dates_case on case_dates (case_id, on_date)`,
  `create index case_dates_day on case_dates (on_date)`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table case_dates, case_material_requests, case_events`.execute(db);
  await sql`alter table consultations drop column case_id`.execute(db);
  await sql`drop table cases, consultations, case_counters, means_standards, policies, calendar_days`.execute(db);
}
