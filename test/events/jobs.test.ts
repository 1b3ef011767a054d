// The hourly no-show job: a seat still only confirmed 12 hours (the events
// policy) after its event ended becomes a no-show; attended, waitlisted and
// cancelled sign-ups, events not ended or ended too recently, and cancelled
// events are left alone; one run per hour slot; `run-job` runs it from the CLI.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { cliTarget } from '../helpers/cli.js';
import { auditEntries } from '../helpers/html.js';
import { makeVolunteer } from '../helpers/people.js';
import { findJob, runJob } from '../../src/jobs/index.js';
import { checkIn } from '../../src/modules/events/checkin.service.js';
import { cancelEvent } from '../../src/modules/events/events.service.js';
import { cancelSignUp, signUp } from '../../src/modules/events/signups.service.js';
import { ACTOR, at, makeEvent, NOW, signupRows } from './support.js';

const log = { info: () => {}, error: () => {} };
const JOB = 'events-no-shows';
/** 00:30 on 11 March 2030 in Shanghai: 12.5 hours after a morning event of the 10th ended at 12:00. */
const RUN = at('2030-03-11T00:30:00+08:00');

t.test('registered as an hourly job, one slot per hour', async (t) => {
  const job = findJob(JOB);
  t.ok(job);
  t.equal(job!.cron, '41 * * * *');
  t.equal(job!.slot(RUN), '2030-03-10T16');
  t.equal(job!.slot(at('2030-03-11T00:59:00+08:00')), '2030-03-10T16', 'the same hour, the same slot');
  t.equal(job!.slot(at('2030-03-11T01:00:00+08:00')), '2030-03-10T17');
});

t.test('marks the confirmed seats of events ended 12 hours ago, and nothing else', async (t) => {
  const { db } = await buildTestApp(t);
  const volunteer = async () => ({ volunteerId: (await makeVolunteer(db)).id });
  // ended at 12:00 on the 10th, 12.5 hours before the run
  const finished = await makeEvent(db, { startsAt: '2030-03-10T09:00:00+08:00', endsAt: '2030-03-10T12:00:00+08:00', capacity: 2 });
  // ended at 20:00 on the 10th: only 4.5 hours before the run, the roster still has its grace
  const recent = await makeEvent(db, { startsAt: '2030-03-10T18:00:00+08:00', endsAt: '2030-03-10T20:00:00+08:00' });
  // still going on at the run (a night duty shift)
  const running = await makeEvent(db, { kind: 'duty_shift', startsAt: '2030-03-10T22:00:00+08:00', endsAt: '2030-03-11T06:00:00+08:00' });
  const cancelled = await makeEvent(db, { startsAt: '2030-03-09T09:00:00+08:00', endsAt: '2030-03-09T11:00:00+08:00' });
  const [a, b, c, d, e, f, g] = await Promise.all(Array.from({ length: 7 }, () => volunteer()));
  for (const p of [a, b, c, d]) await signUp(db, ACTOR, p, finished.id, NOW); // a, b confirmed; c, d waitlisted
  await cancelSignUp(db, ACTOR, d, finished.id, NOW);
  await signUp(db, ACTOR, e, recent.id, NOW);
  await signUp(db, ACTOR, f, running.id, NOW);
  await signUp(db, ACTOR, g, cancelled.id, NOW);
  await cancelEvent(db, ACTOR, cancelled.id, '场地不可用', NOW);
  await checkIn(db, ACTOR, finished.id, a, 'attended', at('2030-03-10T10:00:00+08:00'));

  const statusOf = async (eventId: number, p: { volunteerId: number }) => (await signupRows(db, eventId)).find((r) => r.volunteer_id === p.volunteerId)?.status;
  t.equal(await statusOf(finished.id, b), 'confirmed', 'before the run');

  const first = await runJob(db, JOB, { log, now: RUN });
  t.ok(first.ran);
  t.equal(first.detail, 'no-shows recorded: 1');
  t.equal(await statusOf(finished.id, b), 'no_show', 'confirmed and never came: a no-show');
  t.equal(await statusOf(finished.id, a), 'attended', 'attended: untouched');
  t.equal(await statusOf(finished.id, c), 'waitlisted', 'waitlisted: never had a seat to miss');
  t.equal(await statusOf(finished.id, d), 'cancelled');
  t.equal(await statusOf(recent.id, e), 'confirmed', 'ended less than 12 hours ago: untouched');
  t.equal(await statusOf(running.id, f), 'confirmed', 'not finished: untouched');
  t.equal(await statusOf(cancelled.id, g), 'confirmed', 'a cancelled event: untouched (nobody could come)');
  t.equal((await db.selectFrom('hour_entries').select('id').where('event_id', '=', finished.id).execute()).length, 1, 'only the attended seat has hours');
  const audited = await auditEntries(db, 'event.no_shows');
  t.equal(audited.length, 1, 'audited');
  t.equal(audited[0].actor_name, 'system');

  // `recent` moved to have ended at noon: a run later in the same hour slot must still do nothing
  await db.updateTable('events').set({ starts_at: at('2030-03-10T10:00:00+08:00'), ends_at: at('2030-03-10T12:00:00+08:00') }).where('id', '=', recent.id).execute();
  const again = await runJob(db, JOB, { log, now: at('2030-03-11T00:55:00+08:00') });
  t.notOk(again.ran, 'the same hour does not run twice');
  t.equal(await statusOf(recent.id, e), 'confirmed', 'nothing done the second time');
  const ledger = await db.selectFrom('job_runs').selectAll().where('job', '=', JOB).execute();
  t.equal(ledger.length, 1);
  t.match(ledger[0], { status: 'ok', detail: 'no-shows recorded: 1' });

  const next = await runJob(db, JOB, { log, now: at('2030-03-11T01:41:00+08:00') });
  t.ok(next.ran, 'the next hour runs');
  t.equal(next.detail, 'no-shows recorded: 1');
  t.equal(await statusOf(recent.id, e), 'no_show');
  t.equal(await statusOf(finished.id, a), 'attended');
  t.equal(await statusOf(running.id, f), 'confirmed', 'still not over');
});

