// Check-in on the database: the code on the day (right, wrong, wrong day), hours
// credited once as one approved entry however often one checks in, the
// manager's roster, no-shows after the event, and the person's history and totals.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeLawyer, makeVolunteer } from '../helpers/people.js';
import { checkIn, recordAllNoShows, recordNoShows, selfCheckIn } from '../../src/modules/events/checkin.service.js';
import { historyOf, serviceTotals } from '../../src/modules/events/history.js';
import { signUp } from '../../src/modules/events/signups.service.js';
import { ACTOR, at, makeEvent, NOW, signupRows } from './support.js';

const { db } = await buildTestApp(t);
const DAY = at('2030-03-10T10:30:00+08:00');
const volunteer = async () => ({ volunteerId: (await makeVolunteer(db)).id });
const entriesOf = (eventId: number) => db.selectFrom('hour_entries').selectAll().where('event_id', '=', eventId).execute();

void t.test('self check-in: the right code on the event day; wrong code or day refused and nothing credited', async (t) => {
  const e = await makeEvent(db, { startsAt: '2030-03-10T09:00', endsAt: '2030-03-10T11:30' });
  const me = await volunteer();
  await signUp(db, ACTOR, me, e.id, NOW);
  const wrong = e.checkin_code === '000000' ? '000001' : '000000';
  await t.rejects(selfCheckIn(db, ACTOR, me, e.id, wrong, DAY), { statusCode: 422, code: 'wrong_code' });
  await t.rejects(selfCheckIn(db, ACTOR, me, e.id, e.checkin_code, at('2030-03-09T23:59:00+08:00')), { statusCode: 422, code: 'checkin_not_today', params: { day: '2030-03-10' } });
  await t.rejects(selfCheckIn(db, ACTOR, me, e.id, e.checkin_code, at('2030-03-11T00:00:00+08:00')), { code: 'checkin_not_today' });
  t.equal((await entriesOf(e.id)).length, 0);
  const r = await selfCheckIn(db, ACTOR, me, e.id, ` ${e.checkin_code} `, DAY);
  t.match(r, { credited: true, signup: { status: 'attended', checked_in_at: DAY } });
  const again = await selfCheckIn(db, ACTOR, me, e.id, e.checkin_code, DAY);
  t.equal(again.credited, false, 'a second check-in credits nothing');
  const entries = await entriesOf(e.id);
  t.equal(entries.length, 1, 'one hour entry');
  t.match(entries[0], { volunteer_id: me.volunteerId, kind: 'outreach', status: 'approved', work_date: '2030-03-10', description: e.title });
  t.equal(String(entries[0].hours), '2.5', 'the event lasts 2.5 hours');
  t.equal((await signupRows(db, e.id))[0].hour_entry_id, entries[0].id);
});

void t.test("waitlisted or not signed up: no self check-in; a manager's roster may still let a waitlisted person in", async (t) => {
  const e = await makeEvent(db, { capacity: 1 });
  const [a, b, c] = [await volunteer(), await volunteer(), await volunteer()];
  await signUp(db, ACTOR, a, e.id, NOW);
  await signUp(db, ACTOR, b, e.id, NOW);
  await t.rejects(selfCheckIn(db, ACTOR, b, e.id, e.checkin_code, DAY), { statusCode: 422, code: 'not_confirmed' });
  await t.rejects(selfCheckIn(db, ACTOR, c, e.id, e.checkin_code, DAY), { statusCode: 422, code: 'not_signed_up' });
  await t.rejects(checkIn(db, ACTOR, e.id, a, 'attended', at('2030-03-09T18:00:00+08:00')), { statusCode: 422, code: 'roster_not_open' });
  await t.rejects(checkIn(db, ACTOR, e.id, b, 'no_show', DAY), { code: 'not_confirmed' }, 'a waitlisted person is not a no-show');
  t.equal((await checkIn(db, ACTOR, e.id, b, 'attended', DAY)).signup.status, 'attended');
  await t.rejects(checkIn(db, ACTOR, e.id, c, 'attended', DAY), { statusCode: 404, code: 'not_found' });
  t.equal((await entriesOf(e.id)).length, 1);
});

