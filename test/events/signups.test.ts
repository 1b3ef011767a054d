// Sign-ups on the database: seats then the waitlist with positions, no double
// sign-up, no overlap with a confirmed event (a waitlisted one is fine), the
// window, cancelling promotes the first waitlisted and tells them, and not on
// the event day.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeLawyer, makeVolunteer } from '../helpers/people.js';
import { cancelSignUp, listSignups, mySignups, signUp } from '../../src/modules/events/signups.service.js';
import { listNotifications } from '../../src/modules/events/notifications.js';
import { ACTOR, at, makeEvent, NOW, signupRows } from './support.js';

const { db } = await buildTestApp(t);
const volunteers = async (count: number) => {
  const out = [];
  for (let i = 0; i < count; i++) out.push({ volunteerId: (await makeVolunteer(db)).id });
  return out;
};

void t.test('seats first, then the waitlist with positions in arrival order', async (t) => {
  const e = await makeEvent(db, { capacity: 2 });
  const [a, b, c, d] = await volunteers(4);
  const results = [];
  for (const p of [a, b, c, d]) results.push(await signUp(db, ACTOR, p, e.id, NOW));
  t.same(results.map((r) => [r.status, r.position]), [['confirmed', null], ['confirmed', null], ['waitlisted', 1], ['waitlisted', 2]]);
  t.same((await signupRows(db, e.id)).map((r) => r.seq), [1, 2, 3, 4], 'seq is the arrival order');
  const list = await listSignups(db, e.id);
  t.same(list.confirmed.map((x) => x.volunteerId), [a.volunteerId, b.volunteerId]);
  t.same(list.waitlisted.map((x) => [x.volunteerId, x.position]), [[c.volunteerId, 1], [d.volunteerId, 2]]);
  t.ok(list.confirmed.every((x) => x.name.startsWith('志愿者')), 'names are listed');
  t.same([...(await mySignups(db, d, [e.id])).values()], [{ status: 'waitlisted', position: 2 }]);
  const trail = await db.selectFrom('audit_log').select('action').where('entity', '=', 'event_signup').where('action', '=', 'event.signed_up').execute();
  t.ok(trail.length >= 4, 'every sign-up is audited');
});

void t.test('no double sign-up; after cancelling, signing up again joins the end of the queue', async (t) => {
  const e = await makeEvent(db, { capacity: 1 });
  const [a, b] = await volunteers(2);
  await signUp(db, ACTOR, a, e.id, NOW);
  await t.rejects(signUp(db, ACTOR, a, e.id, NOW), { statusCode: 409, code: 'already_signed_up', key: 'events.err.already' });
  await signUp(db, ACTOR, b, e.id, NOW);
  await t.rejects(signUp(db, ACTOR, b, e.id, NOW), { code: 'already_signed_up' }, 'a waitlisted person too');
  t.equal((await signupRows(db, e.id)).length, 2, 'nothing was written by the refusals');
  await cancelSignUp(db, ACTOR, b, e.id, NOW);
  const again = await signUp(db, ACTOR, b, e.id, NOW);
  t.same([again.status, again.position, again.signup.seq], ['waitlisted', 1, 3]);
});

void t.test('overlap with a confirmed event is refused; waitlisted elsewhere or touching is fine', async (t) => {
  const morning = await makeEvent(db, { capacity: 1 });
  const lunch = await makeEvent(db, { startsAt: '2030-03-10T11:00:00+08:00', endsAt: '2030-03-10T13:00:00+08:00' });
  const afternoon = await makeEvent(db, { startsAt: '2030-03-10T12:00:00+08:00', endsAt: '2030-03-10T15:00:00+08:00' });
  const [a, b] = await volunteers(2);
  await signUp(db, ACTOR, a, morning.id, NOW);
  await t.rejects(signUp(db, ACTOR, a, lunch.id, NOW), { statusCode: 422, code: 'overlap', params: { title: morning.title, at: '2030-03-10 09:00' } });
  t.equal((await signUp(db, ACTOR, a, afternoon.id, NOW)).status, 'confirmed', 'starting as the morning ends is no overlap');
  t.equal((await signUp(db, ACTOR, b, morning.id, NOW)).status, 'waitlisted');
  t.equal((await signUp(db, ACTOR, b, lunch.id, NOW)).status, 'confirmed', 'only waitlisted for the morning: allowed');
  await cancelSignUp(db, ACTOR, a, afternoon.id, NOW);
  await t.rejects(signUp(db, ACTOR, b, afternoon.id, NOW), { code: 'overlap' }, 'b is confirmed for lunch, which overlaps the afternoon');
});

void t.test('the window: refused before it opens and from when it closes; a started event refused', async (t) => {
  const e = await makeEvent(db, { signupOpensAt: '2030-03-05T08:00:00+08:00', signupClosesAt: '2030-03-08T18:00:00+08:00' });
  const [a] = await volunteers(1);
  await t.rejects(signUp(db, ACTOR, a, e.id, NOW), { statusCode: 422, code: 'signup_not_open', params: { at: '2030-03-05 08:00' } });
  await t.rejects(signUp(db, ACTOR, a, e.id, at('2030-03-08T18:00:00+08:00')), { statusCode: 422, code: 'signup_closed', params: { at: '2030-03-08 18:00' } });
  t.equal((await signupRows(db, e.id)).length, 0);
  t.equal((await signUp(db, ACTOR, a, e.id, at('2030-03-05T08:00:00+08:00'))).status, 'confirmed', 'open on the dot');
  const plain = await makeEvent(db);
  await t.rejects(signUp(db, ACTOR, a, plain.id, at('2030-03-10T09:00:00+08:00')), { statusCode: 409, code: 'event_started' });
});