t.test('the grace comes from the events policy', async (t) => {
  const { db } = await buildTestApp(t);
  const v = { volunteerId: (await makeVolunteer(db)).id };
  const ev = await makeEvent(db, { startsAt: '2030-03-10T18:00:00+08:00', endsAt: '2030-03-10T20:00:00+08:00' });
  await signUp(db, ACTOR, v, ev.id, NOW);
  await db
    .insertInto('policies')
    .values({ key: 'events', effective_from: '2030-03-01', value: JSON.stringify({ promotionCutoff: 'event_day', creditHours: 'duration', noShowAfterHours: 2 }), note: 'test' })
    .execute();
  t.equal((await runJob(db, JOB, { log, now: RUN })).detail, 'no-shows recorded: 1', '4.5 hours after the end, with a 2-hour grace');
  t.equal((await signupRows(db, ev.id))[0].status, 'no_show');
});

t.test('npm run cli -- run-job events-no-shows', async (t) => {
  const { cli, withDb } = await cliTarget(t);
  t.equal((await cli('migrate')).code, 0);
  // an event that ended two days before the real now
  const ended = Date.now() - 2 * 86_400_000;
  const created = new Date(ended - 10 * 86_400_000);
  const eventId = await withDb(async ({ db }) => {
    const v = { volunteerId: (await makeVolunteer(db)).id };
    const ev = await makeEvent(db, { startsAt: new Date(ended - 3_600_000).toISOString(), endsAt: new Date(ended).toISOString() }, created);
    await signUp(db, ACTOR, v, ev.id, created);
    return ev.id;
  });
  const run = await cli('run-job', JOB);
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /no-shows recorded: 1/);
  const rows = await withDb(({ db }) => signupRows(db, eventId));
  t.equal(rows[0].status, 'no_show');
});
