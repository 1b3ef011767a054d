// The fairness maths with figures worked out by hand.
import t, { type Test } from 'tap';
import { eligibleDays, expectedCases, fairness, gini, top10PctShareRatio, topGroupSize } from '../../src/modules/fairness/fairness.js';
import { chartOf } from '../../src/modules/fairness/fairness.chart.js';

const close = (t: Test, actual: number, expected: number, msg: string) => t.ok(Math.abs(actual - expected) < 1e-9, `${msg}: ${actual} ≈ ${expected}`);

t.test('top group: a tenth rounded up, at least one', async (t) => {
  t.same([0, 1, 9, 10, 11, 19, 20, 100, 101].map(topGroupSize), [0, 1, 1, 1, 2, 2, 2, 10, 11]);
});

t.test('top-10% share ratio', async (t) => {
  t.equal(top10PctShareRatio([]), 1, 'no lawyers');
  t.equal(top10PctShareRatio([0, 0, 0]), 1, 'no assignments');
  t.equal(top10PctShareRatio([7]), 1, 'one lawyer holds all and is all the lawyers');
  t.equal(top10PctShareRatio(Array(20).fill(5)), 1, 'all equal');
  // 10 lawyers, one got 10 of 19: (10/19) / (1/10)
  close(t, top10PctShareRatio([10, 1, 1, 1, 1, 1, 1, 1, 1, 1]), 100 / 19, 'one heavy recipient');
  // 20 lawyers, top 2 got 20 + 10 of 48: (30/48) / (2/20) = 6.25
  close(t, top10PctShareRatio([20, 10, ...Array(18).fill(1)]), 6.25, 'Texas would flag this');
  // one lawyer got everything of 10: share 1 / 0.1 = 10
  close(t, top10PctShareRatio([5, 0, 0, 0, 0, 0, 0, 0, 0, 0]), 10, 'maximum for ten lawyers');
});

t.test('Gini coefficient', async (t) => {
  t.equal(gini([]), 0, 'nobody');
  t.equal(gini([3]), 0, 'one lawyer');
  t.equal(gini([0, 0, 0]), 0, 'nothing received');
  t.equal(gini([2, 2, 2, 2]), 0, 'all equal');
  close(t, gini([0, 0, 0, 1]), 0.75, 'one of four got all: (n-1)/n');
  // pairs |1-2|,|1-3|,|2-3| = 1,2,1, doubled 8; 2 n^2 mean = 2*9*2 = 36
  close(t, gini([1, 2, 3]), 8 / 36, '1, 2, 3');
  close(t, gini([3, 1, 2]), 8 / 36, 'order does not matter');
  close(t, gini([0.5, 1, Infinity]), 1 / 6, 'an infinite rate (no eligible day) is left out');
});

t.test('figures per lawyer', async (t) => {
  const f = fairness([
    { lawyerId: 1, received: 6, eligibleDays: 30, weight: 1 },
    { lawyerId: 2, received: 3, eligibleDays: 30, weight: 1 },
    { lawyerId: 3, received: 3, eligibleDays: 15, weight: 2 },
    { lawyerId: 4, received: 0, eligibleDays: 0, weight: 1 }, // not in the period
  ]);
  t.equal(f.lawyers, 3);
  t.equal(f.assignments, 12);
  close(t, f.expectedShare, 1 / 3, 'the average share');
  t.same(f.perLawyer.map((l) => l.lawyerId), [1, 2, 3]);
  // capacities 30, 30, 30 (15 days x weight 2): each expects 4
  for (const l of f.perLawyer) close(t, l.expected, 4, `lawyer ${l.lawyerId} expects 4`);
  t.same(f.perLawyer.map((l) => l.deviation), [2, -1, -1]);
  t.equal(f.maxAbsDeviation, 2);
  // top 1 of 3: (6/12) / (1/3) = 1.5
  close(t, f.top10PctShareRatio, 1.5, 'ratio');
  // rates 0.2, 0.1, 0.1: pair sums 2*(0.1+0.1+0) = 0.4; 2 * 9 * (0.4/3) = 2.4
  close(t, f.gini, 0.4 / 2.4, 'gini of the rates');
});

t.test('edge cases of the whole report', async (t) => {
  const none = fairness([]);
  t.match(none, { assignments: 0, lawyers: 0, expectedShare: 0, top10PctShareRatio: 1, maxAbsDeviation: 0, gini: 0 });
  const idle = fairness([
    { lawyerId: 1, received: 0, eligibleDays: 10, weight: 1 },
    { lawyerId: 2, received: 0, eligibleDays: 10, weight: 1 },
  ]);
  t.match(idle, { assignments: 0, lawyers: 2, top10PctShareRatio: 1, maxAbsDeviation: 0, gini: 0 }, 'no assignments');
  const one = fairness([{ lawyerId: 9, received: 4, eligibleDays: 20, weight: 1 }]);
  t.match(one, { assignments: 4, lawyers: 1, expectedShare: 1, top10PctShareRatio: 1, maxAbsDeviation: 0, gini: 0 }, 'one lawyer');
  const equal = fairness([1, 2, 3, 4, 5].map((id) => ({ lawyerId: id, received: 3, eligibleDays: 100, weight: 1 })));
  t.match(equal, { top10PctShareRatio: 1, maxAbsDeviation: 0, gini: 0 }, 'all equal');
  const unplanned = fairness([
    { lawyerId: 1, received: 2, eligibleDays: 0, weight: 1 },
    { lawyerId: 2, received: 0, eligibleDays: 10, weight: 1 },
  ]);
  t.same(unplanned.perLawyer.map((l) => [l.expected, l.deviation]), [[0, 2], [2, -2]], 'a case to a lawyer with no eligible day shows as deviation');
});

