// The review clock: 7 working days from a complete application, stopped while the
// applicant's missing materials are awaited (10 working days to supply them), run
// again with only the days left, and the application withdrawn if they never come.
// Every expected date is counted by hand below on the seeded 2026 calendar.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { lapseMaterials, requestMaterials, supplyMaterials } from '../../src/modules/cases/cases.actions.js';
import { deadlinesOf, getCase } from '../../src/modules/cases/cases.service.js';
import { loadCalendar } from '../../src/modules/calendar/calendar.service.js';
import { RuleError } from '../../src/lib/errors.js';

const { app } = await buildTestApp(t);
const db = app.db;
const requests = (caseId: number) => db.selectFrom('case_material_requests').selectAll().where('case_id', '=', caseId).orderBy('id').execute();

void t.test('an application with missing items waits for them with no review clock', async (t) => {
  // Mon 2 Nov: 10 working days for the materials -> 3-6, 9-13, 16 Nov
  const c = await makeCase(db, { missingItems: ['户口簿', '收入证明'] }, '2026-11-02');
  t.equal(c.status, 'pending_materials');
  t.equal(c.clock_started_on, null, 'the review clock has not started');
  t.equal(c.review_used_days, 0);
  t.equal(c.due_on, '2026-11-16', 'the deadline is the materials deadline');
  const [request] = await requests(c.id);
  t.same(request?.items, ['户口簿', '收入证明'], 'one notice lists everything missing');
  t.equal(request?.status, 'open');
  const cal = await loadCalendar(db, '2026-11-01', '2026-12-31');
  t.same(
    deadlinesOf(c, cal, '2026-11-03').map((d) => d.kind),
    ['materials'],
    'no review deadline runs while waiting',
  );

  // supplied on Thu 5 Nov: the full 7 days from then -> 6, 9-13, 16 Nov
  const supplied = await supplyMaterials(db, TEST_ACTOR, c.id, '2026-11-05');
  t.equal(supplied.status, 'applied');
  t.equal(supplied.clock_started_on, '2026-11-05');
  t.equal(supplied.due_on, '2026-11-16');
  t.equal((await requests(c.id))[0]?.status, 'supplied');
  t.same(
    deadlinesOf(supplied, cal, '2026-11-05').map((d) => [d.kind, d.workingDaysLeft]),
    [['review', 7]],
  );
});

void t.test('asking for materials on day 3 pauses the clock; supplying them resumes it with the 4 days left', async (t) => {
  // complete on Mon 2 Nov: due Wed 11 Nov (3, 4, 5, 6, 9, 10, 11)
  const c = await makeCase(db, {}, '2026-11-02');
  t.equal(c.status, 'applied');
  t.equal(c.clock_started_on, '2026-11-02');
  t.equal(c.due_on, '2026-11-11');

  // Thu 5 Nov is day 3 of the review (Tue 3, Wed 4, Thu 5)
  const paused = await requestMaterials(db, TEST_ACTOR, c.id, { items: ['劳动合同'], note: null }, '2026-11-05');
  t.equal(paused.status, 'pending_materials');
  t.equal(paused.review_used_days, 3);
  t.equal(paused.clock_started_on, null);
  t.equal(paused.due_on, '2026-11-19', 'the materials deadline: 10 working days from Thu 5 Nov');

  // supplied Thu 12 Nov: 4 days left -> Fri 13, Mon 16, Tue 17, Wed 18
  const resumed = await supplyMaterials(db, TEST_ACTOR, c.id, '2026-11-12');
  t.equal(resumed.status, 'applied');
  t.equal(resumed.due_on, '2026-11-18', 'a week later than without the pause, not 7 fresh days');
  t.equal(resumed.review_used_days, 3);

  // asked again on Mon 16 Nov: 3 + (Fri 13, Mon 16) = 5 used; supplied Fri 20 Nov -> Mon 23, Tue 24
  const again = await requestMaterials(db, TEST_ACTOR, c.id, { items: ['工资条'], note: '原件' }, '2026-11-16');
  t.equal(again.review_used_days, 5, 'the days used add up across pauses');
  const last = await supplyMaterials(db, TEST_ACTOR, c.id, '2026-11-20');
  t.equal(last.due_on, '2026-11-24');
  t.same(
    (await requests(c.id)).map((r) => r.status),
    ['supplied', 'supplied'],
  );
});

