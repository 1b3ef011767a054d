// Replays the recorded rotation (the assignments table) through the pure core
// (replay.ts): every assignment the rotation would have made differently, and
// every stored standing that the recorded turns do not lead to.
//
// Each decision's facts are rebuilt from its explanation (rotation.explain.ts):
// the stored candidates are eligible, each passed-over lawyer fails for the
// recorded reason; the standings come from the replay itself (the recorded
// newcomers' starting standings, then every recorded turn and decline in seq
// order). So the replay checks the ORDER and the turn bookkeeping; it trusts the
// recorded skips and starting standings, and it cannot see a candidate beyond the
// 50 stored per decision.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { rerun, type Difference, type History, type HistoryEvent } from './replay.js';
import type { CaseNeeds, LawyerFacts, LawyerId, PassReason, Standing } from './rotation.js';
import { readExplanation, type Explanation } from './rotation.explain.js';
import { loadStandings } from './rotation.facts.js';

export interface StandingMismatch {
  lawyerId: LawyerId;
  stored: Standing | null;
  replayed: Standing | null;
}

export interface ReplayReport {
  assignments: number;
  differences: (Difference & { caseNumber: string | null })[];
  standings: StandingMismatch[];
}

function eligibleFacts(id: LawyerId, needs: CaseNeeds, weight = 1): LawyerFacts {
  return {
    id,
    status: 'active',
    onLeave: false,
    practiceAreas: [needs.category],
    level: Math.max(needs.minLevel, 1),
    regions: [needs.regionCode],
    conflicts: [],
    openCases: 0,
    maxOpenCases: 1,
    trainings: [...needs.trainings],
    weight,
  };
}

/** Facts that fail for exactly the recorded reason (and pass every check before it). */
function failingFacts(id: LawyerId, needs: CaseNeeds, reason: PassReason): LawyerFacts {
  const f = eligibleFacts(id, needs);
  switch (reason) {
    case 'inactive':
      return { ...f, status: 'inactive' };
    case 'on_leave':
      return { ...f, onLeave: true };
    case 'practice_area':
      return { ...f, practiceAreas: [] };
    case 'level':
      return { ...f, level: needs.minLevel - 1 };
    case 'training':
      return { ...f, trainings: [] };
    case 'region':
      return { ...f, regions: [] };
    case 'conflict':
      return { ...f, conflicts: [...needs.opposingParties] };
    case 'cap':
      return { ...f, openCases: 1 };
    case 'declined':
      return f;
  }
}

function needsOf(e: Explanation): CaseNeeds {
  return { ...e.needs, declinedBy: e.needs.declinedBy ?? [] };
}

function factsOf(e: Explanation): LawyerFacts[] {
  const needs = needsOf(e);
  const out = new Map<LawyerId, LawyerFacts>();
  for (const p of e.passedOver) out.set(p.lawyerId, failingFacts(p.lawyerId, needs, p.reason));
  for (const c of e.candidates) out.set(c.lawyerId, eligibleFacts(c.lawyerId, needs, c.weight));
  return [...out.values()];
}

/** The recorded history in the pure replay's terms. */
export async function historyOf(db: Kysely<DB>): Promise<{ history: History; stored: Map<LawyerId, Standing>; numbers: Map<number, string>; count: number }> {
  const [rows, stored] = await Promise.all([
    db
      .selectFrom('assignments as a')
      .innerJoin('cases as c', 'c.id', 'a.case_id')
      .select(['a.case_id', 'a.lawyer_id', 'a.seq', 'a.method', 'a.reason', 'a.explanation', 'a.status', 'a.decline_kind', 'a.decline_seq', 'c.number'])
      .orderBy('a.seq')
      .execute(),
    loadStandings(db),
  ]);
  const initial = new Map<LawyerId, Standing>();
  const events: HistoryEvent[] = [];
  for (const r of rows) {
    const seq = Number(r.seq);
    const e = readExplanation(r.explanation);
    for (const [id, turns] of e?.joined ?? []) if (!initial.has(id)) initial.set(id, { turns, lastSeq: seq, joinedSeq: seq });
    events.push({
      type: 'assign',
      seq,
      caseId: r.case_id,
      // an assignment without a readable explanation has nothing to check against: the replay reports it
      needs: e ? needsOf(e) : { category: '', regionCode: '', minLevel: 1, trainings: [], opposingParties: [] },
      lawyers: e ? factsOf(e) : [],
      recorded: { lawyerId: r.lawyer_id, kind: r.method, reason: r.reason },
    });
    if (r.status === 'declined' && r.decline_seq !== null)
      events.push({ type: 'decline', seq: Number(r.decline_seq), caseId: r.case_id, lawyerId: r.lawyer_id, assignedSeq: seq, kind: r.decline_kind === 'returned' ? 'decline_returned' : 'decline_consumed' });
  }
  // lawyers whose start is not recorded (a standing written some other way): level at zero
  const start = (id: LawyerId) => {
    if (!initial.has(id)) initial.set(id, { turns: 0, lastSeq: null, joinedSeq: stored.get(id)?.joinedSeq ?? 0 });
  };
  for (const ev of events) {
    if (ev.type === 'assign') {
      for (const l of ev.lawyers) start(l.id);
      if (ev.recorded.lawyerId !== null) start(ev.recorded.lawyerId);
    }
  }
  events.sort((a, b) => a.seq - b.seq);
  return { history: { initial, events }, stored, numbers: new Map(rows.map((r) => [r.case_id, r.number])), count: rows.length };
}

/** The differences between the recorded rotation and a re-run of it (none on an untouched history). */
export async function replayHistory(db: Kysely<DB>): Promise<ReplayReport> {
  const { history, stored, numbers, count } = await historyOf(db);
  const { differences, standings } = rerun(history);
  const mismatches: StandingMismatch[] = [];
  for (const id of new Set([...stored.keys(), ...standings.keys()])) {
    const a = stored.get(id) ?? null;
    const b = standings.get(id) ?? null;
    // a stored standing nobody's decision ever touched is nothing to compare
    if (!b && a && a.turns === 0) continue;
    if (!a || !b || a.turns !== b.turns || a.lastSeq !== b.lastSeq) mismatches.push({ lawyerId: id, stored: a, replayed: b });
  }
  mismatches.sort((x, y) => x.lawyerId - y.lawyerId);
  return { assignments: count, differences: differences.map((d) => ({ ...d, caseNumber: numbers.get(d.caseId) ?? null })), standings: mismatches };
}

/** The report as lines of text for the command line. */
export function replayLines(report: ReplayReport): string[] {
  if (!report.differences.length && !report.standings.length) return [`no differences (${report.assignments} assignments replayed)`];
  const lines = [`${report.differences.length + report.standings.length} differences (${report.assignments} assignments replayed):`];
  for (const d of report.differences)
    lines.push(`  seq ${d.seq} case ${d.caseNumber ?? d.caseId} (${d.kind}): recorded lawyer ${d.recorded ?? '-'}, rotation would pick ${d.expected ?? 'nobody'} [${d.problem}]`);
  const show = (s: Standing | null) => (s ? `${s.turns} turns, last ${s.lastSeq ?? '-'}` : 'none');
  for (const s of report.standings) lines.push(`  lawyer ${s.lawyerId}: stored standing ${show(s.stored)}, the recorded turns give ${show(s.replayed)}`);
  return lines;
}
