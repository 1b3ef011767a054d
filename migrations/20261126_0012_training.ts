// Training records: courses (with the roles that must take them, the practice
// area they open and the certificate they grant), their sessions, enrolment with
// capacity and a waitlist, attendance with credited hours (folded into the
// enrolment: one row per person per session), and the certificates attendance
// issues. A course's `code` is what cases.required_training names and what the
// rotation checks (see rotation.facts.ts). The 'training' policy holds the
// yearly credit hours each role must earn.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table training_courses (
    id serial primary key,
    code text unique check (code ~ '^[a-z][a-z0-9_]{0,39}$'),
    title text not null check (length(title) between 1 and 200),
    description text not null default '' check (length(description) <= 4000),
    credit_hours numeric(4,1) not null check (credit_hours > 0),
    required_for_roles text[] not null default '{}' check (required_for_roles <@ array['lawyer','volunteer','manager']::text[]),
    required_for_practice_area text,
    grants_certificate boolean not null default false,
    certificate_valid_months int check (certificate_valid_months between 1 and 600),
    created_by int references users(id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    -- a course that gates a practice area is named by its code; only a certificate has a validity
    check (required_for_practice_area is null or code is not null),
    check (grants_certificate or certificate_valid_months is null)
  )`,
  `create index training_courses_area on training_courses (required_for_practice_area) where required_for_practice_area is not null`,
  `create table training_sessions (
    id serial primary key,
    course_id int not null references training_courses(id),
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    location text not null check (length(location) between 1 and 200),
    capacity int not null check (capacity > 0),
    status text not null default 'scheduled' check (status in ('scheduled','cancelled')),
    created_by int references users(id),
    created_at timestamptz not null default now(),
    check (ends_at > starts_at)
  )`,
  `create index training_sessions_course on training_sessions (course_id, starts_at)`,
  `create table training_enrolments (
    id serial primary key,
    session_id int not null references training_sessions(id),
    lawyer_id int references lawyers(id),
    volunteer_id int references volunteers(id),
    status text not null check (status in ('enrolled','waitlisted','cancelled','attended','absent')),
    enrolled_at timestamptz not null default now(),
    hours numeric(4,1) check (hours > 0),
    recorded_by int references users(id),
    recorded_at timestamptz,
    check ((lawyer_id is null) <> (volunteer_id is null)),
    check ((status = 'attended') = (hours is not null))
  )`,
  // one live enrolment per person per session, decided by the database
  `create unique index training_enrolments_lawyer_live on training_enrolments (session_id, lawyer_id) where status <> 'cancelled'`,
  `create unique index training_enrolments_volunteer_live on training_enrolments (session_id, volunteer_id) where status <> 'cancelled'`,
  `create index training_enrolments_lawyer on training_enrolments (lawyer_id) where lawyer_id is not null`,
  `create index training_enrolments_volunteer on training_enrolments (volunteer_id) where volunteer_id is not null`,
  `create index training_enrolments_queue on training_enrolments (session_id, status, id)`,
  `create table training_certificates (
    id serial primary key,
    lawyer_id int references lawyers(id),
    volunteer_id int references volunteers(id),
    course_id int not null references training_courses(id),
    session_id int not null references training_sessions(id),
    enrolment_id int not null unique references training_enrolments(id),
    issued_on date not null,
    -- the last day the certificate is valid; null: it never expires
    expires_on date,
    created_at timestamptz not null default now(),
    check ((lawyer_id is null) <> (volunteer_id is null)),
    check (expires_on is null or expires_on >= issued_on)
  )`,
  `create index training_certificates_lawyer on training_certificates (lawyer_id, course_id) where lawyer_id is not null`,
  `create index training_certificates_volunteer on training_certificates (volunteer_id, course_id) where volunteer_id is not null`,
  `create index training_certificates_expires on training_certificates (expires_on) where expires_on is not null`,
  `insert into policies (key, effective_from, value, note) values
    ('training', '2022-01-01', '{"requiredHours":{"lawyer":12,"volunteer":6}}', 'Training credit hours each role must earn per year')`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from policies where key = 'training'`.execute(db);
  await sql`drop table training_certificates, training_enrolments, training_sessions, training_courses`.execute(db);
}
