// The rotation order as an index, so that a decision reads the head of its pool
// from an index instead of sorting every lawyer of the pool (rotation.facts.ts):
// - rotation_standings.rank_key is a lawyer's turns divided by their weight,
//   rounded to 9 places: the first key of the rotation order (compareRanked in
//   rotation.ts; see ROTATION_ORDER).
// - rotation_standings also holds a copy of what puts the lawyer in a pool: their
//   region, practice areas and whether they are inactive. Walking the order's
//   index, a decision skips the lawyers of other pools on the standing row itself,
//   without a lookup of each one's lawyers row (a pool can be 8% of the city).
// Triggers keep these copies right whoever writes the standing, and whenever the
// lawyer's weight, region, areas or status change.
// - lawyers.in_rotation says whether the lawyer has a standing yet. A lawyer
//   without one (a newcomer) must join the pool before anyone is picked; the
//   partial index finds such lawyers without reading the others.
import { sql, type Kysely } from 'kysely';

const statements = [
  `alter table rotation_standings
     add column rank_key numeric,
     add column region_code text,
     add column practice_areas text[],
     add column inactive boolean`,
  `update rotation_standings s set rank_key = round(s.turns::numeric / l.weight, 9), region_code = l.region_code,
     practice_areas = l.practice_areas, inactive = l.status = 'inactive'
     from lawyers l where l.id = s.lawyer_id`,
  `alter table rotation_standings
     alter column rank_key set not null,
     alter column region_code set not null,
     alter column practice_areas set not null,
     alter column inactive set not null`,
  `create index rotation_standings_order on rotation_standings (rank_key, last_seq nulls first, lawyer_id)`,
  `create function rotation_standings_copy() returns trigger language plpgsql as $$
  declare
    l lawyers%rowtype;
  begin
    select * into strict l from lawyers where id = new.lawyer_id;
    new.rank_key := round(new.turns::numeric / l.weight, 9);
    new.region_code := l.region_code;
    new.practice_areas := l.practice_areas;
    new.inactive := l.status = 'inactive';
    return new;
  end $$`,
  `create trigger rotation_standings_copy before insert or update on rotation_standings
    for each row execute function rotation_standings_copy()`,
  // touching the standing makes its own trigger copy the lawyer's new values
  `create function lawyers_rotation_copy() returns trigger language plpgsql as $$
  begin
    update rotation_standings set lawyer_id = lawyer_id where lawyer_id = new.id;
    return null;
  end $$`,
  `create trigger lawyers_rotation_copy after update of weight, region_code, practice_areas, status on lawyers
    for each row when (old.weight is distinct from new.weight or old.region_code is distinct from new.region_code
      or old.practice_areas is distinct from new.practice_areas or old.status is distinct from new.status)
    execute function lawyers_rotation_copy()`,
  `alter table lawyers add column in_rotation boolean not null default false`,
  `update lawyers l set in_rotation = true where exists (select 1 from rotation_standings s where s.lawyer_id = l.id)`,
  `create index lawyers_rotation_newcomers on lawyers (id) where not in_rotation`,
  // statement-level, with the rows as a transition table: a pool of 2,000 newcomers joins in one update
  `create function rotation_standings_joined() returns trigger language plpgsql as $$
  begin
    update lawyers set in_rotation = true where id in (select lawyer_id from joined) and not in_rotation;
    return null;
  end $$`,
  `create trigger rotation_standings_joined after insert on rotation_standings
    referencing new table as joined for each statement execute function rotation_standings_joined()`,
  `create function rotation_standings_left() returns trigger language plpgsql as $$
  begin
    update lawyers set in_rotation = false where id in (select lawyer_id from gone);
    return null;
  end $$`,
  `create trigger rotation_standings_left after delete on rotation_standings
    referencing old table as gone for each statement execute function rotation_standings_left()`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await sql.raw(statement).execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger rotation_standings_left on rotation_standings`.execute(db);
  await sql`drop trigger rotation_standings_joined on rotation_standings`.execute(db);
  await sql`drop trigger lawyers_rotation_copy on lawyers`.execute(db);
  await sql`drop trigger rotation_standings_copy on rotation_standings`.execute(db);
  await sql`drop function rotation_standings_left(), rotation_standings_joined(), lawyers_rotation_copy(), rotation_standings_copy()`.execute(db);
  await sql`drop index lawyers_rotation_newcomers`.execute(db);
  await sql`alter table lawyers drop column in_rotation`.execute(db);
  await sql`drop index rotation_standings_order`.execute(db);
  await sql`alter table rotation_standings drop column rank_key, drop column region_code, drop column practice_areas, drop column inactive`.execute(db);
}
