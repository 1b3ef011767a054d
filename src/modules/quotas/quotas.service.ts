// Quota figures for a year: the policy version, each lawyer's requirement after
// reductions, what they have done (cases assigned and not declined, approved hours)
// and where that puts them. Four queries for the whole bar, whatever its size.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, LawyerStatus } from '../../db/types.js';
import { startOfDay } from '../../lib/format.js';
import { addDays } from '../../lib/workdays.js';
import { APP_TZ } from '../cases/cases.service.js';
import { approvedHours } from '../hours/hours.service.js';
import { policyAt } from '../policies/policies.service.js';
import { progress, quotaPolicyOf, requirement, shareOfYear, yearEnd, yearStart, type QuotaPolicy, type QuotaStatus, type Reduction } from './quotas.rules.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface QuotaRow {
  lawyerId: number;
  name: string;
  licenseNo: string;
  level: number;
  lawyerStatus: LawyerStatus;
  licensedOn: string | null;
  regionCode: string;
  regionZh: string;
  regionEn: string;
  firmId: number | null;
  firmName: string | null;
  leaveDays: number;
  reductions: Reduction[];
  requiredCases: number;
  requiredHours: number;
  doneCases: number;
  doneHours: number;
  expectedCases: number;
  expectedHours: number;
  status: QuotaStatus;
}

export interface QuotaYear {
  year: number;
  /** the day the figures are taken on, and the share of the year gone by then */
  on: string;
  share: number;
  policy: { id: number | null; effectiveFrom: string | null; value: QuotaPolicy };
  rows: QuotaRow[];
}

export interface QuotaFilter {
  lawyerIds?: number[];
  organizationId?: number;
  regionCode?: string;
}

/**
 * The version in force on 1 January of the year: the obligation is known when the
 * year starts and a change made in June applies from next year, not backwards.
 * A year before any stored version uses the shipped defaults.
 */
export async function quotaPolicyFor(db: Db, year: number): Promise<QuotaYear['policy']> {
  const found = await policyAt<unknown>(db, 'quota', yearStart(year));
  return { id: found?.id ?? null, effectiveFrom: found?.effectiveFrom ?? null, value: quotaPolicyOf(found?.value) };
}

const idsIn = (column: string, ids: number[] | undefined) => (ids ? sql`and ${sql.ref(column)} in (${sql.join(ids)})` : sql``);

/**
 * Distinct cases assigned to each lawyer within the dates and not declined: the
 * rotation's assignments (active or ended), and cases given by hand (cases.lawyer_id
 * with assigned_on in the dates) that have no assignment row for that lawyer, so
 * a declined rotation assignment is never counted through the case row.
 */
export async function doneCases(db: Db, q: { lawyerIds?: number[]; from: string; to: string }): Promise<Map<number, number>> {
  if (q.lawyerIds?.length === 0) return new Map();
  const { rows } = await sql<{ lawyer_id: number; n: number }>`
    select lawyer_id, count(distinct case_id)::int as n from (
      select a.lawyer_id, a.case_id from assignments a
       where a.status in ('active', 'ended')
         and a.assigned_at >= ${startOfDay(q.from, APP_TZ)} and a.assigned_at < ${startOfDay(addDays(q.to, 1), APP_TZ)}
         ${idsIn('a.lawyer_id', q.lawyerIds)}
      union all
      select c.lawyer_id, c.id as case_id from cases c
       where c.lawyer_id is not null and c.assigned_on between ${q.from} and ${q.to}
         and not exists (select 1 from assignments x where x.case_id = c.id and x.lawyer_id = c.lawyer_id)
         ${idsIn('c.lawyer_id', q.lawyerIds)}
    ) done group by lawyer_id`.execute(db);
  return new Map(rows.map((r) => [r.lawyer_id, r.n]));
}

