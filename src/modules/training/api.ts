// /api/v1/trainings: courses (POST /trainings) and their sessions
// (POST /trainings/:id/sessions), enrolment in a session, attendance
// (POST /trainings/:id/attendance {personId, personKind?, hours, sessionId?}),
// cancelling a session (POST /trainings/sessions/:id/cancel {reason}),
// who is short of hours, certificates expiring, and each person's record
// (/lawyers/:id/training, /volunteers/:id/training). A person is a lawyer id or
// a volunteer id; personKind says which and defaults to 'lawyer'.
import { Type } from 'typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, decodeCursor, errorResponses, ListQuery, pageOf } from '../../api/common.js';
import { authorize } from '../../lib/access.js';
import { ForbiddenError, NotFoundError, ValidationError } from '../../lib/errors.js';
import { addDays } from '../../lib/workdays.js';
import { isDate } from '../hours/hours.rules.js';
import { today } from '../cases/cases.service.js';
import { cancelEnrolment, enrol, recordAttendance } from './training.enrol.js';
import { cancelSession } from './training.manage.js';
import { certificatesExpiring, shortOfHours, trainingRecord } from './training.records.js';
import { EXPIRING_DAYS, type Person, type PersonKind } from './training.rules.js';
import * as S from './training.schemas.js';
import { createCourse, createSession, getCourse, getSession, listCourses, sessionsOf } from './training.service.js';

const managers = apiRoles('manager', 'admin');
const everyone = apiRoles('admin', 'manager', 'lawyer', 'volunteer', 'auditor');
const DateQuery = Type.Optional(Type.String({ format: 'date', description: 'YYYY-MM-DD (Asia/Shanghai); default today' }));

/** The person a request names, or (with no personId) the caller themself when they are a lawyer or volunteer. */
function personOf(request: FastifyRequest, body: { personId?: number; personKind?: PersonKind }): Person {
  const user = request.user!;
  if (user.role === 'lawyer' || user.role === 'volunteer') {
    const own = user.role === 'lawyer' ? user.lawyerId : user.volunteerId;
    if (!own) throw new ForbiddenError('This account is not linked to a lawyer or volunteer');
    // one's own record only: naming anybody else reads as an unknown enrolment
    if ((body.personId !== undefined && body.personId !== own) || (body.personKind !== undefined && body.personKind !== user.role)) throw new NotFoundError();
    return { kind: user.role, id: own };
  }
  if (body.personId === undefined) throw new ValidationError([{ field: 'personId', key: 'err.required' }]);
  return { kind: body.personKind ?? 'lawyer', id: body.personId };
}

