// Statutory deadlines on the seeded 2026 calendar (State Council schedule): the
// review's 7 working days across holidays and make-up workdays, the assignment
// limit (3 for criminal and notified cases, 7 otherwise), the appeal's 5, and a
// new version of the time limits that applies from its effective date only.
// 2026 exceptions used here: Sat 14 Feb and Sat 28 Feb worked, 16-20 and 23 Feb
// off; Sun 20 Sep worked, Fri 25 Sep off; 1, 2, 5, 6, 7 Oct off, Sat 10 Oct worked.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { appeal, decide, decideAppeal, lapseMaterials } from '../../src/modules/cases/cases.actions.js';
import { deadlinesOf, getCase } from '../../src/modules/cases/cases.service.js';
import { loadCalendar } from '../../src/modules/calendar/calendar.service.js';
import { RuleError } from '../../src/lib/errors.js';

const { app } = await buildTestApp(t);
const db = app.db;
const cal = await loadCalendar(db, '2026-01-01', '2027-12-31');

void t.test('the review deadline jumps the National Day week and counts its make-up Saturday', async (t) => {
  // Tue 29 Sep: Wed 30; 1-7 Oct off; Thu 8, Fri 9, Sat 10 (worked), Mon 12, Tue 13, Wed 14
  t.equal((await makeCase(db, {}, '2026-09-29')).due_on, '2026-10-14');
  // Wed 30 Sep: Thu 8, Fri 9, Sat 10, Mon 12 .. Thu 15
  const c = await makeCase(db, {}, '2026-09-30');
  t.equal(c.due_on, '2026-10-15', 'Friday 16th if the make-up Saturday did not count');
  const left = (on: string) => deadlinesOf(c, cal, on)[0];
  t.match(left('2026-09-30'), { kind: 'review', workingDaysLeft: 7, overdue: false });
  t.match(left('2026-10-05'), { workingDaysLeft: 7, overdue: false }, 'a holiday uses none of the days');
  t.match(left('2026-10-11'), { workingDaysLeft: 4 }, 'the make-up Saturday used one');
  t.match(left('2026-10-15'), { workingDaysLeft: 0, overdue: false }, 'due today is not overdue');
  t.match(left('2026-10-16'), { workingDaysLeft: -1, overdue: true });
});

void t.test('make-up workdays on a Saturday and a Sunday count', async (t) => {
  // Thu 12 Feb: Fri 13, Sat 14 (worked); 16-20, 23 Feb off; 24, 25, 26, 27, Sat 28 (worked)
  t.equal((await makeCase(db, {}, '2026-02-12')).due_on, '2026-02-28', 'the deadline may fall on a worked Saturday');
  // Fri 18 Sep: Sun 20 (worked), 21-24; Fri 25 Mid-Autumn off; Mon 28, Tue 29
  t.equal((await makeCase(db, {}, '2026-09-18')).due_on, '2026-09-29');
  // an ordinary week for comparison: Mon 2 Nov -> Wed 11 Nov
  t.equal((await makeCase(db, {}, '2026-11-02')).due_on, '2026-11-11');
});

void t.test('assignment: 3 working days for criminal and notified cases, 7 for the others', async (t) => {
  const decided = async (fields: Parameters<typeof makeCase>[1]) => {
    const c = await makeCase(db, { householdSize: 1, monthlyIncomeFen: 0, ...fields }, '2026-09-28');
    return decide(db, TEST_ACTOR, c.id, { granted: true, reason: null }, '2026-09-30');
  };
  // decided Wed 30 Sep: 3 -> Thu 8, Fri 9, Sat 10 Oct; 7 -> ... Thu 15 Oct
  t.equal((await decided({ kind: 'criminal', category: 'criminal' })).due_on, '2026-10-10', 'criminal');
  t.equal((await decided({ kind: 'civil', source: 'court' })).due_on, '2026-10-10', 'civil notified by a court');
  t.equal((await decided({ kind: 'administrative', category: 'land', source: 'police' })).due_on, '2026-10-10', 'notified by the police');
  t.equal((await decided({ kind: 'civil', source: 'procuratorate' })).due_on, '2026-10-10', 'notified by the procuratorate');
  t.equal((await decided({ kind: 'civil' })).due_on, '2026-10-15', 'a civil walk-in');
  t.equal((await decided({ kind: 'non_litigation', category: 'consumer', source: 'workstation' })).due_on, '2026-10-15', 'from a workstation');
  const granted = await decided({ kind: 'criminal', category: 'criminal' });
  t.same(
    deadlinesOf(granted, cal, '2026-10-09').map((d) => [d.kind, d.dueOn, d.workingDaysLeft]),
    [['assign', '2026-10-10', 1]],
  );
});

