// The hours service on the database: logging, approving, rejecting with a
// reason, the monthly lock (add, edit, delete), a case that is not the lawyer's,
// exact sums, the entry a case closure creates, and the audit trail.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeAcceptedCase, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer } from '../helpers/people.js';
import { close } from '../../src/modules/cases/cases.actions.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { ValidationError } from '../../src/lib/errors.js';
import { approvedHours, deleteEntry, logHours, updateEntry } from '../../src/modules/hours/hours.service.js';
import { approveMany, decideEntry } from '../../src/modules/hours/hours.review.js';

const { db } = await buildTestApp(t);
const lawyer = await makeLawyer(db);
const other = await makeLawyer(db);
const me = { lawyerId: lawyer.id };
const entry = (fields: Record<string, unknown> = {}) => ({ date: '2026-11-02', hours: '2.5', kind: 'consultation', caseId: null, eventId: null, description: '值班咨询', ...fields });
const ON = '2026-11-20';
const auditOf = (id: number) => db.selectFrom('audit_log').selectAll().where('entity', '=', 'hour_entry').where('entity_id', '=', String(id)).orderBy('id').execute();

void t.test('log, approve, reject with a reason; decisions are final and audited', async (t) => {
  const a = await logHours(db, TEST_ACTOR, me, entry(), ON);
  t.match(a, { status: 'pending', lawyer_id: lawyer.id, work_date: '2026-11-02', kind: 'consultation' });
  t.equal(Number(a.hours) * 10, 25);
  const approved = await decideEntry(db, TEST_ACTOR, a.id, { approve: true, reason: null });
  t.equal(approved.status, 'approved');
  await t.rejects(decideEntry(db, TEST_ACTOR, a.id, { approve: false, reason: '重复' }), { code: 'entry_decided' }, 'final');
  const b = await logHours(db, TEST_ACTOR, me, entry({ hours: '1' }), ON);
  await t.rejects(decideEntry(db, TEST_ACTOR, b.id, { approve: false, reason: '  ' }), { code: 'invalid_input', fields: [{ field: 'reason' }] }, 'a rejection needs a reason');
  const rejected = await decideEntry(db, TEST_ACTOR, b.id, { approve: false, reason: '与案件无关' });
  t.match(rejected, { status: 'rejected', decision_reason: '与案件无关' });
  const trail = await auditOf(b.id);
  t.same(trail.map((r) => r.action), ['hours.logged', 'hours.rejected']);
  t.match(trail[1], { before: { status: 'pending', decision_reason: null }, after: { status: 'rejected', decision_reason: '与案件无关' } });
  await t.rejects(updateEntry(db, TEST_ACTOR, me, b.id, entry(), ON), { code: 'entry_decided' }, 'a decided entry cannot be changed');
});

void t.test('bulk approve takes only pending entries', async (t) => {
  const x = await logHours(db, TEST_ACTOR, me, entry({ hours: '3' }), ON);
  const y = await logHours(db, TEST_ACTOR, me, entry({ hours: '4' }), ON);
  await decideEntry(db, TEST_ACTOR, y.id, { approve: false, reason: '不符' });
  t.equal(await approveMany(db, TEST_ACTOR, [x.id, y.id, 999999]), 1);
});

void t.test('a locked month refuses adding, changing and deleting, with its lock date', async (t) => {
  // October locks on 5 November
  await t.rejects(logHours(db, TEST_ACTOR, me, entry({ date: '2026-10-31' }), '2026-11-05'), { code: 'month_locked', statusCode: 409, params: { month: '2026-10', date: '2026-11-05' } });
  const open = await logHours(db, TEST_ACTOR, me, entry({ date: '2026-10-31' }), '2026-11-04');
  t.equal(open.status, 'pending', 'the day before the lock is still open');
  await t.rejects(updateEntry(db, TEST_ACTOR, me, open.id, entry({ date: '2026-11-02' }), '2026-11-05'), { code: 'month_locked' }, 'no edit once locked');
  await t.rejects(deleteEntry(db, TEST_ACTOR, me, open.id, '2026-11-05'), { code: 'month_locked' }, 'no delete once locked');
  const current = await logHours(db, TEST_ACTOR, me, entry(), ON);
  await t.rejects(updateEntry(db, TEST_ACTOR, me, current.id, entry({ date: '2026-10-30' }), ON), { code: 'month_locked' }, 'nor moved into a locked month');
  const approved = await decideEntry(db, TEST_ACTOR, open.id, { approve: true, reason: null });
  t.equal(approved.status, 'approved', 'a manager still decides what was reported in time');
  await deleteEntry(db, TEST_ACTOR, me, current.id, ON);
  t.same((await auditOf(current.id)).map((r) => r.action), ['hours.logged', 'hours.deleted']);
});

