// The hourly duty no-show job (duty-no-shows, like events-no-shows): a seat still
// only assigned 12 hours (the events policy) after its shift ended becomes a
// no-show; attended and released people, shifts ended too recently or still
// running, and cancelled shifts are left alone. The seat stays held, no hours are
// credited, a second run marks nothing more, each mark is audited; the shift page
// and "my duty" say "No-show"; `run-job duty-no-shows` runs it from the CLI.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { cliTarget } from '../helpers/cli.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries } from '../helpers/html.js';
import { makeLawyerUser, makeVolunteer } from '../helpers/people.js';
import { findJob, runJob } from '../../src/jobs/index.js';
import { cancelShift, markAttendance, release, takeSeat } from '../../src/modules/duty/duty.assign.js';
import { recordDutyNoShows, recordOverdueDutyNoShows } from '../../src/modules/duty/duty.noshows.js';
import { getShift } from '../../src/modules/duty/duty.service.js';
import { ACTOR, at, makeShift, makeStation, NOW } from './support.js';

const log = { info: () => {}, error: () => {} };
const JOB = 'duty-no-shows';
/** 00:30 on 11 March 2030 in Shanghai: 12.5 hours after a morning shift of the 10th ended at 12:00. */
const RUN = new Date(at('2030-03-11', '00:30'));

t.test('registered beside events-no-shows: hourly, one slot per hour', async (t) => {
  const job = findJob(JOB);
  t.ok(job);
  t.equal(job!.cron, findJob('events-no-shows')!.cron);
  t.equal(job!.slot(RUN), '2030-03-10T16');
  t.equal(job!.slot(new Date(at('2030-03-11', '01:00'))), '2030-03-10T17');
});

t.test('marks the seats still assigned on shifts ended 12 hours ago, and nothing else', async (t) => {
  const { db } = await buildTestApp(t);
  const station = await makeStation(db, '511902', '巴州区法院工作站');
  const person = async () => ({ volunteerId: (await makeVolunteer(db)).id });
  const finished = await makeShift(db, station.id, { startsAt: at('2030-03-10', '09:00'), endsAt: at('2030-03-10', '12:00'), seats: 3 });
  const recent = await makeShift(db, station.id, { startsAt: at('2030-03-10', '18:00'), endsAt: at('2030-03-10', '20:00') });
  const running = await makeShift(db, station.id, { startsAt: at('2030-03-10', '22:00'), endsAt: at('2030-03-11', '06:00') });
  const cancelled = await makeShift(db, station.id, { startsAt: at('2030-03-09', '09:00'), endsAt: at('2030-03-09', '11:00') });
  const [a, b, c, e, f, g] = await Promise.all(Array.from({ length: 6 }, () => person()));
  const seatA = await takeSeat(db, ACTOR, a, finished.id, 'signup', NOW);
  const seatB = await takeSeat(db, ACTOR, b, finished.id, 'signup', NOW);
  await takeSeat(db, ACTOR, c, finished.id, 'signup', NOW);
  await release(db, ACTOR, c, finished.id, NOW);
  await takeSeat(db, ACTOR, e, recent.id, 'signup', NOW);
  await takeSeat(db, ACTOR, f, running.id, 'signup', NOW);
  await takeSeat(db, ACTOR, g, cancelled.id, 'signup', NOW);
  await cancelShift(db, ACTOR, cancelled.id, '法院停电', NOW);
  await markAttendance(db, ACTOR, seatA.id, 'attended', new Date(at('2030-03-10', '10:00')));
  const statusOf = async (shiftId: number, p: { volunteerId: number }) =>
    (await db.selectFrom('duty_assignments').select('status').where('shift_id', '=', shiftId).where('volunteer_id', '=', p.volunteerId).orderBy('id', 'desc').executeTakeFirst())?.status;
  const filledBefore = (await getShift(db, finished.id))!.filled;

  const first = await runJob(db, JOB, { log, now: RUN });
  t.ok(first.ran);
  t.equal(first.detail, 'duty no-shows recorded: 1');
  t.equal(await statusOf(finished.id, b), 'no_show', 'assigned and never marked: a no-show');
  t.equal(await statusOf(finished.id, a), 'attended', 'attended: untouched');
  t.equal(await statusOf(finished.id, c), 'released', 'released: untouched');
  t.equal(await statusOf(recent.id, e), 'assigned', 'ended less than 12 hours ago: untouched');
  t.equal(await statusOf(running.id, f), 'assigned', 'not finished: untouched');
  t.equal(await statusOf(cancelled.id, g), 'assigned', 'a cancelled shift: untouched (nobody could come)');
  t.equal((await getShift(db, finished.id))!.filled, filledBefore, 'the no-show still holds the seat: the shift is not unfilled afterwards');
  t.equal((await db.selectFrom('hour_entries').select('id').where('volunteer_id', '=', b.volunteerId).execute()).length, 0, 'a no-show credits no hours');
  const row = await db.selectFrom('duty_assignments').selectAll().where('id', '=', seatB.id).executeTakeFirstOrThrow();
  t.match(row, { status: 'no_show', hour_entry_id: null, marked_by: null });
  t.ok(row.marked_at, 'when it was marked');
  const audited = await auditEntries(db, 'duty.no_show');
  t.equal(audited.length, 1, 'audited');
  t.match(audited[0], { actor_name: 'system', entity: 'duty_assignment', entity_id: String(seatB.id), before: { status: 'assigned' }, after: { status: 'no_show' } });

  t.notOk((await runJob(db, JOB, { log, now: new Date(at('2030-03-11', '00:55')) })).ran, 'the same hour does not run twice');
  t.equal(await recordDutyNoShows(db, ACTOR, new Date(RUN.getTime() - 12 * 3_600_000), RUN), 0, 'run again for the same time: nothing more to mark');
  t.equal((await auditEntries(db, 'duty.no_show')).length, 1, 'nor audited again');

  const later = await runJob(db, JOB, { log, now: new Date(at('2030-03-11', '08:41')) });
  t.equal(later.detail, 'duty no-shows recorded: 1', '12 hours after the evening shift: its seat too');
  t.equal(await statusOf(recent.id, e), 'no_show');
  t.equal(await statusOf(finished.id, b), 'no_show');
  t.equal(await statusOf(running.id, f), 'assigned', 'ended at 06:00, only 2.7 hours before: still its grace');
});

