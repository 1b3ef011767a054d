// GET /api/v1/reports/fairness: the figures of the fairness report (names fixed by API.md).
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, errorResponses } from '../../api/common.js';
import { fairnessReport } from './fairness.service.js';

const Day = Type.String({ maxLength: 10, description: 'YYYY-MM-DD, Asia/Shanghai' });

const FairnessSchema = Type.Object({
  from: Type.String({ description: 'first day of the period' }),
  to: Type.String({ description: 'last day of the period' }),
  assignments: Type.Integer({ description: 'turns in the period: rotation picks, overrides and declines whose turn was consumed (not those returned)' }),
  lawyers: Type.Integer({ description: 'lawyers eligible in the period (active with an eligible day, or who received a case)' }),
  expectedShare: Type.Number({ description: 'the average lawyer\u2019s expected share of the assignments, 1 / lawyers' }),
  top10PctShareRatio: Type.Number({
    description: 'share of the assignments held by the top 10% (at least one) of the lawyers, ranked by cases received, divided by their share of the lawyers; Texas flags > 3, goal <= 1.2',
  }),
  maxAbsDeviation: Type.Number({ description: 'largest |received - expected| over the lawyers, in cases' }),
  gini: Type.Number({ description: 'Gini coefficient of cases received against cases expected (over the lawyers expected to receive any)' }),
  perLawyer: Type.Array(
    Type.Object({
      lawyerId: Type.Integer(),
      name: Type.String(),
      firm: Type.Union([Type.String(), Type.Null()]),
      eligibleDays: Type.Integer(),
      weight: Type.Number(),
      received: Type.Integer(),
      expectedShare: Type.Number({ description: 'expected / assignments' }),
      expected: Type.Number({ description: 'cases a fair rotation would have given: each case shared among the lawyers in line for it (practice area, serving its region) by eligible days x weight' }),
      deviation: Type.Number(),
    }),
  ),
  overrides: Type.Array(
    Type.Object({
      caseId: Type.Integer(),
      caseNumber: Type.String(),
      lawyerId: Type.Integer(),
      reason: Type.String(),
      by: Type.Union([Type.String(), Type.Null()]),
      at: Type.String({ format: 'date-time' }),
      counted: Type.Boolean(),
    }),
  ),
  skips: Type.Array(Type.Object({ reason: Type.String(), skips: Type.Integer(), lawyers: Type.Integer() })),
});

export default async function fairnessApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  app.get(
    '/reports/fairness',
    {
      preHandler: apiRoles('manager', 'auditor'),
      schema: {
        tags: ['reports'],
        summary: 'Fairness of the assignments in a period (default: all time)',
        querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day) }),
        response: { 200: FairnessSchema, ...errorResponses },
      },
    },
    async (request) => {
      const r = await fairnessReport(app.db, request.query);
      return {
        from: r.period.from,
        to: r.period.to,
        assignments: r.assignments,
        lawyers: r.lawyers,
        expectedShare: r.expectedShare,
        top10PctShareRatio: r.top10PctShareRatio,
        maxAbsDeviation: r.maxAbsDeviation,
        gini: r.gini,
        perLawyer: r.perLawyer.map((l) => ({
          lawyerId: l.lawyerId,
          name: l.name,
          firm: l.firm,
          eligibleDays: l.eligibleDays,
          weight: l.weight,
          received: l.received,
          expectedShare: l.expectedShare,
          expected: l.expected,
          deviation: l.deviation,
        })),
        overrides: r.overrides.map((o) => ({ caseId: o.caseId, caseNumber: o.caseNumber, lawyerId: o.lawyerId, reason: o.reason, by: o.by, at: new Date(o.at).toISOString(), counted: o.counted })),
        skips: r.skips,
      };
    },
  );
}
