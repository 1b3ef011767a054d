// On a real PostgreSQL server (several connections, real row locks): parallel
// enrolments in one session give exactly its seats and waitlist the rest in
// order; a person enrolling twice at once gets one enrolment; attendance
// recorded twice at once credits once.
import t from 'tap';
import { buildTestApp, freshDatabase, onPostgres } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer } from '../helpers/people.js';
import { enrol, recordAttendance } from '../../src/modules/training/training.enrol.js';
import { after, before, makeCourse, sessionOn } from './helpers.js';

if (!onPostgres) {
  t.pass('needs PostgreSQL (DATABASE_URL): PGlite has one connection and its locks never block');
} else {
  const { db } = await buildTestApp(t, { database: await freshDatabase({ poolSize: 20 }) });

  t.test('30 parallel enrolments for 10 seats: exactly 10 enrolled, 20 waitlisted at positions 1..20', async (t) => {
    const course = await makeCourse(db);
    const s = await sessionOn(db, course.id, '2099-01-10', 10);
    const people = [];
    for (let i = 0; i < 30; i++) people.push(await makeLawyer(db));
    const results = await Promise.all(people.map((p) => enrol(db, TEST_ACTOR, s.id, { kind: 'lawyer', id: p.id }, before('2099-01-10'))));
    t.equal(results.filter((r) => r.enrolment.status === 'enrolled').length, 10);
    const waiting = results.filter((r) => r.enrolment.status === 'waitlisted');
    t.same(waiting.map((r) => r.position).sort((a, b) => a! - b!), Array.from({ length: 20 }, (_, i) => i + 1), 'each place on the waitlist once');
    const byId = [...waiting].sort((a, b) => a.enrolment.id - b.enrolment.id).map((r) => r.position);
    t.same(byId, Array.from({ length: 20 }, (_, i) => i + 1), 'in the order they were taken');
  });

  t.test('one person enrolling five times at once: one enrolment, four refusals', async (t) => {
    const course = await makeCourse(db);
    const s = await sessionOn(db, course.id, '2099-01-11', 10);
    const p = await makeLawyer(db);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => enrol(db, TEST_ACTOR, s.id, { kind: 'lawyer', id: p.id }, before('2099-01-11'))));
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    t.equal((await db.selectFrom('training_enrolments').select('id').where('session_id', '=', s.id).execute()).length, 1);
  });

  t.test('attendance recorded five times at once: credited once, one certificate', async (t) => {
    const course = await makeCourse(db, { grantsCertificate: true, certificateValidMonths: 12 });
    const s = await sessionOn(db, course.id, '2025-05-05', 10);
    const p = await makeLawyer(db);
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => recordAttendance(db, TEST_ACTOR, s.id, { kind: 'lawyer', id: p.id }, '6', after('2025-05-05'))));
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
    t.equal((await db.selectFrom('training_certificates').select('id').where('session_id', '=', s.id).execute()).length, 1);
  });
}
