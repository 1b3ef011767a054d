// Emergency aid first (先行援助): granted on the day it is taken, with 10 working
// days for the missing paperwork; the paperwork deadline shows overdue once passed
// and disappears once the papers arrive; the queue's overdue filter agrees.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer } from '../helpers/people.js';
import { assignLawyer, decide, receivePaperwork, terminate } from '../../src/modules/cases/cases.actions.js';
import { deadlinesOf, getCase } from '../../src/modules/cases/cases.service.js';
import { listCases } from '../../src/modules/cases/cases.queries.js';
import { loadCalendar } from '../../src/modules/calendar/calendar.service.js';
import { RuleError } from '../../src/lib/errors.js';

const { app } = await buildTestApp(t);
const db = app.db;
const cal = await loadCalendar(db, '2026-01-01', '2027-12-31');
const overdueIds = async (on: string) => (await listCases(db, { page: 1, overdue: true }, on)).items.map((i) => i.id);

// Mon 28 Sep + 10 working days: 29, 30 Sep, 8, 9, Sat 10, 12, 13, 14, 15, 16 Oct
const ON = '2026-09-28';
const PAPERWORK_DUE = '2026-10-16';

void t.test('an emergency case is granted at once with a paperwork deadline', async (t) => {
  // an income far over the line: the review comes later, the help comes now
  const c = await makeCase(db, { emergency: true, householdSize: 1, monthlyIncomeFen: 9_999_999 }, ON);
  t.equal(c.status, 'granted');
  t.equal(c.decision, 'granted');
  t.equal(c.decided_on, ON);
  t.equal(c.paperwork_due_on, PAPERWORK_DUE);
  t.equal(c.due_on, '2026-10-13', 'and the civil assignment clock: 7 working days');
  const criminal = await makeCase(db, { emergency: true, kind: 'criminal', category: 'criminal' }, ON);
  t.equal(criminal.due_on, '2026-10-08', 'criminal: 3 working days (29, 30 Sep, 8 Oct)');
  const events = await db.selectFrom('case_events').select(['kind', 'detail']).where('case_id', '=', c.id).execute();
  t.match(events, [{ kind: 'emergency_accepted', detail: { paperworkDue: PAPERWORK_DUE } }]);
  t.equal((await db.selectFrom('case_material_requests').select('id').where('case_id', '=', c.id).execute()).length, 0, 'no materials hold');
});

void t.test('the paperwork deadline: running, then overdue, then gone when the papers arrive', async (t) => {
  const c = await makeCase(db, { emergency: true }, ON);
  const lawyer = await makeLawyer(db);
  // assigned: the assignment clock stops, only the paperwork deadline remains
  const assigned = await assignLawyer(db, TEST_ACTOR, c.id, { lawyerId: lawyer.id, reason: '紧急' }, '2026-09-29');
  t.equal(assigned.due_on, null);

  t.same(deadlinesOf(assigned, cal, '2026-10-15'), [{ kind: 'paperwork', dueOn: PAPERWORK_DUE, workingDaysLeft: 1, overdue: false }]);
  t.match(deadlinesOf(assigned, cal, PAPERWORK_DUE), [{ kind: 'paperwork', workingDaysLeft: 0, overdue: false }], 'due today');
  t.match(deadlinesOf(assigned, cal, '2026-10-19'), [{ kind: 'paperwork', workingDaysLeft: -1, overdue: true }], 'Monday after: overdue');

  t.notOk((await overdueIds(PAPERWORK_DUE)).includes(c.id), 'not in the overdue filter on the due date');
  t.ok((await overdueIds('2026-10-19')).includes(c.id), 'in the overdue filter once passed');
  const row = (await listCases(db, { page: 1, overdue: true }, '2026-10-19')).items.find((i) => i.id === c.id);
  t.equal(row?.overdue, true, 'the list row says overdue');

  const received = await receivePaperwork(db, TEST_ACTOR, c.id, '2026-10-20');
  t.equal(received.paperwork_received_on, '2026-10-20');
  t.same(deadlinesOf(received, cal, '2026-10-21'), [], 'no deadline after the papers arrived');
  t.notOk((await overdueIds('2026-10-21')).includes(c.id), 'no longer overdue');
  const event = await db.selectFrom('case_events').select('detail').where('case_id', '=', c.id).where('kind', '=', 'receive_paperwork').executeTakeFirst();
  t.match(event?.detail, { late: true }, 'the timeline records that the papers came late');
});

void t.test('paperwork can be received once, and only on an emergency case', async (t) => {
  const c = await makeCase(db, { emergency: true }, ON);
  await receivePaperwork(db, TEST_ACTOR, c.id, '2026-10-09');
  const twice = await receivePaperwork(db, TEST_ACTOR, c.id, '2026-10-12').catch((e: unknown) => e);
  t.type(twice, RuleError);
  t.match(twice, { statusCode: 409, code: 'no_paperwork_due', key: 'case.err.noPaperworkDue' });
  t.equal((await getCase(db, c.id))?.paperwork_received_on, '2026-10-09', 'the first date stays');

  const ordinary = await makeCase(db, {}, ON);
  await decide(db, TEST_ACTOR, ordinary.id, { granted: true, reason: null }, ON);
  const none = await receivePaperwork(db, TEST_ACTOR, ordinary.id, ON).catch((e: unknown) => e);
  t.match(none, { code: 'no_paperwork_due' });
});

void t.test('a terminated emergency case has no paperwork deadline, in the row or in the filter', async (t) => {
  const c = await makeCase(db, { emergency: true }, ON);
  const ended = await terminate(db, TEST_ACTOR, c.id, { reason: 'hired_own_lawyer', note: null });
  t.equal(ended.status, 'terminated');
  t.same(deadlinesOf(ended, cal, '2026-10-19'), []);
  t.notOk((await overdueIds('2026-10-19')).includes(c.id), 'the overdue filter agrees with the row');
});

void t.test('emergency cases are found by their filter', async (t) => {
  const page = await listCases(db, { page: 1, emergency: true }, '2026-10-01');
  t.ok(page.items.length >= 3);
  t.ok(
    page.items.every((i) => i.emergency),
    'only emergency cases',
  );
});