async function lawyersOf(db: Db, filter: QuotaFilter) {
  let q = db
    .selectFrom('lawyers as l')
    .innerJoin('regions as r', 'r.code', 'l.region_code')
    .leftJoin('organizations as o', 'o.id', 'l.organization_id')
    .select(['l.id', 'l.name', 'l.license_no', 'l.level', 'l.status', 'l.licensed_on', 'l.region_code', 'l.organization_id', 'o.name as firm_name', 'r.name_zh', 'r.name_en'])
    .orderBy('l.name')
    .orderBy('l.id');
  // one lawyer asked for by id is answered whatever their status; the lists (the
  // table, the firm roll-up, the year-end export) leave out inactive lawyers:
  // they practise no more and owe nothing, and would only show as behind
  if (filter.lawyerIds) q = q.where('l.id', 'in', filter.lawyerIds);
  else q = q.where('l.status', '!=', 'inactive');
  if (filter.organizationId) q = q.where('l.organization_id', '=', filter.organizationId);
  if (filter.regionCode) q = q.where('l.region_code', '=', filter.regionCode);
  return q.execute();
}

async function leavesIn(db: Db, year: number, lawyerIds: number[] | undefined) {
  let q = db
    .selectFrom('lawyer_leaves')
    .select(['lawyer_id', 'starts_on', 'ends_on'])
    .where('starts_on', '<=', yearEnd(year))
    .where('ends_on', '>=', yearStart(year));
  if (lawyerIds) q = q.where('lawyer_id', 'in', lawyerIds);
  const byLawyer = new Map<number, { startsOn: string; endsOn: string }[]>();
  for (const l of await q.execute()) {
    const list = byLawyer.get(l.lawyer_id) ?? [];
    list.push({ startsOn: l.starts_on, endsOn: l.ends_on });
    byLawyer.set(l.lawyer_id, list);
  }
  return byLawyer;
}

/** Every lawyer matching the filter with their figures for the year, as of `on`. */
export async function quotaYear(db: Db, year: number, on: string, filter: QuotaFilter = {}): Promise<QuotaYear> {
  if (filter.lawyerIds?.length === 0) return { year, on, share: shareOfYear(year, on), policy: await quotaPolicyFor(db, year), rows: [] };
  const range = { lawyerIds: filter.lawyerIds, from: yearStart(year), to: yearEnd(year) };
  const [policy, lawyers, leaves, cases, hours] = await Promise.all([
    quotaPolicyFor(db, year),
    lawyersOf(db, filter),
    leavesIn(db, year, filter.lawyerIds),
    doneCases(db, range),
    approvedHours(db, range),
  ]);
  const share = shareOfYear(year, on);
  const rows = lawyers.map((l): QuotaRow => {
    const req = requirement(policy.value, year, { level: l.level, licensedOn: l.licensed_on, leaves: leaves.get(l.id) ?? [] });
    const done = { cases: cases.get(l.id) ?? 0, hours: hours.get(l.id) ?? 0 };
    const p = progress(req, done, share);
    return {
      lawyerId: l.id,
      name: l.name,
      licenseNo: l.license_no,
      level: l.level,
      lawyerStatus: l.status,
      licensedOn: l.licensed_on,
      regionCode: l.region_code,
      regionZh: l.name_zh,
      regionEn: l.name_en,
      firmId: l.organization_id,
      firmName: l.firm_name,
      leaveDays: req.leaveDays,
      reductions: req.reductions,
      requiredCases: req.cases,
      requiredHours: req.hours,
      doneCases: done.cases,
      doneHours: done.hours,
      expectedCases: p.expectedCases,
      expectedHours: p.expectedHours,
      status: p.status,
    };
  });
  return { year, on, share, policy, rows };
}

/** One lawyer's figures, or undefined for an unknown id. */
export async function lawyerQuota(db: Db, lawyerId: number, year: number, on: string) {
  const result = await quotaYear(db, year, on, { lawyerIds: [lawyerId] });
  const row = result.rows[0];
  return row ? { ...result, row } : undefined;
}
