// Forbidden transitions and bad input: each refused with its own message key, and
// nothing changes (the case row, its timeline, its materials, the audit log).
import t, { type Test } from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer } from '../helpers/people.js';
import * as actions from '../../src/modules/cases/cases.actions.js';
import { getCase } from '../../src/modules/cases/cases.service.js';
import { RuleError, ValidationError } from '../../src/lib/errors.js';
import { translator, type MessageKey } from '../../src/i18n/index.js';

const { accept, appeal, assignLawyer, close, decide, decideAppeal, followUp, review, withdraw } = actions;
const { app } = await buildTestApp(t);
const db = app.db;
const A = TEST_ACTOR;
const ON = '2026-11-02';
const LATER = '2026-11-20';

async function snapshot(id: number) {
  const count = (table: 'case_events' | 'case_material_requests' | 'case_dates') =>
    db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).where('case_id', '=', id).executeTakeFirstOrThrow();
  const audits = await db.selectFrom('audit_log').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return { row: await getCase(db, id), events: await count('case_events'), materials: await count('case_material_requests'), dates: await count('case_dates'), audits };
}

/**
 * Runs an action that must be refused, and checks the refusal and that nothing
 * changed. The action runs inside a function: some actions check their input
 * before their transaction starts and throw synchronously.
 */
async function refused(t: Test, id: number, action: () => Promise<unknown>, expected: { type: typeof RuleError | typeof ValidationError; code?: string; key?: MessageKey; field?: string }) {
  const before = await snapshot(id);
  const err = await (async () => action())().then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, expected.type, 'refused with the right kind of error');
  if (err instanceof RuleError) {
    t.match(err, { code: expected.code, key: expected.key });
    for (const lang of ['zh-CN', 'en'] as const) t.not(translator(lang)(err.key, err.params), err.key, `a ${lang} message says why`);
  }
  if (err instanceof ValidationError) t.match(err.fields, [{ field: expected.field, key: expected.key ?? String }]);
  t.same(await snapshot(id), before, 'nothing changed: row, timeline, materials, dates, audit log');
}

const state = (action: string) => ({ type: RuleError, code: 'invalid_state', key: `case.err.state.${action}` as MessageKey });

/** A granted civil case (eligible on the default income), decided on ON. */
async function granted() {
  const c = await makeCase(db, {}, ON);
  return decide(db, A, c.id, { granted: true, reason: null }, ON);
}

async function closedCase() {
  const c = await granted();
  const lawyer = await makeLawyer(db);
  await assignLawyer(db, A, c.id, { lawyerId: lawyer.id, reason: '轮到' }, ON);
  await accept(db, A, c.id, '2026-11-03');
  return close(db, A, c.id, { outcome: '调解结案', hours: '12.5' }, '2026-11-10');
}

void t.test('closing or accepting an unassigned case', async (t) => {
  const c = await granted();
  await refused(t, c.id, () => close(db, A, c.id, { outcome: '结案', hours: '3' }, LATER), state('close'));
  await refused(t, c.id, () => accept(db, A, c.id, LATER), state('accept'));
  const lawyer = await makeLawyer(db);
  await assignLawyer(db, A, c.id, { lawyerId: lawyer.id, reason: '轮到' }, ON);
  await refused(t, c.id, () => close(db, A, c.id, { outcome: '结案', hours: '3' }, LATER), state('close'));
  t.equal((await accept(db, A, c.id, LATER)).status, 'accepted', 'once assigned, it can be accepted');
  await refused(t, c.id, () => accept(db, A, c.id, LATER), state('accept'));
});

void t.test('reviewing twice', async (t) => {
  const c = await closedCase();
  t.equal((await review(db, A, c.id, { score: 88, findings: null }, LATER)).status, 'reviewed');
  await refused(t, c.id, () => review(db, A, c.id, { score: 95, findings: '再评' }, LATER), state('review'));
  t.equal((await getCase(db, c.id))?.review_score, 88, 'the first score stands');
});

void t.test('granting a withdrawn application; deciding one that waits for materials', async (t) => {
  const c = await makeCase(db, {}, ON);
  await withdraw(db, A, c.id, { reason: '已和解' }, '2026-11-03');
  await refused(t, c.id, () => decide(db, A, c.id, { granted: true, reason: null }, LATER), state('decide'));
  await refused(t, c.id, () => decide(db, A, c.id, { granted: false, reason: '撤回' }, LATER), state('decide'));
  const waiting = await makeCase(db, { missingItems: ['户口簿'] }, ON);
  await refused(t, waiting.id, () => decide(db, A, waiting.id, { granted: true, reason: null }, LATER), state('decide'));
  await refused(t, waiting.id, () => decide(db, A, waiting.id, { granted: false, reason: '材料不全' }, LATER), state('decide'));
  const done = await granted();
  await refused(t, done.id, () => decide(db, A, done.id, { granted: false, reason: '改变主意' }, LATER), state('decide'));
});

