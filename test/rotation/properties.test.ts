// The rotation's promises (issue 5), each proven over random histories: 3-30
// lawyers of random areas, levels, regions and weights, 0-300 cases, leave periods,
// conflicts, the cap, newcomers, overrides and declines. Pure: no database.
import t from 'tap';
import fc from 'fast-check';
import {
  checkEligibility,
  nextStanding,
  pick,
  type LawyerId,
  type Standing,
  type Standings,
} from '../../src/modules/rotation/rotation.js';
import { replay, rerun } from '../../src/modules/rotation/replay.js';
import { AREAS, facts, planArb, simulate, specOrder, REGIONS, PARTIES, type Simulation } from './simulate.js';

const RUNS = Number(process.env.ROTATION_RUNS ?? 120);

/** The lawyers eligible at every pick of the run (the "same cases" of the issue). */
function alwaysEligible(sim: Simulation): LawyerId[] {
  if (!sim.picks.length) return [];
  const [first, ...rest] = sim.picks;
  return first.result.candidates.map((c) => c.lawyerId).filter((id) => rest.every((p) => p.result.candidates.some((c) => c.lawyerId === id)));
}

/** Overrides received by each lawyer after each event (same index as sim.states). */
function overridesSoFar(sim: Simulation): Map<LawyerId, number>[] {
  const counts = new Map<LawyerId, number>();
  return sim.history.events.map((e) => {
    if (e.type === 'assign' && e.recorded.kind === 'override' && e.recorded.lawyerId !== null) {
      counts.set(e.recorded.lawyerId, (counts.get(e.recorded.lawyerId) ?? 0) + 1);
    }
    return new Map(counts);
  });
}

/**
 * The equal-turns invariant, exact (cross-multiplied, no division): for every i, j
 * eligible at every pick, at every point in time,
 *   turns_i / w_i - turns_j / w_j <= (1 + overrides_i) / w_i
 * i.e. nobody is more than one of their own turns (plus the overrides they got)
 * ahead of anybody. With weight 1 and no override: |count_i - count_j| <= 1.
 */
function checkEqualTurns(sim: Simulation, withOverrides: boolean): { ok: boolean; size: number } {
  const S = alwaysEligible(sim);
  const overrides = overridesSoFar(sim);
  const states: Standings[] = [sim.history.initial, ...sim.states];
  const o = [new Map<LawyerId, number>(), ...overrides];
  for (let k = 0; k < states.length; k++) {
    for (const i of S) {
      for (const j of S) {
        const wi = sim.weights.get(i)!;
        const wj = sim.weights.get(j)!;
        const oi = withOverrides ? (o[k].get(i) ?? 0) : 0;
        if (states[k].get(i)!.turns * wj - states[k].get(j)!.turns * wi > (1 + oi) * wj) return { ok: false, size: S.length };
      }
    }
  }
  return { ok: true, size: S.length };
}

void t.test('1. equal turns among lawyers eligible for the same cases', async (t) => {
  for (const weighted of [false, true]) {
    let meaningful = 0;
    fc.assert(
      fc.property(planArb({ weighted, overrides: false }), (plan) => {
        const sim = simulate(plan);
        const r = checkEqualTurns(sim, false);
        if (r.size >= 2 && sim.picks.length >= 20) meaningful++;
        return r.ok;
      }),
      { numRuns: RUNS },
    );
    t.ok(meaningful > RUNS / 4, `${weighted ? 'weighted' : 'weight 1'}: ${meaningful} of ${RUNS} runs had 2+ always-eligible lawyers and 20+ picks`);
  }
});

