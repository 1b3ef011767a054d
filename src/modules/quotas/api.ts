// GET /api/v1/lawyers/:id/quota?year=: one lawyer's obligation for a year.
// Managers and auditors read anyone's; a lawyer reads only their own (404 otherwise).
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, errorResponses } from '../../api/common.js';
import { authorize } from '../../lib/access.js';
import { today } from '../cases/cases.service.js';
import { getLawyer } from '../lawyers/lawyers.service.js';
import { lawyerQuota } from './quotas.service.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export const QuotaSchema = Type.Object(
  {
    year: Type.Integer(),
    requiredCases: Type.Integer({ description: 'cases required after reductions, rounded up to a whole case' }),
    requiredHours: Type.Number({ description: 'hours required after reductions, rounded up to one decimal' }),
    doneCases: Type.Integer({ description: 'distinct cases assigned to the lawyer in the year and not declined' }),
    doneHours: Type.Number({ description: 'approved hours with work dates in the year' }),
    expectedByNow: Type.Number({
      minimum: 0,
      maximum: 1,
      description:
        'the share of the year elapsed by today in Asia/Shanghai (0..1): 1 for a past year, 0 for a future one. Multiply a requirement by it for the pace; expectedCasesByNow and expectedHoursByNow give those figures',
    }),
    expectedCasesByNow: Type.Number({ description: 'requiredCases x expectedByNow, one decimal' }),
    expectedHoursByNow: Type.Number({ description: 'requiredHours x expectedByNow, one decimal' }),
    status: Type.Union([Type.Literal('on_track'), Type.Literal('behind'), Type.Literal('met')], {
      description:
        'met: done reaches the requirement in both cases and hours (a zero requirement is met); behind: a whole case or an hour or more short of the pace (after the year ends: anything short); otherwise on_track',
    }),
    reductions: Type.Array(Type.String(), { description: 'reductions applied: newly_licensed, long_leave, level, not_licensed' }),
    policyEffectiveFrom: Type.Union([Type.String({ format: 'date' }), Type.Null()], {
      description: 'the quota policy version used: the one in force on 1 January of the year (null: the shipped defaults)',
    }),
  },
  { $id: 'Quota' },
);

export default async function quotasApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/lawyers/:id/quota',
    {
      preHandler: apiRoles('manager', 'auditor', 'lawyer'),
      schema: {
        tags: ['lawyers'],
        summary: "A lawyer's legal-aid obligation for a year",
        params: IdParams,
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100, description: 'default: this year' })) }),
        response: { 200: QuotaSchema, ...errorResponses },
      },
    },
    async (request) => {
      const lawyer = await authorize(request.user, 'quota', 'read', () => getLawyer(app.db, request.params.id));
      const on = today();
      const year = request.query.year ?? Number(on.slice(0, 4));
      const found = (await lawyerQuota(app.db, lawyer.id, year, on))!;
      const r = found.row;
      return {
        year,
        requiredCases: r.requiredCases,
        requiredHours: r.requiredHours,
        doneCases: r.doneCases,
        doneHours: r.doneHours,
        expectedByNow: Math.round(found.share * 10_000) / 10_000,
        expectedCasesByNow: r.expectedCases,
        expectedHoursByNow: r.expectedHours,
        status: r.status,
        reductions: r.reductions,
        policyEffectiveFrom: found.policy.effectiveFrom,
      };
    },
  );
}
