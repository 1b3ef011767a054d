// The fairness report: loads, for a period, who could be picked on how many days
// and how many turns each received, then hands the counts to the pure maths.
// Turns counted: rotation picks and overrides, and declines whose turn stayed
// consumed; a decline that returned the turn (a conflict, by policy) does not count.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { startOfDay } from '../../lib/format.js';
import { addDays } from '../../lib/workdays.js';
import { APP_TZ, today } from '../cases/cases.service.js';
import { isDate } from '../cases/cases.actions.js';
import { rotationPolicyAt, servingRegions, type RotationPolicyValue } from '../rotation/rotation.facts.js';
import { eligibleDays, fairness, type DayRange, type Demand, type FairnessFigures, type LawyerFairness } from './fairness.js';

export interface PeriodQuery {
  from?: string;
  to?: string;
}

export interface FairnessRow extends LawyerFairness {
  name: string;
  firm: string | null;
}

export interface OverrideRow {
  caseId: number;
  caseNumber: string;
  lawyerId: number;
  lawyerName: string;
  reason: string;
  by: string | null;
  at: Date;
  counted: boolean;
}

export interface SkipRow {
  reason: string;
  skips: number;
  lawyers: number;
}

export interface FairnessReport extends Omit<FairnessFigures, 'perLawyer'> {
  period: DayRange;
  perLawyer: FairnessRow[];
  overrides: OverrideRow[];
  skips: SkipRow[];
}

/** The period asked for: both dates optional ('YYYY-MM-DD'); bad or reversed dates are a ValidationError. */
export function checkPeriod(q: PeriodQuery): { from: string | null; to: string | null } {
  const from = q.from?.trim() || null;
  const to = q.to?.trim() || null;
  const errors: FieldError[] = [];
  if (from && !isDate(from)) errors.push({ field: 'from', key: 'fairness.err.date' });
  if (to && !isDate(to)) errors.push({ field: 'to', key: 'fairness.err.date' });
  if (!errors.length && from && to && from > to) errors.push({ field: 'to', key: 'fairness.err.order' });
  if (errors.length) throw new ValidationError(errors);
  return { from, to };
}

