// /api/v1/cases/:id/assignment (the rotation's pick, or a manager's override with
// a reason) and /api/v1/cases/:id/decline (the assigned lawyer).
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, errorResponses, Nullable } from '../../api/common.js';
import { idempotent } from '../../api/idempotency.js';
import { authorize } from '../../lib/access.js';
import { PASS_REASONS } from './rotation.js';
import { calendarForCases, deadlinesOf, getCase, today } from '../cases/cases.service.js';
import { CaseSchema, caseJson } from '../cases/cases.schemas.js';
import { assignByOverride, assignByRotation, declineAssignment, type AssignResult } from './rotation.service.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

// one object, not a union: Fastify's Ajv strips unknown properties per branch of an anyOf
const LawyerIdSchema = Type.Integer({ minimum: 1, maximum: 2147483647 });
const AssignmentBody = Type.Object(
  {
    lawyerId: Type.Optional({ ...LawyerIdSchema, description: 'an override: this lawyer instead of the rotation\'s pick (needs reason)' }),
    reason: Type.Optional(Type.String({ maxLength: 1000, description: "the manager's written reason for an override" })),
    expectedLawyerId: Type.Optional({ ...LawyerIdSchema, description: 'the pick the manager saw: refused (409 rotation_moved) if the rotation now picks someone else' }),
  },
  { additionalProperties: false, description: "{} for the rotation's pick, or {lawyerId, reason} for an override" },
);

const AssignmentSchema = Type.Object({
  caseId: Type.Integer(),
  lawyerId: Type.Integer(),
  lawyerName: Type.String(),
  method: Type.Union([Type.Literal('rotation'), Type.Literal('override')]),
  reason: Nullable(Type.String()),
  seq: Type.Integer({ description: 'the turn number: one per decision, never given twice' }),
  explanation: Type.Object({
    rotationPick: Nullable(Type.Integer({ description: 'whom the rotation picked (an override chose someone else)' })),
    candidateCount: Type.Integer(),
    candidates: Type.Array(
      Type.Object({ lawyerId: Type.Integer(), rank: Type.Integer(), turns: Type.Integer(), lastSeq: Nullable(Type.Integer()), weight: Type.Number() }),
      { description: 'the eligible lawyers in rotation order (the first 50, and the one chosen)' },
    ),
    passedOver: Type.Array(
      Type.Object({ lawyerId: Type.Integer(), reason: Type.String({ description: `one of ${PASS_REASONS.join(', ')}` }), turns: Type.Integer(), lastSeq: Nullable(Type.Integer()) }),
      { description: 'the lawyers ahead in the rotation who did not qualify, in rotation order, with the first reason and their standing (kept for them)' },
    ),
    ineligible: Type.Record(Type.String(), Type.Integer(), { description: 'how many lawyers in line for the case (its category and region) did not qualify, by reason' }),
  }),
});

function assignmentJson(r: AssignResult, lawyerName: string) {
  const e = r.assignment.explanation;
  return {
    caseId: r.case.id,
    lawyerId: r.assignment.lawyer_id,
    lawyerName,
    method: r.assignment.method,
    reason: r.assignment.reason,
    seq: Number(r.assignment.seq),
    explanation: {
      rotationPick: e.rotationPick,
      candidateCount: e.candidateCount,
      candidates: e.candidates,
      passedOver: e.passedOver.map((p) => ({ lawyerId: p.lawyerId, reason: p.reason, turns: p.turns ?? 0, lastSeq: p.lastSeq ?? null })),
      ineligible: e.ineligible ?? {},
    },
  };
}

export default async function rotationApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];
  const writable = (request: FastifyRequest<{ Params: { id: number } }>) => authorize(request.user, 'case', 'write', () => getCase(app.db, request.params.id));

  app.post(
    '/cases/:id/assignment',
    {
      preValidation: async (request) => {
        request.body ??= {};
      },
      preHandler: apiRoles('manager'),
      schema: {
        tags,
        summary: "Assign a granted case: the rotation's next eligible lawyer, or an override with a written reason",
        description:
          'The answer says why this lawyer: the candidates in rotation order with their standing, and each lawyer ahead of the pick who was passed over, with the reason (plus counts of the ineligible by reason). ' +
          '409 when the case is not granted; 422 no_eligible_lawyer when nobody can take it. An override counts as that lawyer\'s turn. ' +
          'Send an Idempotency-Key header to make retries safe.',
        params: IdParams,
        body: AssignmentBody,
        response: { 200: AssignmentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const c = await writable(request);
      const body = request.body;
      return idempotent(request, reply, async () => {
        const result =
          body.lawyerId !== undefined
            ? await assignByOverride(app.db, request.actor(), c.id, { lawyerId: body.lawyerId, reason: body.reason ?? '' })
            : await assignByRotation(app.db, request.actor(), c.id, { expectedLawyerId: body.expectedLawyerId });
        const lawyer = await app.db.selectFrom('lawyers').select('name').where('id', '=', result.assignment.lawyer_id).executeTakeFirstOrThrow();
        return { status: 200, body: assignmentJson(result, lawyer.name) };
      });
    },
  );

  app.post(
    '/cases/:id/decline',
    {
      preHandler: apiRoles('lawyer'),
      schema: {
        tags,
        summary: 'The assigned lawyer declines within the policy window; the case returns to the rotation',
        description: 'A conflict of interest (conflict: true) is recorded against the opposing parties and, by policy, gives the turn back; any other reason keeps it consumed.',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }), conflict: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 200: CaseSchema, ...errorResponses },
      },
    },
    async (request) => {
      // only the lawyer the case is assigned to can see it: everyone else gets 404
      const c = await authorize(request.user, 'case', 'read', () => getCase(app.db, request.params.id));
      const after = await declineAssignment(app.db, request.actor(), c.id, { reason: request.body.reason, conflict: request.body.conflict ?? false });
      const on = today();
      return caseJson(after, deadlinesOf(after, await calendarForCases(app.db, [after], on), on));
    },
  );
}
