// /api/v1/events: managers create, cancel and take attendance; volunteers (and
// lawyers joining outreach) browse, sign themselves up, cancel and check in with
// the event's code. A full event is not an error: it waitlists.
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, errorResponses, Nullable, noBodyIsEmpty } from '../../api/common.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { checkIn, selfCheckIn } from './checkin.service.js';
import {
  CancelBody,
  CancelSignupResult,
  CheckinBody,
  CheckinResult,
  EventCreateSchema,
  EventListQuery,
  EventSchema,
  entryJson,
  eventJson,
  IdParams,
  LawyerSignupParams,
  SignupBody,
  SignupListSchema,
  SignupParams,
  SignupResultSchema,
} from './events.schemas.js';
import { cancelEvent, createEvent, getEvent, getListedEvent, listEvents } from './events.service.js';
import { personOfUser, type Person } from './person.js';
import { cancelSignUp, listSignups, signUp } from './signups.service.js';

/**
 * Whom a sign-up, cancellation or check-in is for: a manager names a volunteer;
 * a volunteer (or lawyer) acts for themself, and a volunteerId, if given, must be their own.
 */
function subjectOf(request: FastifyRequest, volunteerId: number | undefined): Person {
  const user = request.user!;
  if (user.role === 'manager') {
    if (!volunteerId) throw new ValidationError([{ field: 'volunteerId', key: 'err.required' }]);
    return { volunteerId };
  }
  const self = personOfUser(user);
  if (!self) throw new ForbiddenError('This account is not linked to a volunteer or lawyer');
  if (volunteerId !== undefined && self.volunteerId !== volunteerId) throw new ForbiddenError('You may act only for yourself');
  return self;
}

/** Whose sign-up a lawyer-signups call cancels: a manager names the lawyer; a lawyer only their own. */
function lawyerSubject(request: FastifyRequest, lawyerId: number): Person {
  const user = request.user!;
  if (user.role === 'manager') return { lawyerId };
  const self = personOfUser(user);
  if (!self?.lawyerId) throw new ForbiddenError('This account is not linked to a lawyer');
  if (self.lawyerId !== lawyerId) throw new ForbiddenError('You may act only for yourself');
  return self;
}

async function eventOr404(app: FastifyInstance, id: number) {
  const e = await getListedEvent(app.db, id);
  if (!e) throw new NotFoundError('Event not found');
  return e;
}