void t.test('2. a skip costs nothing: the skipped lawyer stays ahead of all who passed them', async (t) => {
  let checked = 0;
  fc.assert(
    fc.property(planArb({ weighted: true }), (plan) => {
      const sim = simulate(plan);
      const rank = (id: LawyerId, s: Standings) => ({ lawyerId: id, standing: s.get(id)!, weight: sim.weights.get(id)! });
      // per skipped lawyer: their standing when first skipped, who jumped them, whose turn came back
      const windows = new Map<LawyerId, { frozen: Standing; jumpers: Set<LawyerId>; declined: boolean }>();
      let p = 0;
      for (const e of sim.history.events) {
        if (e.type === 'decline') {
          for (const [l, w] of windows) {
            if (l === e.lawyerId) w.declined = true;
            if (e.kind === 'decline_returned') w.jumpers.delete(e.lawyerId);
          }
          continue;
        }
        if (e.type !== 'assign') continue;
        const trace = sim.picks[p++];
        const s = trace.before;
        for (const c of trace.result.candidates) {
          const w = windows.get(c.lawyerId);
          if (!w) continue;
          windows.delete(c.lawyerId);
          // kept their place: nothing taken from them while skipped
          if (!w.declined && JSON.stringify(s.get(c.lawyerId)) !== JSON.stringify(w.frozen)) return false;
          for (const x of w.jumpers) {
            checked++;
            if (specOrder(rank(c.lawyerId, s), rank(x, s)) >= 0) return false;
          }
        }
        for (const { lawyerId, reason } of trace.result.passedOver) {
          if (reason === 'declined' || !s.has(lawyerId)) continue;
          if (!windows.has(lawyerId)) windows.set(lawyerId, { frozen: s.get(lawyerId)!, jumpers: new Set(), declined: false });
          // the one who got the case while this lawyer was ahead of them jumped the queue
          if (trace.recorded !== null && specOrder(rank(lawyerId, s), rank(trace.recorded, s)) < 0) windows.get(lawyerId)!.jumpers.add(trace.recorded);
        }
      }
      return true;
    }),
    { numRuns: RUNS },
  );
  t.ok(checked > RUNS, `${checked} (skipped lawyer, jumper) pairs compared`);
});

void t.test('3. an override is the chosen lawyer\'s turn, and the rotation stays fair around it', async (t) => {
  let overrides = 0;
  fc.assert(
    fc.property(planArb({ weighted: true }), (plan) => {
      const sim = simulate(plan);
      const stateAt = new Map(sim.history.events.map((e, i) => [e.seq, sim.states[i]]));
      for (const trace of sim.picks.filter((x) => x.kind === 'override')) {
        overrides++;
        const id = trace.recorded!;
        // to an eligible lawyer other than the rotation's pick, with a reason
        if (id === trace.result.chosen || !trace.result.candidates.some((c) => c.lawyerId === id)) return false;
        const event = sim.history.events.find((e) => e.seq === trace.seq);
        if (event?.type !== 'assign' || !event.recorded.reason) return false;
        const after = stateAt.get(trace.seq)!.get(id)!;
        if (after.turns !== trace.before.get(id)!.turns + 1 || after.lastSeq !== trace.seq) return false;
      }
      // the ledger: turns = starting level + rotation picks + overrides - returned declines
      const final = sim.states.at(-1) ?? sim.history.initial;
      for (const [id, standing] of final) {
        const join = sim.history.events.findIndex((e) => e.type === 'join' && e.lawyer.id === id);
        const base = join < 0 ? 0 : sim.states[join].get(id)!.turns;
        const given = sim.picks.filter((x) => x.recorded === id).length;
        const returned = sim.declines.filter((d) => d.lawyerId === id && d.kind === 'decline_returned').length;
        if (standing.turns !== base + given - returned) return false;
      }
      return checkEqualTurns(sim, true).ok;
    }),
    { numRuns: RUNS },
  );
  t.ok(overrides > RUNS, `${overrides} overrides checked`);
});

