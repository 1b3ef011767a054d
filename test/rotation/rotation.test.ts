// The rotation's pure core, case by case: each reason a lawyer is passed over,
// party names, ties, turns and declines, newcomers, replay. No database.
import t from 'tap';
import {
  applyTurn,
  checkEligibility,
  compareRanked,
  declineKind,
  ensureStandings,
  initialStandings,
  joinStanding,
  nextStanding,
  normaliseParty,
  pick,
  type CaseNeeds,
  type LawyerFacts,
  type Standing,
  type Standings,
} from '../../src/modules/rotation/rotation.js';
import { replay, rerun, type History } from '../../src/modules/rotation/replay.js';

function lawyer(id: number, fields: Partial<LawyerFacts> = {}): LawyerFacts {
  return {
    id,
    status: 'active',
    onLeave: false,
    practiceAreas: ['criminal', 'labor'],
    level: 2,
    regions: ['511902', '511903'],
    conflicts: [],
    openCases: 0,
    maxOpenCases: 5,
    trainings: [],
    ...fields,
  };
}

const NEEDS: CaseNeeds = { category: 'criminal', regionCode: '511902', minLevel: 1, trainings: [], opposingParties: ['巴中市某某建筑有限公司'] };
const st = (turns: number, lastSeq: number | null = null, joinedSeq = 0): Standing => ({ turns, lastSeq, joinedSeq });

void t.test('each reason a lawyer is passed over, and eligible otherwise', async (t) => {
  t.equal(checkEligibility(lawyer(1), NEEDS), null);
  t.equal(checkEligibility(lawyer(1, { status: 'inactive' }), NEEDS), 'inactive');
  t.equal(checkEligibility(lawyer(1, { status: 'on_leave' }), NEEDS), 'on_leave');
  t.equal(checkEligibility(lawyer(1, { onLeave: true }), NEEDS), 'on_leave');
  t.equal(checkEligibility(lawyer(1, { practiceAreas: ['family'] }), NEEDS), 'practice_area');
  t.equal(checkEligibility(lawyer(1, { level: 2 }), { ...NEEDS, minLevel: 3 }), 'level');
  t.equal(checkEligibility(lawyer(1, { level: 3 }), { ...NEEDS, minLevel: 3 }), null, 'level at the minimum is enough');
  t.equal(checkEligibility(lawyer(1, { trainings: ['juvenile'] }), { ...NEEDS, trainings: ['juvenile', 'death_penalty'] }), 'training');
  t.equal(checkEligibility(lawyer(1, { trainings: ['death_penalty', 'juvenile'] }), { ...NEEDS, trainings: ['juvenile', 'death_penalty'] }), null);
  t.equal(checkEligibility(lawyer(1, { regions: ['511903'] }), NEEDS), 'region');
  t.equal(checkEligibility(lawyer(1, { conflicts: ['巴中市某某建筑有限公司'] }), NEEDS), 'conflict');
  t.equal(checkEligibility(lawyer(1, { openCases: 5 }), NEEDS), 'cap');
  t.equal(checkEligibility(lawyer(1, { openCases: 4 }), NEEDS), null, 'below the cap');
  t.equal(checkEligibility(lawyer(1), { ...NEEDS, declinedBy: [1] }), 'declined');
});

void t.test('the first reason in order is the one given', async (t) => {
  const all = lawyer(1, { status: 'inactive', onLeave: true, practiceAreas: [], level: 1, regions: [], conflicts: ['巴中市某某建筑有限公司'], openCases: 9 });
  t.equal(checkEligibility(all, { ...NEEDS, minLevel: 3, trainings: ['x'] }), 'inactive');
  t.equal(checkEligibility({ ...all, status: 'active' }, { ...NEEDS, minLevel: 3, trainings: ['x'] }), 'on_leave');
  t.equal(checkEligibility({ ...all, status: 'active', onLeave: false }, { ...NEEDS, minLevel: 3, trainings: ['x'] }), 'practice_area');
  t.equal(checkEligibility(lawyer(1, { level: 1, regions: [] }), { ...NEEDS, minLevel: 3, trainings: ['x'] }), 'level');
  t.equal(checkEligibility(lawyer(1, { regions: [] }), { ...NEEDS, trainings: ['x'] }), 'training');
  t.equal(checkEligibility(lawyer(1, { regions: [], openCases: 9 }), NEEDS), 'region');
  t.equal(checkEligibility(lawyer(1, { conflicts: ['巴中市某某建筑有限公司'], openCases: 9 }), NEEDS), 'conflict');
});