void t.test('appealing twice: once after an upheld appeal, once while the appeal is pending', async (t) => {
  const c = await makeCase(db, { householdSize: 1, monthlyIncomeFen: 9_999_999 }, ON);
  await decide(db, A, c.id, { granted: false, reason: '收入超过标准' }, ON);
  await appeal(db, A, c.id, { reason: '收入有误' }, '2026-11-03');
  await refused(t, c.id, () => appeal(db, A, c.id, { reason: '再次异议' }, '2026-11-04'), state('appeal'));
  await decideAppeal(db, A, c.id, { overturn: false, reason: '维持' }, '2026-11-05');
  await refused(t, c.id, () => appeal(db, A, c.id, { reason: '再次异议' }, '2026-11-06'), { type: RuleError, code: 'appealed_once', key: 'case.err.appealedOnce' });
  const fresh = await granted();
  await refused(t, fresh.id, () => appeal(db, A, fresh.id, { reason: '异议' }, LATER), state('appeal'));
});

void t.test('assigning a lawyer who is on leave or no longer practising, or unknown', async (t) => {
  const c = await granted();
  for (const status of ['on_leave', 'inactive'] as const) {
    const lawyer = await makeLawyer(db, { status });
    await refused(t, c.id, () => assignLawyer(db, A, c.id, { lawyerId: lawyer.id, reason: '指派' }, LATER), { type: ValidationError, field: 'lawyerId', key: 'case.err.lawyerInactive' });
  }
  await refused(t, c.id, () => assignLawyer(db, A, c.id, { lawyerId: 999_999, reason: '指派' }, LATER), { type: ValidationError, field: 'lawyerId', key: 'err.choice' });
  const active = await makeLawyer(db);
  await refused(t, c.id, () => assignLawyer(db, A, c.id, { lawyerId: active.id, reason: '' }, LATER), { type: ValidationError, field: 'reason', key: 'err.required' });
  const assigned = await assignLawyer(db, A, c.id, { lawyerId: active.id, reason: '指派' }, LATER);
  t.equal(assigned.lawyer_id, active.id);
  const other = await makeLawyer(db);
  await refused(t, c.id, () => assignLawyer(db, A, c.id, { lawyerId: other.id, reason: '改派' }, LATER), state('assign'));
});

void t.test('a follow-up visit once only', async (t) => {
  const c = await closedCase();
  const visited = await followUp(db, A, c.id, { on: '2026-11-18', satisfied: true, complaint: null }, LATER);
  t.equal(visited.followup_on, '2026-11-18');
  t.equal(visited.status, 'closed', 'a visit does not change the status');
  await refused(t, c.id, () => followUp(db, A, c.id, { on: LATER, satisfied: false, complaint: '不满意' }, LATER), { type: RuleError, code: 'followed_up', key: 'case.err.followedUp' });
  await review(db, A, c.id, { score: 90, findings: null }, LATER);
  await refused(t, c.id, () => followUp(db, A, c.id, { on: LATER, satisfied: false, complaint: null }, LATER), { type: RuleError, code: 'followed_up', key: 'case.err.followedUp' });
});

void t.test('bad input changes nothing', async (t) => {
  const applied = await makeCase(db, {}, ON);
  for (const reason of [null, '']) {
    await refused(t, applied.id, () => decide(db, A, applied.id, { granted: false, reason }, ON), { type: ValidationError, field: 'reason', key: 'err.required' });
  }
  const c = await granted();
  const lawyer = await makeLawyer(db);
  await assignLawyer(db, A, c.id, { lawyerId: lawyer.id, reason: '轮到' }, ON);
  await accept(db, A, c.id, ON);
  for (const hours of ['1.25', '-1', '12345', 'abc']) {
    await refused(t, c.id, () => close(db, A, c.id, { outcome: '结案', hours }, LATER), { type: ValidationError, field: 'hours', key: 'case.err.hours' });
  }
  await refused(t, c.id, () => close(db, A, c.id, { outcome: '', hours: '1' }, LATER), { type: ValidationError, field: 'outcome', key: 'err.required' });
  await close(db, A, c.id, { outcome: '判决胜诉', hours: '1.5' }, '2026-11-10');
  for (const score of [101, -1, 90.5, Number.NaN]) {
    await refused(t, c.id, () => review(db, A, c.id, { score, findings: null }, LATER), { type: ValidationError, field: 'score', key: 'case.err.score' });
  }
  for (const on of ['2026-11-21', '2026-13-01', 'yesterday']) {
    await refused(t, c.id, () => followUp(db, A, c.id, { on, satisfied: true, complaint: null }, LATER), { type: ValidationError, field: 'on', key: 'case.err.pastDate' });
  }
  await refused(t, c.id, () => followUp(db, A, c.id, { on: LATER, satisfied: null, complaint: null }, LATER), { type: ValidationError, field: 'satisfied', key: 'err.required' });
  t.equal((await review(db, A, c.id, { score: 100, findings: null }, LATER)).review_score, 100, 'the bounds themselves are fine');
});