void t.test('4. every pick is explained: candidates in order, the first chosen, everyone else with a reason', async (t) => {
  let picks = 0;
  let skips = 0;
  fc.assert(
    fc.property(planArb({ weighted: true }), (plan) => {
      for (const { lawyers, needs, before, result } of simulate(plan).picks) {
        picks++;
        const { candidates, passedOver, chosen } = result;
        if (chosen !== (candidates[0]?.lawyerId ?? null)) return false;
        for (let i = 0; i < candidates.length; i++) {
          const c = candidates[i];
          if (c.rank !== i + 1 || c.standing !== before.get(c.lawyerId)) return false;
          if (i > 0 && specOrder(candidates[i - 1], c) >= 0) return false;
        }
        const inCandidates = new Set(candidates.map((c) => c.lawyerId));
        const inPassed = new Map(passedOver.map((x) => [x.lawyerId, x.reason]));
        if (inPassed.size !== passedOver.length || candidates.length + passedOver.length !== lawyers.length) return false;
        for (const l of lawyers) {
          const reason = checkEligibility(l, needs);
          if (inCandidates.has(l.id) === inPassed.has(l.id)) return false;
          if (reason === null ? !inCandidates.has(l.id) : inPassed.get(l.id) !== reason) return false;
        }
        // skipped: exactly the ineligible lawyers the spec's order puts ahead of the pick, in that order
        const first = candidates[0];
        const ahead = lawyers
          .filter((l) => inPassed.has(l.id) && before.has(l.id))
          .map((l) => ({ lawyerId: l.id, standing: before.get(l.id)!, weight: l.weight ?? 1, reason: inPassed.get(l.id)! }))
          .filter((x) => !first || specOrder(x, first) < 0)
          .sort(specOrder);
        if (JSON.stringify(result.skipped.map((x) => [x.lawyerId, x.reason, x.standing])) !== JSON.stringify(ahead.map((x) => [x.lawyerId, x.reason, x.standing]))) return false;
        if (ahead.length) skips++;
        // the counts by reason add up to the passed over
        const counted = Object.values(result.ineligible).reduce((a, b) => a + (b ?? 0), 0);
        if (counted !== passedOver.length) return false;
        for (const [reason, n] of Object.entries(result.ineligible)) if (passedOver.filter((x) => x.reason === reason).length !== n) return false;
      }
      return true;
    }),
    { numRuns: RUNS },
  );
  t.ok(picks > RUNS * 50, `${picks} picks explained`);
  t.ok(skips > RUNS, `${skips} picks with lawyers skipped ahead of the pick`);
});

void t.test('5. replayable: no difference on an untouched history, exactly the altered assignment otherwise', async (t) => {
  fc.assert(
    fc.property(planArb({ weighted: true }), (plan) => {
      const sim = simulate(plan);
      const run = rerun(sim.history);
      const final = sim.states.at(-1) ?? sim.history.initial;
      return run.differences.length === 0 && JSON.stringify([...run.standings]) === JSON.stringify([...final]);
    }),
    { numRuns: RUNS },
  );
  // recorded wrongly at the time, and the service carried on from there: that one only
  let tampered = 0;
  fc.assert(
    fc.property(planArb({ weighted: true, tamper: true }), (plan) => {
      const sim = simulate(plan);
      const wrong = sim.picks.find((x) => x.tampered);
      const differences = replay(sim.history);
      if (!wrong) return differences.length === 0;
      tampered++;
      return JSON.stringify(differences) === JSON.stringify([{ seq: wrong.seq, caseId: wrong.caseId, kind: 'rotation', recorded: wrong.recorded, expected: wrong.result.chosen, problem: 'other_lawyer' }]);
    }),
    { numRuns: RUNS },
  );
  t.ok(tampered > RUNS / 4, `${tampered} tampered histories`);
  // edited afterwards: the edited one comes first; the later ones listed are those it caused
  fc.assert(
    fc.property(planArb({ weighted: true }), fc.nat(), fc.nat(), (plan, which, other) => {
      const sim = simulate(plan);
      const choices = sim.picks.filter((x) => x.kind === 'rotation' && x.result.candidates.length >= 2);
      fc.pre(choices.length > 0);
      const edit = choices[which % choices.length];
      const others = edit.result.candidates.filter((c) => c.lawyerId !== edit.recorded);
      const to = others[other % others.length].lawyerId;
      const events = sim.history.events.map((e) => (e.type === 'assign' && e.seq === edit.seq ? { ...e, recorded: { ...e.recorded, lawyerId: to } } : e));
      const differences = replay({ ...sim.history, events });
      const [first] = differences;
      return first?.seq === edit.seq && first.recorded === to && first.expected === edit.recorded && differences.every((d) => d.seq >= edit.seq);
    }),
    { numRuns: RUNS },
  );
});

