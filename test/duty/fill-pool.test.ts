// A bulk fill reads each shift's pool once: the picks for all of its empty seats
// are made from it in memory. The seats go in rotation order (fewest turns, the
// oldest last turn, the lowest id), never to the same lawyer twice on a shift, and
// a lawyer picked for one shift is skipped (overlap) for another shift at the same
// time in the same fill. Counted by the queries that read a pool (lawyers with
// their duty standing and leave), not by time.
import t from 'tap';
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from 'kysely';
import { buildTestApp } from '../helpers/app.js';
import { makeLawyer } from '../helpers/people.js';
import { fillShifts } from '../../src/modules/duty/duty.fill.js';
import { ACTOR, at, liveRows, makeShift, makeStation, NOW } from './support.js';

/** Counts the pool reads: a select from lawyers joined to duty_standings that asks about leave. */
class PoolReads implements KyselyPlugin {
  count = 0;
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = JSON.stringify(args.node);
    if (args.node.kind === 'SelectQueryNode' && node.includes('"duty_standings"') && node.includes('"lawyer_leaves"')) this.count++;
    return args.node;
  }
  transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return Promise.resolve(args.result);
  }
}

void t.test('a multi-seat fill: seats in rotation order, one pool read, never the same lawyer twice', async (t) => {
  const { db } = await buildTestApp(t);
  const station = await makeStation(db, '511921', '通江县法院工作站');
  const ls = [];
  for (let i = 0; i < 5; i++) ls.push(await makeLawyer(db, { regionCode: '511921' }));
  // standings that make the rotation order differ from the id order: 3, 5 (on leave), 2, 4, 1
  const standings: [number, number, number][] = [
    [ls[0].id, 2, 2],
    [ls[1].id, 0, 5],
    [ls[2].id, 0, 3],
    [ls[3].id, 1, 1],
    [ls[4].id, 0, 4],
  ];
  await db.updateTable('duty_state').set({ seq: 10 }).where('scope', '=', 'city').execute();
  await db.insertInto('duty_standings').values(standings.map(([lawyer_id, turns, last_seq]) => ({ lawyer_id, turns, last_seq, joined_seq: 0 }))).execute();
  await db.insertInto('lawyer_leaves').values({ lawyer_id: ls[4].id, starts_on: '2030-03-10', ends_on: '2030-03-10' }).execute();
  const shift = await makeShift(db, station.id, { startsAt: at('2030-03-10', '09:00'), endsAt: at('2030-03-10', '12:00'), seats: 6, who: 'lawyer' });

  const reads = new PoolReads();
  const [r] = await fillShifts(db.withPlugin(reads), ACTOR, [shift.id], NOW);
  t.same(r.picked.map((p) => p.lawyerId), [ls[2].id, ls[1].id, ls[3].id, ls[0].id], 'in rotation order; the one on leave passed over');
  t.same(r.picked.map((p) => p.seq), [11, 12, 13, 14], 'one turn each, in order');
  // as before the pool was read once: a lawyer picked for an earlier seat is named when ahead of a later pick
  t.same(r.skipped, [
    { lawyerId: ls[4].id, reason: 'on_leave' },
    { lawyerId: ls[2].id, reason: 'already_on_shift' },
    { lawyerId: ls[1].id, reason: 'already_on_shift' },
  ]);
  t.equal(r.left, 2, 'four eligible lawyers for six seats: two stay empty, nobody is put on twice');
  const rows = await liveRows(db, shift.id);
  t.equal(new Set(rows.map((x) => x.lawyer_id)).size, rows.length, 'never the same lawyer twice on the shift');
  t.equal(rows.length, 4);
  t.equal(reads.count, 1, 'the pool is read once for the shift, not once per seat');
  const after = await db.selectFrom('duty_standings').select(['lawyer_id', 'turns', 'last_seq']).orderBy('lawyer_id').execute();
  t.same(
    after.map((x) => [x.lawyer_id, x.turns, Number(x.last_seq)]),
    [
      [ls[0].id, 3, 14],
      [ls[1].id, 1, 12],
      [ls[2].id, 1, 11],
      [ls[3].id, 2, 13],
      [ls[4].id, 0, 4],
    ],
    'each pick took one turn; the skipped lawyer kept their standing',
  );
  const audits = await db.selectFrom('audit_log').select('entity_id').where('action', '=', 'duty.filled').orderBy('id').execute();
  t.same(audits.map((a) => a.entity_id), rows.map((x) => String(x.id)), 'each pick audited');
  const notes = await db.selectFrom('notifications').select('lawyer_id').where('kind', '=', 'duty.assigned').orderBy('id').execute();
  t.same(notes.map((n) => n.lawyer_id), r.picked.map((p) => p.lawyerId), 'each picked lawyer told');
});

void t.test('two shifts at the same time in one bulk fill: the lawyer picked for the first is skipped (overlap) for the second', async (t) => {
  const { db } = await buildTestApp(t);
  const station = await makeStation(db, '511921', '通江县法院工作站');
  const other = await makeStation(db, '511921', '通江县检察院工作站');
  const x = await makeLawyer(db, { regionCode: '511921' });
  const y = await makeLawyer(db, { regionCode: '511921' });
  // y has had two turns more: x stays ahead after taking one
  await db.insertInto('duty_standings').values([{ lawyer_id: x.id, turns: 0, last_seq: 0, joined_seq: 0 }, { lawyer_id: y.id, turns: 2, last_seq: 0, joined_seq: 0 }]).execute();
  const a = await makeShift(db, station.id, { startsAt: at('2030-04-01', '09:00'), endsAt: at('2030-04-01', '12:00'), who: 'lawyer' });
  const b = await makeShift(db, other.id, { startsAt: at('2030-04-01', '10:00'), endsAt: at('2030-04-01', '11:00'), who: 'lawyer' });
  const c = await makeShift(db, other.id, { startsAt: at('2030-04-02', '09:00'), endsAt: at('2030-04-02', '12:00'), seats: 2, who: 'lawyer' });

  const reads = new PoolReads();
  const results = await fillShifts(db.withPlugin(reads), ACTOR, [c.id, b.id, a.id], NOW);
  t.same(results.map((r) => r.shiftId), [a.id, b.id, c.id], 'earliest first');
  t.same(results[0].picked.map((p) => p.lawyerId), [x.id], 'x is first in the rotation');
  t.same(results[0].skipped, []);
  t.same(results[1].picked.map((p) => p.lawyerId), [y.id], 'the overlapping shift goes to the next lawyer');
  t.same(results[1].skipped, [{ lawyerId: x.id, reason: 'overlap' }], 'x is passed over: on the first shift at the same time');
  t.same(results[2].picked.map((p) => p.lawyerId), [x.id, y.id], 'the next day both: x, still ahead, then y');
  t.same(results[2].skipped, [{ lawyerId: x.id, reason: 'already_on_shift' }], 'x is not put on the second seat');
  t.equal(reads.count, 3, 'one pool read per shift');
  t.same((await liveRows(db, b.id)).map((r) => r.lawyer_id), [y.id]);
});
