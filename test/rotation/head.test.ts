// A decision judges only the head of a large pool (in rotation order, from the
// database) when that settles it. It must decide exactly as judging the whole
// pool would: the same lawyer, the same skips ahead of the pick, the same first
// candidates with their standings. Checked against the manager's preview, which
// judges the whole pool, over random pools with weights, leave, conflicts, caps,
// levels, declines and newcomers.
import t from 'tap';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { Client, text } from '../helpers/client.js';
import { assignByRotation, declineAssignment, previewAssignment } from '../../src/modules/rotation/rotation.service.js';
import { STORED_CANDIDATES } from '../../src/modules/rotation/rotation.explain.js';
import { grantedCase } from './service-helpers.js';

const { app, db } = await buildTestApp(t);
const on = '2026-11-02';

// a small deterministic generator, so a failure can be replayed
let state = 20261126;
const rand = () => ((state = (state * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
const oneOf = <T>(xs: readonly T[]) => xs[Math.floor(rand() * xs.length)];

const firm = await makeOrganization(db, { kind: 'law_firm', name: '头部测试律所' });
const POOL = 400;
const lawyers = [];
for (let i = 0; i < POOL; i++) {
  lawyers.push({
    name: `头部律师${i}`,
    license_no: String(35119_2020_0000_0000n + BigInt(i)),
    organization_id: firm.id,
    practice_areas: oneOf([['labor'], ['labor', 'family'], ['family', 'labor']]),
    level: oneOf([1, 2, 2, 3]),
    // 511922 does not serve a case in 511902: not in the pool
    region_code: oneOf(['511902', '511902', '511903', '511922']),
    max_open_cases: rand() < 0.06 ? 0 : 100,
    weight: String(oneOf([1, 1, 1, 0.5, 1.5, 2, 0.3, 0.7, 1.2])),
  });
}
const ids: number[] = [];
for (const l of lawyers) ids.push((await db.insertInto('lawyers').values(l).returning('id').executeTakeFirstOrThrow()).id);
for (const id of ids) {
  if (rand() < 0.08) await db.insertInto('lawyer_leaves').values({ lawyer_id: id, starts_on: '2026-10-01', ends_on: '2026-12-31', reason: '病假' }).execute();
  if (rand() < 0.06) await db.insertInto('lawyer_conflicts').values({ lawyer_id: id, party: '甲建筑公司' }).execute();
}
// standings for all but a few (newcomers join at the next decision); turns per weight close together, many ties
const standings = ids.filter(() => rand() < 0.95).map((id) => ({ lawyer_id: id, turns: Math.floor(rand() * 4), last_seq: rand() < 0.2 ? null : 1 + Math.floor(rand() * 900), joined_seq: 0 }));
await db.insertInto('rotation_standings').values(standings).execute();
await sql`update rotation_state set seq = 1000 where scope = 'city'`.execute(db);

const pairs = (xs: { lawyerId: number; reason?: string; turns?: number }[]) => xs.map((x) => [x.lawyerId, x.reason ?? x.turns]);

void t.test('the head of the pool decides as the whole pool would', async (t) => {
  let head = 0;
  let skips = 0;
  for (let i = 0; i < 45; i++) {
    const c = await grantedCase(db, { category: 'labor', regionCode: '511902', opposingParties: rand() < 0.4 ? ['甲建筑公司'] : [] }, { minLevel: oneOf([1, 1, 2]) });
    const whole = await previewAssignment(db, c.id, on);
    const { assignment } = await assignByRotation(db, TEST_ACTOR, c.id, {}, on);
    const e = assignment.explanation;
    t.equal(assignment.lawyer_id, whole.chosen?.lawyerId, `case ${i}: the same lawyer`);
    t.same(pairs(e.passedOver), pairs(whole.passedOver), `case ${i}: the same skips ahead of the pick, in order`);
    t.same(
      e.candidates.slice(0, STORED_CANDIDATES).map((k) => [k.lawyerId, k.rank, k.turns, k.lastSeq]),
      whole.candidates.slice(0, STORED_CANDIDATES).map((k) => [k.lawyerId, k.rank, k.turns, k.lastSeq]),
      `case ${i}: the same first candidates`,
    );
    // the pool's size is known (and stored) only when the whole pool was judged
    if (e.poolSize === undefined) {
      t.ok(e.examined! < whole.poolSize, `case ${i}: the head of ${e.examined} of ${whole.poolSize}`);
      head++;
    } else t.equal(e.poolSize, whole.poolSize);
    if (e.passedOver.length) skips++;
    // now and then the lawyer declines: the case comes back, without them
    // now and then a lawyer's weight changes: their place in the order (the index) must follow
    if (rand() < 0.15) {
      await db.updateTable('lawyers').set({ weight: String(oneOf([0.5, 1, 2, 3])) }).where('id', '=', oneOf(ids)).execute();
    }
    // and a lawyer moves, changes areas, stops or starts again: their pools (read from the standing's copies) follow
    if (rand() < 0.3) {
      const id = oneOf(ids);
      const change = oneOf(['region', 'areas', 'status'] as const);
      if (change === 'region') await db.updateTable('lawyers').set({ region_code: oneOf(['511902', '511903', '511922']) }).where('id', '=', id).execute();
      if (change === 'areas') await db.updateTable('lawyers').set({ practice_areas: oneOf([['labor'], ['family'], ['family', 'labor']]) }).where('id', '=', id).execute();
      if (change === 'status') await db.updateTable('lawyers').set({ status: oneOf(['active', 'inactive'] as const) }).where('id', '=', id).execute();
    }
    if (rand() < 0.2) {
      await declineAssignment(db, { id: null, name: 'test' }, c.id, { reason: '案件过多', conflict: rand() < 0.5 }, on);
      const again = await previewAssignment(db, c.id, on);
      const redo = await assignByRotation(db, TEST_ACTOR, c.id, {}, on);
      t.equal(redo.assignment.lawyer_id, again.chosen?.lawyerId, `case ${i}: after a decline, the same lawyer`);
      t.same(pairs(redo.assignment.explanation.passedOver), pairs(again.passedOver));
    }
  }
  t.ok(head > 30, `${head} decisions judged only the head of the pool`);
  // what the index is built on (migration 0014's triggers), after turns, joins and weight changes
  const [one, two] = await db.selectFrom('lawyers').select(['id', 'weight', 'region_code']).where('in_rotation', '=', true).orderBy('id').limit(2).execute();
  await db.updateTable('lawyers').set({ weight: Number(one.weight) === 2 ? '3' : '2' }).where('id', '=', one.id).execute();
  await db.updateTable('lawyers').set({ region_code: two.region_code === '511902' ? '511903' : '511902', practice_areas: ['family', 'land'], status: 'inactive' }).where('id', '=', two.id).execute();
  const stale = await sql<{ n: number }>`select count(*)::int as n from rotation_standings s join lawyers l on l.id = s.lawyer_id where s.rank_key <> round(s.turns::numeric / l.weight, 9)`.execute(db);
  t.equal(stale.rows[0].n, 0, 'every rank key is turns / weight');
  const copies = await sql<{ n: number }>`select count(*)::int as n from rotation_standings s join lawyers l on l.id = s.lawyer_id
    where s.region_code <> l.region_code or s.practice_areas <> l.practice_areas or s.inactive <> (l.status = 'inactive')`.execute(db);
  t.equal(copies.rows[0].n, 0, 'every standing holds its lawyer’s region, areas and status');
  const flags = await sql<{ n: number }>`select count(*)::int as n from lawyers l where l.in_rotation <> exists (select 1 from rotation_standings s where s.lawyer_id = l.id)`.execute(db);
  t.equal(flags.rows[0].n, 0, 'in_rotation says whether the lawyer has a standing');
  t.ok((await db.selectFrom('lawyers').select('id').where('in_rotation', '=', true).execute()).length > standings.length, 'the newcomers joined');
  // the case page says so
  const m = new Client(app);
  await m.login((await makeUser(db, 'manager')).email);
  const last = await db.selectFrom('assignments').select(['case_id', 'explanation']).where('status', '=', 'active').orderBy('seq', 'desc').executeTakeFirstOrThrow();
  const e = last.explanation as { examined: number; poolSize?: number };
  t.equal(e.poolSize, undefined, 'the head settled it');
  t.match(text((await m.get(`/cases/${last.case_id}`)).body), `The first ${e.examined} lawyers in line, in rotation order, settled this choice`);
  t.ok(skips > 5, `${skips} decisions skipped lawyers ahead of the pick`);
});

void t.test("a large pool: the assign page lists the first 50 candidates, and offers every one for an override", async (t) => {
  const m = new Client(app);
  await m.login((await makeUser(db, 'manager')).email);
  const c = await grantedCase(db, { category: 'labor', regionCode: '511902', opposingParties: [] });
  const whole = await previewAssignment(db, c.id, on);
  t.ok(whole.candidates.length > 60, `${whole.candidates.length} candidates`);
  const page = await m.get(`/cases/${c.id}/assign`);
  const rows = /<table class="data candidates">([\s\S]*?)<\/table>/.exec(page.body)?.[1].match(/<tr/g) ?? [];
  t.equal(rows.length, 51, 'a header and 50 rows');
  t.match(text(page.body), `And ${whole.candidates.length - 50} more eligible lawyers after them in rotation order`);
  const options = /<select[^>]*name="lawyerId"[\s\S]*?<\/select>/.exec(page.body)?.[0].match(/<option value="\d+"/g) ?? [];
  t.equal(options.length, whole.candidates.length - 1, 'every other candidate can be chosen');
});