void t.test('who may sign up: approved volunteers and lawyers; unknown people and events are not found', async (t) => {
  const e = await makeEvent(db);
  const pending = await makeVolunteer(db, { status: 'pending' });
  await t.rejects(signUp(db, ACTOR, { volunteerId: pending.id }, e.id, NOW), { statusCode: 422, code: 'volunteer_not_approved' });
  const lawyer = await makeLawyer(db);
  const r = await signUp(db, ACTOR, { lawyerId: lawyer.id }, e.id, NOW);
  t.match(r, { status: 'confirmed', signup: { lawyer_id: lawyer.id, volunteer_id: null } });
  await t.rejects(signUp(db, ACTOR, { volunteerId: 999999 }, e.id, NOW), { statusCode: 404, code: 'not_found' });
  await t.rejects(signUp(db, ACTOR, { volunteerId: pending.id }, 999999, NOW), { statusCode: 404, code: 'not_found' });
});

void t.test('cancelling a confirmed seat promotes the first waitlisted and notifies them; a waitlisted cancel promotes nobody', async (t) => {
  const e = await makeEvent(db, { capacity: 2 });
  const [a, b, c, d, x] = await volunteers(5);
  for (const p of [a, b, c, x, d]) await signUp(db, ACTOR, p, e.id, NOW);
  const quiet = await cancelSignUp(db, ACTOR, x, e.id, NOW);
  t.same(quiet.promoted, [], 'a waitlisted person leaving frees no seat');
  t.same((await listSignups(db, e.id)).waitlisted.map((w) => [w.volunteerId, w.position]), [[c.volunteerId, 1], [d.volunteerId, 2]], 'd moved up');
  const later = at('2030-03-09T23:59:00+08:00');
  const r = await cancelSignUp(db, ACTOR, a, e.id, later);
  t.same(r.promoted.map((p) => p.volunteer_id), [c.volunteerId], 'the first waitlisted, by seq');
  t.equal(r.promoted[0].promoted_at?.toISOString(), later.toISOString(), 'promoted_at recorded');
  const list = await listSignups(db, e.id);
  t.same(list.confirmed.map((s) => s.volunteerId), [b.volunteerId, c.volunteerId]);
  t.same(list.waitlisted.map((w) => [w.volunteerId, w.position]), [[d.volunteerId, 1]]);
  const notes = await listNotifications(db, { id: 0, volunteerId: c.volunteerId });
  t.equal(notes.length, 1);
  t.match(notes[0], { kind: 'event.promoted', volunteer_id: c.volunteerId, read_at: null, payload: { eventId: e.id, title: e.title, startsAt: e.starts_at.toISOString() } });
  t.equal((await listNotifications(db, { id: 0, volunteerId: d.volunteerId })).length, 0, 'nobody else is told');
  await t.rejects(cancelSignUp(db, ACTOR, a, e.id, later), { statusCode: 404, code: 'not_found' }, 'nothing left to cancel');
});

void t.test('on the event day (Shanghai) a freed seat is not filled, and a newcomer still queues behind the waitlist', async (t) => {
  const e = await makeEvent(db, { capacity: 1 });
  const [a, b, c] = await volunteers(3);
  for (const p of [a, b]) await signUp(db, ACTOR, p, e.id, NOW);
  // 00:30 on 10 March in Shanghai is still 9 March in UTC
  const r = await cancelSignUp(db, ACTOR, a, e.id, at('2030-03-09T16:30:00Z'));
  t.same(r.promoted, [], 'no automatic promotion on the day');
  t.same((await listSignups(db, e.id)).waitlisted.map((w) => [w.volunteerId, w.position]), [[b.volunteerId, 1]]);
  const late = await signUp(db, ACTOR, c, e.id, at('2030-03-10T07:00:00+08:00'));
  t.same([late.status, late.position], ['waitlisted', 2]);
  t.equal((await listNotifications(db, { id: 0, volunteerId: b.volunteerId })).length, 0);
  await t.rejects(cancelSignUp(db, ACTOR, b, e.id, at('2030-03-10T09:00:00+08:00')), { statusCode: 409, code: 'event_started' });
});

void t.test('a promotion skips someone now confirmed for an overlapping event; they keep their place', async (t) => {
  const e = await makeEvent(db, { capacity: 1 });
  const other = await makeEvent(db, { startsAt: '2030-03-10T10:00:00+08:00', endsAt: '2030-03-10T11:00:00+08:00' });
  const [a, b, c] = await volunteers(3);
  for (const p of [a, b, c]) await signUp(db, ACTOR, p, e.id, NOW);
  await signUp(db, ACTOR, b, other.id, NOW);
  const r = await cancelSignUp(db, ACTOR, a, e.id, NOW);
  t.same(r.promoted.map((p) => p.volunteer_id), [c.volunteerId]);
  t.same((await listSignups(db, e.id)).waitlisted.map((w) => [w.volunteerId, w.position]), [[b.volunteerId, 1]]);
});
