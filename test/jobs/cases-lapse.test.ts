// The nightly lapse job: an application whose materials were due before today
// (Asia/Shanghai) is withdrawn; one due today, and anything not waiting for
// materials, is left alone; the job runs once per Shanghai date.
import t from 'tap';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.js';
import { makeCase } from '../helpers/cases.js';
import { auditEntries } from '../helpers/html.js';
import { findJob, runJob } from '../../src/jobs/index.js';

const log = { info: () => {}, error: () => {} };
// 00:30 on 2 December in Shanghai is still 1 December in UTC: the job must use Shanghai's date
const now = new Date('2026-12-01T16:30:00Z');
const TODAY = '2026-12-02';
const YESTERDAY = '2026-12-01';

t.test('the job is registered for just after midnight, one slot per Shanghai date', async (t) => {
  const job = findJob('cases-lapse-materials');
  t.ok(job);
  t.equal(job!.cron, '7 0 * * *');
  t.equal(job!.slot(now), TODAY);
  t.equal(job!.slot(new Date('2026-12-01T15:59:00Z')), YESTERDAY);
});

t.test('withdraws only applications whose materials are overdue', async (t) => {
  const { db } = await buildTestApp(t);
  const missing = { missingItems: ['户口簿复印件'] };
  const overdue = await makeCase(db, missing, '2026-11-10');
  const dueToday = await makeCase(db, missing, '2026-11-11');
  const reviewing = await makeCase(db, {}, '2026-11-10');
  const withdrawnByHand = await makeCase(db, missing, '2026-11-10');
  // set the deadlines exactly, whatever the calendar made of them
  await db.updateTable('cases').set({ due_on: YESTERDAY }).where('id', 'in', [overdue.id, reviewing.id, withdrawnByHand.id]).execute();
  await db.updateTable('cases').set({ due_on: TODAY }).where('id', '=', dueToday.id).execute();
  await db.updateTable('cases').set({ status: 'withdrawn' }).where('id', '=', withdrawnByHand.id).execute();

  const first = await runJob(db, 'cases-lapse-materials', { log, now });
  t.ok(first.ran);
  t.equal(first.slot, TODAY);
  t.equal(first.detail, 'overdue applications withdrawn: 1');

  const status = async (id: number) => (await db.selectFrom('cases').select(['status', 'termination_reason']).where('id', '=', id).executeTakeFirstOrThrow());
  t.same(await status(overdue.id), { status: 'withdrawn', termination_reason: 'materials_not_supplied' }, 'due yesterday: withdrawn');
  t.equal((await status(dueToday.id)).status, 'pending_materials', 'due today: untouched');
  t.equal((await status(reviewing.id)).status, 'applied', 'not waiting for materials: untouched');
  const request = await db.selectFrom('case_material_requests').select(['status', 'closed_on']).where('case_id', '=', overdue.id).executeTakeFirstOrThrow();
  t.same(request, { status: 'lapsed', closed_on: TODAY });
  const event = await db.selectFrom('case_events').select(['kind', 'actor_name']).where('case_id', '=', overdue.id).orderBy('id', 'desc').executeTakeFirstOrThrow();
  t.same(event, { kind: 'lapse_materials', actor_name: 'system' }, 'on the timeline, by the system');
  t.equal((await auditEntries(db, 'case.lapse_materials')).length, 1, 'audited');

  const second = await runJob(db, 'cases-lapse-materials', { log, now: new Date(now.getTime() + 3600_000) });
  t.notOk(second.ran, 'the same Shanghai date does not run twice');
  const ledger = await db.selectFrom('job_runs').selectAll().where('job', '=', 'cases-lapse-materials').execute();
  t.equal(ledger.length, 1);
  t.equal(ledger[0].status, 'ok');

  // the next night the case due "today" has become overdue
  const next = await runJob(db, 'cases-lapse-materials', { log, now: new Date(now.getTime() + 86_400_000) });
  t.ok(next.ran);
  t.equal((await status(dueToday.id)).status, 'withdrawn');
});

t.test('one failure does not stop the rest', async (t) => {
  const { db } = await buildTestApp(t);
  const a = await makeCase(db, { missingItems: ['材料'] }, '2026-11-10');
  const b = await makeCase(db, { missingItems: ['材料'] }, '2026-11-10');
  await db.updateTable('cases').set({ due_on: YESTERDAY }).where('id', 'in', [a.id, b.id]).execute();
  const errors: object[] = [];
  // a trigger makes the first case's update fail, as a broken row would
  await sql.raw(`create function fail_one() returns trigger language plpgsql as $$ begin if new.id = ${a.id} then raise exception 'broken row'; end if; return new; end $$`).execute(db);
  await sql`create trigger fail_one before update on cases for each row execute function fail_one()`.execute(db);
  const run = await runJob(db, 'cases-lapse-materials', { log: { info: () => {}, error: (o) => errors.push(o) }, now });
  t.ok(run.ran);
  t.match(run.detail, 'overdue applications withdrawn: 1, failed: 1');
  t.equal(errors.length, 1, 'the failure is logged');
  const rows = await db.selectFrom('cases').select(['id', 'status']).where('id', 'in', [a.id, b.id]).orderBy('id').execute();
  t.same(rows.map((r) => r.status), ['pending_materials', 'withdrawn']);
});
