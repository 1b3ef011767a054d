// Hours pages: a lawyer's own list with the form (/hours), changing or deleting
// a pending entry, and the manager's review (/hours/review).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { HOUR_KINDS } from '../../db/types.js';
import { authorize, policies } from '../../lib/access.js';
import { RuleError, ValidationError, type FieldError } from '../../lib/errors.js';
import { list, messages, str, type FormBody } from '../../lib/forms.js';
import { pageNumber } from '../../lib/paging.js';
import { redirect, requireRole } from '../../plugins/auth.js';
import { today } from '../cases/cases.service.js';
import { formatHours, isLocked, lockDateOf, tenthsOf, type HourInput } from './hours.rules.js';
import { approveMany, decideEntry, lawyersWithHours, listForReview, reviewFilter } from './hours.review.js';
import { caseChoices, deleteEntry, getEntry, listOwn, lockDayAt, logHours, totalsOf, updateEntry, type HourEntry, type Owner } from './hours.service.js';

type Values = Record<string, string>;

function readForm(body: FormBody | undefined): { input: HourInput; values: Values } {
  const values = { date: str(body, 'date'), hours: str(body, 'hours'), kind: str(body, 'kind'), caseId: str(body, 'caseId'), description: str(body, 'description') };
  // a case id that is not a number cannot be the lawyer's: it fails the ownership check like a foreign one
  const caseId = values.caseId === '' ? null : /^\d{1,10}$/.test(values.caseId) ? Number(values.caseId) : 0;
  return { input: { date: values.date, hours: values.hours, kind: values.kind, caseId, eventId: null, description: values.description }, values };
}

/** The month lock refuses a date: said next to the date field, like any other field error. */
function fieldErrors(err: unknown): FieldError[] | null {
  if (err instanceof ValidationError) return err.fields;
  if (err instanceof RuleError && err.code === 'month_locked') return [{ field: 'date', key: err.key, params: err.params }];
  return null;
}

function valuesOf(e: HourEntry): Values {
  return { date: e.work_date, hours: formatHours(tenthsOf(e.hours)), kind: e.kind, caseId: e.case_id ? String(e.case_id) : '', description: e.description };
}