void t.test("the manager's roster: attended credits once; attended is final; a no-show may turn out to have come", async (t) => {
  const e = await makeEvent(db, { kind: 'duty_shift', startsAt: '2030-03-10T08:00', endsAt: '2030-03-10T12:00' });
  const [a, b] = [await volunteer(), await volunteer()];
  await signUp(db, ACTOR, a, e.id, NOW);
  await signUp(db, ACTOR, b, e.id, NOW);
  t.equal((await checkIn(db, ACTOR, e.id, a, 'attended', DAY)).credited, true);
  t.equal((await checkIn(db, ACTOR, e.id, a, 'attended', DAY)).credited, false);
  await t.rejects(checkIn(db, ACTOR, e.id, a, 'no_show', DAY), { statusCode: 409, code: 'already_attended' });
  t.equal((await checkIn(db, ACTOR, e.id, b, 'no_show', DAY)).signup.status, 'no_show');
  t.equal((await checkIn(db, ACTOR, e.id, b, 'attended', at('2030-03-11T09:00:00+08:00'))).credited, true, 'corrected the next day');
  const entries = await entriesOf(e.id);
  t.equal(entries.length, 2);
  t.ok(entries.every((x) => x.kind === 'duty_shift' && String(x.hours) === '4.0'));
});

void t.test('no-shows: only after the end; confirmed seats become no-shows, others untouched', async (t) => {
  const e = await makeEvent(db, { capacity: 2 });
  const [a, b, c] = [await volunteer(), await volunteer(), await volunteer()];
  for (const p of [a, b, c]) await signUp(db, ACTOR, p, e.id, NOW);
  await selfCheckIn(db, ACTOR, a, e.id, e.checkin_code, DAY);
  await t.rejects(recordNoShows(db, ACTOR, e.id, at('2030-03-10T11:59:00+08:00')), { statusCode: 422, code: 'event_not_ended' });
  t.equal(await recordNoShows(db, ACTOR, e.id, at('2030-03-10T12:00:00+08:00')), 1);
  t.same((await signupRows(db, e.id)).map((s) => s.status), ['attended', 'no_show', 'waitlisted']);
  t.equal(await recordNoShows(db, ACTOR, e.id, at('2030-03-10T13:00:00+08:00')), 0, 'idempotent');
  const other = await makeEvent(db, { startsAt: '2030-03-12T09:00', endsAt: '2030-03-12T10:00' });
  await signUp(db, ACTOR, a, other.id, NOW);
  const later = await makeEvent(db, { startsAt: '2030-03-12T10:00', endsAt: '2030-03-12T11:00' });
  await signUp(db, ACTOR, b, later.id, NOW);
  t.ok((await recordAllNoShows(db, ACTOR, at('2030-03-12T10:00:00+08:00'))) >= 1, 'the daily sweep');
  t.equal((await signupRows(db, other.id))[0].status, 'no_show', 'an ended event is swept');
  t.equal((await signupRows(db, later.id))[0].status, 'confirmed', 'one still running is not');
});

void t.test('history and total attended hours; a lawyer joining outreach is credited too', async (t) => {
  const me = await volunteer();
  const e1 = await makeEvent(db, { startsAt: '2030-04-01T09:00', endsAt: '2030-04-01T11:00' });
  const e2 = await makeEvent(db, { startsAt: '2030-04-08T09:00', endsAt: '2030-04-08T12:30' });
  const e3 = await makeEvent(db, { startsAt: '2030-04-15T09:00', endsAt: '2030-04-15T12:30' });
  for (const e of [e1, e2, e3]) await signUp(db, ACTOR, me, e.id, NOW);
  await selfCheckIn(db, ACTOR, me, e1.id, e1.checkin_code, at('2030-04-01T09:10:00+08:00'));
  await checkIn(db, ACTOR, e2.id, me, 'attended', at('2030-04-08T09:10:00+08:00'));
  await checkIn(db, ACTOR, e3.id, me, 'no_show', at('2030-04-15T12:40:00+08:00'));
  const totals = await serviceTotals(db, me);
  t.match(totals, { events: 2, tenths: 55 });
  t.equal(totals.firstAt?.toISOString(), e1.starts_at.toISOString());
  const history = await historyOf(db, me);
  t.same(history.map((h) => [h.event_id, h.status, h.hoursTenths]), [[e3.id, 'no_show', 0], [e2.id, 'attended', 35], [e1.id, 'attended', 20]]);
  t.equal((await serviceTotals(db, me, { from: at('2030-04-05T00:00:00+08:00') })).tenths, 35, 'within a range');
  const lawyer = { lawyerId: (await makeLawyer(db)).id };
  await signUp(db, ACTOR, lawyer, e1.id, NOW);
  await checkIn(db, ACTOR, e1.id, lawyer, 'attended', at('2030-04-01T10:00:00+08:00'));
  t.match(await serviceTotals(db, lawyer), { events: 1, tenths: 20 });
});
