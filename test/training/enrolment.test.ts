// Enrolment and attendance on the database: seats then the waitlist in order,
// no double enrolment, promotion on a cancellation, hours capped by the course
// and credited once, and the certificate with its expiry.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer, makeVolunteer } from '../helpers/people.js';
import { RuleError, ValidationError } from '../../src/lib/errors.js';
import { cancelEnrolment, enrol, recordAttendance } from '../../src/modules/training/training.enrol.js';
import { after, before, makeCourse, sessionOn } from './helpers.js';

const { db } = await buildTestApp(t);
const lawyer = (id: number) => ({ kind: 'lawyer' as const, id });
const statusOf = async (sessionId: number) =>
  (await db.selectFrom('training_enrolments').select(['lawyer_id', 'volunteer_id', 'status']).where('session_id', '=', sessionId).orderBy('id').execute()).map((r) => [r.lawyer_id ?? r.volunteer_id, r.status]);
const refusal = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => e);

t.test('seats while there are some, then the waitlist in order; no double enrolment; a freed seat goes to the first waiting', async (t) => {
  const course = await makeCourse(db);
  const day = '2026-12-10';
  const s = await sessionOn(db, course.id, day, 2);
  const [a, b, c, d] = [await makeLawyer(db), await makeLawyer(db), await makeLawyer(db), await makeLawyer(db)];
  const now = before(day);
  t.match(await enrol(db, TEST_ACTOR, s.id, lawyer(a.id), now), { enrolment: { status: 'enrolled' }, position: null });
  t.match(await enrol(db, TEST_ACTOR, s.id, lawyer(b.id), now), { enrolment: { status: 'enrolled' }, position: null });
  t.match(await enrol(db, TEST_ACTOR, s.id, lawyer(c.id), now), { enrolment: { status: 'waitlisted' }, position: 1 }, 'full: waitlisted, not refused');
  t.match(await enrol(db, TEST_ACTOR, s.id, lawyer(d.id), now), { enrolment: { status: 'waitlisted' }, position: 2 });

  const twice = await refusal(enrol(db, TEST_ACTOR, s.id, lawyer(a.id), now));
  t.ok(twice instanceof RuleError && twice.statusCode === 409 && twice.code === 'already_enrolled', 'enrolled already: 409');
  const twiceWaiting = await refusal(enrol(db, TEST_ACTOR, s.id, lawyer(c.id), now));
  t.ok(twiceWaiting instanceof RuleError && twiceWaiting.code === 'already_enrolled', 'on the waitlist already: 409');
  t.same(await statusOf(s.id), [[a.id, 'enrolled'], [b.id, 'enrolled'], [c.id, 'waitlisted'], [d.id, 'waitlisted']], 'no second row for anybody');

  const { promoted } = await cancelEnrolment(db, TEST_ACTOR, s.id, lawyer(a.id), now);
  t.equal(promoted?.lawyer_id, c.id, 'the first on the waitlist takes the seat');
  t.same(await statusOf(s.id), [[a.id, 'cancelled'], [b.id, 'enrolled'], [c.id, 'enrolled'], [d.id, 'waitlisted']]);
  t.match(await enrol(db, TEST_ACTOR, s.id, lawyer(a.id), now), { enrolment: { status: 'waitlisted' }, position: 2 }, 'after cancelling, one may enrol again: at the back of the queue');
  t.same((await cancelEnrolment(db, TEST_ACTOR, s.id, lawyer(d.id), now)).promoted, null, 'leaving the waitlist frees no seat');

  const late = await refusal(enrol(db, TEST_ACTOR, s.id, lawyer((await makeLawyer(db)).id), after(day)));
  t.ok(late instanceof RuleError && late.code === 'session_started', 'no enrolment once the session has started');
  const nobody = await refusal(enrol(db, TEST_ACTOR, s.id, { kind: 'volunteer', id: 2147483000 }, now));
  t.ok(nobody instanceof ValidationError && nobody.fields[0]?.field === 'personId');
  const pending = await makeVolunteer(db, { status: 'pending' });
  t.ok((await refusal(enrol(db, TEST_ACTOR, s.id, { kind: 'volunteer', id: pending.id }, now))) instanceof ValidationError, 'a volunteer not yet approved may not enrol');
  const audited = await db.selectFrom('audit_log').select('action').where('entity', '=', 'training_enrolment').execute();
  t.ok(audited.some((r) => r.action === 'training.promoted') && audited.some((r) => r.action === 'training.enrolled'), 'enrolments and promotions are audited');
});

