// The manager's session page: the session's facts, who is enrolled and who waits
// (in order), and one attendance form per person (hours, capped by the service at
// the course's credit hours) with a big button that works on a phone; once the
// session has started, a one-tap "absent" (and its undo) per seated person and a
// walk-in form for someone who never enrolled; before it starts, cancelling the
// session with a reason.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import { redirect, requireRole } from '../../plugins/auth.js';
import { formatHours, tenthsOf } from '../hours/hours.rules.js';
import { recordAttendance } from './training.enrol.js';
import { cancelSession, CANCEL_REASON_MAX, setAbsent, walkInChoices } from './training.manage.js';
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

interface Extra {
  refusal?: string;
  form?: FormState;
  cancel?: { values: { reason: string }; errors: Record<string, string> };
  walkIn?: { values: { person: string; hours: string }; errors: Record<string, string> };
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

  /** What the page is drawn from; for a roster row alone (`rowOnly`), without the walk-in list. */
  async function locals(request: FastifyRequest, id: string, extra: Extra = {}, rowOnly = false) {
    const { session, course } = await load(id);
    const roster = await sessionRoster(app.db, session.id);
    const started = session.starts_at.getTime() <= Date.now();
    const courseHours = formatHours(tenthsOf(course.credit_hours));
    // the search narrowing the walk-in list: from the query, or kept in the walk-in form when it comes back with errors
    const query = (request.query ?? {}) as { q?: unknown };
    const q = (typeof query.q === 'string' ? query.q : str(request.body as FormBody | undefined, 'q')).trim().slice(0, 50);
    const walkIns = started && session.status === 'scheduled' && !rowOnly ? await walkInChoices(app.db, session.id, q) : { choices: [], more: false };
    return {
      session,
      course,
      roster,
      seated: roster.filter((r) => r.status !== 'waitlisted'),
      waitlisted: roster.filter((r) => r.status === 'waitlisted'),
      started,
      courseHours,
      personKey,
      refusal: extra.refusal ?? null,
      form: extra.form ?? { who: '', hours: '', errors: {} },
      cancel: extra.cancel ?? { values: { reason: '' }, errors: {} },
      reasonMax: CANCEL_REASON_MAX,
      walkIn: extra.walkIn ?? { values: { person: '', hours: courseHours }, errors: {} },
      walkIns,
      q,
    };
  }

  async function sessionPage(request: FastifyRequest, reply: FastifyReply, id: string, extra: Extra = {}, status?: number) {
    return reply.page('training/session', await locals(request, id, extra), { status });
  }

  /** A refusal is said at the top of the page, nothing changed; anything else is not ours to answer. */
  function refusedOr(request: FastifyRequest, reply: FastifyReply, id: string, err: unknown) {
    if (err instanceof RuleError) return sessionPage(request, reply, id, { refusal: request.t(err.key, err.params) }, err.statusCode);
    throw err;
  }

  app.get<{ Params: { id: string }; Querystring: { q?: string } }>('/training/sessions/:id', managers, async (request, reply) => sessionPage(request, reply, request.params.id));

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
      return refusedOr(request, reply, request.params.id, err);
    }
    await reply.flash('ok', request.t('training.roster.marked', { name, hours: credited }));
    return redirect(request, reply, `/training/sessions/${session.id}`);
  });

  // one tap: absent (absent=1) or back to enrolled (absent=0); htmx swaps just the row
  app.post<{ Params: { id: string }; Body: FormBody }>('/training/sessions/:id/absence', managers, async (request, reply) => {
    const { session } = await load(request.params.id);
    const person = parsePersonKey(str(request.body, 'person'));
    if (!person) throw new NotFoundError('No such enrolment');
    const absent = str(request.body, 'absent') !== '0';
    let enrolmentId: number;
    try {
      enrolmentId = (await setAbsent(app.db, request.actor(), session.id, person, absent)).id;
    } catch (err) {
      if (request.isHtmx) throw err;
      return refusedOr(request, reply, request.params.id, err);
    }
    const data = await locals(request, request.params.id, {}, true);
    const r = data.roster.find((x) => x.enrolmentId === enrolmentId);
    if (request.isHtmx && r) return reply.page('training/session', { ...data, r }, { fragment: 'training/_roster-row' });
    await reply.flash('ok', request.t(absent ? 'training.roster.absentDone' : 'training.roster.absentUndone', { name: r?.name ?? '' }));
    return redirect(request, reply, `/training/sessions/${session.id}`);
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/training/sessions/:id/walk-in', managers, async (request, reply) => {
    const { session } = await load(request.params.id);
    const values = { person: str(request.body, 'person'), hours: str(request.body, 'hours') };
    const invalid = (errors: Record<string, string>) => sessionPage(request, reply, request.params.id, { walkIn: { values, errors } }, 422);
    const person = parsePersonKey(values.person);
    if (!person) return invalid({ person: request.t('training.walkIn.err.person') });
    let hours = '';
    try {
      const { enrolment } = await recordAttendance(app.db, request.actor(), session.id, person, values.hours);
      hours = formatHours(tenthsOf(enrolment.hours));
    } catch (err) {
      if (err instanceof ValidationError) {
        const fields = err.fields.map((f) => (f.field === 'personId' ? { ...f, field: 'person', key: 'training.walkIn.err.person' as const } : f));
        return invalid(messages(fields, request.t));
      }
      return refusedOr(request, reply, request.params.id, err);
    }
    const name = (await sessionRoster(app.db, session.id)).find((r) => personKey(r.person) === values.person)?.name ?? '';
    await reply.flash('ok', request.t('training.roster.marked', { name, hours }));
    return redirect(request, reply, `/training/sessions/${session.id}`);
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/training/sessions/:id/cancellation', managers, async (request, reply) => {
    const { session } = await load(request.params.id);
    const reason = str(request.body, 'reason');
    let notified: number;
    try {
      notified = (await cancelSession(app.db, request.actor(), session.id, reason)).notified;
    } catch (err) {
      if (err instanceof ValidationError) return sessionPage(request, reply, request.params.id, { cancel: { values: { reason }, errors: messages(err.fields, request.t) } }, 422);
      return refusedOr(request, reply, request.params.id, err);
    }
    await reply.flash('ok', request.t('training.session.cancelDone', { count: notified }));
    return redirect(request, reply, `/training/sessions/${session.id}`);
  });
}
