// Duty shifts and seats through the services: defining shifts, the list with the
// unfilled first, sign-up refusals, releasing, swaps that wait for a manager, and
// attendance crediting approved duty hours once (which the lawyer's quota counts).
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeLawyer, makeVolunteer } from '../helpers/people.js';
import { makeOrganization } from '../helpers/factories.js';
import { ValidationError, RuleError, NotFoundError } from '../../src/lib/errors.js';
import { createShifts, listShifts } from '../../src/modules/duty/duty.service.js';
import { cancelShift, markAttendance, release, takeSeat } from '../../src/modules/duty/duty.assign.js';
import { approveSwap, rejectSwap, requestSwap } from '../../src/modules/duty/duty.swaps.js';
import { fillShifts } from '../../src/modules/duty/duty.fill.js';
import { lawyerQuota } from '../../src/modules/quotas/quotas.service.js';
import { ACTOR, at, liveRows, makeShift, makeStation, NOW } from './support.js';

const code = (err: unknown) => (err instanceof RuleError || err instanceof NotFoundError ? `${err.statusCode} ${err.code}` : String(err));
async function refusal(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return 'accepted';
  } catch (err) {
    return code(err);
  }
}

void t.test('duty services', async (t) => {
  const { db } = await buildTestApp(t);
  const station = await makeStation(db, '511902', '巴州区法院工作站');

  await t.test('define a shift, or one a week for N weeks; the region is the workstation’s', async (t) => {
    const series = await createShifts(db, ACTOR, { organizationId: station.id, startsAt: at('2030-04-01', '09:00'), endsAt: at('2030-04-01', '17:00'), seats: 2, who: 'lawyer', weeks: 3 }, NOW);
    t.equal(series.length, 3);
    t.same(series.map((s) => s.starts_at.toISOString()), ['2030-04-01T01:00:00.000Z', '2030-04-08T01:00:00.000Z', '2030-04-15T01:00:00.000Z']);
    t.ok(series.every((s) => s.region_code === '511902' && s.series_id === series[0].id && s.seats === 2 && s.who === 'lawyer'));
    const audits = await db.selectFrom('audit_log').select('entity_id').where('action', '=', 'duty.shift_created').execute();
    t.equal(audits.length, 3, 'each shift audited');
  });

  await t.test('bad input: field errors and nothing written', async (t) => {
    const firm = await makeOrganization(db, { kind: 'law_firm' });
    const before = await db.selectFrom('duty_shifts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const cases: [Parameters<typeof createShifts>[2], string][] = [
      [{ organizationId: firm.id, startsAt: at('2030-04-01', '09:00'), endsAt: at('2030-04-01', '10:00') }, 'organizationId'],
      [{ organizationId: station.id, startsAt: at('2030-04-01', '09:00'), endsAt: at('2030-04-01', '08:00') }, 'endsAt'],
      [{ organizationId: station.id, startsAt: at('2030-04-01', '09:00'), endsAt: at('2030-04-02', '10:00') }, 'endsAt'],
      [{ organizationId: station.id, startsAt: at('2030-02-01', '09:00'), endsAt: at('2030-02-01', '10:00') }, 'startsAt'],
      [{ organizationId: station.id, startsAt: at('2030-04-01', '09:00'), endsAt: at('2030-04-01', '10:00'), seats: 0 }, 'seats'],
      [{ organizationId: station.id, startsAt: at('2030-04-01', '09:00'), endsAt: at('2030-04-01', '10:00'), who: 'judge' }, 'who'],
      [{ organizationId: station.id, startsAt: at('2030-04-01', '09:00'), endsAt: at('2030-04-01', '10:00'), weeks: 99 }, 'weeks'],
    ];
    for (const [input, fieldName] of cases) {
      try {
        await createShifts(db, ACTOR, input, NOW);
        t.fail(`accepted a bad ${fieldName}`);
      } catch (err) {
        t.ok(err instanceof ValidationError && err.fields.some((f) => f.field === fieldName), `refuses a bad ${fieldName}`);
      }
    }
    const after = await db.selectFrom('duty_shifts').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    t.equal(Number(after.n), Number(before.n));
  });

  await t.test('the list: unfilled shifts first, then by start time', async (t) => {
    const st = await makeStation(db, '511923');
    const early = await makeShift(db, st.id, { startsAt: at('2030-05-01', '09:00'), endsAt: at('2030-05-01', '12:00') });
    const late = await makeShift(db, st.id, { startsAt: at('2030-05-03', '09:00'), endsAt: at('2030-05-03', '12:00') });
    const mid = await makeShift(db, st.id, { startsAt: at('2030-05-02', '09:00'), endsAt: at('2030-05-02', '12:00'), seats: 2 });
    const v = await makeVolunteer(db);
    await takeSeat(db, ACTOR, { volunteerId: v.id }, early.id, 'signup', NOW);
    const l = await makeLawyer(db, { regionCode: '511923' });
    await takeSeat(db, ACTOR, { lawyerId: l.id }, mid.id, 'signup', NOW);
    const list = await listShifts(db, { from: '2030-05-01', to: '2030-05-31', organizationId: st.id });
    t.same(list.map((s) => s.id), [mid.id, late.id, early.id], 'mid (1 of 2) and late (0 of 1) before the filled early one');
    t.same(list.map((s) => s.filled), [1, 0, 1]);
    const byRegion = await listShifts(db, { from: '2030-05-01', to: '2030-05-31', regionCode: '511902' });
    t.notOk(byRegion.some((s) => s.organization_id === st.id), 'the region filter leaves out other regions');
  });

  await t.test('sign-up refusals: full, overlapping, wrong role, past, on leave; nothing written', async (t) => {
    const one = await makeShift(db, station.id, { startsAt: at('2030-06-01', '09:00'), endsAt: at('2030-06-01', '12:00') });
    const clash = await makeShift(db, station.id, { startsAt: at('2030-06-01', '11:00'), endsAt: at('2030-06-01', '13:00'), seats: 3 });
    const lawyersOnly = await makeShift(db, station.id, { startsAt: at('2030-06-02', '09:00'), endsAt: at('2030-06-02', '12:00'), who: 'lawyer' });
    const a = await makeVolunteer(db);
    const b = await makeVolunteer(db);
    await takeSeat(db, ACTOR, { volunteerId: a.id }, one.id, 'signup', NOW);
    t.equal(await refusal(takeSeat(db, ACTOR, { volunteerId: b.id }, one.id, 'signup', NOW)), '409 shift_full');
    t.equal(await refusal(takeSeat(db, ACTOR, { volunteerId: a.id }, one.id, 'signup', NOW)), '409 already_on_shift');
    t.equal(await refusal(takeSeat(db, ACTOR, { volunteerId: a.id }, clash.id, 'signup', NOW)), '422 overlap');
    t.equal(await refusal(takeSeat(db, ACTOR, { volunteerId: b.id }, lawyersOnly.id, 'signup', NOW)), '422 wrong_role');
    t.equal(await refusal(takeSeat(db, ACTOR, { volunteerId: b.id }, one.id, 'signup', new Date(at('2030-06-01', '09:30')))), '409 shift_started');
    const away = await makeLawyer(db);
    await db.insertInto('lawyer_leaves').values({ lawyer_id: away.id, starts_on: '2030-06-02', ends_on: '2030-06-05' }).execute();
    t.equal(await refusal(takeSeat(db, ACTOR, { lawyerId: away.id }, lawyersOnly.id, 'signup', NOW)), '422 lawyer_on_leave');
    t.equal((await liveRows(db, one.id)).length, 1);
    t.equal((await liveRows(db, clash.id)).length, 0);
    t.equal((await liveRows(db, lawyersOnly.id)).length, 0);
    // touching ends are not an overlap
    const after = await makeShift(db, station.id, { startsAt: at('2030-06-01', '12:00'), endsAt: at('2030-06-01', '14:00') });
    t.equal(await refusal(takeSeat(db, ACTOR, { volunteerId: a.id }, after.id, 'signup', NOW)), 'accepted');
  });

  await t.test('release: one’s own sign-up before the shift; a rotation seat needs a swap', async (t) => {
    const s = await makeShift(db, station.id, { startsAt: at('2030-06-10', '09:00'), endsAt: at('2030-06-10', '12:00'), seats: 2 });
    const l = await makeLawyer(db);
    await takeSeat(db, ACTOR, { lawyerId: l.id }, s.id, 'signup', NOW);
    t.equal(await refusal(release(db, ACTOR, { lawyerId: l.id }, s.id, new Date(at('2030-06-10', '09:00')))), '409 shift_started');
    await release(db, ACTOR, { lawyerId: l.id }, s.id, NOW);
    t.equal((await liveRows(db, s.id)).filter((r) => r.lawyer_id === l.id).length, 0);
    const [filled] = await fillShifts(db, ACTOR, [s.id], NOW);
    t.equal(filled.picked.length, 2);
    const first = filled.picked[0].lawyerId;
    t.equal(await refusal(release(db, ACTOR, { lawyerId: first }, s.id, NOW)), '409 needs_approval');
  });

  await t.test('a swap waits for a manager; a rejection needs a reason; approval moves the seat and tells both', async (t) => {
    const s = await makeShift(db, station.id, { startsAt: at('2030-07-01', '09:00'), endsAt: at('2030-07-01', '12:00'), who: 'lawyer' });
    const from = await makeLawyer(db);
    const to = await makeLawyer(db);
    const [a] = [await takeSeat(db, ACTOR, { lawyerId: from.id }, s.id, 'signup', NOW)];
    const swap = await requestSwap(db, ACTOR, { lawyerId: from.id }, a.id, { lawyerId: to.id }, '出差', NOW);
    t.same((await liveRows(db, s.id)).map((r) => r.lawyer_id), [from.id], 'nothing moves before approval');
    t.equal(await refusal(requestSwap(db, ACTOR, { lawyerId: to.id }, a.id, null, '', NOW)), '404 not_found', 'only the holder may ask');
    t.equal(await refusal(requestSwap(db, ACTOR, { lawyerId: from.id }, a.id, { lawyerId: to.id }, '', NOW)), '409 swap_pending');
    try {
      await rejectSwap(db, ACTOR, swap.id, '  ', NOW);
      t.fail('rejected without a reason');
    } catch (err) {
      t.ok(err instanceof ValidationError && err.fields[0].field === 'reason', 'a rejection needs a reason');
    }
    t.equal((await db.selectFrom('duty_swaps').select('status').where('id', '=', swap.id).executeTakeFirstOrThrow()).status, 'pending');
    await rejectSwap(db, ACTOR, swap.id, '人手不足', NOW);
    t.same((await liveRows(db, s.id)).map((r) => r.lawyer_id), [from.id], 'a rejected swap moves nothing');
    const again = await requestSwap(db, ACTOR, { lawyerId: from.id }, a.id, { lawyerId: to.id }, '', NOW);
    // meanwhile the other lawyer took an overlapping shift: approval checks again
    const other = await makeShift(db, station.id, { startsAt: at('2030-07-01', '10:00'), endsAt: at('2030-07-01', '11:00') });
    const blocking = await takeSeat(db, ACTOR, { lawyerId: to.id }, other.id, 'signup', NOW);
    t.equal(await refusal(approveSwap(db, ACTOR, again.id, NOW)), '422 overlap');
    t.same((await liveRows(db, s.id)).map((r) => r.lawyer_id), [from.id]);
    await release(db, ACTOR, { lawyerId: to.id }, other.id, NOW);
    t.ok(blocking.id);
    const { assignment } = await approveSwap(db, ACTOR, again.id, NOW);
    t.same((await liveRows(db, s.id)).map((r) => [r.lawyer_id, r.source]), [[to.id, 'swap']], 'the seat moved, source swap');
    t.equal(assignment?.lawyer_id, to.id);
    const notes = await db.selectFrom('notifications').select(['lawyer_id', 'kind']).where('kind', 'like', 'duty.swap%').orderBy('id').execute();
    t.same(notes.map((n) => [n.lawyer_id, n.kind]), [[from.id, 'duty.swap_rejected'], [from.id, 'duty.swap_approved'], [to.id, 'duty.swap_received']]);
    const audited = await db.selectFrom('audit_log').select('action').where('action', 'like', 'duty.swap%').orderBy('id').execute();
    t.same(audited.map((r) => r.action), ['duty.swap_requested', 'duty.swap_rejected', 'duty.swap_requested', 'duty.swap_approved']);
  });

  await t.test('cancelling a shift: the people on it are told; it leaves the list and frees their time', async (t) => {
    const s = await makeShift(db, station.id, { startsAt: at('2030-09-01', '09:00'), endsAt: at('2030-09-01', '12:00'), seats: 2 });
    const v = await makeVolunteer(db);
    await takeSeat(db, ACTOR, { volunteerId: v.id }, s.id, 'signup', NOW);
    for (const bad of ['', '   ', 'x'.repeat(501)]) {
      const err = await cancelShift(db, ACTOR, s.id, bad, NOW).catch((e: unknown) => e);
      t.ok(err instanceof ValidationError && err.fields[0].field === 'reason', `reason ${JSON.stringify(bad.slice(0, 5))}… refused`);
    }
    t.match(await db.selectFrom('duty_shifts').select(['status', 'cancel_reason']).where('id', '=', s.id).executeTakeFirst(), { status: 'scheduled', cancel_reason: null }, 'nothing changed');
    const { notified, shift } = await cancelShift(db, ACTOR, s.id, '  法院停电  ', NOW);
    t.equal(notified, 1);
    t.equal(shift.cancel_reason, '法院停电', 'the reason is stored, trimmed');
    t.same(await db.selectFrom('notifications').select(['kind', 'payload']).where('volunteer_id', '=', v.id).execute(), [
      { kind: 'duty.cancelled', payload: { shiftId: s.id, title: '巴州区法院工作站', startsAt: s.starts_at.toISOString(), reason: '法院停电' } },
    ]);
    const audited = await db.selectFrom('audit_log').select('after').where('action', '=', 'duty.shift_cancelled').where('entity_id', '=', String(s.id)).executeTakeFirstOrThrow();
    t.match(audited.after, { status: 'cancelled', reason: '法院停电', notified: 1 }, 'the reason is in the audit entry');
    t.equal(await refusal(cancelShift(db, ACTOR, s.id, '再次', NOW)), '409 shift_cancelled');
    t.equal(await refusal(takeSeat(db, ACTOR, { volunteerId: (await makeVolunteer(db)).id }, s.id, 'signup', NOW)), '409 shift_cancelled');
    t.same(await fillShifts(db, ACTOR, [s.id], NOW), [], 'fill leaves it alone');
    t.notOk((await listShifts(db, { from: '2030-09-01', to: '2030-09-01' })).some((x) => x.id === s.id), 'not listed');
    const same = await makeShift(db, station.id, { startsAt: at('2030-09-01', '10:00'), endsAt: at('2030-09-01', '11:00') });
    t.equal(await refusal(takeSeat(db, ACTOR, { volunteerId: v.id }, same.id, 'signup', NOW)), 'accepted', 'a cancelled shift is no overlap');
    const started = await makeShift(db, station.id, { startsAt: at('2030-09-02', '09:00'), endsAt: at('2030-09-02', '12:00') });
    t.equal(await refusal(cancelShift(db, ACTOR, started.id, '太晚', new Date(at('2030-09-02', '09:00')))), '409 shift_started');
  });

  await t.test('attendance credits approved duty hours once, and the quota counts them', async (t) => {
    const s = await makeShift(db, station.id, { startsAt: at('2030-08-05', '09:00'), endsAt: at('2030-08-05', '13:30'), seats: 2 });
    const l = await makeLawyer(db);
    const v = await makeVolunteer(db);
    const la = await takeSeat(db, ACTOR, { lawyerId: l.id }, s.id, 'signup', NOW);
    const va = await takeSeat(db, ACTOR, { volunteerId: v.id }, s.id, 'signup', NOW);
    t.equal(await refusal(markAttendance(db, ACTOR, la.id, 'attended', NOW)), '422 not_started');
    const during = new Date(at('2030-08-05', '10:00'));
    const first = await markAttendance(db, ACTOR, la.id, 'attended', during);
    t.ok(first.credited);
    const second = await markAttendance(db, ACTOR, la.id, 'attended', during);
    t.notOk(second.credited, 'a second mark credits nothing');
    t.equal(await refusal(markAttendance(db, ACTOR, la.id, 'no_show', during)), '409 already_attended');
    const entries = await db.selectFrom('hour_entries').selectAll().where('lawyer_id', '=', l.id).execute();
    t.equal(entries.length, 1, 'exactly one entry');
    t.match(entries[0], { kind: 'duty_shift', status: 'approved', work_date: '2030-08-05' });
    t.equal(Number(entries[0].hours), 4.5);
    const quota = await lawyerQuota(db, l.id, 2030, '2030-08-06');
    t.equal(quota?.row.doneHours, 4.5, 'the lawyer’s quota counts the duty hours');
    await markAttendance(db, ACTOR, va.id, 'no_show', during);
    t.equal((await db.selectFrom('hour_entries').select('id').where('volunteer_id', '=', v.id).execute()).length, 0, 'a no-show credits nothing');
    const late = await markAttendance(db, ACTOR, va.id, 'attended', during);
    t.ok(late.credited, 'a no-show who came late may still be marked attended');
    const ve = await db.selectFrom('hour_entries').selectAll().where('volunteer_id', '=', v.id).execute();
    t.match(ve, [{ kind: 'duty_shift', status: 'approved' }], 'the volunteer’s hours are credited as events credit them');
  });
});
