// Outreach events and their sign-ups, and in-app notifications.
// Seats are decided under a lock on the event row (see modules/events); the
// constraints below are the backstop: one non-cancelled sign-up per person and
// event, one arrival seq per event, and one credited hour entry per sign-up.
import { sql, type Kysely } from 'kysely';

const statements = [
  `create table events (
    id serial primary key,
    title text not null check (length(title) between 1 and 200),
    description text not null default '' check (length(description) <= 4000),
    kind text not null check (kind in ('countryside','six_intos','consultation_day','duty_shift','other')),
    six_intos_target text check (six_intos_target in ('government_bodies','villages','communities','schools','enterprises','units')),
    starts_at timestamptz not null,
    ends_at timestamptz not null,
    region_code text not null references regions(code),
    location text not null check (length(location) between 1 and 300),
    capacity int not null check (capacity > 0 and capacity <= 10000),
    skills_wanted text[] not null default '{}',
    signup_opens_at timestamptz,
    signup_closes_at timestamptz,
    series_id int references events(id),
    status text not null default 'scheduled' check (status in ('scheduled','cancelled')),
    cancel_reason text check (length(cancel_reason) <= 1000),
    cancelled_at timestamptz,
    checkin_code text not null check (checkin_code ~ '^[0-9]{6}$'),
    created_by int references users(id),
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (ends_at > starts_at),
    -- one credited hour entry holds at most a day (hour_entries' own check)
    check (ends_at <= starts_at + interval '24 hours'),
    check ((kind = 'six_intos') = (six_intos_target is not null)),
    check (signup_opens_at is null or signup_closes_at is null or signup_opens_at < signup_closes_at),
    check (signup_opens_at is null or signup_opens_at < starts_at),
    check (signup_closes_at is null or signup_closes_at <= starts_at),
    check ((status = 'cancelled') = (cancelled_at is not null))
  )`,
  `create index events_upcoming on events (starts_at, id) where status = 'scheduled'`,
  `create index events_region on events (region_code, starts_at)`,
  `create index events_series on events (series_id) where series_id is not null`,
  `create table event_signups (
    id serial primary key,
    event_id int not null references events(id),
    volunteer_id int references volunteers(id),
    lawyer_id int references lawyers(id),
    status text not null check (status in ('confirmed','waitlisted','cancelled','attended','no_show')),
    seq bigint not null check (seq > 0),
    signed_up_at timestamptz not null default now(),
    cancelled_at timestamptz,
    promoted_at timestamptz,
    checked_in_at timestamptz,
    checked_in_by int references users(id),
    hour_entry_id int unique references hour_entries(id),
    created_by int references users(id),
    updated_at timestamptz not null default now(),
    check ((volunteer_id is null) <> (lawyer_id is null)),
    check ((status = 'cancelled') = (cancelled_at is not null)),
    check (status <> 'attended' or (checked_in_at is not null and hour_entry_id is not null)),
    unique (event_id, seq)
  )`,
  // a person holds at most one sign-up per event that is not cancelled (live, or already attended / no-show)
  `create unique index event_signups_one_volunteer on event_signups (event_id, volunteer_id) where status <> 'cancelled' and volunteer_id is not null`,
  `create unique index event_signups_one_lawyer on event_signups (event_id, lawyer_id) where status <> 'cancelled' and lawyer_id is not null`,
  `create index event_signups_volunteer on event_signups (volunteer_id, status) where volunteer_id is not null`,
  `create index event_signups_lawyer on event_signups (lawyer_id, status) where lawyer_id is not null`,
  // to a user account, or to a person (who may get an account later): exactly one
  `create table notifications (
    id serial primary key,
    user_id int references users(id),
    volunteer_id int references volunteers(id),
    lawyer_id int references lawyers(id),
    kind text not null check (kind ~ '^[a-z_.]+$'),
    payload jsonb not null default '{}',
    created_at timestamptz not null default now(),
    read_at timestamptz,
    check (num_nonnulls(user_id, volunteer_id, lawyer_id) = 1)
  )`,
  `create index notifications_user on notifications (user_id, id) where user_id is not null`,
  `create index notifications_volunteer on notifications (volunteer_id, id) where volunteer_id is not null`,
  `create index notifications_lawyer on notifications (lawyer_id, id) where lawyer_id is not null`,
  `insert into policies (key, effective_from, value, note) values
    ('events', '2022-01-01', '{"promotionCutoff":"event_day","creditHours":"duration"}',
     'Outreach events: no automatic promotion from the waitlist on the event day (Asia/Shanghai); attended hours credited = the event''s duration')`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from policies where key = 'events'`.execute(db);
  await sql`drop table notifications, event_signups, events`.execute(db);
}
