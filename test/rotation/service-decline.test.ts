// Declines: the turn is consumed, or given back for a conflict (which is
// recorded); the case returns to the rotation, which skips the decliner; and the
// window closes. Then the replay of this whole history, and of a tampered one.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { accept } from '../../src/modules/cases/cases.actions.js';
import { RuleError } from '../../src/lib/errors.js';
import { assignByOverride, assignByRotation, assignmentsOf, declineAssignment, previewAssignment } from '../../src/modules/rotation/rotation.service.js';
import { replayHistory, replayLines } from '../../src/modules/rotation/replay.service.js';
import { grantedCase, lawyersOf, standingOf } from './service-helpers.js';

const { db } = await buildTestApp(t);
const day = '2026-11-02';

t.test('a decline consumes the turn; a conflict decline returns it and records the conflict', async (t) => {
  const [d1, d2] = await lawyersOf(db, 2, 'inheritance');
  const c1 = await grantedCase(db, { category: 'inheritance', opposingParties: ['王五'] });
  const dueBefore = c1.due_on;
  const first = await assignByRotation(db, TEST_ACTOR, c1.id, {}, day);
  t.equal(first.assignment.lawyer_id, d1.id);

  const back = await declineAssignment(db, TEST_ACTOR, c1.id, { reason: '案件过多', conflict: false }, day);
  t.match(back, { status: 'granted', lawyer_id: null, assigned_on: null, due_on: dueBefore });
  t.same(await standingOf(db, d1.id), { turns: 1, lastSeq: Number(first.assignment.seq) }, 'the turn stays consumed');
  t.match((await assignmentsOf(db, c1.id))[0], { status: 'declined', declineKind: 'consumed', declineReason: '案件过多' });
  const preview = await previewAssignment(db, c1.id, day);
  t.notOk(preview.candidates.some((k) => k.lawyerId === d1.id), 'the decliner is not asked again');
  t.same(preview.ineligible, { declined: 1 }, 'counted as declined (behind d2, so not a skip)');
  t.equal((await assignByRotation(db, TEST_ACTOR, c1.id, {}, day)).assignment.lawyer_id, d2.id);

  // both have one turn now; d1's is older, so d1 is next
  const c2 = await grantedCase(db, { category: 'inheritance', opposingParties: ['赵六 ', '某某公司'] });
  const second = await assignByRotation(db, TEST_ACTOR, c2.id, {}, day);
  t.equal(second.assignment.lawyer_id, d1.id);
  const before = await standingOf(db, d1.id);
  await declineAssignment(db, TEST_ACTOR, c2.id, { reason: '代理过对方', conflict: true }, day);
  t.same(await standingOf(db, d1.id), { turns: (before?.turns ?? 0) - 1, lastSeq: Number(first.assignment.seq) }, 'the turn and its place come back');
  const conflicts = await db.selectFrom('lawyer_conflicts').select('party').where('lawyer_id', '=', d1.id).orderBy('party').execute();
  t.same(conflicts.map((c) => c.party).sort(), ['某某公司', '赵六'].sort(), 'the opposing parties are recorded as conflicts');
  const retry = await previewAssignment(db, c2.id, day);
  t.equal(retry.passedOver.find((p) => p.lawyerId === d1.id)?.reason, 'conflict');
  t.equal((await assignByRotation(db, TEST_ACTOR, c2.id, {}, day)).assignment.lawyer_id, d2.id);
  const events = await db.selectFrom('case_events').select(['kind', 'detail']).where('case_id', '=', c2.id).where('kind', '=', 'decline').execute();
  t.match(events, [{ detail: { lawyerId: d1.id, conflict: true, turn: 'returned' } }]);
});

t.test('the decline window and the state', async (t) => {
  const [l] = await lawyersOf(db, 1, 'land');
  const c = await grantedCase(db, { category: 'land' });
  await assignByRotation(db, TEST_ACTOR, c.id, {}, day);
  const late = await declineAssignment(db, TEST_ACTOR, c.id, { reason: '太忙', conflict: false }, '2026-11-06').catch((e: unknown) => e);
  t.ok(late instanceof RuleError && late.code === 'decline_window_closed', 'three calendar days, then no more');
  await declineAssignment(db, TEST_ACTOR, c.id, { reason: '太忙', conflict: false }, '2026-11-05');
  const none = await assignByRotation(db, TEST_ACTOR, c.id, {}, day).catch((e: unknown) => e);
  t.ok(none instanceof RuleError && none.code === 'no_eligible_lawyer', 'the only lawyer declined it');

  const c2 = await grantedCase(db, { category: 'land' });
  await assignByRotation(db, TEST_ACTOR, c2.id, {}, day);
  await accept(db, TEST_ACTOR, c2.id, day);
  t.equal((await assignmentsOf(db, c2.id))[0].status, 'active', 'accepting keeps the assignment active');
  const accepted = await declineAssignment(db, TEST_ACTOR, c2.id, { reason: '太忙', conflict: false }, day).catch((e: unknown) => e);
  t.ok(accepted instanceof RuleError && accepted.statusCode === 409, 'an accepted case cannot be declined');
  t.ok(l);
});

t.test('replay: nothing on the recorded history; a tampered assignment is reported', async (t) => {
  const [o1, o2] = await lawyersOf(db, 2, 'medical');
  const c = await grantedCase(db, { category: 'medical' });
  await assignByOverride(db, TEST_ACTOR, c.id, { lawyerId: o2.id, reason: '熟悉医疗纠纷' }, day);
  t.ok(o1);

  const clean = await replayHistory(db);
  t.same(clean.differences, []);
  t.same(clean.standings, []);
  t.equal(clean.assignments, 7);
  t.match(replayLines(clean)[0], /^no differences/);

  const firstRow = await db.selectFrom('assignments').selectAll().orderBy('seq').limit(1).executeTakeFirstOrThrow();
  // the lawyer ranked second at that decision
  const other = { id: (firstRow.explanation as { candidates: { lawyerId: number }[] }).candidates[1].lawyerId };
  await db.updateTable('assignments').set({ lawyer_id: other.id }).where('id', '=', firstRow.id).execute();
  const tampered = await replayHistory(db);
  t.match(tampered.differences[0], { seq: Number(firstRow.seq), recorded: other.id, expected: firstRow.lawyer_id, problem: 'other_lawyer' });
  t.ok(tampered.standings.length > 0, 'and the stored standings no longer add up');
  t.match(replayLines(tampered)[0], /differences/);
});
