// Random histories for the rotation properties: a plan (lawyers, cases, leave,
// conflicts, overrides, declines) drawn by fast-check, and a recorder that runs
// the rotation over it the way the service will, keeping a trace of every step.
import fc from 'fast-check';
import {
  applyTurn,
  initialStandings,
  joinStanding,
  pick,
  type CaseNeeds,
  type LawyerFacts,
  type PickResult,
  type Standing,
  type Standings,
  type TurnKind,
} from '../../src/modules/rotation/rotation.js';
import type { History, HistoryEvent } from '../../src/modules/rotation/replay.js';

export const AREAS = ['criminal', 'labor', 'family', 'traffic'];
export const REGIONS = ['R0', 'R1', 'R2', 'R3'];
export const PARTIES = ['Acme Ltd', '某某（北京）有限公司', 'Zhang San', 'Li Si', 'City Bank', 'Wang Wu'];

export interface LawyerPlan {
  /** eligible for every case: all areas and regions, level 3, trained, no conflicts, no leave, no cap */
  universal: boolean;
  areas: string[];
  level: number;
  region: number;
  neighbours: boolean;
  weight: number;
  maxOpen: number;
  trained: boolean;
  conflicts: string[];
  status: 'active' | 'on_leave' | 'inactive';
  leaves: { start: number; length: number }[];
  /** joins before this case index; null: in the starting pool */
  joinAt: number | null;
}

export interface CasePlan {
  category: string;
  region: number;
  minLevel: number;
  training: boolean;
  parties: string[];
  /** cases later it is closed (frees the lawyer's cap) */
  duration: number;
  /** 'override' chooses another eligible lawyer (by `choice`), with a reason */
  action: 'rotation' | 'override';
  choice: number;
  decline: { after: number; conflict: boolean } | null;
}

export interface Plan {
  lawyers: LawyerPlan[];
  cases: CasePlan[];
  /** a case index whose rotation assignment is recorded to another eligible lawyer (tampering) */
  tamperAt: number | null;
}

export interface PlanOptions {
  weighted?: boolean;
  maxCases?: number;
  newcomers?: boolean;
  overrides?: boolean;
  declines?: boolean;
  /** everyone universal, always (for the newcomer property) */
  homogeneous?: boolean;
  /** may record one rotation assignment to the wrong lawyer */
  tamper?: boolean;
}

const sub = <T>(xs: T[], max?: number) => fc.subarray(xs, { maxLength: max ?? xs.length });
/** the value one time in `every`, else null */
const sometimes = <T>(arb: fc.Arbitrary<T>, every: number) => fc.oneof({ arbitrary: fc.constant(null), weight: every - 1 }, { arbitrary: arb, weight: 1 });

export function planArb(opts: PlanOptions = {}): fc.Arbitrary<Plan> {
  const maxCases = opts.maxCases ?? 300;
  const lawyer: fc.Arbitrary<LawyerPlan> = fc.record({
    universal: opts.homogeneous ? fc.constant(true) : fc.boolean(),
    areas: fc.subarray(AREAS, { minLength: 1 }),
    level: fc.integer({ min: 1, max: 3 }),
    region: fc.integer({ min: 0, max: REGIONS.length - 1 }),
    neighbours: fc.boolean(),
    weight: opts.weighted ? fc.constantFrom(0.5, 1, 1, 1.5, 2, 3) : fc.constant(1),
    maxOpen: fc.integer({ min: 1, max: 8 }),
    trained: fc.boolean(),
    conflicts: sub(PARTIES, 2),
    status: fc.constantFrom('active', 'active', 'active', 'active', 'active', 'on_leave', 'inactive'),
    leaves: fc.array(fc.record({ start: fc.integer({ min: 0, max: maxCases }), length: fc.integer({ min: 1, max: 40 }) }), { maxLength: 3 }),
    joinAt: opts.newcomers === false ? fc.constant(null) : sometimes(fc.integer({ min: 1, max: maxCases }), 5),
  });
  const kase: fc.Arbitrary<CasePlan> = fc.record({
    category: fc.constantFrom(...AREAS),
    region: fc.integer({ min: 0, max: REGIONS.length - 1 }),
    minLevel: fc.constantFrom(1, 1, 1, 2, 3),
    training: fc.constantFrom(false, false, false, true),
    parties: sub(PARTIES, 2),
    duration: fc.integer({ min: 1, max: 25 }),
    action: opts.overrides === false ? fc.constant('rotation' as const) : fc.constantFrom('rotation', 'rotation', 'rotation', 'rotation', 'rotation', 'rotation', 'rotation', 'override'),
    choice: fc.nat(),
    decline: opts.declines === false ? fc.constant(null) : sometimes(fc.record({ after: fc.integer({ min: 0, max: 4 }), conflict: fc.boolean() }), 25),
  });
  return fc.record({
    lawyers: fc.array(lawyer, { minLength: 3, maxLength: 30, size: 'max' }),
    cases: fc.array(kase, { maxLength: maxCases, size: 'max' }),
    tamperAt: opts.tamper ? fc.nat({ max: Math.max(0, maxCases - 1) }) : fc.constant(null),
  });
}

