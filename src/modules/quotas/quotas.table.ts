// The manager's quota table: the query string read into a filter, rows sorted by
// a column, and the firm roll-up. The figures are computed per lawyer in memory
// (quotas.service.ts), so sorting and the status filter happen here too.
import type { QuotaRow } from './quotas.service.js';
import { QUOTA_STATUSES, type QuotaStatus } from './quotas.rules.js';

export interface QuotaListQuery {
  year?: string;
  status?: string;
  firm?: string;
  region?: string;
  sort?: string;
  view?: string;
}

export const QUOTA_SORTS = ['status', 'name', 'firm', 'level', 'cases', 'hours'] as const;
export type QuotaSort = (typeof QUOTA_SORTS)[number];

export interface QuotaPageFilter {
  year: number;
  status: QuotaStatus | '';
  organizationId: number | undefined;
  regionCode: string;
  sort: QuotaSort;
  view: 'lawyers' | 'firms';
}

/** Years a page may ask for: a few back (year-end reports) and the next one. */
export function yearChoices(current: number): number[] {
  return Array.from({ length: 6 }, (_, i) => current + 1 - i);
}

export function quotaFilter(q: QuotaListQuery, currentYear: number): QuotaPageFilter {
  const year = /^\d{4}$/.test(q.year ?? '') && Number(q.year) >= 2000 && Number(q.year) <= 2100 ? Number(q.year) : currentYear;
  return {
    year,
    status: QUOTA_STATUSES.includes(q.status as QuotaStatus) ? (q.status as QuotaStatus) : '',
    organizationId: /^\d{1,9}$/.test(q.firm ?? '') ? Number(q.firm) || undefined : undefined,
    regionCode: /^\d{6}$/.test(q.region ?? '') ? q.region! : '',
    sort: QUOTA_SORTS.includes(q.sort as QuotaSort) ? (q.sort as QuotaSort) : 'status',
    view: q.view === 'firms' ? 'firms' : 'lawyers',
  };
}

const collator = new Intl.Collator('zh-CN');
const STATUS_ORDER: Record<QuotaStatus, number> = { behind: 0, on_track: 1, met: 2 };
/** the share of the requirement done; a zero requirement counts as all done */
const ratio = (done: number, required: number) => (required > 0 ? done / required : Infinity);

/** Sorted copy: status puts those behind first; figures sort the least done first. */
export function sortQuotas(rows: readonly QuotaRow[], sort: QuotaSort): QuotaRow[] {
  const byName = (a: QuotaRow, b: QuotaRow) => collator.compare(a.name, b.name) || a.lawyerId - b.lawyerId;
  const compare: Record<QuotaSort, (a: QuotaRow, b: QuotaRow) => number> = {
    status: (a, b) => STATUS_ORDER[a.status] - STATUS_ORDER[b.status],
    name: () => 0,
    firm: (a, b) => collator.compare(a.firmName ?? '', b.firmName ?? ''),
    level: (a, b) => b.level - a.level,
    cases: (a, b) => ratio(a.doneCases, a.requiredCases) - ratio(b.doneCases, b.requiredCases) || a.doneCases - b.doneCases,
    hours: (a, b) => ratio(a.doneHours, a.requiredHours) - ratio(b.doneHours, b.requiredHours) || a.doneHours - b.doneHours,
  };
  return [...rows].sort((a, b) => compare[sort](a, b) || byName(a, b));
}

export interface FirmRollup {
  firmId: number | null;
  firmName: string | null;
  lawyers: number;
  requiredCases: number;
  doneCases: number;
  requiredHours: number;
  doneHours: number;
  behind: number;
  met: number;
}

const tenth = (n: number) => Math.round(n * 10) / 10;

/**
 * Per firm: its lawyers' requirements and done figures added up, and how many are
 * behind or done. Sums are plain: one lawyer's extra cases do not cover another's
 * obligation, which is why the counts of lawyers behind sit beside them.
 */
export function firmRollup(rows: readonly QuotaRow[]): { firms: FirmRollup[]; total: FirmRollup } {
  const byFirm = new Map<number | null, FirmRollup>();
  const empty = (firmId: number | null, firmName: string | null): FirmRollup => ({
    firmId,
    firmName,
    lawyers: 0,
    requiredCases: 0,
    doneCases: 0,
    requiredHours: 0,
    doneHours: 0,
    behind: 0,
    met: 0,
  });
  const total = empty(null, null);
  for (const r of rows) {
    let f = byFirm.get(r.firmId);
    if (!f) byFirm.set(r.firmId, (f = empty(r.firmId, r.firmName)));
    for (const x of [f, total]) {
      x.lawyers += 1;
      x.requiredCases += r.requiredCases;
      x.doneCases += r.doneCases;
      x.requiredHours = tenth(x.requiredHours + r.requiredHours);
      x.doneHours = tenth(x.doneHours + r.doneHours);
      if (r.status === 'behind') x.behind += 1;
      if (r.status === 'met') x.met += 1;
    }
  }
  // the firms with most lawyers behind first: who the bar association calls first
  const firms = [...byFirm.values()].sort((a, b) => b.behind - a.behind || collator.compare(a.firmName ?? '\uffff', b.firmName ?? '\uffff'));
  return { firms, total };
}
