// Fairness simulation: 1,000 cases over 100 lawyers with random leave, conflicts,
// caps, declines and a few overrides, run through the PURE rotation (pick,
// applyTurn, ensureStandings) and measured with the fairness report's maths.
// Seeded, so every run prints the same figures:  npx tsx test/bench/fairness-sim.ts [seed]
// Exported as simulate() so the bench runner can include it.
import { pathToFileURL } from 'node:url';
import { mulberry32, int, sample, type Rng } from '../../src/seed/random.js';
import { applyTurn, declineKind, ensureStandings, initialStandings, pick, type LawyerFacts, type Standings } from '../../src/modules/rotation/rotation.js';
import { eligibleDays, fairness, type FairnessFigures } from '../../src/modules/fairness/fairness.js';
import { addDays } from '../../src/lib/workdays.js';

export interface SimOptions {
  seed: number;
  lawyers: number;
  cases: number;
  days: number;
  /** lawyers (the last ids) who join halfway through */
  latecomers: number;
  /** lawyers (the first ids) with policy weight 2 */
  doubleWeight: number;
}

export interface SimResult extends FairnessFigures {
  overrides: number;
  declinesConsumed: number;
  declinesReturned: number;
  skips: Record<string, number>;
  unassigned: number;
}

const START = '2026-01-01';
const day = (d: number) => addDays(START, d);

interface SimLawyer {
  facts: Omit<LawyerFacts, 'onLeave' | 'openCases'>;
  joinDay: number;
  leaves: { from: number; to: number }[];
  /** days on which each open case closes */
  open: number[];
}

function makeLawyers(rng: Rng, o: SimOptions, parties: string[]): SimLawyer[] {
  return Array.from({ length: o.lawyers }, (_, i) => {
    const id = i + 1;
    const leaves = Array.from({ length: int(rng, 0, 3) }, () => {
      const from = int(rng, 0, o.days - 1);
      return { from, to: Math.min(o.days - 1, from + int(rng, 2, 20)) };
    });
    return {
      facts: {
        id,
        status: 'active',
        practiceAreas: ['criminal'],
        level: 3,
        regions: ['511902'],
        conflicts: sample(rng, parties, int(rng, 0, 4)),
        maxOpenCases: 4,
        trainings: [],
        weight: i < o.doubleWeight ? 2 : 1,
      },
      joinDay: id > o.lawyers - o.latecomers ? Math.floor(o.days / 2) : 0,
      leaves,
      open: [],
    };
  });
}

export function simulate(o: SimOptions): SimResult {
  const rng = mulberry32(o.seed);
  const parties = Array.from({ length: 300 }, (_, i) => `当事人${i + 1}`);
  const lawyers = makeLawyers(rng, o, parties);
  let standings: Standings = initialStandings(lawyers.filter((l) => l.joinDay === 0).map((l) => l.facts.id));
  const counted = new Map<number, number>();
  const bump = (id: number, by: number) => counted.set(id, (counted.get(id) ?? 0) + by);
  const skips: Record<string, number> = {};
  let seq = 0;
  let overrides = 0;
  let declinesConsumed = 0;
  let declinesReturned = 0;
  let unassigned = 0;

  for (let c = 0; c < o.cases; c++) {
    const today = Math.floor((c * o.days) / o.cases);
    const pool = lawyers.filter((l) => l.joinDay <= today);
    const facts = pool.map((l) => {
      l.open = l.open.filter((end) => end > today);
      return { ...l.facts, onLeave: l.leaves.some((v) => v.from <= today && today <= v.to), openCases: l.open.length };
    });
    standings = ensureStandings(standings, facts, seq);
    const needs = { category: 'criminal', regionCode: '511902', minLevel: 1, trainings: [], opposingParties: sample(rng, parties, int(rng, 1, 2)), declinedBy: [] as number[] };
    // a decline sends the case back to the rotation, without the decliner
    for (let attempt = 0; attempt < 3; attempt++) {
      const result = pick(facts, standings, needs);
      for (const p of result.skipped) skips[p.reason] = (skips[p.reason] ?? 0) + 1;
      let chosen = result.chosen;
      if (chosen === null) {
        unassigned++;
        break;
      }
      let kind: 'rotation' | 'override' = 'rotation';
      if (rng() < 0.02 && result.candidates.length > 2) {
        chosen = result.candidates[2].lawyerId;
        kind = 'override';
        overrides++;
      }
      const before = result.candidates.find((x) => x.lawyerId === chosen)!.standing;
      const turnSeq = ++seq;
      standings = applyTurn(standings, chosen, kind, turnSeq);
      bump(chosen, 1);
      if (rng() < 0.03) {
        const turn = declineKind(rng() < 0.35 ? 'conflict' : 'workload');
        standings = applyTurn(standings, chosen, turn, turnSeq, before);
        if (turn === 'decline_returned') {
          bump(chosen, -1);
          declinesReturned++;
        } else declinesConsumed++;
        needs.declinedBy.push(chosen);
        continue;
      }
      lawyers[chosen - 1].open.push(today + int(rng, 20, 60));
      break;
    }
  }

  const period = { from: day(0), to: day(o.days - 1) };
  const figures = fairness(
    lawyers.map((l) => ({
      lawyerId: l.facts.id,
      received: counted.get(l.facts.id) ?? 0,
      eligibleDays: eligibleDays(period, day(l.joinDay), l.leaves.map((v) => ({ from: day(v.from), to: day(v.to) }))),
      weight: l.facts.weight ?? 1,
    })),
  );
  return { ...figures, overrides, declinesConsumed, declinesReturned, skips, unassigned };
}

export function report(name: string, r: SimResult): string {
  const received = r.perLawyer.map((l) => l.received / l.weight);
  return [
    `${name}`,
    `  lawyers ${r.lawyers}, assignments counted ${r.assignments} (overrides ${r.overrides}, declines consumed ${r.declinesConsumed}, returned ${r.declinesReturned}, unassigned ${r.unassigned})`,
    `  skips by reason (ineligible lawyers ahead of the pick): ${Object.entries(r.skips).sort((a, b) => b[1] - a[1]).map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`,
    `  cases per lawyer / weight: min ${Math.min(...received)}, max ${Math.max(...received)}`,
    `  top10PctShareRatio ${r.top10PctShareRatio.toFixed(3)} (goal <= 1.2, Texas flags > 3)`,
    `  gini ${r.gini.toFixed(4)}`,
    `  maxAbsDeviation ${r.maxAbsDeviation.toFixed(2)} cases`,
  ].join('\n');
}

const BASE: SimOptions = { seed: 20261126, lawyers: 100, cases: 1000, days: 250, latecomers: 0, doubleWeight: 0 };

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seed = Number(process.argv[2]) || BASE.seed;
  console.log(`fairness simulation, seed ${seed}: ${BASE.cases} cases over ${BASE.lawyers} lawyers, ${BASE.days} days, random leave, conflicts, caps, 3% declines, 2% overrides`);
  console.log(report('all weight 1, all from day 0', simulate({ ...BASE, seed })));
  console.log(report('5 lawyers join halfway (eligible days halved)', simulate({ ...BASE, seed, latecomers: 5 })));
  console.log(report('10 lawyers of weight 2 (the raw top-10% ratio counts cases, not cases per weight)', simulate({ ...BASE, seed, doubleWeight: 10 })));
}