t.test('demand by kind of case: each kind shared among the lawyers in line for it', async (t) => {
  // lawyers 1-3 practise labour law (busy), lawyer 4 juvenile law (quiet), lawyer 5 both
  const loads = [
    { lawyerId: 1, received: 4, eligibleDays: 30, weight: 1 },
    { lawyerId: 2, received: 4, eligibleDays: 30, weight: 1 },
    { lawyerId: 3, received: 4, eligibleDays: 30, weight: 1 },
    { lawyerId: 4, received: 1, eligibleDays: 30, weight: 1 },
    { lawyerId: 5, received: 5, eligibleDays: 30, weight: 1 },
  ];
  const demand = [
    { cases: 16, pool: [1, 2, 3, 5] },
    { cases: 2, pool: [4, 5] },
  ];
  const expected = expectedCases(loads, demand);
  t.same([...expected.values()], [4, 4, 4, 1, 5], 'labour: 16 over four lawyers; juvenile: 2 over two');
  const f = fairness(loads, demand);
  t.same(f.perLawyer.map((l) => l.deviation), [0, 0, 0, 0, 0], 'a fair rotation shows no deviation, however uneven the demand');
  t.equal(f.gini, 0, 'and a Gini coefficient of 0');
  close(t, f.perLawyer[3].expectedShare, 1 / 18, 'the juvenile lawyer expects 1 of the 18 cases');
  // without the demand, the quiet lawyer would look behind and the busy ones ahead
  const flat = fairness(loads);
  close(t, flat.perLawyer[3].deviation, 1 - 18 / 5, 'one kind of case: the juvenile lawyer is 2.6 behind');
  t.ok(flat.gini > 0);

  const weighted = expectedCases(
    [
      { lawyerId: 1, received: 0, eligibleDays: 10, weight: 2 },
      { lawyerId: 2, received: 0, eligibleDays: 20, weight: 1 },
      { lawyerId: 3, received: 0, eligibleDays: 0, weight: 1 },
    ],
    [{ cases: 6, pool: [1, 2, 3] }],
  );
  t.same([...weighted.values()], [3, 3, 0], 'within a kind, by eligible days x weight; no eligible day, no share');

  const orphan = expectedCases(
    [
      { lawyerId: 1, received: 1, eligibleDays: 10, weight: 1 },
      { lawyerId: 2, received: 1, eligibleDays: 30, weight: 1 },
    ],
    [
      { cases: 1, pool: [1] },
      { cases: 4, pool: [99] },
    ],
  );
  t.same([...orphan.values()], [2, 3], 'a kind nobody in the period was in line for is shared by everyone: expectations add up to the cases');
});

t.test('eligible days', async (t) => {
  const nov = { from: '2026-11-01', to: '2026-11-30' };
  t.equal(eligibleDays(nov, '2020-01-01', []), 30, 'the whole month');
  t.equal(eligibleDays(nov, '2026-11-21', []), 10, 'registered on the 21st');
  t.equal(eligibleDays(nov, '2026-12-01', []), 0, 'registered after the period');
  t.equal(eligibleDays(nov, '2020-01-01', [{ from: '2026-11-05', to: '2026-11-09' }]), 25, 'five days of leave');
  t.equal(eligibleDays(nov, '2020-01-01', [{ from: '2026-10-20', to: '2026-11-02' }, { from: '2026-11-29', to: '2026-12-10' }]), 26, 'leaves clipped to the period');
  t.equal(
    eligibleDays(nov, '2020-01-01', [{ from: '2026-11-05', to: '2026-11-10' }, { from: '2026-11-08', to: '2026-11-12' }, { from: '2026-11-09', to: '2026-11-09' }]),
    22,
    'overlapping leaves count each day once (5th to 12th)',
  );
  t.equal(eligibleDays(nov, '2026-11-10', [{ from: '2026-11-01', to: '2026-11-12' }]), 18, 'leave before registration is not double counted');
  t.equal(eligibleDays({ from: '2024-02-01', to: '2024-03-01' }, '2020-01-01', []), 30, 'leap year');
});

t.test('chart geometry', async (t) => {
  const c = chartOf([
    { name: '张三', received: 10, expected: 5 },
    { name: '一个非常非常非常长的律师名字', received: 0, expected: 5 },
  ]);
  t.equal(c.bars.length, 2);
  t.equal(c.bars[0].receivedWidth, c.plotWidth, 'the largest value fills the plot');
  t.equal(c.bars[0].expectedWidth, c.plotWidth / 2);
  t.equal(c.bars[1].receivedWidth, 0);
  t.ok(c.bars[1].label.endsWith('…'), 'long names shortened');
  t.same(c.ticks.map((x) => x.value), [0, 2, 4, 6, 8, 10]);
  t.equal(chartOf([]).bars.length, 0, 'empty chart');
});