t.test('the grace comes from the events policy', async (t) => {
  const { db } = await buildTestApp(t);
  const station = await makeStation(db);
  const s = await makeShift(db, station.id, { startsAt: at('2030-03-10', '18:00'), endsAt: at('2030-03-10', '20:00') });
  const v = { volunteerId: (await makeVolunteer(db)).id };
  await takeSeat(db, ACTOR, v, s.id, 'signup', NOW);
  t.equal(await recordOverdueDutyNoShows(db, RUN), 'duty no-shows recorded: 0', '4.5 hours after the end: within the 12-hour grace');
  await db
    .insertInto('policies')
    .values({ key: 'events', effective_from: '2030-03-01', value: JSON.stringify({ promotionCutoff: 'event_day', creditHours: 'duration', noShowAfterHours: 2 }), note: 'test' })
    .execute();
  t.equal(await recordOverdueDutyNoShows(db, RUN), 'duty no-shows recorded: 1', 'with a 2-hour grace');
});

t.test('the shift page and my duty say No-show', async (t) => {
  const { app, db } = await buildTestApp(t);
  const station = await makeStation(db, '511902', '巴州区看守所工作站');
  const ended = Date.now() - 2 * 86_400_000;
  const created = new Date(ended - 10 * 86_400_000);
  const s = await makeShift(db, station.id, { startsAt: new Date(ended - 3 * 3_600_000).toISOString(), endsAt: new Date(ended).toISOString() }, created);
  const l = await makeLawyerUser(db, { name: '周律师' });
  await takeSeat(db, ACTOR, { lawyerId: l.lawyer.id }, s.id, 'signup', created);
  const lc = new Client(app);
  await lc.login(l.user.email);
  const m = new Client(app);
  await m.login((await makeUser(db, 'manager')).email);
  t.match(text((await lc.get('/duty/mine')).body), /Duty in the last 30 days.*巴州区看守所工作站.*On duty/);
  t.match(await recordOverdueDutyNoShows(db), 'recorded: 1');
  const mine = text((await lc.get('/duty/mine')).body);
  t.match(mine, 'You have no upcoming duty');
  t.match(mine, /Duty in the last 30 days.*巴州区看守所工作站.*No-show/);
  t.match(text((await m.get(`/duty/${s.id}`)).body), /周律师 No-show/);
  t.match(text((await m.get(`/duty/${s.id}`)).body), '1 of 1 filled');
});

t.test('npm run cli -- run-job duty-no-shows', async (t) => {
  const { cli, withDb } = await cliTarget(t);
  t.equal((await cli('migrate')).code, 0);
  const ended = Date.now() - 2 * 86_400_000;
  const created = new Date(ended - 10 * 86_400_000);
  const shiftId = await withDb(async ({ db }) => {
    const station = await makeStation(db);
    const s = await makeShift(db, station.id, { startsAt: new Date(ended - 3_600_000).toISOString(), endsAt: new Date(ended).toISOString() }, created);
    await takeSeat(db, ACTOR, { volunteerId: (await makeVolunteer(db)).id }, s.id, 'signup', created);
    return s.id;
  });
  const run = await cli('run-job', JOB);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /duty no-shows recorded: 1/);
  const rows = await withDb(({ db }) => db.selectFrom('duty_assignments').select('status').where('shift_id', '=', shiftId).execute());
  t.same(rows, [{ status: 'no_show' }]);
});
