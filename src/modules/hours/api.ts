// /api/v1/hours: a lawyer or volunteer logs their own hours; managers list and
// decide them. Hours travel as JSON numbers with one decimal (2.5) or strings
// ("2.5"); they are parsed as text into tenths, so 2.25 is refused, never rounded.
import { Empty, noBodyIsEmpty } from '../../api/common.js';
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, decodeCursor, errorResponses, ListQuery, Nullable, pageOf } from '../../api/common.js';
import { HOUR_KINDS, type HourKind } from '../../db/types.js';
import { authorize } from '../../lib/access.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { hoursNumber, tenthsOf } from './hours.rules.js';
import { decideEntry } from './hours.review.js';
import { getEntry, logHours, type HourEntry, type Owner } from './hours.service.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });
const KindSchema = Type.Unsafe<HourKind>({ type: 'string', enum: [...HOUR_KINDS] });
const StatusSchema = Type.Union([Type.Literal('pending'), Type.Literal('approved'), Type.Literal('rejected')]);

const HourEntrySchema = Type.Object(
  {
    id: Type.Integer(),
    lawyerId: Nullable(Type.Integer()),
    volunteerId: Nullable(Type.Integer()),
    caseId: Nullable(Type.Integer()),
    eventId: Nullable(Type.Integer()),
    date: Type.String({ format: 'date' }),
    hours: Type.Number({ description: 'hours with one decimal' }),
    kind: KindSchema,
    description: Type.String(),
    status: StatusSchema,
    decisionReason: Nullable(Type.String()),
    decidedAt: Nullable(Type.String({ format: 'date-time' })),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'HourEntry' },
);

const HourCreateSchema = Type.Object(
  {
    caseId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2147483647, description: 'one of your own cases' }))),
    eventId: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 2147483647 }))),
    date: Type.String({ maxLength: 10, description: 'YYYY-MM-DD, not in the future nor in a locked month' }),
    hours: Type.Union([Type.Number(), Type.String({ maxLength: 10 })], { description: 'more than 0, at most 24, one decimal at most: 2, 2.5 or "2.5"' }),
    kind: Type.Optional(KindSchema),
    description: Type.String({ maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export function entryJson(e: HourEntry) {
  return {
    id: e.id,
    lawyerId: e.lawyer_id,
    volunteerId: e.volunteer_id,
    caseId: e.case_id,
    eventId: e.event_id,
    date: e.work_date,
    hours: hoursNumber(tenthsOf(e.hours)),
    kind: e.kind,
    description: e.description,
    status: e.status,
    decisionReason: e.decision_reason,
    decidedAt: e.decided_at ? e.decided_at.toISOString() : null,
    createdAt: e.created_at.toISOString(),
  };
}

export default async function hoursApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['hours'];
  const one = { 200: HourEntrySchema, ...errorResponses };

  app.post(
    '/hours',
    {
      preHandler: apiRoles('lawyer', 'volunteer'),
      schema: {
        tags,
        summary: 'Log your own hours (status pending)',
        description: 'kind defaults to case when caseId is given, else other. A case that is not yours answers 404; a locked month 409 month_locked.',
        body: HourCreateSchema,
        response: { 201: HourEntrySchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const user = request.user!;
      const owner: Owner | null = user.role === 'lawyer' && user.lawyerId ? { lawyerId: user.lawyerId } : user.role === 'volunteer' && user.volunteerId ? { volunteerId: user.volunteerId } : null;
      if (!owner) throw new ForbiddenError('This account is not linked to a lawyer or volunteer');
      const b = request.body;
      const caseId = b.caseId ?? null;
      const input = { caseId, eventId: b.eventId ?? null, date: b.date, hours: String(b.hours), kind: b.kind ?? (caseId ? 'case' : 'other'), description: b.description };
      try {
        return reply.code(201).send(entryJson(await logHours(app.db, request.actor(), owner, input)));
      } catch (err) {
        // a foreign case is an unknown one: 404, the same answer as for a case that does not exist
        if (err instanceof ValidationError && err.fields.every((f) => f.field === 'caseId') && err.fields.some((f) => f.key === 'hours.err.case')) throw new NotFoundError('Case not found');
        throw err;
      }
    },
  );

  app.get(
    '/hours',
    {
      preHandler: apiRoles('lawyer', 'volunteer', 'manager'),
      schema: {
        tags,
        summary: 'Your hours, or everyone\'s for a manager',
        querystring: Type.Object({ status: Type.Optional(StatusSchema), lawyerId: Type.Optional(Type.Integer({ minimum: 1, maximum: 2147483647 })), ...ListQuery }),
        response: { 200: Type.Object({ items: Type.Array(HourEntrySchema), nextCursor: Nullable(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const user = request.user!;
      const q = request.query;
      const limit = q.limit ?? 50;
      let query = app.db.selectFrom('hour_entries').selectAll().where('id', '>', decodeCursor(q.cursor));
      if (user.role === 'lawyer') query = query.where('lawyer_id', '=', user.lawyerId ?? 0);
      else if (user.role === 'volunteer') query = query.where('volunteer_id', '=', user.volunteerId ?? 0);
      else if (q.lawyerId) query = query.where('lawyer_id', '=', q.lawyerId);
      if (q.status) query = query.where('status', '=', q.status);
      const page = pageOf(await query.orderBy('id').limit(limit + 1).execute(), limit);
      return { items: page.rows.map(entryJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/hours/:id',
    { preHandler: apiRoles('lawyer', 'volunteer', 'manager'), schema: { tags, summary: 'One entry (yours, or any for a manager)', params: IdParams, response: one } },
    async (request) => entryJson(await authorize(request.user, 'hour_entry', 'read', () => getEntry(app.db, request.params.id))),
  );

  app.post(
    '/hours/:id/approve',
    { preValidation: noBodyIsEmpty, preHandler: apiRoles('manager'), schema: { tags, summary: 'Approve a pending entry (final)', params: IdParams, body: Empty, response: one } },
    async (request) => {
      const e = await authorize(request.user, 'hour_entry', 'read', () => getEntry(app.db, request.params.id));
      return entryJson(await decideEntry(app.db, request.actor(), e.id, { approve: true, reason: null }));
    },
  );

  app.post(
    '/hours/:id/reject',
    {
      preHandler: apiRoles('manager'),
      schema: { tags, summary: 'Reject a pending entry with a reason (final)', params: IdParams, body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }), response: one },
    },
    async (request) => {
      const e = await authorize(request.user, 'hour_entry', 'read', () => getEntry(app.db, request.params.id));
      return entryJson(await decideEntry(app.db, request.actor(), e.id, { approve: false, reason: request.body.reason }));
    },
  );
}
