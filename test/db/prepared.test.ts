// The rotation decision's statements run as named prepared statements on a
// PostgreSQL server: parsed once per connection, and planned once with a
// generic plan that walks the rotation order's index (not a sort of the pool).
// The mark is a comment, harmless on the embedded database.
import t from 'tap';
import { sql } from 'kysely';
import { freshDatabase, onPostgres } from '../helpers/app.js';
import { prepared, statementName } from '../../src/db/prepared.js';
import { assignByRotation } from '../../src/modules/rotation/rotation.service.js';
import { grantedCase } from '../rotation/service-helpers.js';

const ACTOR = { id: null, name: 'test' };

t.test('a statement name follows the text', async (t) => {
  const a = statementName('select 1 /* prepared */');
  t.equal(statementName('select 1 /* prepared */'), a, 'the same text, the same name');
  t.not(statementName('select 2 /* prepared */'), a, 'another text, another name');
  t.match(a, /^fy_[0-9a-f]{32}$/, 'a name PostgreSQL accepts (under 64 bytes)');
});

t.test('a marked statement runs and answers as an unmarked one', async (t) => {
  const test = await freshDatabase({ poolSize: 1 });
  t.teardown(async () => {
    await test.database.close();
    await test.drop();
  });
  const { db } = test.database;
  for (const n of [1, 2, 3]) {
    const row = await db.selectNoFrom(sql<number>`${n}::int + 1`.as('x')).modifyEnd(prepared).executeTakeFirstOrThrow();
    t.equal(row.x, n + 1, `run ${n}`);
  }
});

t.test('on PostgreSQL: the decision is prepared, planned generically on the index, and survives a new column', { skip: !onPostgres && 'needs PostgreSQL (DATABASE_URL)' }, async (t) => {
  // one connection, so the prepared statements and the settings below are the decisions' own
  const test = await freshDatabase({ poolSize: 1 });
  t.teardown(async () => {
    await test.database.close();
    await test.drop();
  });
  const { db } = test.database;
  // a pool big enough that walking the index and sorting the pool are different plans
  await sql`insert into lawyers (name, license_no, practice_areas, level, region_code, status, max_open_cases)
    select 'P' || g, 'P' || (90000000000000000 + g)::text, array[(array['labor','family','land','medical'])[1 + g % 4]], 2, '511902', 'active', 100
    from generate_series(1, 4000) g`.execute(db);
  await sql`insert into rotation_standings (lawyer_id, turns, last_seq, joined_seq) select id, id % 7, null, 0 from lawyers where license_no like 'P%'`.execute(db);
  // years of leave history: ten past leaves each, and one lawyer in ten away today
  await sql`insert into lawyer_leaves (lawyer_id, starts_on, ends_on, reason)
    select id, current_date - 400 * g + id % 300, current_date - 400 * g + id % 300 + 10, 'past' from lawyers, generate_series(1, 10) g`.execute(db);
  await sql`insert into lawyer_leaves (lawyer_id, starts_on, ends_on, reason) select id, current_date - 1, current_date + 5, 'now' from lawyers where id % 10 = 0`.execute(db);
  await sql`analyze`.execute(db);
  for (let i = 0; i < 8; i++) {
    const c = await grantedCase(db, { category: 'labor', regionCode: '511902' });
    await assignByRotation(db, ACTOR, c.id);
  }
  const statements = (
    await sql<{ name: string; statement: string; generic_plans: string; custom_plans: string; params: number }>`
      select name, statement, generic_plans, custom_plans, cardinality(parameter_types) params from pg_prepared_statements where name like 'fy\\_%'`.execute(db)
  ).rows;
  const find = (re: RegExp) => statements.find((s) => re.test(s.statement));
  const start = find(/update "rotation_state"/);
  const head = find(/"rotation_standings" as "s"/);
  const write = find(/insert into "assignments"/);
  t.ok(start && head && write, `the start, the head and the write are prepared (${statements.length} statements)`);
  t.ok(Number(head?.generic_plans) > 0, `the head runs on a generic plan once the server judged it (generic ${head?.generic_plans}, custom ${head?.custom_plans})`);
  // the generic plan, whatever the values: it must walk the rotation order's index
  await sql`set plan_cache_mode = force_generic_plan`.execute(db);
  const plan = (await sql<{ 'QUERY PLAN': string }>`explain execute ${sql.raw(head!.name)}(${sql.raw(Array(head!.params).fill('null').join(', '))})`.execute(db)).rows
    .map((r) => r['QUERY PLAN'])
    .join('\n');
  await sql`reset plan_cache_mode`.execute(db);
  t.match(plan, /Index Scan using rotation_standings_order/, 'the generic plan walks the index');
  t.notMatch(plan, /Seq Scan on rotation_standings/, 'and does not read the whole table to sort it');
  t.match(plan, /Index Only Scan using lawyer_leaves_until/, "a lawyer's leave is found without reading the past ones");

  // another instance's migration gives cases a column: the statement selecting every column fails (cached plan
  // must not change result type, 0A000), which changes nothing; the transaction is retried on statements prepared afresh
  await sql`alter table cases add column later_column int`.execute(db);
  const c1 = await grantedCase(db, { category: 'labor', regionCode: '511902' });
  const done = await assignByRotation(db, ACTOR, c1.id);
  t.equal(done.case.status, 'assigned', 'the first decision after the change assigns');
  const rows = await db.selectFrom('assignments').select('seq').where('case_id', '=', c1.id).execute();
  t.equal(rows.length, 1, 'once');
  const renamed = (await sql<{ name: string }>`select name from pg_prepared_statements where name like 'fy\\_%\\_%'`.execute(db)).rows;
  t.ok(renamed.length >= 1, 'under new names');
  const c2 = await grantedCase(db, { category: 'labor', regionCode: '511902' });
  t.equal((await assignByRotation(db, ACTOR, c2.id)).case.status, 'assigned', 'and the next decision too');
});