export default async function hourRoutes(app: FastifyInstance) {
  const lawyer = { preHandler: requireRole('lawyer', 'manager') };
  const manager = { preHandler: requireRole('manager') };
  const ownerOfUser = (request: FastifyRequest): Owner => ({ lawyerId: request.user!.lawyerId ?? 0 });

  async function own(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status?: number) {
    const owner = ownerOfUser(request);
    const on = today();
    const page = pageNumber((request.query as { page?: string }).page);
    const [result, totals, cases, lockDay] = await Promise.all([listOwn(app.db, owner, page), totalsOf(app.db, owner, on), caseChoices(app.db, owner.lawyerId ?? 0), lockDayAt(app.db, on)]);
    // the month before this one, while it is still open, is the one people forget
    const prev = new Date(Date.UTC(Number(on.slice(0, 4)), Number(on.slice(5, 7)) - 2, 1)).toISOString().slice(0, 10);
    const prevLock = lockDateOf(prev, lockDay);
    const lockNote = isLocked(prev, lockDay, on) ? null : { month: prev.slice(0, 7), date: prevLock };
    const editable = (e: HourEntry) => policies.hour_entry.write(request.user!, { ...e, locked: isLocked(e.work_date, lockDay, on) });
    return reply.page(
      'hours/index',
      { result, totals, cases, kinds: HOUR_KINDS, today: on, lockDay, lockNote, editable, fh: formatHours, tenths: tenthsOf, errors: {}, values: { date: on, kind: 'case' }, ...extra },
      { fragment: 'hours/_list', status },
    );
  }

  app.get('/hours', lawyer, async (request, reply) => {
    if (request.user!.role === 'manager') return redirect(request, reply, '/hours/review');
    return own(request, reply);
  });

  app.post<{ Body: FormBody }>('/hours', { preHandler: requireRole('lawyer') }, async (request, reply) => {
    const { input, values } = readForm(request.body);
    try {
      await logHours(app.db, request.actor(), ownerOfUser(request), input);
    } catch (err) {
      const fields = fieldErrors(err);
      if (!fields) throw err;
      return own(request, reply, { errors: messages(fields, request.t), values }, 422);
    }
    await reply.flash('ok', request.t('hours.logged'));
    return redirect(request, reply, '/hours');
  });

  const loadOwn = (request: FastifyRequest<{ Params: { id: string } }>) =>
    authorize(request.user, 'hour_entry', 'read', () => getEntry(app.db, Number(request.params.id)));

  async function editPage(request: FastifyRequest, reply: FastifyReply, entry: HourEntry, values: Values, errors: Record<string, string> = {}, status?: number) {
    const cases = await caseChoices(app.db, request.user!.lawyerId ?? 0);
    return reply.page('hours/edit', { entry, cases, kinds: HOUR_KINDS, today: today(), values, errors }, { status });
  }

  app.get<{ Params: { id: string } }>('/hours/:id/edit', { preHandler: requireRole('lawyer') }, async (request, reply) => {
    const entry = await loadOwn(request);
    const lockDay = await lockDayAt(app.db, entry.work_date);
    if (entry.status !== 'pending') throw new RuleError(409, 'entry_decided', 'hours.err.decided');
    if (isLocked(entry.work_date, lockDay, today())) throw new RuleError(409, 'month_locked', 'hours.err.locked', { month: entry.work_date.slice(0, 7), date: lockDateOf(entry.work_date, lockDay) });
    return editPage(request, reply, entry, valuesOf(entry));
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/hours/:id', { preHandler: requireRole('lawyer') }, async (request, reply) => {
    const entry = await loadOwn(request);
    const { input, values } = readForm(request.body);
    try {
      await updateEntry(app.db, request.actor(), ownerOfUser(request), entry.id, input);
    } catch (err) {
      // a lock on the entry's own (old) month is no field error: the page says it
      const fields = err instanceof RuleError && err.params.month !== input.date.slice(0, 7) ? null : fieldErrors(err);
      if (!fields) throw err;
      return editPage(request, reply, entry, values, messages(fields, request.t), 422);
    }
    await reply.flash('ok', request.t('hours.saved'));
    return redirect(request, reply, '/hours');
  });

  app.post<{ Params: { id: string } }>('/hours/:id/delete', { preHandler: requireRole('lawyer') }, async (request, reply) => {
    const entry = await loadOwn(request);
    await deleteEntry(app.db, request.actor(), ownerOfUser(request), entry.id);
    await reply.flash('ok', request.t('hours.deleted'));
    return redirect(request, reply, '/hours');
  });

  // ---- the manager's review ----

  async function review(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status?: number) {
    const q = request.query as Record<string, string | undefined>;
    const filter = reviewFilter(q, pageNumber(q.page));
    const [result, lawyers] = await Promise.all([listForReview(app.db, filter), lawyersWithHours(app.db)]);
    return reply.page('hours/review', { result, filter, lawyers, kinds: HOUR_KINDS, fh: formatHours, tenths: tenthsOf, errors: {}, values: {}, ...extra }, { fragment: 'hours/_review', status });
  }

  app.get('/hours/review', manager, async (request, reply) => review(request, reply));

  app.post<{ Params: { id: string } }>('/hours/:id/approve', manager, async (request, reply) => {
    const entry = await authorize(request.user, 'hour_entry', 'read', () => getEntry(app.db, Number(request.params.id)));
    await decideEntry(app.db, request.actor(), entry.id, { approve: true, reason: null });
    await reply.flash('ok', request.t('hours.review.approved'));
    return redirect(request, reply, '/hours/review');
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/hours/:id/reject', manager, async (request, reply) => {
    const entry = await authorize(request.user, 'hour_entry', 'read', () => getEntry(app.db, Number(request.params.id)));
    const reason = str(request.body, 'reason');
    try {
      await decideEntry(app.db, request.actor(), entry.id, { approve: false, reason });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // the error sits next to that row's reason field
      const errors = { [`reason-${entry.id}`]: messages(err.fields, request.t).reason ?? '' };
      return review(request, reply, { errors, values: { [`reason-${entry.id}`]: reason } }, 422);
    }
    await reply.flash('ok', request.t('hours.review.rejected'));
    return redirect(request, reply, '/hours/review');
  });

  app.post<{ Body: FormBody }>('/hours/review/approve', manager, async (request, reply) => {
    const n = await approveMany(app.db, request.actor(), list(request.body, 'ids').map(Number));
    await reply.flash('ok', request.t('hours.review.approvedMany', { count: n }));
    return redirect(request, reply, '/hours/review');
  });
}