void t.test('party names compare trimmed, collapsed, half-width and case-insensitive', async (t) => {
  t.equal(normaliseParty('  Acme   Ltd  '), 'acme ltd');
  t.equal(normaliseParty('ＡＣＭＥ　Ｌｔｄ'), 'acme ltd', 'full-width letters and ideographic space');
  t.equal(normaliseParty('某某（北京）有限公司'), '某某(北京)有限公司', 'full-width parentheses');
  t.equal(normaliseParty('Ｎｏ．１２３'), 'no.123');
  t.equal(normaliseParty('张三'), '张三', 'Chinese characters unchanged');
  const needs = { ...NEEDS, opposingParties: ['某某(北京)有限公司', ' Zhang  San'] };
  t.equal(checkEligibility(lawyer(1, { conflicts: ['某某（北京）有限公司'] }), needs), 'conflict');
  t.equal(checkEligibility(lawyer(1, { conflicts: ['ZHANG SAN'] }), needs), 'conflict');
  t.equal(checkEligibility(lawyer(1, { conflicts: ['Zhang Sanfeng'] }), needs), null, 'whole names, not substrings');
  t.equal(checkEligibility(lawyer(1, { conflicts: ['', '  '] }), { ...NEEDS, opposingParties: [' '] }), null, 'blank names never match');
});

void t.test('the fewest weighted turns first, then the oldest last turn, then the lowest id', async (t) => {
  const lawyers = [lawyer(1), lawyer(2), lawyer(3)];
  let r = pick(lawyers, new Map([[1, st(2, 5)], [2, st(1, 9)], [3, st(1, 7)]]), NEEDS);
  t.equal(r.chosen, 3, 'fewest turns, older last turn wins the tie');
  t.same(r.candidates.map((c) => [c.lawyerId, c.rank]), [[3, 1], [2, 2], [1, 3]]);
  r = pick(lawyers, new Map([[1, st(1, 4)], [2, st(1, 4)], [3, st(1, null)]]), NEEDS);
  t.same(r.candidates.map((c) => c.lawyerId), [3, 1, 2], 'never having had a turn is oldest; then the lowest id');
  // weight 2 takes two turns for every one of weight 1
  r = pick([lawyer(1, { weight: 2 }), lawyer(2)], new Map([[1, st(3, 1)], [2, st(1, 2)]]), NEEDS);
  t.equal(r.chosen, 2, '3/2 > 1/1');
  r = pick([lawyer(1, { weight: 2 }), lawyer(2)], new Map([[1, st(1, 1)], [2, st(1, 2)]]), NEEDS);
  t.equal(r.chosen, 1, '1/2 < 1/1');
  t.equal(r.candidates[0].weightedTurns, 0.5);
  t.ok(compareRanked({ lawyerId: 1, standing: st(1), weight: 1 }, { lawyerId: 2, standing: st(1), weight: 1 }) < 0);
});

void t.test('nobody eligible: no pick, all passed over with their reason', async (t) => {
  const r = pick([lawyer(2, { onLeave: true }), lawyer(1, { openCases: 5 })], initialStandings([1, 2]), NEEDS);
  t.equal(r.chosen, null);
  t.same(r.candidates, []);
  t.same(r.passedOver, [{ lawyerId: 1, reason: 'cap' }, { lawyerId: 2, reason: 'on_leave' }]);
});

void t.test('bad input is refused', async (t) => {
  t.throws(() => pick([lawyer(1), lawyer(1)], initialStandings([1]), NEEDS), /given twice/);
  t.throws(() => pick([lawyer(1)], new Map(), NEEDS), /no standing/);
  t.throws(() => pick([lawyer(1, { weight: 0 })], initialStandings([1]), NEEDS), /weight/);
  t.doesNotThrow(() => pick([lawyer(1, { onLeave: true })], new Map(), NEEDS), 'a passed-over lawyer needs no standing');
});

void t.test('turns: picks and overrides consume one; declines keep or return it', async (t) => {
  const s0: Standings = new Map([[1, st(3, 10)], [2, st(3, 11)]]);
  const s1 = applyTurn(s0, 1, 'rotation', 12);
  t.same(s1.get(1), st(4, 12));
  t.same(s0.get(1), st(3, 10), 'the input is not changed');
  t.same(applyTurn(s0, 2, 'override', 12).get(2), st(4, 12));
  t.equal(applyTurn(s1, 1, 'decline_consumed', 12).get(1), s1.get(1), 'a consumed decline keeps the turn');
  t.same(applyTurn(s1, 1, 'decline_returned', 12, s0.get(1)).get(1), st(3, 10), 'a returned decline restores the standing');
  const s2 = applyTurn(s1, 1, 'rotation', 15);
  t.same(applyTurn(s2, 1, 'decline_returned', 12, s0.get(1)).get(1), st(4, 15), 'a later turn stays the last one');
  t.throws(() => nextStanding(st(1), 'decline_returned', 3), /recorded at the assignment/);
  t.throws(() => applyTurn(s0, 9, 'rotation', 1), /no standing/);
  t.equal(declineKind('conflict'), 'decline_returned');
  t.equal(declineKind('too_busy'), 'decline_consumed');
  t.equal(declineKind('conflict', { returnTurnOnConflictDecline: false }), 'decline_consumed');
});

