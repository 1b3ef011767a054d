// On a real PostgreSQL server (several connections, real row locks): parallel
// intake never hands out a case number twice, and two clerks deciding the same
// application at the same moment produce exactly one decision.
import t from 'tap';
import { buildTestApp, freshDatabase, onPostgres } from '../helpers/app.js';
import { caseInput, makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { createCase } from '../../src/modules/cases/cases.service.js';
import { decide, review } from '../../src/modules/cases/cases.actions.js';
import { makeClosedCase } from '../helpers/cases.js';
import { RuleError } from '../../src/lib/errors.js';

if (!onPostgres) {
  t.pass('needs PostgreSQL (DATABASE_URL): PGlite has one connection and its locks never block');
} else {
  const { db } = await buildTestApp(t, { database: await freshDatabase({ poolSize: 20 }) });

  t.test('30 applications at once get 30 distinct, consecutive numbers', async (t) => {
    const made = await Promise.all(Array.from({ length: 30 }, () => createCase(db, TEST_ACTOR, caseInput(), '2026-11-02')));
    const numbers = made.map((c) => Number(c.number.slice(5))).sort((a, b) => a - b);
    t.equal(new Set(numbers).size, 30, 'no number twice');
    t.same(numbers, Array.from({ length: 30 }, (_, i) => numbers[0] + i), 'no gaps');
  });

  t.test('ten parallel decisions on one application: one wins, the rest are refused', async (t) => {
    const c = await makeCase(db);
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, (_, i) => decide(db, { id: null, name: `clerk ${i}` }, c.id, i % 2 ? { granted: true, reason: null } : { granted: false, reason: '不符合' })),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    t.equal(won.length, 1, 'exactly one decision');
    t.ok(
      results.every((r) => r.status === 'fulfilled' || (r.reason instanceof RuleError && r.reason.code === 'invalid_state')),
      'the others are refused as a state conflict, not a crash',
    );
    const events = await db.selectFrom('case_events').select('id').where('case_id', '=', c.id).where('kind', '=', 'decide').execute();
    t.equal(events.length, 1, 'one decision on the timeline');
  });

  t.test('a file reviewed by two managers at once is scored once', async (t) => {
    const c = await makeClosedCase(db);
    const results = await Promise.allSettled([review(db, TEST_ACTOR, c.id, { score: 90, findings: null }), review(db, TEST_ACTOR, c.id, { score: 40, findings: null })]);
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    const audits = await db.selectFrom('audit_log').select('id').where('action', '=', 'case.review').where('entity_id', '=', String(c.id)).execute();
    t.equal(audits.length, 1, 'one review in the audit log');
  });
}