void t.test('the paused clock resumes across the National Day week and its make-up Saturday', async (t) => {
  // Thu 24 Sep; Fri 25 is Mid-Autumn; day 3 is Wed 30 Sep (28, 29, 30)
  const c = await makeCase(db, {}, '2026-09-24');
  t.equal(c.due_on, '2026-10-12', '28, 29, 30 Sep, 8, 9, Sat 10, 12 Oct');
  const paused = await requestMaterials(db, TEST_ACTOR, c.id, { items: ['身份证复印件'], note: null }, '2026-09-30');
  t.equal(paused.review_used_days, 3);
  // supplied Fri 9 Oct: 4 left -> Sat 10 (make-up), Mon 12, Tue 13, Wed 14
  const resumed = await supplyMaterials(db, TEST_ACTOR, c.id, '2026-10-09');
  t.equal(resumed.due_on, '2026-10-14');
});

void t.test('materials not supplied by the deadline: withdrawn; not before', async (t) => {
  const c = await makeCase(db, { missingItems: ['户口簿'] }, '2026-11-02');
  t.equal(c.due_on, '2026-11-16');
  for (const on of ['2026-11-10', '2026-11-16']) {
    const err = await lapseMaterials(db, TEST_ACTOR, c.id, on).then(
      () => undefined,
      (e: unknown) => e,
    );
    t.type(err, RuleError, `refused on ${on}`);
    t.match(err, { statusCode: 409, code: 'not_due', key: 'case.err.materialsNotDue', params: { due: '2026-11-16' } });
  }
  t.equal((await getCase(db, c.id))?.status, 'pending_materials', 'the deadline day itself is still in time');
  t.equal((await requests(c.id))[0]?.status, 'open');

  const lapsed = await lapseMaterials(db, TEST_ACTOR, c.id, '2026-11-17');
  t.equal(lapsed.status, 'withdrawn');
  t.equal(lapsed.termination_reason, 'materials_not_supplied');
  t.equal(lapsed.due_on, null, 'no deadline runs on a withdrawn application');
  const [request] = await requests(c.id);
  t.equal(request?.status, 'lapsed');
  t.equal(request?.closed_on, '2026-11-17');
  const events = await db.selectFrom('case_events').select('kind').where('case_id', '=', c.id).orderBy('id').execute();
  t.same(
    events.map((e) => e.kind),
    ['applied', 'lapse_materials'],
    'the timeline shows why',
  );
});

void t.test('materials brought after the deadline do not revive the application', async (t) => {
  const c = await makeCase(db, { missingItems: ['收入证明'] }, '2026-11-02');
  t.equal(c.due_on, '2026-11-16');
  const late = await supplyMaterials(db, TEST_ACTOR, c.id, '2026-11-17').catch((e: unknown) => e);
  t.type(late, RuleError);
  t.match(late, { statusCode: 409, code: 'materials_lapsed', key: 'case.err.materialsLapsed', params: { due: '2026-11-16' } });
  const still = await getCase(db, c.id);
  t.equal(still?.status, 'pending_materials', 'unchanged: the lapse is recorded by lapseMaterials');
  t.equal((await requests(c.id))[0]?.status, 'open');
  t.equal((await lapseMaterials(db, TEST_ACTOR, c.id, '2026-11-17')).status, 'withdrawn');
  const onTheDay = await makeCase(db, { missingItems: ['收入证明'] }, '2026-11-02');
  t.equal((await supplyMaterials(db, TEST_ACTOR, onTheDay.id, '2026-11-16')).status, 'applied', 'on the deadline day itself: in time');
});
