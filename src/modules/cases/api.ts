// /api/v1/cases: intake (how a court, procuratorate or police notification
// arrives), the list, one case file (every read audited), and the transitions.
// Assignment (POST /cases/:id/assignment) belongs to the rotation, not here.
import { Empty, noBodyIsEmpty } from '../../api/common.js';
import { applicationOf, updateApplication } from './cases.update.js';
import { idempotent } from '../../api/idempotency.js';
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, decodeCursor, errorResponses, ListQuery, Nullable, pageOf } from '../../api/common.js';
import { authorize } from '../../lib/access.js';
import { audit } from '../../plugins/audit.js';
import type { Case } from '../../db/types.js';
import { accept, appeal, close, decide, requestMaterials, review, supplyMaterials } from './cases.actions.js';
import { filteredCases } from './cases.queries.js';
import { calendarForCases, createCase, deadlinesOf, getCase, today } from './cases.service.js';
import { CaseCreateSchema,
  CasePatchSchema,
  patchedApplication, CaseEventSchema, CaseSchema, CaseStatusSchema, CaseSummarySchema, caseInputOf, caseJson, caseSummaryJson } from './cases.schemas.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const Reason = (max: number) => Type.String({ minLength: 1, maxLength: max });

export default async function casesApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['cases'];
  const managers = apiRoles('manager');
  // a lawyer reaches only the cases assigned to them: authorize() answers 404 for the rest
  const staff = apiRoles('manager', 'lawyer');
  const one = { 200: CaseSchema, ...errorResponses };

  /** The case as JSON with the deadlines running today. */
  async function out(c: Case) {
    const on = today();
    return caseJson(c, deadlinesOf(c, await calendarForCases(app.db, [c], on), on));
  }
  const readable = (request: FastifyRequest<{ Params: { id: number } }>) => authorize(request.user, 'case', 'read', () => getCase(app.db, request.params.id));
  const writable = (request: FastifyRequest<{ Params: { id: number } }>) => authorize(request.user, 'case', 'write', () => getCase(app.db, request.params.id));

  app.post(
    '/cases',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Take an application (or a court, procuratorate or police notification)',
        description:
          'An emergency case comes back granted with a paperwork deadline; one with missingItems waits in pending_materials. ' +
          "A criminal case with possibleLifeSentence is assigned only to lawyers of at least the rotation policy's seriousCriminalLevel. " +
          'Send an Idempotency-Key header to make retries safe: the same key and body return the first answer and create nothing more.',
        body: CaseCreateSchema,
        response: { 201: CaseSchema, ...errorResponses },
      },
    },
    async (request, reply) =>
      idempotent(request, reply, async () => ({ status: 201, body: await out(await createCase(app.db, request.actor(), caseInputOf(request.body))) })),
  );

  app.get(
    '/cases',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: "List cases (a lawyer: only their own); ID numbers masked",
        querystring: Type.Object({ status: Type.Optional(CaseStatusSchema), lawyerId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), ...ListQuery }),
        response: { 200: Type.Object({ items: Type.Array(CaseSummarySchema), nextCursor: Nullable(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const user = request.user!;
      let lawyerId = q.lawyerId;
      if (user.role === 'lawyer') {
        // someone else's lawyerId is not an error, just nothing this lawyer may see
        if (!user.lawyerId || (lawyerId !== undefined && lawyerId !== user.lawyerId)) return { items: [], nextCursor: null };
        lawyerId = user.lawyerId;
      }
      const on = today();
      const limit = q.limit ?? 50;
      const rows = await filteredCases(app.db, { status: q.status, lawyerId }, on)
        .selectAll('c')
        .where('c.id', '>', decodeCursor(q.cursor))
        .orderBy('c.id')
        .limit(limit + 1)
        .execute();
      const page = pageOf(rows, limit);
      const cal = await calendarForCases(app.db, page.rows, on);
      return { items: page.rows.map((c) => caseSummaryJson(c, deadlinesOf(c, cal, on))), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/cases/:id',
    { preHandler: staff, schema: { tags, summary: 'One case file (full ID number; the read is audited)', params: IdParams, response: one } },
    async (request) => {
      const c = await readable(request);
      await audit(app.db, request.actor(), { action: 'case.viewed', entity: 'case', entityId: c.id });
      return out(c);
    },
  );

  app.get(
    '/cases/:id/timeline',
    {
      preHandler: staff,
      schema: { tags, summary: 'Everything that happened to a case, oldest first', params: IdParams, response: { 200: Type.Object({ items: Type.Array(CaseEventSchema) }), ...errorResponses } },
    },
    async (request) => {
      const c = await readable(request);
      await audit(app.db, request.actor(), { action: 'case.viewed', entity: 'case', entityId: c.id, after: { part: 'timeline' } });
      const events = await app.db.selectFrom('case_events').selectAll().where('case_id', '=', c.id).orderBy('at').orderBy('id').execute();
      return {
        items: events.map((e) => ({ id: e.id, at: new Date(e.at).toISOString(), actorName: e.actor_name, kind: e.kind, detail: (e.detail ?? {}) as Record<string, unknown> })),
      };
    },
  );

  app.patch(
    '/cases/:id',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Correct the application before the decision (eligibility is assessed again)',
        params: IdParams,
        body: CasePatchSchema,
        response: one,
      },
    },
    async (request) => {
      const c = await writable(request);
      return out(await updateApplication(app.db, request.actor(), c.id, patchedApplication(applicationOf(c), request.body)));
    },
  );

  app.post(
    '/cases/:id/decision',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Grant, or refuse with a reason',
        params: IdParams,
        body: Type.Object({ granted: Type.Boolean(), reason: Type.Optional(Nullable(Type.String({ maxLength: 2000 }))) }, { additionalProperties: false }),
        response: one,
      },
    },
    async (request) => {
      const c = await writable(request);
      return out(await decide(app.db, request.actor(), c.id, { granted: request.body.granted, reason: request.body.reason?.trim() || null }));
    },
  );

  app.post(
    '/cases/:id/close',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'Close an accepted case (the assigned lawyer or a manager)',
        params: IdParams,
        body: Type.Object({ outcome: Reason(2000), hours: Type.Optional(Nullable(Type.Number({ minimum: 0, maximum: 9999, description: 'one decimal at most' }))) }, { additionalProperties: false }),
        response: one,
      },
    },
    async (request) => {
      const c = await readable(request);
      const { outcome, hours } = request.body;
      return out(await close(app.db, request.actor(), c.id, { outcome: outcome.trim(), hours: hours === undefined || hours === null ? null : String(hours) }));
    },
  );

  app.post(
    '/cases/:id/review',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Quality review of a closed file (once)',
        params: IdParams,
        body: Type.Object({ score: Type.Integer({ minimum: 0, maximum: 100 }), findings: Type.Optional(Nullable(Type.String({ maxLength: 4000 }))) }, { additionalProperties: false }),
        response: one,
      },
    },
    async (request) => {
      const c = await writable(request);
      return out(await review(app.db, request.actor(), c.id, { score: request.body.score, findings: request.body.findings?.trim() || null }));
    },
  );

  app.post(
    '/cases/:id/materials',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Ask for missing materials in one notice (the review clock stops)',
        params: IdParams,
        body: Type.Object({ items: Type.Array(Reason(200), { minItems: 1, maxItems: 30 }), note: Type.Optional(Nullable(Type.String({ maxLength: 1000 }))) }, { additionalProperties: false }),
        response: one,
      },
    },
    async (request) => {
      const c = await writable(request);
      return out(await requestMaterials(app.db, request.actor(), c.id, { items: request.body.items, note: request.body.note?.trim() || null }));
    },
  );

  app.post(
    '/cases/:id/materials/supplied',
    { preValidation: noBodyIsEmpty, preHandler: managers, schema: { tags, summary: 'The missing materials arrived (the review clock runs again)', params: IdParams, body: Empty, response: one } },
    async (request) => {
      const c = await writable(request);
      return out(await supplyMaterials(app.db, request.actor(), c.id));
    },
  );

  app.post(
    '/cases/:id/accept',
    { preValidation: noBodyIsEmpty, preHandler: apiRoles('lawyer'), schema: { tags, summary: 'The assigned lawyer accepts the case', params: IdParams, body: Empty, response: one } },
    async (request) => {
      const c = await readable(request);
      return out(await accept(app.db, request.actor(), c.id));
    },
  );

  app.post(
    '/cases/:id/appeal',
    {
      preHandler: managers,
      schema: { tags, summary: "Record the applicant's appeal of a refusal", params: IdParams, body: Type.Object({ reason: Reason(2000) }, { additionalProperties: false }), response: one },
    },
    async (request) => {
      const c = await writable(request);
      return out(await appeal(app.db, request.actor(), c.id, { reason: request.body.reason.trim() }));
    },
  );
}