/**
 * The rotation order as the issue states it, written independently of the module:
 * fewer turns per weight first (exact, as fractions), then the older last turn
 * (none is oldest), then the lower id. Negative when a goes first.
 */
export function specOrder(a: { lawyerId: number; standing: Standing; weight: number }, b: { lawyerId: number; standing: Standing; weight: number }): number {
  const left = a.standing.turns * b.weight;
  const right = b.standing.turns * a.weight;
  if (left !== right) return left < right ? -1 : 1;
  const la = a.standing.lastSeq ?? Number.NEGATIVE_INFINITY;
  const lb = b.standing.lastSeq ?? Number.NEGATIVE_INFINITY;
  if (la !== lb) return la < lb ? -1 : 1;
  return a.lawyerId < b.lawyerId ? -1 : a.lawyerId > b.lawyerId ? 1 : 0;
}

/** One pick as the recorder made it. */
export interface PickTrace {
  seq: number;
  caseId: number;
  lawyers: LawyerFacts[];
  needs: CaseNeeds;
  before: Standings;
  result: PickResult;
  recorded: number | null;
  kind: 'rotation' | 'override';
  tampered: boolean;
}

export interface DeclineTrace {
  seq: number;
  lawyerId: number;
  assignedSeq: number;
  kind: Extract<TurnKind, 'decline_consumed' | 'decline_returned'>;
  /** standing before the declined assignment, right after it, before and after the decline */
  atPick: Standing;
  afterPick: Standing;
  beforeDecline: Standing;
  afterDecline: Standing;
}

export interface Simulation {
  history: History;
  picks: PickTrace[];
  declines: DeclineTrace[];
  /** the standings after each event (states[i] after history.events[i]) */
  states: Standings[];
  weights: Map<number, number>;
}

export function facts(plan: LawyerPlan, id: number, day: number, open: number): LawyerFacts {
  if (plan.universal) {
    return { id, status: 'active', onLeave: false, practiceAreas: AREAS, level: 3, regions: REGIONS, conflicts: [], openCases: open, maxOpenCases: 1_000_000, trainings: ['juvenile'], weight: plan.weight };
  }
  const r = plan.region;
  const regions = plan.neighbours ? REGIONS.filter((_, i) => Math.abs(i - r) <= 1) : [REGIONS[r]];
  return {
    id,
    status: plan.status,
    onLeave: plan.leaves.some((l) => day >= l.start && day < l.start + l.length),
    practiceAreas: plan.areas,
    level: plan.level,
    regions,
    // stored raw, in another width and case: the check must normalise
    conflicts: plan.conflicts.map((p, i) => (i % 2 ? `  ${p.toUpperCase()} ` : p.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0)))),
    openCases: open,
    maxOpenCases: plan.maxOpen,
    trainings: plan.trained ? ['juvenile'] : [],
    weight: plan.weight,
  };
}