void t.test("another lawyer's case is refused like an unknown one; their entries are not mine to change", async (t) => {
  const theirs = await makeAcceptedCase(db, {}, other.id);
  const err = await logHours(db, TEST_ACTOR, me, entry({ kind: 'case', caseId: theirs.id }), ON).catch((e: unknown) => e);
  t.ok(err instanceof ValidationError);
  t.same((err as ValidationError).fields, [{ field: 'caseId', key: 'hours.err.case' }]);
  const unknown = await logHours(db, TEST_ACTOR, me, entry({ kind: 'case', caseId: 987654 }), ON).catch((e: unknown) => e);
  t.same((unknown as ValidationError).fields, (err as ValidationError).fields, 'the same answer as a case that does not exist');
  const mine = await makeAcceptedCase(db, {}, lawyer.id);
  const ok = await logHours(db, TEST_ACTOR, me, entry({ kind: 'case', caseId: mine.id }), ON);
  t.equal(ok.case_id, mine.id);
  await t.rejects(updateEntry(db, TEST_ACTOR, { lawyerId: other.id }, ok.id, entry(), ON), { code: 'not_found' });
  await t.rejects(deleteEntry(db, TEST_ACTOR, { lawyerId: other.id }, ok.id, ON), { code: 'not_found' });
});

void t.test('approved hours sum exactly (0.1 + 0.2 = 0.3) per lawyer and period', async (t) => {
  const l = await makeLawyer(db);
  for (const h of ['0.1', '0.2']) {
    const e = await logHours(db, TEST_ACTOR, { lawyerId: l.id }, entry({ hours: h, date: '2026-09-10' }), '2026-09-20');
    await decideEntry(db, TEST_ACTOR, e.id, { approve: true, reason: null });
  }
  await logHours(db, TEST_ACTOR, { lawyerId: l.id }, entry({ hours: '5', date: '2026-09-11' }), '2026-09-20'); // pending: not counted
  const sums = await approvedHours(db, { lawyerIds: [l.id], from: '2026-01-01', to: '2026-12-31' });
  t.equal(sums.get(l.id), 0.3);
  t.equal((await approvedHours(db, { lawyerIds: [l.id], from: '2026-09-11', to: '2026-12-31' })).get(l.id), undefined, 'outside the period');
  t.equal((await approvedHours(db, { lawyerIds: [], from: '2026-01-01', to: '2026-12-31' })).size, 0);
});

void t.test('closing a case with hours creates the pending entry for the handling lawyer, even above 24', async (t) => {
  const c = await makeAcceptedCase(db, {}, lawyer.id);
  await close(db, TEST_ACTOR, c.id, { outcome: '调解结案', hours: '30.5' });
  const e = await db.selectFrom('hour_entries').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
  t.match(e, { lawyer_id: lawyer.id, kind: 'case', status: 'pending', work_date: today(), description: '结案：调解结案' });
  t.equal(Number(e.hours), 30.5);
  const none = await makeAcceptedCase(db, {}, lawyer.id);
  await close(db, TEST_ACTOR, none.id, { outcome: '撤诉', hours: null });
  t.equal((await db.selectFrom('hour_entries').select('id').where('case_id', '=', none.id).execute()).length, 0, 'no hours reported, no entry');
  await t.rejects(db.insertInto('hour_entries').values({ lawyer_id: lawyer.id, work_date: '2026-11-01', hours: '25.0', kind: 'other', description: 'x' }).execute(), 'only case closures exceed a day');
});

void t.test("a closure's total above a day can be corrected down by its lawyer, never raised, and only as a case entry", async (t) => {
  const c = await makeAcceptedCase(db, {}, lawyer.id);
  await close(db, TEST_ACTOR, c.id, { outcome: '判决结案', hours: '30.5' });
  const e = await db.selectFrom('hour_entries').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
  const edit = (fields: Record<string, unknown>) => updateEntry(db, TEST_ACTOR, me, e.id, entry({ date: e.work_date, kind: 'case', caseId: c.id, description: e.description, ...fields }), e.work_date);
  const err = await edit({ hours: '31' }).catch((x: unknown) => x);
  t.ok(err instanceof ValidationError, 'more than was reported is refused');
  t.same((err as ValidationError).fields, [{ field: 'hours', key: 'hours.err.hours', params: { max: '30.5' } }], 'the message names the most allowed');
  await t.rejects(edit({ hours: '26', kind: 'other', caseId: null }), { code: 'invalid_input', fields: [{ field: 'hours', params: { max: '24' } }] }, 'as another kind, a day is the most');
  t.equal(Number((await db.selectFrom('hour_entries').select('hours').where('id', '=', e.id).executeTakeFirstOrThrow()).hours), 30.5, 'unchanged');
  const after = await edit({ hours: '28' });
  t.equal(Number(after.hours), 28, 'corrected down');
  await t.rejects(edit({ hours: '29' }), { code: 'invalid_input', fields: [{ field: 'hours', params: { max: '28' } }] }, 'once corrected, what it holds now is the most');
});
