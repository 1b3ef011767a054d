// Training course pages: the course list with upcoming sessions and, for a lawyer
// or volunteer, one-click enrol and cancel with their status; for managers the
// new-course form and the course page with its session form. Routes stay thin:
// the services decide, audit and refuse.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PRACTICE_AREAS, TRAINING_ROLES } from '../../db/types.js';
import { NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import { redirect, requireRole } from '../../plugins/auth.js';
import { formatHours, tenthsOf } from '../hours/hours.rules.js';
import { cancelEnrolment, enrol } from './training.enrol.js';
import { BLANK_COURSE, BLANK_SESSION, formErrors, readCourseForm, readSessionForm, type Values } from './training.forms.js';
import { enrolmentsOf } from './training.roster.js';
import { createCourse, createSession, getCourse, getSession, listCourses, sessionsOf, type Course, type SessionWithCounts } from './training.service.js';
import { isManager, loadById, trainingPersonOf } from './pages.common.js';

const PAGE = 50;

interface ListQuery {
  after?: string;
}

export default async function coursePages(app: FastifyInstance) {
  const anyone = { preHandler: requireRole('admin', 'manager', 'auditor', 'lawyer', 'volunteer') };
  const people = { preHandler: requireRole('lawyer', 'volunteer') };
  const managers = { preHandler: requireRole('manager', 'admin') };

  /** Locals shared by the list and the course page: seats, the person's own status, hours as text. */
  async function sessionLocals(request: FastifyRequest, sessions: SessionWithCounts[]) {
    const person = trainingPersonOf(request.user ?? null);
    const mine = person ? await enrolmentsOf(app.db, person, sessions.map((s) => s.id)) : new Map();
    return { mine: Object.fromEntries(mine), isPerson: !!person, isManager: isManager(request), now: Date.now(), fh: (h: string) => formatHours(tenthsOf(h)) };
  }

  const upcoming = (sessions: SessionWithCounts[], now: number) => sessions.filter((s) => s.status === 'scheduled' && s.starts_at.getTime() > now);

  async function listPage(request: FastifyRequest<{ Querystring: ListQuery }>, reply: FastifyReply, refusal: string | null = null, status?: number) {
    const after = typeof request.query.after === 'string' && /^\d{1,10}$/.test(request.query.after) ? Number(request.query.after) : 0;
    const rows = await listCourses(app.db, { afterId: after, limit: PAGE });
    const courses = rows.slice(0, PAGE);
    const now = Date.now();
    const sessions = upcoming(await sessionsOf(app.db, courses.map((c) => c.id)), now);
    return reply.page(
      'training/index',
      { courses, sessions, next: rows.length > PAGE ? courses[courses.length - 1].id : null, refusal, back: 'list', ...(await sessionLocals(request, sessions)) },
      { status },
    );
  }

  app.get<{ Querystring: ListQuery }>('/training', anyone, async (request, reply) => listPage(request, reply));

  // ---- managers: a new course ----

  function newPage(reply: FastifyReply, values: Values, errors: Record<string, string> = {}, status?: number) {
    return reply.page('training/new', { values, errors, roles: TRAINING_ROLES, areas: PRACTICE_AREAS }, { status });
  }

  app.get('/training/new', managers, async (_request, reply) => newPage(reply, BLANK_COURSE));

  app.post<{ Body: FormBody }>('/training', managers, async (request, reply) => {
    const { input, values } = readCourseForm(request.body);
    let course: Course;
    try {
      course = await createCourse(app.db, request.actor(), input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return newPage(reply, values, messages(err.fields, request.t), 422);
    }
    await reply.flash('ok', request.t('training.page.created', { title: course.title }));
    return redirect(request, reply, `/training/${course.id}`);
  });

  // ---- one course, its sessions, and the session form ----

  const loadCourse = (id: string) => loadById(id, (n) => getCourse(app.db, n), 'Course not found');

  async function coursePage(request: FastifyRequest, reply: FastifyReply, course: Course, extra: Record<string, unknown> = {}, status?: number) {
    const all = await sessionsOf(app.db, [course.id]);
    const manage = isManager(request);
    // people see the sessions still to come (a cancelled one marked, with its reason: its notice links here);
    // managers see every session, past ones too
    const now = Date.now();
    const sessions = manage ? all : all.filter((s) => s.starts_at.getTime() > now);
    return reply.page(
      'training/show',
      { course, sessions, refusal: null, values: BLANK_SESSION, errors: {}, back: 'course', ...(await sessionLocals(request, sessions)), ...extra },
      { status },
    );
  }

  app.get<{ Params: { id: string } }>('/training/:id', anyone, async (request, reply) => coursePage(request, reply, await loadCourse(request.params.id)));

  app.post<{ Params: { id: string }; Body: FormBody }>('/training/:id/sessions', managers, async (request, reply) => {
    const course = await loadCourse(request.params.id);
    const { input, values } = readSessionForm(request.body);
    try {
      await createSession(app.db, request.actor(), course.id, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return coursePage(request, reply, course, { values, errors: messages(formErrors(err.fields), request.t) }, 422);
    }
    await reply.flash('ok', request.t('training.session.created'));
    return redirect(request, reply, `/training/${course.id}`);
  });

  // ---- enrol and cancel, one click; a refusal is said on the page it came from, nothing changed ----

  async function refused(request: FastifyRequest<{ Body: FormBody }>, reply: FastifyReply, courseId: number, err: unknown) {
    let message: string;
    let status: number;
    if (err instanceof RuleError) [message, status] = [request.t(err.key, err.params), err.statusCode];
    // the only field of an enrolment is the person: said to them as "you may not enrol", not as an unknown id
    else if (err instanceof ValidationError) [message, status] = [request.t('training.page.err.notEligible'), 422];
    else throw err;
    if (str(request.body, 'next') === 'course') return coursePage(request, reply, (await getCourse(app.db, courseId))!, { refusal: message }, status);
    return listPage(request as FastifyRequest<{ Querystring: ListQuery }>, reply, message, status);
  }

  const back = (body: FormBody | undefined, courseId: number) => (str(body, 'next') === 'course' ? `/training/${courseId}` : '/training');

  async function loadSessionWithCourse(id: string) {
    const session = await loadById(id, (n) => getSession(app.db, n), 'Session not found');
    const course = await getCourse(app.db, session.course_id);
    if (!course) throw new NotFoundError('Course not found');
    return { session, course };
  }

  app.post<{ Params: { id: string }; Body: FormBody }>('/training/sessions/:id/enrol', people, async (request, reply) => {
    const { session, course } = await loadSessionWithCourse(request.params.id);
    let result;
    try {
      result = await enrol(app.db, request.actor(), session.id, trainingPersonOf(request.user ?? null, true)!);
    } catch (err) {
      return refused(request, reply, course.id, err);
    }
    const text =
      result.position === null ? request.t('training.enrol.doneEnrolled', { title: course.title }) : request.t('training.enrol.doneWaitlisted', { title: course.title, position: result.position });
    await reply.flash('ok', text);
    return redirect(request, reply, back(request.body, course.id));
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/training/sessions/:id/cancel', people, async (request, reply) => {
    const { session, course } = await loadSessionWithCourse(request.params.id);
    try {
      await cancelEnrolment(app.db, request.actor(), session.id, trainingPersonOf(request.user ?? null, true)!);
    } catch (err) {
      return refused(request, reply, course.id, err);
    }
    await reply.flash('ok', request.t('training.enrol.doneCancelled', { title: course.title }));
    return redirect(request, reply, back(request.body, course.id));
  });
}
