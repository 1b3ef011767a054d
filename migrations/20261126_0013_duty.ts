// Duty rosters (值班): shifts at workstations, who holds each seat, swaps that a
// manager approves, and the duty rotation's own standings (separate from case
// turns). Seats are decided under a lock on the shift row (modules/duty); the
// partial unique indexes are the backstop: one live assignment per person and
// shift, one pending swap per assignment, one credited hour entry per assignment.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table duty_shifts (
    id serial primary key,
    organization_id int not null references organizations(id),
    region_code text not null references regions(code),
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    seats int not null default 1 check (seats between 1 and 50),
    who text not null default 'either' check (who in ('lawyer','volunteer','either')),
    note text not null default '' check (length(note) <= 1000),
    series_id int references duty_shifts(id),
    status text not null default 'scheduled' check (status in ('scheduled','cancelled')),
    created_by int references users(id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (ends_at > starts_at),
    -- a credited hour entry holds at most a day
    check (ends_at <= starts_at + interval '24 hours')
  )`,
  `create index duty_shifts_time on duty_shifts (starts_at, id) where status = 'scheduled'`,
  `create index duty_shifts_org on duty_shifts (organization_id, starts_at)`,
  `create index duty_shifts_region on duty_shifts (region_code, starts_at)`,
  `create table duty_assignments (
    id serial primary key,
    shift_id int not null references duty_shifts(id),
    lawyer_id int references lawyers(id),
    volunteer_id int references volunteers(id),
    source text not null check (source in ('signup','rotation','manager','swap')),
    status text not null default 'assigned' check (status in ('assigned','released','attended','no_show')),
    -- the duty rotation's seq of the turn this pick took (source 'rotation' only)
    seq bigint unique,
    hour_entry_id int unique references hour_entries(id),
    assigned_by int references users(id),
    released_at timestamptz,
    marked_by int references users(id),
    marked_at timestamptz,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check ((lawyer_id is null) <> (volunteer_id is null)),
    check ((source = 'rotation') = (seq is not null)),
    check ((status = 'released') = (released_at is not null)),
    check ((status = 'attended') = (hour_entry_id is not null))
  )`,
  `create unique index duty_assignments_one_lawyer on duty_assignments (shift_id, lawyer_id) where status <> 'released' and lawyer_id is not null`,
  `create unique index duty_assignments_one_volunteer on duty_assignments (shift_id, volunteer_id) where status <> 'released' and volunteer_id is not null`,
  `create index duty_assignments_shift on duty_assignments (shift_id) where status <> 'released'`,
  `create index duty_assignments_lawyer on duty_assignments (lawyer_id, status) where lawyer_id is not null`,
  `create index duty_assignments_volunteer on duty_assignments (volunteer_id, status) where volunteer_id is not null`,
  // to a person (a swap), or to nobody (the shift is given back and listed as unfilled again)
  `create table duty_swaps (
    id serial primary key,
    assignment_id int not null references duty_assignments(id),
    to_lawyer_id int references lawyers(id),
    to_volunteer_id int references volunteers(id),
    new_assignment_id int references duty_assignments(id),
    requested_by int references users(id),
    reason text not null default '' check (length(reason) <= 1000),
    status text not null default 'pending' check (status in ('pending','approved','rejected','withdrawn')),
    decided_by int references users(id),
    decided_at timestamptz,
    decision_reason text check (length(decision_reason) <= 1000),
    created_at timestamptz not null default now(),
    check (num_nonnulls(to_lawyer_id, to_volunteer_id) <= 1),
    check ((status = 'pending') = (decided_at is null)),
    check (status <> 'rejected' or length(coalesce(decision_reason, '')) > 0)
  )`,
  `create unique index duty_swaps_one_pending on duty_swaps (assignment_id) where status = 'pending'`,
  `create index duty_swaps_pending on duty_swaps (created_at, id) where status = 'pending'`,
  // the duty rotation: one row serialises every fill; each lawyer's duty turns
  `create table duty_state (
    scope text primary key,
    seq bigint not null default 0
  )`,
  `insert into duty_state (scope, seq) values ('city', 0)`,
  `create table duty_standings (
    lawyer_id int primary key references lawyers(id) on delete cascade,
    turns int not null default 0 check (turns >= 0),
    last_seq bigint,
    joined_seq bigint not null default 0,
    updated_at timestamptz not null default now()
  )`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table duty_standings, duty_state, duty_swaps, duty_assignments, duty_shifts`.execute(db);
}