t.test("attendance: hours at most the course's, recorded once, only after the start", async (t) => {
  const course = await makeCourse(db, { creditHours: '3.5' });
  const day = '2026-10-12';
  const s = await sessionOn(db, course.id, day, 5);
  const a = await makeLawyer(db);
  await enrol(db, TEST_ACTOR, s.id, lawyer(a.id), before(day));

  const early = await refusal(recordAttendance(db, TEST_ACTOR, s.id, lawyer(a.id), '3', before(day)));
  t.ok(early instanceof RuleError && early.code === 'session_not_started');
  const over = await refusal(recordAttendance(db, TEST_ACTOR, s.id, lawyer(a.id), '3.6', after(day)));
  t.ok(over instanceof ValidationError && over.fields[0]?.field === 'hours' && over.fields[0]?.params?.max === '3.5', "more than the course's 3.5 hours: refused on hours");
  t.same(await statusOf(s.id), [[a.id, 'enrolled']], 'a refused record changes nothing');

  const done = await recordAttendance(db, TEST_ACTOR, s.id, lawyer(a.id), '3.5', after(day));
  t.match(done.enrolment, { status: 'attended', hours: '3.5', lawyer_id: a.id });
  t.equal(done.certificate, null, 'this course grants no certificate');
  const again = await refusal(recordAttendance(db, TEST_ACTOR, s.id, lawyer(a.id), '1', after(day)));
  t.ok(again instanceof RuleError && again.statusCode === 409 && again.code === 'attendance_recorded', 'a second record is refused');
  const rows = await db.selectFrom('training_enrolments').select(['status', 'hours']).where('session_id', '=', s.id).execute();
  t.same(rows.map((r) => [r.status, String(r.hours)]), [['attended', '3.5']], 'one row, the first hours');

  const walkIn = await makeVolunteer(db);
  const w = await recordAttendance(db, TEST_ACTOR, s.id, { kind: 'volunteer', id: walkIn.id }, '2', after(day));
  t.match(w.enrolment, { status: 'attended', volunteer_id: walkIn.id, lawyer_id: null }, 'someone who came without enrolling is recorded');
  const log = await db.selectFrom('audit_log').select(['action', 'after']).where('action', '=', 'training.attendance_recorded').where('entity_id', '=', String(done.enrolment.id)).execute();
  t.equal(log.length, 1, 'audited once');
});

t.test('a certificate is issued on the session day, expiring that many months later (month ends clamp)', async (t) => {
  const monthly = await makeCourse(db, { grantsCertificate: true, certificateValidMonths: 1 });
  const s = await sessionOn(db, monthly.id, '2025-01-31');
  const a = await makeLawyer(db);
  const { certificate } = await recordAttendance(db, TEST_ACTOR, s.id, lawyer(a.id), '6', after('2025-01-31'));
  t.match(certificate, { issued_on: '2025-01-31', expires_on: '2025-02-28', lawyer_id: a.id, course_id: monthly.id, session_id: s.id });

  const yearly = await makeCourse(db, { grantsCertificate: true, certificateValidMonths: 12 });
  const leap = await sessionOn(db, yearly.id, '2024-02-29');
  t.match((await recordAttendance(db, TEST_ACTOR, leap.id, lawyer(a.id), '6', after('2024-02-29'))).certificate, { issued_on: '2024-02-29', expires_on: '2025-02-28' });

  // 07:30 Beijing time on 1 March is still 28 February in UTC: the day is Beijing's
  const early = await db
    .insertInto('training_sessions')
    .values({ course_id: yearly.id, starts_at: '2025-03-01T07:30:00+08:00', ends_at: '2025-03-01T09:00:00+08:00', location: '中心', capacity: 5 })
    .returningAll()
    .executeTakeFirstOrThrow();
  const b = await makeLawyer(db);
  t.match((await recordAttendance(db, TEST_ACTOR, early.id, lawyer(b.id), '6', after('2025-03-01'))).certificate, { issued_on: '2025-03-01', expires_on: '2026-03-01' });

  const forever = await makeCourse(db, { grantsCertificate: true });
  const f = await sessionOn(db, forever.id, '2025-06-01');
  t.match((await recordAttendance(db, TEST_ACTOR, f.id, lawyer(a.id), '6', after('2025-06-01'))).certificate, { issued_on: '2025-06-01', expires_on: null }, 'no validity: never expires');
});
