// The demo seed's consultations and cases: made through the case service, spread
// over the statuses and the last three months, with real deadlines; once only.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { seedDemo } from '../../src/seed/demo.js';
import { idNumberProblem } from '../../src/lib/idnumber.js';
import { addDays } from '../../src/lib/workdays.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { listCases } from '../../src/modules/cases/cases.queries.js';

t.setTimeout(300_000);

t.test('demo cases and consultations', async (t) => {
  const { db } = await buildTestApp(t);
  const first = await seedDemo(db);
  t.ok(first.seeded);
  const cases = await db.selectFrom('cases').selectAll().execute();
  const consultations = await db.selectFrom('consultations').selectAll().execute();
  t.ok(cases.length >= 35 && cases.length <= 45, `about 40 cases (${cases.length})`);
  t.ok(consultations.length >= 25 && consultations.length <= 40, `about 30 consultations (${consultations.length})`);

  const statuses = new Set(cases.map((c) => c.status));
  for (const s of ['applied', 'pending_materials', 'granted', 'refused', 'appealed', 'assigned', 'accepted', 'closed', 'reviewed', 'withdrawn', 'terminated', 'transferred'])
    t.ok(statuses.has(s as never), `a case ${s}`);

  const on = today();
  t.ok(cases.every((c) => c.applied_on <= on && c.applied_on >= addDays(on, -100)), 'applied within the last three months');
  t.ok(cases.every((c) => c.applicant_id_number && idNumberProblem(c.applicant_id_number) === null), 'valid ID numbers');
  const overdue = (await listCases(db, { overdue: true, page: 1 })).total;
  t.ok(overdue >= 3, `some overdue (${overdue})`);
  t.ok(cases.filter((c) => c.green_channel).length >= 5, 'some on the green channel');
  const emergency = cases.filter((c) => c.emergency);
  t.equal(emergency.length, 2, 'two emergency cases');
  t.equal(emergency.filter((c) => !c.paperwork_received_on && c.paperwork_due_on! < on).length, 1, 'one with its paperwork overdue');
  t.ok(cases.some((c) => c.appeal_result), 'a decided appeal');
  t.ok(cases.filter((c) => c.followup_on).length >= 3, 'follow-up visits');
  t.ok(cases.filter((c) => c.review_score !== null).length >= 4, 'quality reviews');

  const demoLawyer = await db.selectFrom('users').select('lawyer_id').where('email', '=', 'lawyer@fayuan.demo').executeTakeFirstOrThrow();
  const mine = cases.filter((c) => c.lawyer_id === demoLawyer.lawyer_id);
  t.ok(mine.length >= 5, `the demo lawyer has cases (${mine.length})`);
  t.ok(new Set(mine.map((c) => c.status)).size >= 3, 'in several stages');

  const linked = consultations.filter((c) => c.case_id);
  t.ok(linked.length >= 5, 'consultations that became cases');
  t.ok(linked.every((c) => c.became_application && cases.some((k) => k.id === c.case_id && k.consultation_id === c.id)));
  t.ok(new Set(consultations.map((c) => c.channel)).size >= 5, 'over the channels');

  const days = await db.selectFrom('case_events').select('at').execute();
  t.ok(new Set(days.map((e) => e.at.toISOString().slice(0, 10))).size > 20, 'the timeline carries the dates things happened');

  const second = await seedDemo(db);
  t.notOk(second.seeded, 'the second run adds nothing');
  t.equal((await db.selectFrom('cases').select('id').execute()).length, cases.length);
  t.equal((await db.selectFrom('consultations').select('id').execute()).length, consultations.length);
});
