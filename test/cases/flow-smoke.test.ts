import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeCase, makeClosedCase, TEST_ACTOR } from '../helpers/cases.js';
import { review } from '../../src/modules/cases/cases.actions.js';
import { caseDetail, listCases, statusCounts } from '../../src/modules/cases/cases.queries.js';

void t.test('a case walks from application to review', async (t) => {
  const { app } = await buildTestApp(t);
  const c = await makeCase(app.db, {}, '2026-09-28');
  t.equal(c.status, 'applied');
  t.match(c.number, /^2026-\d{5}$/);
  t.ok(c.due_on);
  const closed = await makeClosedCase(app.db);
  const reviewed = await review(app.db, TEST_ACTOR, closed.id, { score: 90, findings: null });
  t.equal(reviewed.status, 'reviewed');
  const page = await listCases(app.db, { page: 1 });
  t.equal(page.total, 2);
  const counts = await statusCounts(app.db, {});
  t.equal(counts.reviewed, 1);
  const detail = await caseDetail(app.db, reviewed);
  t.ok(detail.events.length >= 5);
  t.comment(JSON.stringify({ due: c.due_on, elig: c.eligibility, d: page.items[0]?.deadlines }));
});