/** Runs the rotation over a plan, recording every event as the service would. */
export function simulate(plan: Plan): Simulation {
  const ids = plan.lawyers.map((_, i) => i + 1);
  const initial = initialStandings(ids.filter((id) => plan.lawyers[id - 1].joinAt === null));
  const joined = new Set(initial.keys());
  const weights = new Map(ids.map((id) => [id, plan.lawyers[id - 1].weight]));
  let state: Standings = initial;
  let seq = 0;
  const events: HistoryEvent[] = [];
  const states: Standings[] = [];
  const picks: PickTrace[] = [];
  const declines: DeclineTrace[] = [];
  const open = new Map<number, { lawyerId: number; closeAt: number }>(); // by assignment seq
  const pending: { at: number; caseId: number; needs: CaseNeeds; assignedSeq: number; lawyerId: number; conflict: boolean; atPick: Standing; afterPick: Standing }[] = [];

  const emit = (event: HistoryEvent) => {
    events.push(event);
    states.push(state);
  };
  const dayFacts = (day: number) => {
    const count = new Map<number, number>();
    for (const a of open.values()) count.set(a.lawyerId, (count.get(a.lawyerId) ?? 0) + 1);
    return ids.filter((id) => joined.has(id)).map((id) => facts(plan.lawyers[id - 1], id, day, count.get(id) ?? 0));
  };
  const assign = (day: number, caseId: number, needs: CaseNeeds, c: CasePlan | null, tamper: boolean) => {
    const lawyers = dayFacts(day);
    const before = state;
    const result = pick(lawyers, state, needs);
    let recorded = result.chosen;
    let kind: 'rotation' | 'override' = 'rotation';
    let tampered = false;
    const others = result.candidates.slice(1);
    if (c && others.length && tamper) {
      recorded = others[c.choice % others.length].lawyerId;
      tampered = true;
    } else if (c && others.length && c.action === 'override') {
      recorded = others[c.choice % others.length].lawyerId;
      kind = 'override';
    }
    seq += 1;
    if (recorded !== null) state = applyTurn(state, recorded, kind, seq);
    emit({ type: 'assign', seq, caseId, needs, lawyers, recorded: { lawyerId: recorded, kind, reason: kind === 'override' ? 'client asked for a lawyer who speaks the dialect' : null } });
    picks.push({ seq, caseId, lawyers, needs, before, result, recorded, kind, tampered });
    if (recorded !== null) {
      open.set(seq, { lawyerId: recorded, closeAt: day + (c?.duration ?? 5) });
      if (c?.decline) {
        pending.push({ at: day + c.decline.after, caseId, needs, assignedSeq: seq, lawyerId: recorded, conflict: c.decline.conflict, atPick: before.get(recorded)!, afterPick: state.get(recorded)! });
      }
    }
  };
  const runDeclines = (day: number, all = false) => {
    for (const d of pending.filter((p) => all || p.at <= day)) {
      pending.splice(pending.indexOf(d), 1);
      const kind = d.conflict ? 'decline_returned' : 'decline_consumed';
      const beforeDecline = state.get(d.lawyerId)!;
      seq += 1;
      open.delete(d.assignedSeq);
      state = applyTurn(state, d.lawyerId, kind, d.assignedSeq, d.atPick);
      emit({ type: 'decline', seq, caseId: d.caseId, lawyerId: d.lawyerId, assignedSeq: d.assignedSeq, kind });
      declines.push({ seq, lawyerId: d.lawyerId, assignedSeq: d.assignedSeq, kind, atPick: d.atPick, afterPick: d.afterPick, beforeDecline, afterDecline: state.get(d.lawyerId)! });
      // the case returns to the rotation, without the decliner
      assign(day, d.caseId, { ...d.needs, declinedBy: [...(d.needs.declinedBy ?? []), d.lawyerId] }, null, false);
    }
  };

  plan.cases.forEach((c, day) => {
    for (const id of ids) {
      if (plan.lawyers[id - 1].joinAt === day && !joined.has(id)) {
        const pool = dayFacts(day);
        const lawyer = facts(plan.lawyers[id - 1], id, day, 0);
        seq += 1;
        joined.add(id);
        state = joinStanding(state, lawyer, pool, seq);
        emit({ type: 'join', seq, lawyer, pool });
      }
    }
    for (const [s, a] of open) if (a.closeAt <= day) open.delete(s);
    runDeclines(day);
    const needs: CaseNeeds = {
      category: c.category,
      regionCode: REGIONS[c.region],
      minLevel: c.minLevel,
      trainings: c.training ? ['juvenile'] : [],
      opposingParties: c.parties,
    };
    assign(day, day + 1, needs, c, plan.tamperAt === day);
  });
  runDeclines(plan.cases.length, true);
  return { history: { initial, events }, picks, declines, states, weights };
}
