// The rotation on the database: the pick with its explanation, overrides, and
// what the manager sees before confirming.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer } from '../helpers/people.js';
import { assignLawyer, terminate } from '../../src/modules/cases/cases.actions.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { RuleError, ValidationError } from '../../src/lib/errors.js';
import { assignByOverride, assignByRotation, assignmentsOf, loadFacts, previewAssignment } from '../../src/modules/rotation/rotation.service.js';
import { grantedCase, lawyersOf, standingOf } from './service-helpers.js';

const { db } = await buildTestApp(t);
const on = today();

t.test('the rotation picks the fewest-turns eligible lawyer and says why the others were passed over', async (t) => {
  // the ineligible first, so that they are ahead in the rotation (all join level; the lowest id first)
  const leave = await makeLawyer(db, { practiceAreas: ['labor'] });
  await db.insertInto('lawyer_leaves').values({ lawyer_id: leave.id, starts_on: on, ends_on: on, reason: '病假' }).execute();
  const conflicted = await makeLawyer(db, { practiceAreas: ['labor'] });
  // the same company, written with full-width letters and an ideographic space
  await db.insertInto('lawyer_conflicts').values({ lawyer_id: conflicted.id, party: ' ＡＢＣ　建筑公司' }).execute();
  const area = await makeLawyer(db, { practiceAreas: ['work_injury'] });
  const junior = await makeLawyer(db, { practiceAreas: ['labor'], level: 1 });
  const faraway = await makeLawyer(db, { practiceAreas: ['labor'], regionCode: '511922' });
  const busy = await makeLawyer(db, { practiceAreas: ['labor'] });
  await db.updateTable('lawyers').set({ max_open_cases: 1 }).where('id', '=', busy.id).execute();
  const [a, b] = await lawyersOf(db, 2, 'labor');
  const neighbour = await makeLawyer(db, { practiceAreas: ['labor'], regionCode: '511903' });
  const other = await grantedCase(db, { category: 'labor' });
  await assignLawyer(db, TEST_ACTOR, other.id, { lawyerId: busy.id, reason: '测试占用' });

  const c = await grantedCase(db, { category: 'labor', opposingParties: ['abc 建筑公司'] }, { minLevel: 2 });
  const facts = await loadFacts(db, c, on);
  t.equal(facts.needs.minLevel, 2);
  t.same(facts.lawyers.find((l) => l.id === a.id)?.regions, ['511902', '511903', '511971', '511921', '511923'], 'own region and its neighbours');
  t.equal(facts.lawyers.find((l) => l.id === busy.id)?.openCases, 1);

  const preview = await previewAssignment(db, c.id, on);
  t.same(preview.chosen, { lawyerId: a.id, name: a.name }, 'everybody starts level: the lowest id');
  t.same(preview.candidates.map((x) => x.lawyerId), [a.id, b.id, neighbour.id]);
  t.same(
    preview.passedOver.map((p) => [p.lawyerId, p.reason]),
    [[leave.id, 'on_leave'], [conflicted.id, 'conflict'], [junior.id, 'level'], [busy.id, 'cap']],
    'the lawyers ahead who do not qualify, in rotation order, each with the reason',
  );
  t.same(preview.ineligible, { on_leave: 1, level: 1, conflict: 1, cap: 1 });
  t.equal(preview.poolSize, 7, 'in line: the labour lawyers who serve the region');
  t.notOk(facts.lawyers.some((l) => l.id === area.id || l.id === faraway.id), 'another practice area, or a region not served: not in line for the case');
  t.notOk(await standingOf(db, a.id), 'a preview writes nothing');

  const moved = await assignByRotation(db, TEST_ACTOR, c.id, { expectedLawyerId: b.id }, on).catch((e: unknown) => e);
  t.ok(moved instanceof RuleError && moved.code === 'rotation_moved' && moved.statusCode === 409, 'confirming a pick that is not the next one is refused');

  const { assignment, case: after } = await assignByRotation(db, TEST_ACTOR, c.id, { expectedLawyerId: a.id }, on);
  t.match(after, { status: 'assigned', lawyer_id: a.id, assigned_on: on, due_on: null });
  t.match(assignment, { lawyer_id: a.id, method: 'rotation', status: 'active', seq: preview.seq });
  t.equal(assignment.explanation.passedOver.find((p) => p.lawyerId === conflicted.id)?.reason, 'conflict');
  t.match(assignment.explanation.candidates[0], { lawyerId: a.id, rank: 1, turns: 0 });
  t.same(await standingOf(db, a.id), { turns: 1, lastSeq: preview.seq });
  t.same(await standingOf(db, b.id), { turns: 0, lastSeq: preview.seq }, 'newcomers joined at this decision');
  const event = await db.selectFrom('case_events').selectAll().where('case_id', '=', c.id).where('kind', '=', 'assign').executeTakeFirstOrThrow();
  t.match(event.detail, { lawyerId: a.id, lawyer: a.name, method: 'rotation' });
  const audit = await db.selectFrom('audit_log').selectAll().where('action', '=', 'case.assign').where('entity_id', '=', String(c.id)).executeTakeFirstOrThrow();
  t.match(audit, { before: { status: 'granted', lawyer_id: null }, after: { status: 'assigned', lawyer_id: a.id, method: 'rotation' } });

  const again = await assignByRotation(db, TEST_ACTOR, c.id, {}, on).catch((e: unknown) => e);
  t.ok(again instanceof RuleError && again.statusCode === 409, 'a case is assigned once');

  const next = await grantedCase(db, { category: 'labor', opposingParties: ['abc 建筑公司'] }, { minLevel: 2 });
  t.equal((await assignByRotation(db, TEST_ACTOR, next.id, {}, on)).assignment.lawyer_id, b.id, 'the next case goes to the one with fewer turns');

  const views = await assignmentsOf(db, c.id);
  t.equal(views.length, 1);
  t.match(views[0], { lawyerId: a.id, lawyerName: a.name, method: 'rotation', status: 'active' });
  t.equal(views[0].names[conflicted.id], conflicted.name, 'names of the passed-over lawyers for "why this lawyer"');

  await terminate(db, TEST_ACTOR, c.id, { reason: 'hired_own_lawyer', note: null });
  t.equal((await assignmentsOf(db, c.id))[0].status, 'ended', 'terminating the case ends its assignment');
});

