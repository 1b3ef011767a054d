// The demo seed assigns its cases through the rotation service, as in real use:
// every handled case has its assignment ("why this lawyer"), with manager
// overrides, a lawyer on leave and a recorded conflict passed over, both kinds of
// decline; the replay finds nothing to report, the fairness report has figures,
// the demo lawyer has cases of their own, and the same seed gives the same rotation.
import t from 'tap';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/seed/demo.js';
import { replayHistory } from '../../src/modules/rotation/replay.service.js';
import { readExplanation, type Explanation } from '../../src/modules/rotation/rotation.explain.js';
import { fairnessReport } from '../../src/modules/fairness/fairness.service.js';

t.setTimeout(300_000);

async function assignmentRows(db: Kysely<DB>) {
  const rows = await db.selectFrom('assignments').selectAll().orderBy('seq').execute();
  return rows.map((r) => ({ ...r, seq: Number(r.seq), why: readExplanation(r.explanation) as Explanation }));
}

t.test('the demo cases are assigned by the rotation', async (t) => {
  const { app, db } = await buildTestApp(t);
  const started = Date.now();
  await seedDemo(db);
  t.comment(`demo seed took ${Date.now() - started} ms`);

  const cases = await db.selectFrom('cases').selectAll().orderBy('id').execute();
  const rows = await assignmentRows(db);
  const manager = await db.selectFrom('users').select(['id', 'name']).where('email', '=', 'manager@fayuan.demo').executeTakeFirstOrThrow();
  const caseOf = (id: number) => cases.find((c) => c.id === id)!;

  t.test('every case with a lawyer has the assignment that chose them', async (t) => {
    const handled = cases.filter((c) => ['assigned', 'accepted', 'closed', 'reviewed', 'terminated'].includes(c.status));
    t.ok(handled.length >= 20, `cases handled by a lawyer (${handled.length})`);
    t.ok(handled.every((c) => c.lawyer_id !== null), 'each has a lawyer');
    for (const c of handled) {
      const current = rows.filter((r) => r.case_id === c.id && r.status !== 'declined');
      t.equal(current.length, 1, `case ${c.number}: one assignment in force`);
      t.equal(current[0]?.lawyer_id, c.lawyer_id, `case ${c.number}: the lawyer the assignment chose`);
      t.equal(current[0]?.status, c.status === 'terminated' ? 'ended' : 'active');
      t.ok(current[0]?.why, `case ${c.number}: with its explanation`);
    }
    t.ok(cases.filter((c) => c.lawyer_id === null).every((c) => !rows.some((r) => r.case_id === c.id && r.status === 'active')), 'no assignment in force without a lawyer on the case');
    t.equal(rows.filter((r) => !cases.some((c) => c.id === r.case_id)).length, 0);
    const events = await db.selectFrom('case_events').select(['case_id', 'detail', 'at']).where('kind', '=', 'assign').execute();
    t.equal(events.length, rows.length, 'one timeline entry per assignment');
    t.ok(events.every((e) => ['rotation', 'override'].includes((e.detail as { method: string }).method)), 'none made by hand outside the rotation');
    // the assignment is dated like its timeline entry, over the demo's months
    for (const r of rows) {
      const e = events.find((x) => x.case_id === r.case_id && Number((x.detail as { seq: number }).seq) === r.seq);
      t.same(r.assigned_at, e?.at, `seq ${r.seq}: assigned when the timeline says`);
    }
    t.ok(new Set(rows.map((r) => r.assigned_at.toISOString().slice(0, 10))).size > 10, 'on many days');
    const day = (r: (typeof rows)[number]) => r.why.on;
    t.ok(rows.every((r, i) => i === 0 || day(r) >= day(rows[i - 1])), 'turns taken in the order of their days');
  });

  t.test('rotation picks, overrides with reasons, both kinds of decline', async (t) => {
    const rotation = rows.filter((r) => r.method === 'rotation');
    const overrides = rows.filter((r) => r.method === 'override');
    t.ok(rotation.length >= 15, `rotation picks (${rotation.length})`);
    t.ok(rotation.every((r) => r.why.rotationPick === r.lawyer_id), 'a rotation assignment is the rotation pick');
    t.ok(overrides.length >= 2, `manager overrides (${overrides.length})`);
    for (const o of overrides) {
      t.ok(o.reason && o.reason.trim().length > 5, `override seq ${o.seq} has a written reason`);
      t.equal(o.assigned_by, manager.id, 'made by the manager');
      t.not(o.why.rotationPick, o.lawyer_id, 'against the rotation pick');
      t.ok(o.why.candidates.some((c) => c.lawyerId === o.lawyer_id), 'to an eligible lawyer');
    }
    const declined = rows.filter((r) => r.status === 'declined');
    t.same(declined.map((r) => r.decline_kind).sort(), ['consumed', 'returned'], 'one decline uses the turn, one gives it back');
    for (const d of declined) {
      const again = rows.find((r) => r.case_id === d.case_id && r.seq > d.seq && r.status !== 'declined');
      t.ok(again, `case ${caseOf(d.case_id).number} assigned again`);
      t.equal(again?.method, 'rotation', 'by the rotation');
      t.not(again?.lawyer_id, d.lawyer_id, 'to another lawyer');
      t.ok(again?.why.needs.declinedBy.includes(d.lawyer_id), 'the decliner not asked again');
      t.ok(d.decline_reason && d.decline_seq !== null && Number(d.decline_seq) < again!.seq, 'the decline has its reason and turn');
    }
    const returned = declined.find((r) => r.decline_kind === 'returned')!;
    const party = caseOf(returned.case_id).opposing_parties[0];
    const recorded = await db.selectFrom('lawyer_conflicts').select('party').where('lawyer_id', '=', returned.lawyer_id).execute();
    t.ok(recorded.some((k) => k.party === party), 'a conflict decline records the conflict with the opposing party');
  });

  t.test('a lawyer on leave and a recorded conflict are passed over', async (t) => {
    const leaves = await db.selectFrom('lawyer_leaves').selectAll().execute();
    t.ok(leaves.length >= 1, 'a leave is recorded');
    const onLeave = rows.filter((r) =>
      r.why.passedOver.some((p) => p.reason === 'on_leave' && leaves.some((l) => l.lawyer_id === p.lawyerId && String(l.starts_on).slice(0, 10) <= r.why.on && r.why.on <= String(l.ends_on).slice(0, 10))));
    t.ok(onLeave.length >= 1, `skipped while on leave (${onLeave.length} decisions)`);
    t.ok(onLeave.every((r) => !r.why.candidates.some((c) => leaves.some((l) => l.lawyer_id === c.lawyerId && String(l.starts_on).slice(0, 10) <= r.why.on && r.why.on <= String(l.ends_on).slice(0, 10)))), 'never a candidate while away');

    const conflicts = await db.selectFrom('lawyer_conflicts').selectAll().execute();
    const skipped = rows.filter((r) =>
      r.why.passedOver.some((p) => p.reason === 'conflict' && !r.why.needs.declinedBy.includes(p.lawyerId) && conflicts.some((k) => k.lawyer_id === p.lawyerId && r.why.needs.opposingParties.includes(k.party))));
    t.ok(skipped.length >= 1, `skipped for a recorded conflict with the opposing party (${skipped.length} decisions)`);
    const audits = await db.selectFrom('audit_log').select('action').where('action', 'in', ['lawyer.leave_added', 'lawyer.conflict_added']).execute();
    t.same([...new Set(audits.map((a) => a.action))].sort(), ['lawyer.conflict_added', 'lawyer.leave_added'], 'both recorded through the service, audited');
  });

  t.test('the replay finds no differences', async (t) => {
    const report = await replayHistory(db);
    t.equal(report.assignments, rows.length);
    t.same(report.differences, [], 'every pick is what the rotation would make');
    t.same(report.standings, [], 'every stored standing is what the recorded turns give');
  });

  t.test('the fairness report has figures', async (t) => {
    const report = await fairnessReport(db, {});
    const counted = rows.filter((r) => !(r.status === 'declined' && r.decline_kind === 'returned')).length;
    t.equal(report.assignments, counted, 'every turn counted but the returned one');
    const served = report.perLawyer.filter((l) => l.received > 0);
    t.ok(served.length >= 10, `assignments spread over lawyers (${served.length})`);
    t.equal(served.reduce((s, l) => s + l.received, 0), counted);
    t.ok(report.perLawyer.every((l) => l.eligibleDays > 0 || l.received > 0));
    t.ok(report.period.from < rows.at(-1)!.assigned_at.toISOString().slice(0, 10), 'over the demo months, not one day');
    t.ok(report.overrides.length >= 2 && report.overrides.every((o) => o.reason && o.by === manager.name), 'overrides with reason and manager');
    const skips = new Map(report.skips.map((s) => [s.reason, s.skips]));
    t.ok((skips.get('on_leave') ?? 0) >= 1, 'skips for leave');
    t.ok((skips.get('conflict') ?? 0) >= 1, 'skips for a conflict');

    const client = new Client(app);
    await client.login('manager@fayuan.demo', DEMO_PASSWORD);
    const page = await client.get('/reports/fairness');
    t.equal(page.statusCode, 200);
    const shown = text(page.body);
    t.match(shown, `${counted} assignments counted in the period`);
    t.match(shown, report.overrides[0].reason, 'the page lists an override with its reason');
    t.match(shown, /On leave \d+ \d+/);
    t.match(shown, /Conflict of interest \d+ \d+/);

    const declined = rows.find((r) => r.status === 'declined' && r.decline_kind === 'consumed')!;
    const casePage = await client.get(`/cases/${declined.case_id}`);
    t.equal(casePage.statusCode, 200);
    const why = text(casePage.body);
    t.match(why, 'Why this lawyer', 'the case page says why this lawyer');
    t.match(why, declined.decline_reason!, 'with the earlier assignment and its decline');
  });

  t.test('the demo lawyer has cases of their own', async (t) => {
    const demo = await db.selectFrom('users').select(['lawyer_id']).where('email', '=', 'lawyer@fayuan.demo').executeTakeFirstOrThrow();
    const mine = cases.filter((c) => c.lawyer_id === demo.lawyer_id);
    t.ok(mine.length >= 1, `cases (${mine.length})`);
    t.ok(mine.every((c) => rows.some((r) => r.case_id === c.id && r.lawyer_id === demo.lawyer_id && r.status !== 'declined')), 'each given by an assignment');
    const lawyer = new Client(app);
    await lawyer.login('lawyer@fayuan.demo', DEMO_PASSWORD);
    const home = text((await lawyer.get('/')).body);
    t.match(home, 'My cases');
    const toAccept = mine.filter((c) => c.status === 'assigned').length;
    const inProgress = mine.filter((c) => c.status === 'accepted').length;
    t.ok(toAccept + inProgress >= 1, 'one to work on');
    t.match(home, `${toAccept} to accept`);
    t.match(home, `${inProgress} in progress`);
    const list = (await lawyer.get('/cases')).body;
    for (const c of mine) t.match(list, c.number, `case ${c.number} in their list`);
    const own = await lawyer.get(`/cases/${mine[0].id}`);
    t.equal(own.statusCode, 200);
    t.match(text(own.body), 'Why this lawyer');
  });

  t.test('the same seed makes the same rotation', async (t) => {
    const other = await buildTestApp(t);
    await seedDemo(other.db);
    const again = await assignmentRows(other.db);
    const shape = (list: typeof rows) => list.map((r) => [r.seq, r.case_id, r.lawyer_id, r.method, r.status, r.decline_kind]);
    t.same(shape(again), shape(rows));
  });
});
