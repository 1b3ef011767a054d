// Working-day maths on the real seeded 2026 calendar (State Council schedule,
// make-up workdays included), loaded from a migrated test database.
import t from 'tap';
import { freshDatabase } from '../helpers/app.js';
import { loadCalendar, loadCalendarFor, workingDaysInYear } from '../../src/modules/calendar/calendar.service.js';
import { EMPTY_CALENDAR, addWorkingDays, isWorkingDay, workingDaysBetween, workingDaysLeft, type Calendar } from '../../src/lib/workdays.js';

const fresh = await freshDatabase();
t.teardown(async () => {
  await fresh.database.close();
  await fresh.drop();
});
const db = fresh.database.db;
const cal: Calendar = await loadCalendar(db, '2026-01-01', '2027-12-31');

t.test('the seeded days are what the State Council announced', async (t) => {
  t.notOk(isWorkingDay(cal, '2026-10-01'), 'National Day');
  t.notOk(isWorkingDay(cal, '2026-10-07'), 'the bridged Wednesday after it');
  t.ok(isWorkingDay(cal, '2026-10-10'), 'Saturday 10 October is worked');
  t.ok(isWorkingDay(cal, '2026-02-28'), 'Saturday 28 February is worked');
  t.ok(isWorkingDay(cal, '2026-09-20'), 'Sunday 20 September is worked');
  t.notOk(isWorkingDay(cal, '2026-10-11'), 'an ordinary Sunday is not');
  t.ok(isWorkingDay(cal, '2026-10-08'), 'an ordinary Thursday is');
  // 261 weekdays, 19 of them off, 6 weekend days worked
  t.equal(workingDaysInYear(cal, 2026), 248);
  t.notOk(isWorkingDay(cal, '2027-02-05'), '2027: 除夕 (statutory, Friday)');
  t.notOk(isWorkingDay(cal, '2027-02-08'), '2027: 初三 (statutory, Monday)');
});

t.test('7 working days across the National Day week', async (t) => {
  // Mon 28 Sep: 29, 30 Sep; 1-7 Oct off; 8, 9, Sat 10 (make-up), 12, 13 Oct
  t.equal(addWorkingDays(cal, '2026-09-28', 7), '2026-10-13');
  t.equal(addWorkingDays(EMPTY_CALENDAR, '2026-09-28', 7), '2026-10-07', 'Monday to Friday alone would say the 7th');
  const loaded = await loadCalendarFor(db, '2026-09-28', 7);
  t.equal(addWorkingDays(loaded, '2026-09-28', 7), '2026-10-13', 'the window loadCalendarFor reads is wide enough');
  t.equal(workingDaysBetween(cal, '2026-09-28', '2026-10-13'), 7, 'and back again');
});

t.test('make-up workdays count', async (t) => {
  // Thu 12 Feb: Fri 13, Sat 14 (make-up), 15-23 off, 24, 25, 26, 27, Sat 28 (make-up)
  t.equal(addWorkingDays(cal, '2026-02-12', 7), '2026-02-28', 'across the Spring Festival, ending on a make-up Saturday');
  t.equal(addWorkingDays(cal, '2026-02-26', 2), '2026-02-28');
  t.equal(addWorkingDays(cal, '2026-09-18', 1), '2026-09-20', 'Friday + 1 is the make-up Sunday');
  t.equal(addWorkingDays(cal, '2026-10-09', 1), '2026-10-10', 'Friday + 1 is the make-up Saturday');
  t.equal(addWorkingDays(cal, '2026-10-10', 1), '2026-10-12', 'then Monday');
});

t.test('days left: 0 on the due day, negative when overdue', async (t) => {
  const due = '2026-10-13';
  t.equal(workingDaysLeft(cal, '2026-10-13', due), 0);
  t.equal(workingDaysLeft(cal, '2026-10-12', due), 1);
  t.equal(workingDaysLeft(cal, '2026-10-11', due), 2, 'from the Sunday: Monday and Tuesday');
  t.equal(workingDaysLeft(cal, '2026-09-30', due), 5, 'the holiday week does not count');
  t.equal(workingDaysLeft(cal, '2026-10-14', due), -1);
  t.equal(workingDaysLeft(cal, '2026-10-18', due), -3, 'a weekend adds nothing to the overdue count');
  t.equal(workingDaysLeft(cal, '2026-02-28', '2026-02-27'), -1, 'a make-up Saturday does count as overdue');
});
