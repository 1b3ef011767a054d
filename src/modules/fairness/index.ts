// The fairness report page: a period form (GET, so it works without JavaScript and
// htmx only swaps the report), the headline figures, per-lawyer table, chart,
// overrides and skips.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../plugins/auth.js';
import { ValidationError } from '../../lib/errors.js';
import { messages } from '../../lib/forms.js';
import { PASS_REASONS } from '../rotation/eligibility.js';
import { OUR_GOAL, TEXAS_FLAG } from './fairness.js';
import { chartOf } from './fairness.chart.js';
import { fairnessReport, sortRows, type FairnessSort, type PeriodQuery } from './fairness.service.js';

interface FairnessQuery extends PeriodQuery {
  sort?: string;
}

const SORTS: readonly FairnessSort[] = ['name', 'received', 'deviation'];

export default async function fairnessRoutes(app: FastifyInstance) {
  app.get<{ Querystring: FairnessQuery }>('/reports/fairness', { preHandler: requireRole('manager', 'auditor') }, async (request, reply) => {
    const q = request.query;
    const sort = SORTS.find((s) => s === q.sort) ?? 'name';
    const values = { from: q.from ?? '', to: q.to ?? '' };
    const options = { fragment: 'fairness/_report' };
    try {
      const report = await fairnessReport(app.db, q);
      const rows = sortRows(report.perLawyer, sort);
      const chart = chartOf(rows.map((r) => ({ name: r.name, received: r.received, expected: r.expected })));
      return await reply.page('fairness/index', { report, rows, chart, sort, values, errors: {}, goal: OUR_GOAL, flag: TEXAS_FLAG, reasons: PASS_REASONS }, options);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.page('fairness/index', { report: null, rows: [], chart: null, sort, values, errors: messages(err.fields, request.t), goal: OUR_GOAL, flag: TEXAS_FLAG, reasons: PASS_REASONS }, { ...options, status: 422 });
    }
  });
}
