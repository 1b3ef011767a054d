// The training requirement gating the rotation: a course's code is what a case
// needs (cases.required_training, or every course required for the case's
// category), and a lawyer holds it with a certificate valid on the decision day
// (or, for a course that grants none, an attended session). The old flags on
// lawyers.trainings count only for a code no course has.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer } from '../helpers/people.js';
import { RuleError } from '../../src/lib/errors.js';
import { enrol, recordAttendance } from '../../src/modules/training/training.enrol.js';
import { assignByRotation, loadFacts, previewAssignment } from '../../src/modules/rotation/rotation.service.js';
import { grantedCase, lawyersOf } from '../rotation/service-helpers.js';
import { after, before, makeCourse, sessionOn } from './helpers.js';

const { db } = await buildTestApp(t);
/** The decision day: fixed, so that "expired the day before" is exact whatever day the tests run. */
const on = '2026-11-26';
const lawyer = (id: number) => ({ kind: 'lawyer' as const, id });

const juvenile = await makeCourse(db, { code: 'juvenile', title: '未成年人案件办理', requiredForPracticeArea: 'juvenile', grantsCertificate: true, certificateValidMonths: 12 });
/** A juvenile-course certificate issued on `day` (valid 12 months from it). */
async function certify(lawyerId: number, day: string) {
  const s = await sessionOn(db, juvenile.id, day);
  return (await recordAttendance(db, TEST_ACTOR, s.id, lawyer(lawyerId), '6', after(day))).certificate!;
}

t.test("a juvenile case goes to the lawyer with a valid certificate, not one that expired the day before, nor one with no record", async (t) => {
  const [none, lapsed, holder] = await lawyersOf(db, 3, 'juvenile');
  t.equal((await certify(lapsed.id, '2025-11-25')).expires_on, '2026-11-25', 'its last valid day is the day before the decision');
  t.equal((await certify(holder.id, '2026-03-10')).expires_on, '2027-03-10');
  const c = await grantedCase(db, { category: 'juvenile', kind: 'criminal' });
  t.equal(c.required_training, null, 'nothing set on the case: the course is required for its category');

  const facts = await loadFacts(db, c, on);
  t.same(facts.needs.trainings, ['juvenile']);
  t.same(
    facts.lawyers.map((l) => [l.id, l.trainings]),
    [
      [none.id, []],
      [lapsed.id, []],
      [holder.id, ['juvenile']],
    ],
  );

  const preview = await previewAssignment(db, c.id, on);
  t.same(preview.chosen, { lawyerId: holder.id, name: holder.name });
  t.same(
    preview.passedOver.map((p) => [p.lawyerId, p.reason]),
    [
      [none.id, 'training'],
      [lapsed.id, 'training'],
    ],
    'the two ahead of the pick are passed over for training',
  );
  t.same(preview.ineligible, { training: 2 });
  t.same((await previewAssignment(db, c.id, '2026-11-25')).chosen?.lawyerId, lapsed.id, 'on its last valid day the certificate still counts');

  const { assignment } = await assignByRotation(db, TEST_ACTOR, c.id, { expectedLawyerId: holder.id }, on);
  t.equal(assignment.lawyer_id, holder.id);
  t.same(
    assignment.explanation.passedOver.map((p) => [p.lawyerId, p.reason]),
    [
      [none.id, 'training'],
      [lapsed.id, 'training'],
    ],
    'the explanation records why',
  );
});

t.test("a case's required_training names a course code; a flag for that code no longer counts", async (t) => {
  const flagged = await makeLawyer(db, { practiceAreas: ['family'] });
  await db.updateTable('lawyers').set({ trainings: ['juvenile'] }).where('id', '=', flagged.id).execute();
  const holder = await makeLawyer(db, { practiceAreas: ['family'] });
  await certify(holder.id, '2026-06-01');
  const c = await grantedCase(db, { category: 'family' }, { training: 'juvenile' });
  const preview = await previewAssignment(db, c.id, on);
  t.equal(preview.chosen?.lawyerId, holder.id);
  t.same(preview.passedOver.map((p) => [p.lawyerId, p.reason]), [[flagged.id, 'training']], 'the course exists: the old flag is not a record');
});

t.test('a flag still counts for a code no course has', async (t) => {
  const [plain, flagged] = await lawyersOf(db, 2, 'inheritance');
  await db.updateTable('lawyers').set({ trainings: ['death_penalty'] }).where('id', '=', flagged.id).execute();
  const c = await grantedCase(db, { category: 'inheritance' }, { training: 'death_penalty' });
  const preview = await previewAssignment(db, c.id, on);
  t.equal(preview.chosen?.lawyerId, flagged.id);
  t.same(preview.passedOver.map((p) => [p.lawyerId, p.reason]), [[plain.id, 'training']]);
});

t.test('a course without a certificate: an attended session counts from its day, an enrolment does not', async (t) => {
  const course = await makeCourse(db, { code: 'mediation_basics', creditHours: '3' });
  const [enrolled, attended] = await lawyersOf(db, 2, 'labor');
  const s = await sessionOn(db, course.id, '2026-11-20');
  await enrol(db, TEST_ACTOR, s.id, lawyer(enrolled.id), before('2026-11-20'));
  await recordAttendance(db, TEST_ACTOR, s.id, lawyer(attended.id), '3', after('2026-11-20'));
  const c = await grantedCase(db, { category: 'labor' }, { training: 'mediation_basics' });
  t.equal((await previewAssignment(db, c.id, on)).chosen?.lawyerId, attended.id);
  const earlier = await previewAssignment(db, c.id, '2026-11-19');
  t.equal(earlier.chosen, null, 'before the session nobody holds it');
  t.same(earlier.ineligible, { training: 2 });
  const refused = await assignByRotation(db, TEST_ACTOR, c.id, {}, '2026-11-19').catch((e: unknown) => e);
  t.ok(refused instanceof RuleError && refused.code === 'no_eligible_lawyer', 'no eligible lawyer: the rotation refuses, it does not pick an untrained one');
});