void t.test('a newcomer starts level with the lowest of their peers, not at zero', async (t) => {
  const pool = [lawyer(1), lawyer(2), lawyer(3, { practiceAreas: ['family'] }), lawyer(4, { status: 'inactive' }), lawyer(5, { onLeave: true })];
  const standings: Standings = new Map([[1, st(10, 40)], [2, st(12, 41)], [3, st(1, 30)], [4, st(0, 2)], [5, st(2, 20)]]);
  const newcomer = lawyer(6);
  const joined = joinStanding(standings, newcomer, pool, 50);
  t.same(joined.get(6), st(10, 50, 50), 'min of active, present, same-area peers: the family-only, inactive and on-leave lawyers do not count');
  // then they take turns with the others: 1 and 6 alternate until 2 is reached
  let s = joined;
  const got: number[] = [];
  for (let seq = 51; seq < 57; seq++) {
    const chosen = pick([lawyer(1), lawyer(2), newcomer], s, NEEDS).chosen!;
    got.push(chosen);
    s = applyTurn(s, chosen, 'rotation', seq);
  }
  t.same(got, [1, 6, 1, 6, 2, 1], 'no run of cases for the newcomer');
  t.same(joinStanding(standings, lawyer(7, { practiceAreas: ['land'] }), pool, 50).get(7), st(1, 50, 50), 'no peer in their areas: the lowest active lawyer');
  t.same(joinStanding(new Map(), lawyer(8), [], 3).get(8), st(0, 3, 3), 'the first lawyer starts at zero');
  t.same(joinStanding(standings, lawyer(9, { weight: 2 }), pool, 50).get(9), st(20, 50, 50), 'weighted: the same weighted turns');
  // a lawyer made active again: raised to the level if below, kept if above
  t.same(joinStanding(standings, lawyer(4), pool, 60).get(4), st(10, 60, 60));
  t.equal(joinStanding(standings, lawyer(2), pool, 60), standings, 'already above: unchanged');
  const ensured = ensureStandings(new Map([[1, st(4, 3)]]), [lawyer(3), lawyer(1), lawyer(2)], 9);
  t.same([...ensured.keys()].sort(), [1, 2, 3]);
  t.same(ensured.get(2), st(4, 9, 9));
});

void t.test('replay finds the one assignment that went to someone else', async (t) => {
  const lawyers = [lawyer(1), lawyer(2), lawyer(3)];
  const history: History = {
    initial: initialStandings([1, 2, 3]),
    events: [
      { type: 'assign', seq: 1, caseId: 11, needs: NEEDS, lawyers, recorded: { lawyerId: 1, kind: 'rotation' } },
      { type: 'assign', seq: 2, caseId: 12, needs: NEEDS, lawyers, recorded: { lawyerId: 3, kind: 'override', reason: 'speaks the dialect' } },
      { type: 'decline', seq: 3, caseId: 11, lawyerId: 1, assignedSeq: 1, kind: 'decline_returned' },
      { type: 'assign', seq: 4, caseId: 11, needs: { ...NEEDS, declinedBy: [1] }, lawyers, recorded: { lawyerId: 2, kind: 'rotation' } },
      { type: 'assign', seq: 5, caseId: 13, needs: NEEDS, lawyers, recorded: { lawyerId: 1, kind: 'rotation' } },
    ],
  };
  t.same(replay(history), []);
  t.same([...rerun(history).standings].sort(), [[1, st(1, 5)], [2, st(1, 4)], [3, st(1, 2)]]);
  const events = [...history.events];
  events[4] = { type: 'assign', seq: 5, caseId: 13, needs: NEEDS, lawyers, recorded: { lawyerId: 3, kind: 'rotation' } };
  t.same(replay({ ...history, events }), [{ seq: 5, caseId: 13, kind: 'rotation', recorded: 3, expected: 1, problem: 'other_lawyer' }]);
  events[1] = { type: 'assign', seq: 2, caseId: 12, needs: NEEDS, lawyers, recorded: { lawyerId: 3, kind: 'override', reason: ' ' } };
  t.equal(replay({ ...history, events })[0].problem, 'override_without_reason');
  events[1] = { type: 'assign', seq: 2, caseId: 12, needs: { ...NEEDS, declinedBy: [3] }, lawyers, recorded: { lawyerId: 3, kind: 'override', reason: 'x' } };
  t.equal(replay({ ...history, events })[0].problem, 'override_ineligible');
});
