// Credit hours per person per year against the policy, who is short of hours,
// certificates expiring within 60 days around the boundary days, and a person's record.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer, makeVolunteer } from '../helpers/people.js';
import { recordAttendance } from '../../src/modules/training/training.enrol.js';
import { certificatesExpiring, creditHours, shortOfHours, trainingRecord } from '../../src/modules/training/training.records.js';
import { after, makeCourse, sessionOn } from './helpers.js';

const { db } = await buildTestApp(t);
const lawyer = (id: number) => ({ kind: 'lawyer' as const, id });

t.test("hours per year against the role's requirement; the short list names who is behind, furthest first", async (t) => {
  const big = await makeCourse(db, { creditHours: '8' });
  const small = await makeCourse(db, { creditHours: '4' });
  const s1 = await sessionOn(db, big.id, '2025-03-10');
  const s2 = await sessionOn(db, small.id, '2025-09-10');
  const old = await sessionOn(db, big.id, '2024-06-10');
  const [done, half, none, gone] = [await makeLawyer(db), await makeLawyer(db), await makeLawyer(db), await makeLawyer(db, { status: 'inactive' })];
  await recordAttendance(db, TEST_ACTOR, s1.id, lawyer(done.id), '8', after('2025-03-10'));
  await recordAttendance(db, TEST_ACTOR, s2.id, lawyer(done.id), '4', after('2025-09-10'));
  await recordAttendance(db, TEST_ACTOR, s2.id, lawyer(half.id), '2.5', after('2025-09-10'));
  await recordAttendance(db, TEST_ACTOR, old.id, lawyer(half.id), '8', after('2024-06-10'));

  t.same(await creditHours(db, lawyer(done.id), 2025), { year: 2025, hours: 12, required: 12, short: 0 }, 'the seeded policy: 12 hours for a lawyer');
  t.same(await creditHours(db, lawyer(half.id), 2025), { year: 2025, hours: 2.5, required: 12, short: 9.5 }, "last year's session does not count");
  t.same(await creditHours(db, lawyer(half.id), 2024), { year: 2024, hours: 8, required: 12, short: 4 });

  const mine = new Set([done.id, half.id, none.id, gone.id]);
  const short = (await shortOfHours(db, 2025, 'lawyer')).filter((r) => mine.has(r.person.id));
  t.same(
    short.map((r) => [r.person.id, r.hours, r.short]),
    [
      [none.id, 0, 12],
      [half.id, 2.5, 9.5],
    ],
    'the furthest behind first; one who met it and an inactive lawyer are not listed',
  );

  // a later policy applies from the year it takes effect, not backwards
  await db.insertInto('policies').values({ key: 'training', effective_from: '2026-01-01', value: JSON.stringify({ requiredHours: { lawyer: 20, volunteer: 6 } }), note: 't' }).execute();
  t.equal((await creditHours(db, lawyer(done.id), 2026)).required, 20);
  t.equal((await creditHours(db, lawyer(done.id), 2025)).required, 12);
  const volunteer = await makeVolunteer(db);
  t.same(await creditHours(db, { kind: 'volunteer', id: volunteer.id }, 2025), { year: 2025, hours: 0, required: 6, short: 6 }, "a volunteer's requirement is the volunteer figure");
  t.ok((await shortOfHours(db, 2025, 'volunteer')).some((r) => r.person.id === volunteer.id));
});

t.test("the year is Beijing's: a session at 00:30 on 1 January counts for the new year", async (t) => {
  const course = await makeCourse(db, { creditHours: '2' });
  const newYear = await db
    .insertInto('training_sessions')
    .values({ course_id: course.id, starts_at: '2026-01-01T00:30:00+08:00', ends_at: '2026-01-01T02:30:00+08:00', location: '中心', capacity: 5 })
    .returningAll()
    .executeTakeFirstOrThrow();
  const a = await makeLawyer(db);
  await recordAttendance(db, TEST_ACTOR, newYear.id, lawyer(a.id), '2', after('2026-01-01'));
  t.equal((await creditHours(db, lawyer(a.id), 2025)).hours, 0);
  t.equal((await creditHours(db, lawyer(a.id), 2026)).hours, 2);
});

t.test('certificates expiring within 60 days: around the boundary days, and not once renewed', async (t) => {
  const course = await makeCourse(db, { grantsCertificate: true, certificateValidMonths: 6 });
  const s = await sessionOn(db, course.id, '2025-08-31');
  const a = await makeLawyer(db);
  const { certificate } = await recordAttendance(db, TEST_ACTOR, s.id, lawyer(a.id), '6', after('2025-08-31'));
  t.equal(certificate?.expires_on, '2026-02-28', '31 August + 6 months');
  const listed = async (on: string) => (await certificatesExpiring(db, on)).some((r) => r.certificateId === certificate!.id);
  t.notOk(await listed('2025-12-29'), '61 days ahead: not yet');
  t.ok(await listed('2025-12-30'), '60 days ahead');
  t.ok(await listed('2026-02-28'), 'its last valid day');
  t.notOk(await listed('2026-03-01'), 'expired: no longer expiring');

  const status = async (on: string) => (await trainingRecord(db, lawyer(a.id), on)).certificates.find((c) => c.id === certificate!.id)?.status;
  t.equal(await status('2025-12-29'), 'valid');
  t.equal(await status('2025-12-30'), 'expiring');
  t.equal(await status('2026-02-28'), 'expiring');
  t.equal(await status('2026-03-01'), 'expired');

  const renewal = await sessionOn(db, course.id, '2026-01-15');
  await recordAttendance(db, TEST_ACTOR, renewal.id, lawyer(a.id), '6', after('2026-01-15'));
  t.notOk(await listed('2026-02-01'), 'renewed: the old certificate is not listed');
});

t.test("a person's record: sessions attended, hours per year, certificates", async (t) => {
  const course = await makeCourse(db, { title: '未成年人案件办理实务', code: 'juvenile_rec', creditHours: '6', grantsCertificate: true, certificateValidMonths: 24 });
  const s = await sessionOn(db, course.id, '2026-05-20');
  const v = await makeVolunteer(db);
  await recordAttendance(db, TEST_ACTOR, s.id, { kind: 'volunteer', id: v.id }, '5.5', after('2026-05-20'));
  const record = await trainingRecord(db, { kind: 'volunteer', id: v.id }, '2026-11-26');
  t.same(record.attended, [{ sessionId: s.id, courseId: course.id, courseCode: 'juvenile_rec', courseTitle: '未成年人案件办理实务', date: '2026-05-20', hours: 5.5 }]);
  t.same(record.years, [{ year: 2026, hours: 5.5, required: 6, short: 0.5 }]);
  t.match(record.certificates, [{ courseTitle: '未成年人案件办理实务', issuedOn: '2026-05-20', expiresOn: '2028-05-20', status: 'valid' }]);
  const other = await trainingRecord(db, { kind: 'lawyer', id: v.id }, '2026-11-26');
  t.notOk(
    other.attended.some((x) => x.sessionId === s.id) || other.certificates.some((c) => c.courseId === course.id),
    "the lawyer who has the volunteer's id number does not get the volunteer's record",
  );
});