void t.test("the appeal of a refusal is decided within 5 working days", async (t) => {
  const c = await makeCase(db, { householdSize: 1, monthlyIncomeFen: 9_999_999 }, '2026-09-21');
  const refused = await decide(db, TEST_ACTOR, c.id, { granted: false, reason: '收入超过标准' }, '2026-09-28');
  t.equal(refused.due_on, null, 'no clock on a refusal until it is appealed');
  // appealed Tue 29 Sep: Wed 30, Thu 8, Fri 9, Sat 10, Mon 12 Oct
  const appealed = await appeal(db, TEST_ACTOR, c.id, { reason: '收入计算有误' }, '2026-09-29');
  t.equal(appealed.status, 'appealed');
  t.equal(appealed.due_on, '2026-10-12');
  t.match(deadlinesOf(appealed, cal, '2026-10-13')[0], { kind: 'appeal', overdue: true, workingDaysLeft: -1 });
  const upheld = await decideAppeal(db, TEST_ACTOR, c.id, { overturn: false, reason: '维持原决定' }, '2026-10-09');
  t.equal(upheld.status, 'refused');
  t.equal(upheld.appeal_result, 'upheld');
  t.equal(upheld.due_on, null);
});

void t.test('an overturned appeal grants the case and starts the assignment clock', async (t) => {
  const c = await makeCase(db, { kind: 'criminal', category: 'criminal', householdSize: 1, monthlyIncomeFen: 9_999_999 }, '2026-09-21');
  await decide(db, TEST_ACTOR, c.id, { granted: false, reason: '收入超过标准' }, '2026-09-22');
  await appeal(db, TEST_ACTOR, c.id, { reason: '可能判处无期徒刑' }, '2026-09-23');
  const granted = await decideAppeal(db, TEST_ACTOR, c.id, { overturn: true, reason: '属于应当通知辩护' }, '2026-09-30');
  t.equal(granted.status, 'granted');
  t.equal(granted.appeal_result, 'overturned');
  t.equal(granted.due_on, '2026-10-10', 'criminal: 3 working days from the appeal decision');
});

void t.test('a new version of the time limits applies from its effective date only', async (t) => {
  const before = await makeCase(db, {}, '2026-11-30');
  t.equal(before.due_on, '2026-12-09', 'Mon 30 Nov + 7: Tue 1 .. Wed 9 Dec');
  await db
    .insertInto('policies')
    .values({
      key: 'time_limits',
      effective_from: '2026-12-01',
      value: JSON.stringify({ reviewDays: 10, assignDaysCriminal: 2, assignDaysNotified: 2, assignDaysOther: 5, appealDays: 3, materialsDays: 15, emergencyPaperworkDays: 5 }),
    })
    .execute();
  t.equal((await getCase(db, before.id))?.due_on, '2026-12-09', 'a running deadline is not rewritten');
  t.equal((await makeCase(db, {}, '2026-11-30')).due_on, '2026-12-09', 'the day before: the old 7 days');
  t.equal((await makeCase(db, {}, '2026-12-01')).due_on, '2026-12-15', 'from Tue 1 Dec: 10 days, 2-4, 7-11, 14, 15 Dec');
  t.equal((await makeCase(db, { missingItems: ['户口簿'] }, '2026-12-01')).due_on, '2026-12-22', 'materials: 15 days');

  // the assignment limit in force on the decision date
  const early = await decide(db, TEST_ACTOR, before.id, { granted: true, reason: null }, '2026-11-30');
  t.equal(early.due_on, '2026-12-09', 'decided 30 Nov: the old 7');
  const other = await makeCase(db, {}, '2026-11-30');
  const late = await decide(db, TEST_ACTOR, other.id, { granted: true, reason: null }, '2026-12-01');
  t.equal(late.due_on, '2026-12-08', 'decided 1 Dec: the new 5 (2, 3, 4, 7, 8 Dec)');
});

void t.test('the materials deadline across the holiday, and a refusal to lapse it names the due date', async (t) => {
  const c = await makeCase(db, { missingItems: ['户口簿'] }, '2026-09-30');
  // Wed 30 Sep + 10: 8, 9, 10, 12-16, 19, 20 Oct
  t.equal(c.due_on, '2026-10-20');
  const err: unknown = await lapseMaterials(db, TEST_ACTOR, c.id, '2026-10-20').catch((e: unknown) => e);
  t.type(err, RuleError);
  t.match(err, { params: { due: '2026-10-20' } });
});
