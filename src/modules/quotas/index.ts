// Quota pages for managers and auditors: every lawyer's obligation for a year
// (filters and sorting through htmx), the firm roll-up, and the year-end CSV.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../plugins/auth.js';
import { audit } from '../../plugins/audit.js';
import { listRegions } from '../organizations/organizations.service.js';
import { firmChoices } from '../lawyers/lawyers.service.js';
import { today } from '../cases/cases.service.js';
import { sendCsv } from '../imports/exports.js';
import { QUOTA_STATUSES } from './quotas.rules.js';
import { quotaYear } from './quotas.service.js';
import { firmRollup, quotaFilter, sortQuotas, yearChoices, type QuotaListQuery, type QuotaPageFilter } from './quotas.table.js';
import { quotaCsv } from './quotas.export.js';

/** The query string of a filter, for links that keep it (sorting, tabs, the export). */
export function filterParams(f: QuotaPageFilter, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams({ year: String(f.year) });
  if (f.status) p.set('status', f.status);
  if (f.organizationId) p.set('firm', String(f.organizationId));
  if (f.regionCode) p.set('region', f.regionCode);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

export default async function quotaRoutes(app: FastifyInstance) {
  const readers = { preHandler: requireRole('manager', 'auditor') };

  async function figures(query: QuotaListQuery) {
    const on = today();
    const filter = quotaFilter(query, Number(on.slice(0, 4)));
    const result = await quotaYear(app.db, filter.year, on, { organizationId: filter.organizationId, regionCode: filter.regionCode });
    // the roll-up counts every lawyer of the firm; the status filter narrows the lawyer list only
    const rows = filter.status ? result.rows.filter((r) => r.status === filter.status) : result.rows;
    return { on, filter, result, rows };
  }

  app.get<{ Querystring: QuotaListQuery }>('/quotas', readers, async (request, reply) => {
    const { on, filter, result, rows } = await figures(request.query);
    const [regions, firms] = await Promise.all([listRegions(app.db), firmChoices(app.db)]);
    const counts = Object.fromEntries(QUOTA_STATUSES.map((s) => [s, result.rows.filter((r) => r.status === s).length]));
    return reply.page(
      'quotas/index',
      {
        filter,
        result,
        rows: sortQuotas(rows, filter.sort),
        rollup: firmRollup(result.rows),
        counts,
        statuses: QUOTA_STATUSES,
        years: yearChoices(Number(on.slice(0, 4))),
        regions,
        firms,
        params: (extra: Record<string, string> = {}) => filterParams(filter, extra),
      },
      { fragment: 'quotas/_results' },
    );
  });

  app.get<{ Querystring: QuotaListQuery }>('/quotas.csv', readers, async (request, reply) => {
    const { filter, result, rows } = await figures(request.query);
    const file = quotaCsv({ ...result, rows: sortQuotas(rows, filter.sort === 'status' ? 'name' : filter.sort) }, request.t, request.lang);
    const { view: _view, ...recorded } = filter;
    await audit(app.db, request.actor(), { action: 'quotas.exported', entity: 'quota', after: { filter: recorded, rows: file.rows } });
    return sendCsv(reply, `quotas-${filter.year}.csv`, file);
  });
}
