// Which version applies on a day: the means-test standard (with the fall-back to
// the parent region) and the time limits; and the pure rules of the forms.
import t from 'tap';
import { freshDatabase } from '../helpers/app.js';
import { DEFAULT_TIME_LIMITS, meansStandardAt, timeLimitsAt } from '../../src/modules/policies/policies.service.js';
import { checkMeansStandard, checkTimeLimits, formatFen, parseYuan, thresholdFen, versionStates } from '../../src/modules/policies/policies.rules.js';

t.test('versions by date', async (t) => {
  const fresh = await freshDatabase();
  t.teardown(async () => {
    await fresh.database.close();
    await fresh.drop();
  });
  const db = fresh.database.db;

  t.test('meansStandardAt: the latest version started by the day, else the parent region’s', async (t) => {
    t.equal((await meansStandardAt(db, '511900', '2025-06-30'))?.allowance_fen, 72000, 'the 2024 standard until 30 June 2025');
    t.equal((await meansStandardAt(db, '511900', '2025-07-01'))?.allowance_fen, 75000, 'the 2025 standard from 1 July');
    t.equal(await meansStandardAt(db, '511900', '2023-12-31'), undefined, 'none before the first');
    const fallback = await meansStandardAt(db, '511902', '2026-03-01');
    t.equal(fallback?.region_code, '511900', 'Bazhou District has none of its own: the city’s');
    t.equal(fallback?.allowance_fen, 75000);
    await db.insertInto('means_standards').values({ region_code: '511902', effective_from: '2026-01-01', allowance_fen: 78000, multiplier_pct: 150 }).execute();
    t.equal((await meansStandardAt(db, '511902', '2025-12-31'))?.region_code, '511900', 'before its own starts: still the city’s');
    const own = await meansStandardAt(db, '511902', '2026-01-01');
    t.match(own, { region_code: '511902', allowance_fen: 78000, multiplier_pct: 150 }, 'then its own');
    t.equal((await meansStandardAt(db, '511903', '2026-01-01'))?.region_code, '511900', 'a sibling district is unaffected');
  });

  t.test('timeLimitsAt: by date, missing fields from the defaults', async (t) => {
    const seeded = await timeLimitsAt(db, '2026-12-31');
    t.equal(seeded.effectiveFrom, '2022-01-01');
    t.same(seeded.value, DEFAULT_TIME_LIMITS);
    await db.insertInto('policies').values({ key: 'time_limits', effective_from: '2027-01-01', value: JSON.stringify({ reviewDays: 10, assignDaysOther: 5 }) }).execute();
    t.equal((await timeLimitsAt(db, '2026-12-31')).value.reviewDays, 7, 'the day before: the old version');
    const next = await timeLimitsAt(db, '2027-01-01');
    t.equal(next.effectiveFrom, '2027-01-01');
    t.same(next.value, { ...DEFAULT_TIME_LIMITS, reviewDays: 10, assignDaysOther: 5 });
    const before = await timeLimitsAt(db, '2020-01-01');
    t.equal(before.id, 0, 'before any version: the built-in defaults');
    t.same(before.value, DEFAULT_TIME_LIMITS);
  });
});

t.test('yuan and fen without floats', async (t) => {
  t.equal(parseYuan('750.5'), 75050);
  t.equal(parseYuan('750.50'), 75050);
  t.equal(parseYuan('750'), 75000);
  t.equal(parseYuan('0.07'), 7);
  t.equal(parseYuan('1,500.10'), 150010);
  t.equal(parseYuan('７５０．５'), 75050, 'full-width digits');
  t.equal(parseYuan('¥750元'), 75000);
  t.equal(parseYuan('1.005'), null, 'three decimals');
  t.equal(parseYuan('-1'), null);
  t.equal(parseYuan('1e3'), null);
  t.equal(parseYuan('.5'), null);
  t.equal(parseYuan('12345678'), null, 'more than int4 fen can hold is refused');
  t.equal(formatFen(75050), '750.50');
  t.equal(formatFen(7), '0.07');
  t.equal(formatFen(0), '0.00');
  t.equal(thresholdFen(75000, 200), 150000);
  t.equal(thresholdFen(75051, 150), 112577, 'half a fen rounds up');
  t.equal(thresholdFen(75050, 150), 112575);
});

t.test('form rules', async (t) => {
  const limits = { reviewDays: '7', assignDaysCriminal: '3', assignDaysNotified: '3', assignDaysOther: '7', appealDays: '5', materialsDays: '10', emergencyPaperworkDays: '10' };
  const ok = checkTimeLimits({ effectiveFrom: '2027-01-01', limits, note: '' }, '2026-12-01');
  t.same(ok.errors, []);
  t.same(ok.value, DEFAULT_TIME_LIMITS);
  const bad = checkTimeLimits({ effectiveFrom: '2026-11-30', limits: { ...limits, reviewDays: '0', appealDays: '61', materialsDays: '2.5', assignDaysOther: '' }, note: '' }, '2026-12-01');
  t.same(
    bad.errors.map((e) => [e.field, e.key]),
    [
      ['effectiveFrom', 'policy.err.past'],
      ['reviewDays', 'policy.err.days'],
      ['assignDaysOther', 'err.required'],
      ['appealDays', 'policy.err.days'],
      ['materialsDays', 'policy.err.days'],
    ],
  );
  t.same(checkTimeLimits({ effectiveFrom: '2026-12-01', limits, note: '' }, '2026-12-01').errors, [], 'today is allowed');
  const regions = new Set(['511900']);
  const means = checkMeansStandard({ regionCode: '511900', effectiveFrom: '2027-01-01', allowance: '800', multiplierPct: '200', note: '' }, regions, '2026-12-01');
  t.same([means.errors, means.allowanceFen, means.multiplierPct], [[], 80000, 200]);
  const wrong = checkMeansStandard({ regionCode: '999999', effectiveFrom: '2027-02-30', allowance: '0', multiplierPct: '1001', note: '' }, regions, '2026-12-01');
  t.same(
    wrong.errors.map((e) => e.field),
    ['regionCode', 'meansFrom', 'allowance', 'multiplierPct'],
  );
});

t.test('version states', async (t) => {
  const rows = [
    { region: 'a', effective_from: '2027-01-01' },
    { region: 'a', effective_from: '2025-07-01' },
    { region: 'a', effective_from: '2024-01-01' },
    { region: 'b', effective_from: '2020-01-01' },
  ];
  t.same(
    versionStates(rows, '2026-12-01', (r) => r.region).map((r) => r.state),
    ['scheduled', 'in_force', 'superseded', 'in_force'],
  );
  t.same(
    versionStates(rows, '2027-01-01', (r) => r.region).map((r) => r.state),
    ['in_force', 'superseded', 'superseded', 'in_force'],
    'on its first day a version is in force',
  );
});