void t.test('6. deterministic: the same pick whatever the order of the input', async (t) => {
  const arb = fc
    .record({
      plan: planArb({ weighted: true, maxCases: 1 }),
      turns: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 30, maxLength: 30 }),
      last: fc.array(fc.option(fc.integer({ min: 0, max: 4 })), { minLength: 30, maxLength: 30 }),
      order: fc.array(fc.double({ noNaN: true }), { minLength: 30, maxLength: 30 }),
      day: fc.integer({ min: 0, max: 300 }),
      needs: fc.record({
        category: fc.constantFrom(...AREAS),
        regionCode: fc.constantFrom(...REGIONS),
        minLevel: fc.integer({ min: 1, max: 3 }),
        trainings: fc.subarray(['juvenile']),
        opposingParties: fc.subarray(PARTIES, { maxLength: 2 }),
      }),
    })
    .map(({ plan, turns, last, order, day, needs }) => {
      const lawyers = plan.lawyers.map((l, i) => facts(l, i + 1, day, turns[i]));
      const standings = lawyers.map((l, i) => [l.id, { turns: turns[i], lastSeq: last[i], joinedSeq: 0 }] as const);
      const shuffled = lawyers.map((l, i) => ({ l, k: order[i] })).sort((a, b) => a.k - b.k || a.l.id - b.l.id);
      return { lawyers, standings, shuffled: shuffled.map((x) => x.l), needs };
    });
  let contested = 0;
  fc.assert(
    fc.property(arb, ({ lawyers, standings, shuffled, needs }) => {
      const a = pick(lawyers, new Map(standings), needs);
      const b = pick(shuffled, new Map([...standings].reverse()), needs);
      if (a.candidates.length >= 2) contested++;
      return JSON.stringify(a) === JSON.stringify(b);
    }),
    { numRuns: RUNS * 5 },
  );
  t.ok(contested > RUNS, `${contested} picks with two or more candidates`);
});

void t.test('7. a decline for a conflict gives the turn back; any other reason keeps it consumed', async (t) => {
  let returned = 0;
  let consumed = 0;
  fc.assert(
    fc.property(planArb({ weighted: true }), (plan) => {
      for (const d of simulate(plan).declines) {
        const untouched = d.beforeDecline.turns === d.afterPick.turns && d.beforeDecline.lastSeq === d.assignedSeq;
        if (d.kind === 'decline_returned') {
          returned++;
          if (d.afterDecline.turns !== d.beforeDecline.turns - 1) return false;
          // no turn in between: exactly the standing before the pick
          if (untouched && JSON.stringify(d.afterDecline) !== JSON.stringify(d.atPick)) return false;
          // otherwise the last turn goes back only if the declined one was still the last
          const last = d.beforeDecline.lastSeq === d.assignedSeq ? d.atPick.lastSeq : d.beforeDecline.lastSeq;
          if (d.afterDecline.lastSeq !== last) return false;
        } else {
          consumed++;
          if (d.afterDecline !== d.beforeDecline || d.afterDecline.turns !== d.atPick.turns + 1 + (d.beforeDecline.turns - d.afterPick.turns)) return false;
        }
      }
      return true;
    }),
    { numRuns: RUNS },
  );
  t.ok(returned > RUNS && consumed > RUNS, `${returned} returned and ${consumed} consumed declines checked`);
  // and on any standing, directly
  const standing = fc.record({ turns: fc.integer({ min: 0, max: 1000 }), lastSeq: fc.option(fc.nat()), joinedSeq: fc.nat() });
  fc.assert(
    fc.property(standing, fc.integer({ min: 1_000_000, max: 2_000_000 }), (s, seq) => {
      const taken = nextStanding(s, 'rotation', seq);
      return (
        JSON.stringify(nextStanding(taken, 'decline_returned', seq, s)) === JSON.stringify(s) &&
        nextStanding(taken, 'decline_consumed', seq) === taken &&
        taken.turns === s.turns + 1
      );
    }),
  );
});

void t.test('newcomers join level with the pool and never get a run of cases', async (t) => {
  let joins = 0;
  fc.assert(
    fc.property(planArb({ weighted: true, homogeneous: true, overrides: false, declines: false, maxCases: 150 }), (plan) => {
      const sim = simulate(plan);
      joins += sim.history.events.filter((e) => e.type === 'join').length;
      // everyone is eligible for everything: the equal-turns bound holds for every pair present,
      // newcomers included from the moment they join
      for (const s of [sim.history.initial, ...sim.states]) {
        for (const [i, si] of s) {
          for (const [j, sj] of s) {
            const wi = sim.weights.get(i)!;
            const wj = sim.weights.get(j)!;
            if (si.turns * wj - sj.turns * wi > wj) return false;
          }
        }
      }
      return true;
    }),
    { numRuns: RUNS },
  );
  t.ok(joins > RUNS, `${joins} newcomers`);
});