t.test('nobody eligible: 422 no_eligible_lawyer, nothing written', async (t) => {
  const c = await grantedCase(db, { category: 'medical' });
  const err = await assignByRotation(db, TEST_ACTOR, c.id, {}, on).catch((e: unknown) => e);
  t.ok(err instanceof RuleError && err.statusCode === 422 && err.code === 'no_eligible_lawyer');
  t.equal((await db.selectFrom('cases').select('status').where('id', '=', c.id).executeTakeFirstOrThrow()).status, 'granted');
});

t.test('an override needs a reason and an eligible lawyer, and counts as that lawyer\'s turn', async (t) => {
  const [first, second] = await lawyersOf(db, 2, 'family');
  const away = await makeLawyer(db, { practiceAreas: ['family'] });
  await db.insertInto('lawyer_leaves').values({ lawyer_id: away.id, starts_on: on, ends_on: on }).execute();
  const c = await grantedCase(db, { category: 'family' });

  const noReason = await assignByOverride(db, TEST_ACTOR, c.id, { lawyerId: second.id, reason: '  ' }, on).catch((e: unknown) => e);
  t.ok(noReason instanceof ValidationError && noReason.fields[0].field === 'reason');
  const onLeave = await assignByOverride(db, TEST_ACTOR, c.id, { lawyerId: away.id, reason: '当事人要求' }, on).catch((e: unknown) => e);
  t.ok(onLeave instanceof ValidationError && onLeave.fields[0].field === 'lawyerId' && onLeave.fields[0].key === 'rotation.ineligible.on_leave', 'the key names the reason');

  const { assignment } = await assignByOverride(db, TEST_ACTOR, c.id, { lawyerId: second.id, reason: '当事人要求女律师' }, on);
  t.match(assignment, { lawyer_id: second.id, method: 'override', reason: '当事人要求女律师' });
  t.equal(assignment.explanation.rotationPick, first.id, 'what the rotation would have picked is kept');
  t.same(await standingOf(db, second.id), { turns: 1, lastSeq: Number(assignment.seq) });

  const next = await grantedCase(db, { category: 'family' });
  t.equal((await assignByRotation(db, TEST_ACTOR, next.id, {}, on)).assignment.lawyer_id, first.id, 'the overridden-to lawyer has had their turn');
});

t.test('a decision starts by taking the next seq and locking the case, in one statement or, without the state row, in steps', async (t) => {
  await lawyersOf(db, 1, 'family');
  const state = async () => (await db.selectFrom('rotation_state').select('seq').where('scope', '=', 'city').executeTakeFirst())?.seq;
  const before = Number(await state());
  const c = await grantedCase(db, { category: 'family' });
  const { assignment } = await assignByRotation(db, TEST_ACTOR, c.id, {}, on);
  t.equal(Number(assignment.seq), before + 1, 'the next seq');
  t.equal(Number(await state()), before + 1, 'taken once');
  // an unknown case: refused, and the seq is not used up
  await t.rejects(assignByRotation(db, TEST_ACTOR, 987654, {}, on), { code: 'not_found' });
  t.equal(Number(await state()), before + 1, 'nothing taken for an unknown case');
  // a database without the seed row (and no decisions yet): the row is created, and the decision goes on
  const { db: bare } = await buildTestApp(t);
  await bare.deleteFrom('rotation_state').execute();
  await lawyersOf(bare, 1, 'family');
  const d = await grantedCase(bare, { category: 'family' });
  const first = await assignByRotation(bare, TEST_ACTOR, d.id, {}, on);
  t.equal(Number(first.assignment.seq), 1, 'the first seq');
  t.equal(Number((await bare.selectFrom('rotation_state').select('seq').executeTakeFirstOrThrow()).seq), 1);
});
