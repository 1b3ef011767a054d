// On a real PostgreSQL server (several connections, real row locks): duty seats
// are exact under load. 10 parallel sign-ups for 2 seats give exactly 2; two
// managers filling the same shifts at once never overfill, never put a lawyer on
// twice, and every pick takes exactly one turn.
import t from 'tap';
import { buildTestApp, freshDatabase, onPostgres } from '../helpers/app.js';
import { makeLawyer, makeVolunteer } from '../helpers/people.js';
import { takeSeat } from '../../src/modules/duty/duty.assign.js';
import { fillShifts } from '../../src/modules/duty/duty.fill.js';
import { ACTOR, at, liveRows, makeShift, makeStation, NOW } from './support.js';

if (!onPostgres) {
  t.pass('needs PostgreSQL (DATABASE_URL): PGlite has one connection and its locks never block');
} else {
  const { db } = await buildTestApp(t, { database: await freshDatabase({ poolSize: 20 }) });
  const station = await makeStation(db, '511923');

  void t.test('10 parallel sign-ups for 2 seats: exactly 2 hold a seat', async (t) => {
    const shift = await makeShift(db, station.id, { seats: 2 });
    const people = [];
    for (let i = 0; i < 10; i++) people.push({ volunteerId: (await makeVolunteer(db)).id });
    const results = await Promise.allSettled(people.map((p) => takeSeat(db, ACTOR, p, shift.id, 'signup', NOW)));
    t.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    t.equal(results.filter((r) => r.status === 'rejected' && (r.reason as { code?: string }).code === 'shift_full').length, 8, 'the others are told it is full');
    t.equal((await liveRows(db, shift.id)).length, 2);
  });

  void t.test('one person signing up to two overlapping shifts at once: one only', async (t) => {
    const a = await makeShift(db, station.id, { startsAt: at('2030-03-11', '09:00'), endsAt: at('2030-03-11', '12:00') });
    const b = await makeShift(db, station.id, { startsAt: at('2030-03-11', '10:00'), endsAt: at('2030-03-11', '11:00') });
    const p = { volunteerId: (await makeVolunteer(db)).id };
    const both = await Promise.allSettled([takeSeat(db, ACTOR, p, a.id, 'signup', NOW), takeSeat(db, ACTOR, p, b.id, 'signup', NOW)]);
    t.equal(both.filter((r) => r.status === 'fulfilled').length, 1);
  });

  void t.test('two managers filling the same shifts at once: never overfilled, one turn per pick', async (t) => {
    const lawyers = [];
    for (let i = 0; i < 8; i++) lawyers.push(await makeLawyer(db, { regionCode: '511923' }));
    const shifts = [];
    for (let d = 20; d < 24; d++) shifts.push(await makeShift(db, station.id, { startsAt: at(`2030-03-${d}`, '09:00'), endsAt: at(`2030-03-${d}`, '12:00'), seats: 2, who: 'lawyer' }));
    // a sign-up racing the fills for one seat
    const racer = { lawyerId: lawyers[7].id };
    const ids = shifts.map((s) => s.id);
    const [x, y, z] = await Promise.allSettled([fillShifts(db, ACTOR, ids, NOW), fillShifts(db, ACTOR, [...ids].reverse(), NOW), takeSeat(db, ACTOR, racer, shifts[0].id, 'signup', NOW)]);
    t.equal(x.status, 'fulfilled');
    t.equal(y.status, 'fulfilled');
    t.ok(z.status === 'fulfilled' || (z.reason as { code?: string }).code === 'shift_full');
    for (const s of shifts) {
      const rows = await liveRows(db, s.id);
      t.equal(rows.length, 2, `shift ${s.id} holds exactly its 2 seats`);
      t.equal(new Set(rows.map((r) => r.lawyer_id)).size, 2, 'two different lawyers');
    }
    const picks = await db.selectFrom('duty_assignments').select('seq').where('source', '=', 'rotation').execute();
    const turns = await db.selectFrom('duty_standings').select((eb) => eb.fn.sum<number>('turns').as('n')).executeTakeFirstOrThrow();
    t.equal(Number(turns.n), picks.length, 'turns taken = rotation picks');
    t.same(picks.map((p) => Number(p.seq)).sort((a, b) => a - b), Array.from({ length: picks.length }, (_, i) => i + 1), 'seqs gapless, none given twice');
    const counts = await db.selectFrom('duty_standings').select('turns').where('lawyer_id', 'in', lawyers.slice(0, 7).map((l) => l.id)).execute();
    t.ok(Math.max(...counts.map((c) => c.turns)) - Math.min(...counts.map((c) => c.turns)) <= 1, 'turns stay level');
  });
}