export default async function eventsApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['events'];
  const anyone = apiRoles('admin', 'manager', 'lawyer', 'volunteer', 'auditor');
  const people = apiRoles('manager', 'volunteer', 'lawyer');
  const isManager = (request: FastifyRequest) => request.user?.role === 'manager';

  app.post(
    '/events',
    {
      preHandler: apiRoles('manager'),
      schema: { tags, summary: 'Create an outreach event (or a weekly/monthly series)', body: EventCreateSchema, response: { 201: EventSchema, ...errorResponses } },
    },
    async (request, reply) => {
      const [first] = await createEvent(app.db, request.actor(), request.body);
      return reply.code(201).send(eventJson(await eventOr404(app, first.id), true));
    },
  );

  app.get(
    '/events',
    {
      preHandler: anyone,
      schema: {
        tags,
        summary: 'Upcoming events by start time, filtered by region, kind and start days',
        querystring: EventListQuery,
        response: { 200: Type.Object({ items: Type.Array(EventSchema), nextCursor: Nullable(Type.String()) }), ...errorResponses },
      },
    },
    async (request) => {
      const page = await listEvents(app.db, request.query);
      return { items: page.items.map((e) => eventJson(e, isManager(request))), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/events/:id',
    { preHandler: anyone, schema: { tags, summary: 'One event with its seats taken', params: IdParams, response: { 200: EventSchema, ...errorResponses } } },
    async (request) => eventJson(await eventOr404(app, request.params.id), isManager(request)),
  );

  app.post(
    '/events/:id/cancel',
    {
      preHandler: apiRoles('manager'),
      schema: { tags, summary: 'Cancel an event with a reason; everyone confirmed or waitlisted is notified in the app', params: IdParams, body: CancelBody, response: { 200: EventSchema, ...errorResponses } },
    },
    async (request) => {
      await cancelEvent(app.db, request.actor(), request.params.id, request.body.reason);
      return eventJson(await eventOr404(app, request.params.id), true);
    },
  );

  app.post(
    '/events/:id/signups',
    {
      preValidation: noBodyIsEmpty,
      preHandler: people,
      schema: {
        tags,
        summary: 'Sign up: confirmed while seats are free, else waitlisted with a position',
        description: '409 event_cancelled, event_started, already_signed_up; 422 signup_not_open, signup_closed, overlap (with an event the person is confirmed for), volunteer_not_approved.',
        params: IdParams,
        body: SignupBody,
        response: { 201: SignupResultSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const person = subjectOf(request, request.body.volunteerId);
      const r = await signUp(app.db, request.actor(), person, request.params.id);
      return reply.code(201).send({ status: r.status, position: r.position });
    },
  );

  app.delete(
    '/events/:id/signups/:volunteerId',
    {
      preHandler: apiRoles('manager', 'volunteer'),
      schema: {
        tags,
        summary: 'Cancel a sign-up (the volunteer themself or a manager); a freed seat goes to the first waitlisted',
        description: 'No promotion on the event day (policy). 404 when there is no live sign-up; 409 event_started.',
        params: SignupParams,
        response: { 200: CancelSignupResult, ...errorResponses },
      },
    },
    async (request) => {
      const person = subjectOf(request, request.params.volunteerId);
      const r = await cancelSignUp(app.db, request.actor(), person, request.params.id);
      return { status: 'cancelled' as const, promoted: r.promoted.length };
    },
  );

  app.delete(
    '/events/:id/lawyer-signups/:lawyerId',
    {
      preHandler: apiRoles('manager', 'lawyer'),
      schema: {
        tags,
        summary: "Cancel a lawyer's sign-up (the lawyer themself or a manager); a freed seat goes to the first waitlisted",
        description: 'As DELETE /events/{id}/signups/{volunteerId}, for a lawyer joining outreach. No promotion on the event day (policy). 404 when there is no live sign-up; 409 event_started.',
        params: LawyerSignupParams,
        response: { 200: CancelSignupResult, ...errorResponses },
      },
    },
    async (request) => {
      const person = lawyerSubject(request, request.params.lawyerId);
      const r = await cancelSignUp(app.db, request.actor(), person, request.params.id);
      return { status: 'cancelled' as const, promoted: r.promoted.length };
    },
  );

  app.get(
    '/events/:id/signups',
    { preHandler: apiRoles('manager'), schema: { tags, summary: 'Seat holders and the waitlist, in order', params: IdParams, response: { 200: SignupListSchema, ...errorResponses } } },
    async (request) => {
      if (!(await getEvent(app.db, request.params.id))) throw new NotFoundError('Event not found');
      const list = await listSignups(app.db, request.params.id);
      return { confirmed: list.confirmed.map(entryJson), waitlisted: list.waitlisted.map(entryJson) };
    },
  );

  app.post(
    '/events/:id/checkin',
    {
      preHandler: people,
      schema: {
        tags,
        summary: "Check in: a manager's roster mark, or a volunteer's own with the event's code",
        description: 'Attending credits the event\'s hours once (an approved hour entry). Self check-in: only on the event day; 422 wrong_code, checkin_not_today, not_confirmed.',
        params: IdParams,
        body: CheckinBody,
        response: { 200: CheckinResult, ...errorResponses },
      },
    },
    async (request) => {
      const b = request.body;
      const person = subjectOf(request, b.volunteerId);
      if (!isManager(request) && !b.code?.trim()) throw new ValidationError([{ field: 'code', key: 'err.required' }]);
      const r = isManager(request)
        ? await checkIn(app.db, request.actor(), request.params.id, person, b.status ?? 'attended')
        : await selfCheckIn(app.db, request.actor(), person, request.params.id, b.code ?? '');
      return { status: r.signup.status, credited: r.credited };
    },
  );
}
