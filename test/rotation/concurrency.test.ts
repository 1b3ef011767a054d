// On a real PostgreSQL server (several connections, real row locks): managers
// assigning at the same moment never give two cases the same turn, nor one case
// two lawyers, and the turns stay fair.
import t from 'tap';
import { buildTestApp, freshDatabase, onPostgres } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { grantedCase, lawyersOf } from './service-helpers.js';

if (!onPostgres) {
  t.pass('needs PostgreSQL (DATABASE_URL): PGlite has one connection and its locks never block');
} else {
  const { app, db } = await buildTestApp(t, { database: await freshDatabase({ poolSize: 20 }) });
  const user = await makeUser(db, 'manager');
  const token = (await createToken(db, { id: user.id, name: 'manager' }, user.id, 'test')).token;
  const assign = (caseId: number) =>
    app.inject({ method: 'POST', url: `/api/v1/cases/${caseId}/assignment`, headers: { authorization: `Bearer ${token}` }, payload: {} });

  t.test('20 cases assigned by 20 parallel requests: 20 distinct turns, fair counts', async (t) => {
    const lawyers = await lawyersOf(db, 6, 'labor');
    const cases = [];
    for (let i = 0; i < 20; i++) cases.push(await grantedCase(db, { category: 'labor' }));
    const results = await Promise.all(cases.map((c) => assign(c.id)));
    t.same(results.map((r) => r.statusCode), cases.map(() => 200), 'all assigned');
    const rows = await db.selectFrom('assignments').select(['seq', 'lawyer_id']).execute();
    t.equal(new Set(rows.map((r) => Number(r.seq))).size, 20, 'twenty distinct seqs');
    const got = new Map<number, number>();
    for (const r of rows) got.set(r.lawyer_id, (got.get(r.lawyer_id) ?? 0) + 1);
    const standings = await db.selectFrom('rotation_standings').select(['lawyer_id', 'turns']).execute();
    for (const s of standings) t.equal(s.turns, got.get(s.lawyer_id) ?? 0, `lawyer ${s.lawyer_id}: turns equal the cases received`);
    const counts = lawyers.map((l) => got.get(l.id) ?? 0);
    t.ok(Math.max(...counts) - Math.min(...counts) <= 1, `counts differ by at most 1: ${counts.join(', ')}`);
  });

  t.test('ten parallel assignments of one case: one active assignment, the rest 409', async (t) => {
    const c = await grantedCase(db, { category: 'labor' });
    const results = await Promise.all(Array.from({ length: 10 }, () => assign(c.id)));
    t.equal(results.filter((r) => r.statusCode === 200).length, 1, 'exactly one succeeds');
    t.equal(results.filter((r) => r.statusCode === 409).length, 9, 'the others are refused as a state conflict');
    const active = await db.selectFrom('assignments').select('id').where('case_id', '=', c.id).where('status', '=', 'active').execute();
    t.equal(active.length, 1);
    const events = await db.selectFrom('case_events').select('id').where('case_id', '=', c.id).where('kind', '=', 'assign').execute();
    t.equal(events.length, 1, 'one assignment on the timeline');
  });
}
