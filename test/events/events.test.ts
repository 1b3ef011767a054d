// Events on the database: creating one or a series, bad input writing nothing,
// listing by region, kind and days with a cursor, and cancelling an event, which
// tells everyone confirmed or waitlisted and frees them for overlapping events.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeVolunteer } from '../helpers/people.js';
import { cancelEvent, createEvent, listEvents } from '../../src/modules/events/events.service.js';
import { cancelSignUp, signUp } from '../../src/modules/events/signups.service.js';
import { listNotifications } from '../../src/modules/events/notifications.js';
import { ACTOR, at, makeEvent, NOW } from './support.js';

const { db } = await buildTestApp(t);
const count = async () => Number((await db.selectFrom('events').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

void t.test('bad input is refused field by field and writes nothing', async (t) => {
  const before = await count();
  await t.rejects(makeEvent(db, { kind: 'six_intos', capacity: 0 }), { statusCode: 400, code: 'invalid_input', fields: [{ field: 'sixIntosTarget' }, { field: 'capacity' }] });
  await t.rejects(makeEvent(db, { regionCode: '999999' }), { code: 'invalid_input', fields: [{ field: 'regionCode', key: 'err.region' }] });
  t.equal(await count(), before);
  const six = await makeEvent(db, { kind: 'six_intos', sixIntosTarget: 'schools', skillsWanted: ['publicity', 'publicity'] });
  t.match(six, { kind: 'six_intos', six_intos_target: 'schools', skills_wanted: ['publicity'], series_id: null, status: 'scheduled' });
  t.match(six.checkin_code, /^\d{6}$/);
  const trail = await db.selectFrom('audit_log').selectAll().where('entity', '=', 'event').where('entity_id', '=', String(six.id)).execute();
  t.same(trail.map((r) => r.action), ['event.created']);
  t.notOk(JSON.stringify(trail[0].after).includes(six.checkin_code), 'the check-in code stays out of the audit log');
});

void t.test('a repeat creates the series: each its own row and code, sharing series_id', async (t) => {
  const weekly = await createEvent(
    db,
    ACTOR,
    { title: '法律咨询日', kind: 'consultation_day', startsAt: '2030-03-04T09:00', endsAt: '2030-03-04T11:30', regionCode: '511921', location: '通江县司法局', capacity: 5, signupClosesAt: '2030-03-03T18:00', repeat: { every: 'week', count: 4 } },
    NOW,
  );
  t.equal(weekly.length, 4);
  t.ok(weekly.every((e) => e.series_id === weekly[0].id), 'series_id is the first event');
  t.same(weekly.map((e) => e.starts_at.toISOString()), ['2030-03-04T01:00:00.000Z', '2030-03-11T01:00:00.000Z', '2030-03-18T01:00:00.000Z', '2030-03-25T01:00:00.000Z']);
  t.same(weekly.map((e) => e.signup_closes_at?.toISOString()), ['2030-03-03T10:00:00.000Z', '2030-03-10T10:00:00.000Z', '2030-03-17T10:00:00.000Z', '2030-03-24T10:00:00.000Z'], 'the window moves with each event');
  t.ok(weekly.every((e) => e.ends_at.getTime() - e.starts_at.getTime() === 2.5 * 3_600_000));
  const monthly = await createEvent(db, ACTOR, { title: '送法进社区', kind: 'other', startsAt: '2030-03-31T19:00', endsAt: '2030-03-31T21:00', regionCode: '511902', location: 'x', capacity: 2, repeat: { every: 'month', count: 3 } }, NOW);
  t.same(monthly.map((e) => e.starts_at.toISOString()), ['2030-03-31T11:00:00.000Z', '2030-04-30T11:00:00.000Z', '2030-05-31T11:00:00.000Z'], 'a short month uses its last day');
  const listed = await listEvents(db, { seriesId: weekly[0].id }, NOW);
  t.same(listed.items.map((e) => e.id), weekly.map((e) => e.id));
});

void t.test('listing: upcoming by start time, filtered by region, kind and days, paged with a cursor', async (t) => {
  const a = await makeEvent(db, { regionCode: '511923', startsAt: '2030-06-02T09:00', endsAt: '2030-06-02T10:00' });
  const b = await makeEvent(db, { regionCode: '511923', startsAt: '2030-06-01T09:00', endsAt: '2030-06-01T10:00' });
  const c = await makeEvent(db, { regionCode: '511923', startsAt: '2030-06-03T09:00', endsAt: '2030-06-03T10:00', kind: 'duty_shift' });
  await makeEvent(db, { regionCode: '511922', startsAt: '2030-06-02T09:00', endsAt: '2030-06-02T10:00' });
  const june = { regionCode: '511923', from: '2030-06-01', to: '2030-06-30' };
  const first = await listEvents(db, { ...june, limit: 2 }, NOW);
  t.same(first.items.map((e) => e.id), [b.id, a.id]);
  t.ok(first.nextCursor);
  const second = await listEvents(db, { ...june, limit: 2, cursor: first.nextCursor! }, NOW);
  t.same(second.items.map((e) => e.id), [c.id]);
  t.equal(second.nextCursor, null);
  t.same((await listEvents(db, { ...june, kind: 'duty_shift' }, NOW)).items.map((e) => e.id), [c.id]);
  t.same((await listEvents(db, { ...june, from: '2030-06-02', to: '2030-06-02' }, NOW)).items.map((e) => e.id), [a.id], 'one Shanghai day');
  t.same((await listEvents(db, { regionCode: '511923' }, at('2030-06-03T08:00:00+08:00'))).items.map((e) => e.id), [c.id], 'from today by default');
  await signUp(db, ACTOR, { volunteerId: (await makeVolunteer(db)).id }, a.id, NOW);
  t.match((await listEvents(db, { ...june, from: '2030-06-02', to: '2030-06-02' }, NOW)).items[0], { taken: 1, waitlisted: 0 });
});

void t.test('cancelling an event tells everyone confirmed or waitlisted, with the reason; then it takes no sign-ups', async (t) => {
  const e = await makeEvent(db, { capacity: 1 });
  const overlapping = await makeEvent(db, { startsAt: '2030-03-10T10:00:00+08:00', endsAt: '2030-03-10T11:00:00+08:00' });
  const [a, b, c] = [await makeVolunteer(db), await makeVolunteer(db), await makeVolunteer(db)];
  for (const v of [a, b, c]) await signUp(db, ACTOR, { volunteerId: v.id }, e.id, NOW);
  await cancelSignUp(db, ACTOR, { volunteerId: c.id }, e.id, NOW);
  await t.rejects(cancelEvent(db, ACTOR, e.id, '  ', NOW), { statusCode: 400, code: 'invalid_input', fields: [{ field: 'reason' }] });
  const r = await cancelEvent(db, ACTOR, e.id, '天气原因', NOW);
  t.equal(r.notified, 2);
  t.match(r.event, { status: 'cancelled', cancel_reason: '天气原因' });
  for (const v of [a, b]) {
    const notes = await listNotifications(db, { id: 0, volunteerId: v.id });
    t.match(notes, [{ kind: 'event.cancelled', payload: { eventId: e.id, title: e.title, reason: '天气原因' } }], `volunteer ${v.id} is told`);
  }
  t.equal((await listNotifications(db, { id: 0, volunteerId: c.id })).length, 0, 'not someone who had already cancelled');
  await t.rejects(cancelEvent(db, ACTOR, e.id, 'again', NOW), { statusCode: 409, code: 'event_cancelled' });
  await t.rejects(signUp(db, ACTOR, { volunteerId: c.id }, e.id, NOW), { statusCode: 409, code: 'event_cancelled' });
  t.equal((await signUp(db, ACTOR, { volunteerId: a.id }, overlapping.id, NOW)).status, 'confirmed', 'a cancelled event blocks no overlap');
  t.notOk((await listEvents(db, {}, NOW)).items.some((x) => x.id === e.id), 'gone from the upcoming list');
  await t.rejects(cancelEvent(db, ACTOR, overlapping.id, 'late', at('2030-03-10T11:00:00+08:00')), { statusCode: 409, code: 'event_ended' });
});