const localDay = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone ${APP_TZ}, 'YYYY-MM-DD')`;

/** A turn that counts: not a decline whose turn was given back. */
const counts = sql<boolean>`not (a.status = 'declined' and coalesce(a.decline_kind, 'consumed') = 'returned')`;

export async function fairnessReport(db: Kysely<DB>, q: PeriodQuery, now: string = today()): Promise<FairnessReport> {
  const asked = checkPeriod(q);
  let from = asked.from;
  if (!from) {
    const first = await db.selectFrom('assignments as a').select(sql<string | null>`min(${localDay('a.assigned_at')})`.as('day')).executeTakeFirst();
    from = first?.day ?? now;
  }
  const to = asked.to ?? (now >= from ? now : from);
  const period = { from, to };
  // days still to come cannot be eligible days yet
  const dayPeriod = { from, to: to < now ? to : now };
  const start = startOfDay(from, APP_TZ);
  const end = startOfDay(addDays(to, 1), APP_TZ);

  const [received, lawyers, overrides, skips] = await Promise.all([
    db
      .selectFrom('assignments as a')
      .innerJoin('cases as c', 'c.id', 'a.case_id')
      .select(['a.lawyer_id', 'c.category', 'c.region_code', sql<number>`count(*)::int`.as('n')])
      .where('a.assigned_at', '>=', start)
      .where('a.assigned_at', '<', end)
      .where(counts)
      .groupBy(['a.lawyer_id', 'c.category', 'c.region_code'])
      .execute(),
    // the pool: active lawyers, and anyone who received a turn in the period
    db
      .selectFrom('lawyers as l')
      .leftJoin('organizations as o', 'o.id', 'l.organization_id')
      .select(['l.id', 'l.name', 'o.name as firm', sql<string>`l.weight::text`.as('weight'), localDay('l.created_at').as('since'), 'l.practice_areas', 'l.region_code'])
      .where((eb) =>
        eb.or([
          eb('l.status', '=', 'active'),
          eb.exists(
            eb
              .selectFrom('assignments as a')
              .select('a.id')
              .whereRef('a.lawyer_id', '=', 'l.id')
              .where('a.assigned_at', '>=', start)
              .where('a.assigned_at', '<', end),
          ),
        ]),
      )
      .orderBy('l.name')
      .orderBy('l.id')
      .execute(),
    db
      .selectFrom('assignments as a')
      .innerJoin('cases as c', 'c.id', 'a.case_id')
      .innerJoin('lawyers as l', 'l.id', 'a.lawyer_id')
      .leftJoin('users as u', 'u.id', 'a.assigned_by')
      .select(['a.case_id', 'c.number', 'a.lawyer_id', 'l.name', 'a.reason', 'u.name as by', 'a.assigned_at', counts.as('counted')])
      .where('a.method', '=', 'override')
      .where('a.assigned_at', '>=', start)
      .where('a.assigned_at', '<', end)
      .orderBy('a.assigned_at')
      .orderBy('a.id')
      .execute(),
    // every decision in the period, whatever became of it: the skips happened
    sql<SkipRow>`
      select coalesce(p->>'reason', 'unknown') as reason, count(*)::int as skips, count(distinct p->>'lawyerId')::int as lawyers
      from assignments a
      cross join lateral jsonb_array_elements(
        case when jsonb_typeof(a.explanation->'passedOver') = 'array' then a.explanation->'passedOver' else '[]'::jsonb end) p
      where a.assigned_at >= ${start} and a.assigned_at < ${end}
      group by 1 order by 2 desc, 1`.execute(db),
  ]);

  const ids = lawyers.map((l) => l.id);
  const leaves = ids.length
    ? await db
        .selectFrom('lawyer_leaves')
        .select(['lawyer_id', 'starts_on', 'ends_on'])
        .where('lawyer_id', 'in', ids)
        .where('ends_on', '>=', from)
        .where('starts_on', '<=', to)
        .execute()
    : [];
  const leavesOf = new Map<number, DayRange[]>();
  for (const l of leaves) {
    const list = leavesOf.get(l.lawyer_id) ?? [];
    list.push({ from: String(l.starts_on).slice(0, 10), to: String(l.ends_on).slice(0, 10) });
    leavesOf.set(l.lawyer_id, list);
  }
  const receivedBy = new Map<number, number>();
  for (const r of received) receivedBy.set(r.lawyer_id, (receivedBy.get(r.lawyer_id) ?? 0) + Number(r.n));
  const info = new Map(lawyers.map((l) => [l.id, l]));
  const figures = fairness(
    lawyers.map((l) => ({
      lawyerId: l.id,
      received: receivedBy.get(l.id) ?? 0,
      eligibleDays: eligibleDays(dayPeriod, l.since, leavesOf.get(l.id) ?? []),
      weight: Number(l.weight) > 0 ? Number(l.weight) : 1,
    })),
    demandOf(received, lawyers, await rotationPolicyAt(db, to)),
  );
  return {
    ...figures,
    period,
    perLawyer: figures.perLawyer.map((l) => ({ ...l, name: info.get(l.lawyerId)!.name, firm: info.get(l.lawyerId)!.firm })),
    overrides: overrides.map((o) => ({
      caseId: o.case_id,
      caseNumber: o.number,
      lawyerId: o.lawyer_id,
      lawyerName: o.name,
      reason: o.reason ?? '',
      by: o.by,
      at: o.assigned_at,
      counted: Boolean(o.counted),
    })),
    skips: skips.rows.map((s) => ({ reason: s.reason, skips: Number(s.skips), lawyers: Number(s.lawyers) })),
  };
}

/**
 * The period's cases by kind (practice area and region), each with the lawyers in
 * line for it: those who practise in the area and serve the region under the
 * rotation policy at the period's end, by their current areas and region, plus
 * whoever received a case of that kind (they were in line then).
 */
function demandOf(
  received: readonly { lawyer_id: number; category: string; region_code: string; n: number }[],
  lawyers: readonly { id: number; practice_areas: string[]; region_code: string }[],
  policy: RotationPolicyValue,
): Demand[] {
  const kinds = new Map<string, { category: string; region: string; cases: number; recipients: Set<number> }>();
  for (const r of received) {
    const key = `${r.category}\u0000${r.region_code}`;
    const kind = kinds.get(key) ?? { category: r.category, region: r.region_code, cases: 0, recipients: new Set<number>() };
    kind.cases += Number(r.n);
    kind.recipients.add(r.lawyer_id);
    kinds.set(key, kind);
  }
  return [...kinds.values()].map((k) => {
    const regions = servingRegions(policy, k.region);
    const pool = new Set(k.recipients);
    for (const l of lawyers) if (l.practice_areas.includes(k.category) && (regions === null || regions.includes(l.region_code))) pool.add(l.id);
    return { cases: k.cases, pool: [...pool] };
  });
}

export type FairnessSort = 'name' | 'received' | 'deviation';

export function sortRows(rows: readonly FairnessRow[], sort: FairnessSort): FairnessRow[] {
  const out = [...rows];
  if (sort === 'deviation') out.sort((a, b) => b.deviation - a.deviation || a.lawyerId - b.lawyerId);
  else if (sort === 'received') out.sort((a, b) => b.received - a.received || a.lawyerId - b.lawyerId);
  return out;
}
