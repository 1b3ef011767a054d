// The manager's session page: the session's facts, who is enrolled and who waits
// (in order), and one attendance form per person (hours, capped by the service at
// the course's credit hours) with a big button that works on a phone.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import { redirect, requireRole } from '../../plugins/auth.js';
import { formatHours, tenthsOf } from '../hours/hours.rules.js';
import { recordAttendance } from './training.enrol.js';
import { sessionRoster } from './training.roster.js';
import type { Person } from './training.rules.js';
import { getCourse, getSession, sessionsOf } from './training.service.js';
import { loadById } from './pages.common.js';

/** The form names a person as 'l:12' (lawyer 12) or 'v:3' (volunteer 3). */
export function personKey(p: Person): string {
  return `${p.kind === 'lawyer' ? 'l' : 'v'}:${p.id}`;
}

function parsePersonKey(value: string): Person | null {
  const m = /^([lv]):(\d{1,10})$/.exec(value);
  return m ? { kind: m[1] === 'l' ? 'lawyer' : 'volunteer', id: Number(m[2]) } : null;
}

interface FormState {
  /** the person whose row carries the errors and typed value */
  who: string;
  hours: string;
  errors: Record<string, string>;
}

export default async function sessionPages(app: FastifyInstance) {
  const managers = { preHandler: requireRole('manager', 'admin') };

  async function load(id: string) {
    const found = await loadById(id, (n) => getSession(app.db, n), 'Session not found');
    const [course, withCounts] = await Promise.all([getCourse(app.db, found.course_id), sessionsOf(app.db, [found.course_id])]);
    const session = withCounts.find((s) => s.id === found.id);
    if (!course || !session) throw new NotFoundError('Session not found');
    return { session, course };
  }

  async function sessionPage(request: FastifyRequest, reply: FastifyReply, id: string, extra: { refusal?: string; form?: FormState } = {}, status?: number) {
    const { session, course } = await load(id);
    const roster = await sessionRoster(app.db, session.id);
    return reply.page(
      'training/session',
      {
        session,
        course,
        seated: roster.filter((r) => r.status !== 'waitlisted'),
        waitlisted: roster.filter((r) => r.status === 'waitlisted'),
        started: session.starts_at.getTime() <= Date.now(),
        courseHours: formatHours(tenthsOf(course.credit_hours)),
        personKey,
        refusal: extra.refusal ?? null,
        form: extra.form ?? { who: '', hours: '', errors: {} },
      },
      { status },
    );
  }

  app.get<{ Params: { id: string } }>('/training/sessions/:id', managers, async (request, reply) => sessionPage(request, reply, request.params.id));

  app.post<{ Params: { id: string }; Body: FormBody }>('/training/sessions/:id/attendance', managers, async (request, reply) => {
    const { session } = await load(request.params.id);
    const who = str(request.body, 'person');
    const person = parsePersonKey(who);
    if (!person) throw new NotFoundError('No such enrolment');
    const hours = str(request.body, 'hours');
    let name = '';
    let credited = '';
    try {
      const { enrolment } = await recordAttendance(app.db, request.actor(), session.id, person, hours);
      credited = formatHours(tenthsOf(enrolment.hours));
      name = (await sessionRoster(app.db, session.id)).find((r) => r.enrolmentId === enrolment.id)?.name ?? '';
    } catch (err) {
      if (err instanceof ValidationError) return sessionPage(request, reply, request.params.id, { form: { who, hours, errors: messages(err.fields, request.t) } }, 422);
      if (err instanceof RuleError) return sessionPage(request, reply, request.params.id, { refusal: request.t(err.key, err.params) }, err.statusCode);
      throw err;
    }
    await reply.flash('ok', request.t('training.roster.marked', { name, hours: credited }));
    return redirect(request, reply, `/training/sessions/${session.id}`);
  });
}
