// What the assignment pages show beyond the service's answer: each lawyer's firm,
// the words for a pass reason (the cap, the level, the area), the explanation of
// every past assignment with names, and the date until which a decline is open.
// Read-only; one query per page for the lawyers, never one per row.
import type { Kysely } from 'kysely';
import type { Case, DB } from '../../db/types.js';
import { todayIn } from '../../lib/format.js';
import { addDays } from '../../lib/workdays.js';
import { APP_TZ } from '../cases/cases.service.js';
import { rotationPolicyAt } from './rotation.facts.js';
import { PASS_REASONS } from './eligibility.js';
import { assignmentsOf, type previewAssignment } from './rotation.service.js';

type Preview = Awaited<ReturnType<typeof previewAssignment>>;

interface LawyerExtra {
  name: string;
  firm: string | null;
  level: number;
  cap: number;
}

async function lawyerExtras(db: Kysely<DB>, ids: number[]): Promise<Map<number, LawyerExtra>> {
  if (!ids.length) return new Map();
  const rows = await db
    .selectFrom('lawyers as l')
    .leftJoin('organizations as o', 'o.id', 'l.organization_id')
    .select(['l.id', 'l.name', 'o.name as firm', 'l.level', 'l.max_open_cases'])
    .where('l.id', 'in', [...new Set(ids)])
    .execute();
  return new Map(rows.map((r) => [r.id, { name: r.name, firm: r.firm, level: r.level, cap: r.max_open_cases }]));
}

/** The message parameters of a pass reason: what the reader needs to check it. */
/** Turns per unit of weight, to two places (and never "-0": a newcomer's starting level can be a negative zero). */
function weighted(turns: number, weight: number): number {
  return Math.round((turns / weight) * 100) / 100 + 0;
}

function reasonParams(reason: string, x: LawyerExtra | undefined, c: Pick<Case, 'category'>, areaName: (a: string) => string): Record<string, string | number> {
  if (reason === 'cap') return { cap: x?.cap ?? '' };
  if (reason === 'level') return { level: x?.level ?? '' };
  if (reason === 'practice_area') return { area: areaName(c.category) };
  return {};
}

/** Ineligible counts by reason, in the order the reasons are checked. */
function ineligibleList(counts: Partial<Record<string, number>> | undefined): { reason: string; count: number }[] {
  if (!counts) return [];
  return PASS_REASONS.filter((r) => (counts[r] ?? 0) > 0).map((r) => ({ reason: r, count: counts[r]! }));
}

export interface PassedView {
  lawyerId: number;
  name: string;
  reason: string;
  params: Record<string, string | number>;
}

/** The assign page's model: the pick, the candidates in order with their firm and weighted turns, the passed over in words. */
export async function pickView(db: Kysely<DB>, c: Case, preview: Preview, areaName: (a: string) => string) {
  const ids = [...preview.candidates.map((k) => k.lawyerId), ...preview.passedOver.map((p) => p.lawyerId)];
  const extra = await lawyerExtras(db, ids);
  const candidates = preview.candidates.map((k) => {
    const weight = Number(k.weight) || 1;
    return { ...k, turns: k.turns + 0, weight, weighted: weighted(k.turns, weight), firm: extra.get(k.lawyerId)?.firm ?? null };
  });
  const passedOver: PassedView[] = preview.passedOver.map((p) => ({
    lawyerId: p.lawyerId,
    name: p.name,
    reason: p.reason,
    params: reasonParams(p.reason, extra.get(p.lawyerId), c, areaName),
  }));
  const chosen = preview.chosen ? { ...preview.chosen, firm: extra.get(preview.chosen.lawyerId)?.firm ?? null } : null;
  return { chosen, candidates, passedOver, ineligible: ineligibleList(preview.ineligible), poolSize: preview.poolSize, seq: preview.seq };
}
export type PickView = Awaited<ReturnType<typeof pickView>>;

/** The day an assignment was made, in the centre's time zone. */
function dayOf(at: Date | string): string {
  return todayIn(APP_TZ, at instanceof Date ? at : new Date(at));
}

/** The last day a lawyer may decline an assignment made on `assignedOn` (calendar days, by policy). */
export async function declineBy(db: Kysely<DB>, assignedOn: string): Promise<string> {
  const policy = await rotationPolicyAt(db, assignedOn);
  return addDays(assignedOn, policy.declineDays);
}

/**
 * "Why this lawyer" for the case page: every assignment of the case, newest
 * first, its candidates and passed-over lawyers named, and for the current one
 * the last day it may be declined.
 */
export async function whyOf(db: Kysely<DB>, c: Case, areaName: (a: string) => string) {
  const assignments = await assignmentsOf(db, c.id);
  if (!assignments.length) return { assignments: [], declineBy: null as string | null };
  const ids = assignments.flatMap((a) => (a.explanation?.passedOver ?? []).map((p) => p.lawyerId));
  const extra = await lawyerExtras(db, ids);
  const rows = assignments.map((a) => {
    const ex = a.explanation;
    const name = (id: number) => a.names[id] ?? null;
    return {
      ...a,
      assignedOn: dayOf(a.assignedAt),
      declinedOn: a.declinedAt ? dayOf(a.declinedAt) : null,
      candidateCount: ex?.candidateCount ?? 0,
      rotationPick: ex?.rotationPick ?? null,
      candidates: (ex?.candidates ?? []).map((k) => {
        const weight = Number(k.weight) || 1;
        return { lawyerId: k.lawyerId, name: name(k.lawyerId), rank: k.rank, turns: k.turns + 0, weight, weighted: weighted(k.turns, weight), lastSeq: k.lastSeq, chosen: k.lawyerId === a.lawyerId };
      }),
      passedOver: (ex?.passedOver ?? []).map((p) => ({ lawyerId: p.lawyerId, name: name(p.lawyerId), reason: p.reason, params: reasonParams(p.reason, extra.get(p.lawyerId), c, areaName) })),
      ineligible: ineligibleList(ex?.ineligible),
      poolSize: ex?.poolSize ?? null,
      examined: ex?.examined ?? null,
    };
  });
  const active = rows.find((r) => r.status === 'active');
  return { assignments: rows, declineBy: active ? await declineBy(db, active.assignedOn) : null };
}
export type WhyView = Awaited<ReturnType<typeof whyOf>>;

/** The assignment notice's model: the active assignment, its lawyer and firm, the centre, the decline deadline. */
export async function noticeView(db: Kysely<DB>, c: Case) {
  const active = (await assignmentsOf(db, c.id)).find((a) => a.status === 'active');
  if (!active) return null;
  const [extra, centre] = await Promise.all([
    lawyerExtras(db, [active.lawyerId]),
    c.centre_id ? db.selectFrom('organizations').select('name').where('id', '=', c.centre_id).executeTakeFirst() : undefined,
  ]);
  const assignedOn = dayOf(active.assignedAt);
  return { assignment: active, lawyer: { name: active.lawyerName, firm: extra.get(active.lawyerId)?.firm ?? null }, centre: centre?.name ?? null, assignedOn, declineBy: await declineBy(db, assignedOn) };
}
