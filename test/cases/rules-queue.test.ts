// The green channel (绿色通道) and the queue order: green-channel cases first,
// then what is due first; and case numbers, unique and sequential per year.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { GREEN_CHANNEL_GROUPS, PRIORITY_GROUPS } from '../../src/db/types.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { listCases } from '../../src/modules/cases/cases.queries.js';

const { app } = await buildTestApp(t);
const db = app.db;

void t.test('green channel: set automatically for migrant workers, elderly, disabled, minors and women', async (t) => {
  t.same([...GREEN_CHANNEL_GROUPS].sort(), ['disabled', 'elderly', 'migrant_worker', 'minor', 'woman']);
  for (const group of PRIORITY_GROUPS) {
    const c = await makeCase(db, { priorityGroups: [group] }, '2026-11-02');
    t.equal(c.green_channel, GREEN_CHANNEL_GROUPS.includes(group), group);
  }
  t.equal((await makeCase(db, { priorityGroups: [] }, '2026-11-02')).green_channel, false, 'no group');
  t.equal((await makeCase(db, { priorityGroups: ['veteran', 'woman'] }, '2026-11-02')).green_channel, true, 'any one green group is enough');
  t.equal((await makeCase(db, { priorityGroups: ['elderly'], greenChannel: false }, '2026-11-02')).green_channel, false, 'a clerk may switch it off');
  t.equal((await makeCase(db, { priorityGroups: [], greenChannel: true }, '2026-11-02')).green_channel, true, 'or on');
});

void t.test('the queue: green channel first, then by due date', async (t) => {
  const mk = (name: string, green: boolean, on: string) => makeCase(db, { applicantName: `排序${name}`, greenChannel: green }, on);
  // review deadlines: 2 Nov -> 11 Nov, 4 Nov -> 13 Nov, 9 Nov -> 18 Nov, 11 Nov -> 20 Nov
  const plainEarly = await mk('甲', false, '2026-11-02');
  const greenLate = await mk('乙', true, '2026-11-11');
  const plainLate = await mk('丙', false, '2026-11-09');
  const greenEarly = await mk('丁', true, '2026-11-04');
  const names = async (filter: { queue?: string; green?: boolean } = {}) =>
    (await listCases(db, { page: 1, q: '排序', ...filter }, '2026-11-12')).items.map((i) => i.id);
  t.same(await names(), [greenEarly.id, greenLate.id, plainEarly.id, plainLate.id]);
  t.same(await names({ queue: 'review' }), [greenEarly.id, greenLate.id, plainEarly.id, plainLate.id], 'in the review queue too');
  t.same(await names({ green: true }), [greenEarly.id, greenLate.id], 'the green filter');

  // a decision moves a case to the next queue with its new deadline: the order follows
  await decide(db, TEST_ACTOR, plainLate.id, { granted: true, reason: null }, '2026-11-10'); // assign due 19 Nov
  await decide(db, TEST_ACTOR, plainEarly.id, { granted: true, reason: null }, '2026-11-12'); // assign due 23 Nov
  await decide(db, TEST_ACTOR, greenLate.id, { granted: true, reason: null }, '2026-11-12'); // green, 23 Nov
  t.same(await names({ queue: 'decided' }), [greenLate.id, plainLate.id, plainEarly.id]);

  // a refused case has no deadline: it sorts after those with one
  await decide(db, TEST_ACTOR, greenEarly.id, { granted: false, reason: '不属于援助范围' }, '2026-11-12');
  const all = await names();
  t.equal(all[0], greenLate.id);
  t.equal(all.indexOf(greenEarly.id), 1, 'green without a deadline still comes before any plain case');
});

void t.test('case numbers: unique and sequential per year', async (t) => {
  const a = await makeCase(db, {}, '2026-12-30');
  const b = await makeCase(db, {}, '2026-12-31');
  t.match(a.number, /^2026-\d{5}$/);
  t.equal(Number(b.number.slice(5)), Number(a.number.slice(5)) + 1, 'consecutive');
  const first2027 = await makeCase(db, {}, '2027-01-04');
  const second2027 = await makeCase(db, {}, '2027-01-04');
  t.equal(first2027.number, '2027-00001', 'a new year starts at 1');
  t.equal(second2027.number, '2027-00002');
  const later2026 = await makeCase(db, {}, '2026-12-31');
  t.equal(Number(later2026.number.slice(5)), Number(b.number.slice(5)) + 1, 'the old year goes on where it stopped');
  const all = await db.selectFrom('cases').select('number').execute();
  t.equal(new Set(all.map((r) => r.number)).size, all.length, 'no number twice');
  const made = await Promise.all([1, 2, 3, 4].map(() => makeCase(db, {}, '2027-02-01')));
  t.same(
    made.map((c) => c.number).sort(),
    ['2027-00003', '2027-00004', '2027-00005', '2027-00006'],
    'taken together, still no gap and no duplicate',
  );
});
