// Filling by the duty rotation: the order is the case rotation's (fewest turns,
// oldest last turn, lowest id) over duty standings kept apart from case turns; a
// lawyer on leave or on an overlapping shift is skipped and keeps their place;
// volunteers are never auto-filled; a full shift is never overfilled.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeLawyer } from '../helpers/people.js';
import { fillShifts, unfilledIn } from '../../src/modules/duty/duty.fill.js';
import { takeSeat } from '../../src/modules/duty/duty.assign.js';
import { pickDuty } from '../../src/modules/duty/duty.rules.js';
import { ACTOR, at, liveRows, makeShift, makeStation, NOW } from './support.js';

void t.test('pickDuty: rotation order, skips named only when ahead of the pick', async (t) => {
  const s = (turns: number, lastSeq: number | null) => ({ turns, lastSeq, joinedSeq: 0 });
  const pick = pickDuty([
    { lawyerId: 3, standing: s(0, null), weight: 1, reason: null },
    { lawyerId: 1, standing: s(0, null), weight: 1, reason: 'on_leave' },
    { lawyerId: 2, standing: s(1, 5), weight: 1, reason: 'overlap' },
    { lawyerId: 4, standing: s(2, 1), weight: 2, reason: null },
  ]);
  // 4 has 2 turns at weight 2 (1 per weight), so 3 (0 turns) is next; 1 is ahead of 3 by id but on leave
  t.same(pick, { chosen: 3, skipped: [{ lawyerId: 1, reason: 'on_leave' }] });
  t.same(pickDuty([{ lawyerId: 1, standing: s(0, null), weight: 1, reason: 'inactive' }]), { chosen: null, skipped: [{ lawyerId: 1, reason: 'inactive' }] });
});