export default async function trainingApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['training'];

  app.post(
    '/trainings',
    { preHandler: managers, schema: { tags, summary: 'Create a course', body: S.CourseCreate, response: { 201: S.CourseSchema, ...errorResponses } } },
    async (request, reply) => {
      const b = request.body;
      const course = await createCourse(app.db, request.actor(), {
        code: b.code ?? null,
        title: b.title,
        description: b.description ?? '',
        creditHours: String(b.creditHours),
        requiredForRoles: b.requiredForRoles ?? [],
        requiredForPracticeArea: b.requiredForPracticeArea ?? null,
        grantsCertificate: b.grantsCertificate ?? false,
        certificateValidMonths: b.certificateValidMonths ?? null,
      });
      return reply.code(201).send(S.courseJson(course, []));
    },
  );

  app.get(
    '/trainings',
    {
      preHandler: everyone,
      schema: { tags, summary: 'Courses with their sessions, in id order', querystring: Type.Object(ListQuery), response: { 200: Type.Object({ items: Type.Array(S.CourseSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses } },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const page = pageOf(await listCourses(app.db, { afterId: decodeCursor(request.query.cursor), limit }), limit);
      const sessions = await sessionsOf(app.db, page.rows.map((c) => c.id));
      return { items: page.rows.map((c) => S.courseJson(c, sessions)), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/trainings/short-of-hours',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Who is short of training hours in a year',
        description: "Lawyers (not inactive) or approved volunteers whose credited hours are below their role's requirement (the 'training' policy in force on 1 January), the furthest behind first.",
        querystring: Type.Object({ year: Type.Optional(Type.Integer({ minimum: 2000, maximum: 2100 })), personKind: Type.Optional(S.PersonKindSchema) }),
        response: { 200: S.ShortSchema, ...errorResponses },
      },
    },
    async (request) => {
      const year = request.query.year ?? Number(today().slice(0, 4));
      const kind = request.query.personKind ?? 'lawyer';
      const rows = await shortOfHours(app.db, year, kind);
      return { year, personKind: kind, items: rows.map((r) => ({ personId: r.person.id, name: r.name, hours: r.hours, required: r.required, short: r.short })) };
    },
  );

  app.get(
    '/trainings/certificates/expiring',
    {
      preHandler: managers,
      schema: { tags, summary: `Certificates whose last valid day is within ${EXPIRING_DAYS} days of a date (not already renewed)`, querystring: Type.Object({ on: DateQuery }), response: { 200: S.ExpiringSchema, ...errorResponses } },
    },
    async (request) => {
      const on = request.query.on ?? today();
      if (!isDate(on)) throw new ValidationError([{ field: 'on', key: 'hours.err.date' }]);
      const rows = await certificatesExpiring(app.db, on);
      return { on, until: addDays(on, EXPIRING_DAYS), items: rows.map(({ person, ...r }) => ({ ...r, personKind: person.kind, personId: person.id })) };
    },
  );

  app.get(
    '/trainings/:id',
    { preHandler: everyone, schema: { tags, summary: 'One course with its sessions', params: S.IdParams, response: { 200: S.CourseSchema, ...errorResponses } } },
    async (request) => {
      const course = await getCourse(app.db, request.params.id);
      if (!course) throw new NotFoundError('Course not found');
      return S.courseJson(course, await sessionsOf(app.db, [course.id]));
    },
  );

  app.post(
    '/trainings/:id/sessions',
    { preHandler: managers, schema: { tags, summary: 'Schedule a session of a course', params: S.IdParams, body: S.SessionCreate, response: { 201: S.SessionSchema, ...errorResponses } } },
    async (request, reply) => {
      const session = await createSession(app.db, request.actor(), request.params.id, request.body);
      return reply.code(201).send(S.sessionJson({ ...session, enrolled: 0, waitlisted: 0 }));
    },
  );

  app.post(
    '/trainings/sessions/:id/enrolments',
    {
      preHandler: apiRoles('manager', 'admin', 'lawyer', 'volunteer'),
      schema: {
        tags,
        summary: 'Enrol in a session: a seat while there is one, else the waitlist',
        description: 'A full session is not an error: the answer is 201 with status "waitlisted" and the position. 409 already_enrolled, session_started, session_cancelled.',
        params: S.IdParams,
        body: S.EnrolBody,
        response: { 201: S.EnrolmentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { enrolment, position } = await enrol(app.db, request.actor(), request.params.id, personOf(request, request.body ?? {}));
      return reply.code(201).send(S.enrolmentJson(enrolment, position));
    },
  );

  app.post(
    '/trainings/sessions/:id/cancel',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Cancel a session before it starts, with a reason; everyone enrolled or waitlisted is notified in the app',
        description: 'Enrolments stay as they were and no new ones are taken. 400 invalid_input (reason empty or over 500 characters); 409 session_cancelled (already), session_started.',
        params: S.IdParams,
        body: S.SessionCancel,
        response: { 200: S.SessionSchema, ...errorResponses },
      },
    },
    async (request) => {
      const cancelled = (await cancelSession(app.db, request.actor(), request.params.id, request.body.reason)).session;
      return S.sessionJson((await sessionsOf(app.db, [cancelled.course_id])).find((s) => s.id === cancelled.id)!);
    },
  );

  app.delete(
    '/trainings/sessions/:id/enrolments/:personKind/:personId',
    {
      preHandler: apiRoles('manager', 'admin', 'lawyer', 'volunteer'),
      schema: {
        tags,
        summary: 'Cancel an enrolment before the session starts; the first on the waitlist takes the seat',
        params: Type.Object({ id: S.IdParams.properties.id, personKind: S.PersonKindSchema, personId: S.IdParams.properties.id }),
        response: { 200: Type.Object({ cancelled: Type.Boolean(), promoted: Type.Union([Type.Object({ personKind: S.PersonKindSchema, personId: Type.Integer() }), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const person = personOf(request, { personId: request.params.personId, personKind: request.params.personKind });
      const { promoted } = await cancelEnrolment(app.db, request.actor(), request.params.id, person);
      const p = promoted && S.enrolmentJson(promoted, null);
      return { cancelled: true, promoted: p && { personKind: p.personKind, personId: p.personId } };
    },
  );

  app.post(
    '/trainings/:id/attendance',
    {
      preHandler: managers,
      schema: {
        tags,
        summary: 'Record that a person attended a session of the course, crediting hours (once)',
        description:
          'personKind defaults to "lawyer". Issues the course\'s certificate when it grants one (issued on the session\'s day). 400 hours above the course\'s; 409 attendance_recorded (already recorded), session_not_started, session_cancelled.',
        params: S.IdParams,
        body: S.AttendanceBody,
        response: { 201: S.EnrolmentSchema, ...errorResponses },
      },
    },
    async (request, reply) => {
      const course = await getCourse(app.db, request.params.id);
      if (!course) throw new NotFoundError('Course not found');
      const b = request.body;
      let sessionId = b.sessionId;
      if (sessionId === undefined) {
        const started = (await sessionsOf(app.db, [course.id])).filter((s) => s.status === 'scheduled' && s.starts_at <= new Date());
        if (started.length !== 1) throw new ValidationError([{ field: 'sessionId', key: 'training.err.session' }]);
        sessionId = started[0].id;
      } else if ((await getSession(app.db, sessionId))?.course_id !== course.id) throw new NotFoundError('Session not found');
      const person = { kind: b.personKind ?? 'lawyer', id: b.personId } satisfies Person;
      const { enrolment, certificate } = await recordAttendance(app.db, request.actor(), sessionId, person, String(b.hours));
      return reply.code(201).send(S.enrolmentJson(enrolment, null, certificate));
    },
  );

  for (const kind of ['lawyer', 'volunteer'] as const) {
    app.get(
      `/${kind}s/:id/training`,
      {
        preHandler: everyone,
        schema: { tags, summary: `A ${kind}'s training record: sessions attended, hours per year against the requirement, certificates`, params: S.IdParams, querystring: Type.Object({ on: DateQuery }), response: { 200: S.RecordSchema, ...errorResponses } },
      },
      async (request) => {
        const id = request.params.id;
        const table = kind === 'lawyer' ? 'lawyers' : 'volunteers';
        await authorize(request.user, kind, 'read', () => app.db.selectFrom(table).select('id').where('id', '=', id).executeTakeFirst());
        const on = request.query.on ?? today();
        if (!isDate(on)) throw new ValidationError([{ field: 'on', key: 'hours.err.date' }]);
        const person: Person = { kind, id };
        return S.recordJson(person, on, await trainingRecord(app.db, person, on));
      },
    );
  }
}
