// On a real PostgreSQL server (several connections, real row locks): seats are
// exact under load. 50 parallel sign-ups for 10 seats give 10 confirmed and 40
// waitlisted at positions 1..40 in arrival (seq) order; two simultaneous
// cancellations of confirmed seats promote exactly the first two waitlisted.
import t from 'tap';
import { buildTestApp, freshDatabase, onPostgres } from '../helpers/app.js';
import { makeVolunteer } from '../helpers/people.js';
import { cancelSignUp, listSignups, signUp } from '../../src/modules/events/signups.service.js';
import { ACTOR, makeEvent, NOW, signupRows } from './support.js';

if (!onPostgres) {
  t.pass('needs PostgreSQL (DATABASE_URL): PGlite has one connection and its locks never block');
} else {
  const { db } = await buildTestApp(t, { database: await freshDatabase({ poolSize: 20 }) });
  const event = await makeEvent(db, { capacity: 10 });
  const people: { volunteerId: number }[] = [];
  for (let i = 0; i < 50; i++) people.push({ volunteerId: (await makeVolunteer(db)).id });

  void t.test('50 parallel sign-ups for 10 seats: exactly 10 confirmed, 40 waitlisted in arrival order', async (t) => {
    const results = await Promise.all(people.map((p) => signUp(db, ACTOR, p, event.id, NOW)));
    t.equal(results.filter((r) => r.status === 'confirmed').length, 10);
    t.equal(results.filter((r) => r.status === 'waitlisted').length, 40);
    const rows = await signupRows(db, event.id);
    t.same(rows.map((r) => r.seq), Array.from({ length: 50 }, (_, i) => i + 1), 'seqs 1..50, no gaps or duplicates');
    t.ok(rows.slice(0, 10).every((r) => r.status === 'confirmed') && rows.slice(10).every((r) => r.status === 'waitlisted'), 'the first ten to arrive hold the seats');
    const positions = results.filter((r) => r.status === 'waitlisted').map((r) => [Number(r.signup.seq), r.position!]);
    positions.sort((x, y) => x[0] - y[0]);
    t.same(positions.map((p) => p[1]), Array.from({ length: 40 }, (_, i) => i + 1), 'the answered positions are 1..40 in seq order');
    const list = await listSignups(db, event.id);
    t.equal(list.confirmed.length, 10);
    t.same(list.waitlisted.map((w) => w.position), Array.from({ length: 40 }, (_, i) => i + 1));
    const bySeq = new Map(rows.map((r) => [r.volunteer_id, Number(r.seq)]));
    const seqs = list.waitlisted.map((w) => bySeq.get(w.volunteerId)!);
    t.same(seqs, [...seqs].sort((x, y) => x - y), 'the list is in arrival order');
  });

  void t.test('two simultaneous cancellations of confirmed seats promote exactly the first two waitlisted', async (t) => {
    const before = await listSignups(db, event.id);
    const [x, y] = before.confirmed;
    const firstTwo = before.waitlisted.slice(0, 2).map((w) => w.volunteerId);
    const results = await Promise.all([x, y].map((s) => cancelSignUp(db, ACTOR, { volunteerId: s.volunteerId! }, event.id, NOW)));
    t.same(results.map((r) => r.promoted.length).sort(), [1, 1], 'each cancellation promotes one');
    t.same(results.flatMap((r) => r.promoted.map((p) => p.volunteer_id)).sort(), [...firstTwo].sort());
    const after = await listSignups(db, event.id);
    t.equal(after.confirmed.length, 10, 'the seats are full again, never over');
    t.same(after.waitlisted.map((w) => w.position), Array.from({ length: 38 }, (_, i) => i + 1));
    t.same(after.waitlisted.map((w) => w.volunteerId), before.waitlisted.slice(2).map((w) => w.volunteerId));
    const notes = await db.selectFrom('notifications').select('volunteer_id').where('kind', '=', 'event.promoted').execute();
    t.same(notes.map((n) => n.volunteer_id).sort(), [...firstTwo].sort(), 'exactly the two promoted are told');
  });

  void t.test('the same person signing up twice at once, and to two overlapping events at once: one each', async (t) => {
    const e2 = await makeEvent(db, { capacity: 5, startsAt: '2030-03-11T09:00:00+08:00', endsAt: '2030-03-11T12:00:00+08:00' });
    const e3 = await makeEvent(db, { capacity: 5, startsAt: '2030-03-11T10:00:00+08:00', endsAt: '2030-03-11T11:00:00+08:00' });
    const p = people[0];
    const twice = await Promise.allSettled(Array.from({ length: 5 }, () => signUp(db, ACTOR, p, e2.id, NOW)));
    t.equal(twice.filter((r) => r.status === 'fulfilled').length, 1);
    const q = people[1];
    const both = await Promise.allSettled([signUp(db, ACTOR, q, e2.id, NOW), signUp(db, ACTOR, q, e3.id, NOW)]);
    t.equal(both.filter((r) => r.status === 'fulfilled').length, 1, 'the person lock makes the second see the first');
    t.match(both.find((r) => r.status === 'rejected'), { reason: { code: 'overlap' } });
  });
}