void t.test('fill by rotation', async (t) => {
  const { db } = await buildTestApp(t);
  const station = await makeStation(db, '511922', '南江县看守所工作站');
  // Nanjiang's lawyers (and its neighbours' under the seeded policy) serve it; one far away does not
  const [l1, l2, l3] = [await makeLawyer(db, { regionCode: '511922' }), await makeLawyer(db, { regionCode: '511922' }), await makeLawyer(db, { regionCode: '511922' })];
  const far = await makeLawyer(db, { regionCode: '511971' });
  await makeLawyer(db, { regionCode: '511922', status: 'inactive' });
  await db.insertInto('lawyer_leaves').values({ lawyer_id: l1.id, starts_on: '2030-03-10', ends_on: '2030-03-10' }).execute();
  const standing = async (id: number) => db.selectFrom('duty_standings').select(['turns', 'last_seq']).where('lawyer_id', '=', id).executeTakeFirst();

  await t.test('the first pick skips the lawyer on leave, who keeps their place', async (t) => {
    const d10 = await makeShift(db, station.id, { startsAt: at('2030-03-10', '09:00'), endsAt: at('2030-03-10', '17:00') });
    const [r] = await fillShifts(db, ACTOR, [d10.id], NOW);
    t.same(r.picked.map((p) => p.lawyerId), [l2.id], 'l1 is on leave that day: l2');
    t.same(r.skipped, [{ lawyerId: l1.id, reason: 'on_leave' }]);
    t.equal(r.left, 0);
    t.same(await standing(l1.id), { turns: 0, last_seq: 0 }, 'the skipped lawyer’s standing is untouched');
    t.same(await standing(l2.id), { turns: 1, last_seq: 1 });
    t.notOk(await standing(far.id), 'a lawyer outside the regions served is not in the pool');
    const rows = await liveRows(db, d10.id);
    t.match(rows, [{ lawyer_id: l2.id, source: 'rotation', status: 'assigned', seq: 1 }]);
    const caseTurns = await db.selectFrom('rotation_standings').select('lawyer_id').execute();
    t.equal(caseTurns.length, 0, 'case turns are not touched');
  });

  await t.test('next day: the skipped lawyer is first again, then the next in order', async (t) => {
    const d11 = await makeShift(db, station.id, { startsAt: at('2030-03-11', '09:00'), endsAt: at('2030-03-11', '17:00'), seats: 2 });
    const [r] = await fillShifts(db, ACTOR, [d11.id], NOW);
    t.same(r.picked.map((p) => p.lawyerId), [l1.id, l3.id]);
    const d12 = await makeShift(db, station.id, { startsAt: at('2030-03-12', '09:00'), endsAt: at('2030-03-12', '17:00') });
    const [r2] = await fillShifts(db, ACTOR, [d12.id], NOW);
    t.same(r2.picked.map((p) => p.lawyerId), [l2.id], 'all at one turn: the oldest last turn (l2, seq 1) goes next');
  });

  await t.test('a lawyer on an overlapping shift is skipped and keeps their place', async (t) => {
    // order now: l1 (1 turn, seq 2), l3 (1, seq 3), l2 (2, seq 4)
    const own = await makeShift(db, station.id, { startsAt: at('2030-03-13', '09:00'), endsAt: at('2030-03-13', '12:00') });
    await takeSeat(db, ACTOR, { lawyerId: l1.id }, own.id, 'signup', NOW);
    const clash = await makeShift(db, station.id, { startsAt: at('2030-03-13', '10:00'), endsAt: at('2030-03-13', '11:00') });
    const [r] = await fillShifts(db, ACTOR, [clash.id], NOW);
    t.same(r.picked.map((p) => p.lawyerId), [l3.id]);
    t.same(r.skipped, [{ lawyerId: l1.id, reason: 'overlap' }]);
    const next = await makeShift(db, station.id, { startsAt: at('2030-03-14', '09:00'), endsAt: at('2030-03-14', '12:00') });
    const [r2] = await fillShifts(db, ACTOR, [next.id], NOW);
    t.same(r2.picked.map((p) => p.lawyerId), [l1.id], 'l1 kept their place');
  });

  await t.test('nobody eligible: the seat stays empty; volunteers’ shifts, full and started shifts are left alone', async (t) => {
    const vol = await makeShift(db, station.id, { startsAt: at('2030-03-20', '09:00'), endsAt: at('2030-03-20', '12:00'), who: 'volunteer' });
    const big = await makeShift(db, station.id, { startsAt: at('2030-03-21', '09:00'), endsAt: at('2030-03-21', '12:00'), seats: 5 });
    const results = await fillShifts(db, ACTOR, [vol.id, big.id], NOW);
    t.same(results.map((r) => r.shiftId), [big.id], 'the volunteers’ shift is not touched');
    t.equal(results[0].picked.length, 3, 'three active lawyers');
    t.equal(results[0].left, 2);
    t.equal((await liveRows(db, vol.id)).length, 0);
    const again = await fillShifts(db, ACTOR, [big.id], NOW);
    t.same(again[0].picked, [], 'no lawyer twice on one shift');
    const one = await makeShift(db, station.id, { startsAt: at('2030-03-22', '09:00'), endsAt: at('2030-03-22', '12:00') });
    await fillShifts(db, ACTOR, [one.id], NOW);
    t.same(await fillShifts(db, ACTOR, [one.id], NOW), [{ shiftId: one.id, picked: [], left: 0, skipped: [] }], 'a full shift gets nobody more');
    t.equal((await liveRows(db, one.id)).length, 1);
    const later = new Date(at('2030-03-25', '09:00'));
    const old = await makeShift(db, station.id, { startsAt: at('2030-03-24', '09:00'), endsAt: at('2030-03-24', '12:00') });
    t.same(await fillShifts(db, ACTOR, [old.id], later), [], 'a started shift is left alone');
    const ids = await unfilledIn(db, { from: '2030-03-01', to: '2030-03-31', organizationId: station.id }, NOW);
    t.ok(ids.includes(big.id) && ids.includes(old.id) && !ids.includes(vol.id) && !ids.includes(one.id), 'the range’s unfilled lawyer shifts');
    const audits = await db.selectFrom('audit_log').select('action').where('action', '=', 'duty.filled').execute();
    t.ok(audits.length >= 10, 'each pick audited');
  });
});
