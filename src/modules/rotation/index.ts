// Assignment pages: the manager sees the rotation's pick with its explanation and
// confirms it (or overrides it with a written reason); the lawyer declines; the
// printable assignment notice. The decisions are the service's (rotation.service.ts);
// these routes parse, authorize, call one function and render.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirect, requireUser } from '../../plugins/auth.js';
import { audit } from '../../plugins/audit.js';
import { authorize } from '../../lib/access.js';
import { ForbiddenError, NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import type { Case } from '../../db/types.js';
import type { MessageKey } from '../../i18n/index.js';
import { getCase } from '../cases/cases.service.js';
import { assignByOverride, assignByRotation, declineAssignment, previewAssignment } from './rotation.service.js';
import { declineBy, noticeView, pickView } from './assign.view.js';

type IdRequest = FastifyRequest<{ Params: { id: string } }>;

interface AssignPageState {
  alert?: string;
  moved?: boolean;
  errors?: Record<string, string>;
  values?: Record<string, string>;
}

export default async function rotationRoutes(app: FastifyInstance) {
  const signedIn = { preHandler: requireUser() };
  // assigning is a manager's write on the case: for anyone else the page does not exist
  const loadForAssign = (request: IdRequest) => authorize(request.user, 'case', 'write', () => getCase(app.db, Number(request.params.id)));
  const loadForRead = (request: IdRequest) => authorize(request.user, 'case', 'read', () => getCase(app.db, Number(request.params.id)));
  const area = (request: FastifyRequest) => (a: string) => request.t(`area.${a}` as MessageKey);

  /** The assign page as it stands now: the preview, or the reason there is none. */
  async function assignPage(request: FastifyRequest, reply: FastifyReply, c: Case, state: AssignPageState = {}, status?: number) {
    if (c.status !== 'granted') {
      const alert = request.t('assign.notGranted', { status: request.t(`case.status.${c.status}` as MessageKey) });
      return reply.page('rotation/assign', { c, view: null, alert, moved: false, errors: {}, values: {} }, { status: status ?? 409 });
    }
    const view = await pickView(app.db, c, await previewAssignment(app.db, c.id), area(request));
    return reply.page('rotation/assign', { c, view, alert: '', moved: false, errors: {}, values: {}, ...state }, { status });
  }

  /** A refused assignment: the page again with the fresh pick and why nothing was assigned. */
  async function refused(request: FastifyRequest, reply: FastifyReply, c: Case, err: unknown, values: Record<string, string> = {}) {
    const fresh = (await getCase(app.db, c.id)) ?? c;
    if (err instanceof ValidationError) return assignPage(request, reply, fresh, { errors: messages(err.fields, request.t), values }, 422);
    if (err instanceof RuleError && err.code === 'rotation_moved') return assignPage(request, reply, fresh, { moved: true }, 409);
    if (err instanceof RuleError) return assignPage(request, reply, fresh, { alert: request.t(err.key, err.params), values }, err.statusCode);
    throw err;
  }

  app.get<{ Params: { id: string } }>('/cases/:id/assign', signedIn, async (request, reply) => assignPage(request, reply, await loadForAssign(request)));

  app.post<{ Params: { id: string }; Body: FormBody }>('/cases/:id/assign', signedIn, async (request, reply) => {
    const c = await loadForAssign(request);
    const expected = Number(str(request.body, 'expectedLawyerId'));
    let name: string;
    try {
      const done = await assignByRotation(app.db, request.actor(), c.id, { expectedLawyerId: Number.isInteger(expected) && expected > 0 ? expected : undefined });
      name = await lawyerName(done.assignment.lawyer_id);
    } catch (err) {
      return refused(request, reply, c, err);
    }
    await reply.flash('ok', request.t('assign.flash.rotation', { name }));
    return redirect(request, reply, `/cases/${c.id}`);
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/cases/:id/assign/override', signedIn, async (request, reply) => {
    const c = await loadForAssign(request);
    const values = { lawyerId: str(request.body, 'lawyerId'), reason: str(request.body, 'reason') };
    let name: string;
    try {
      const done = await assignByOverride(app.db, request.actor(), c.id, { lawyerId: Number(values.lawyerId) || 0, reason: values.reason });
      name = await lawyerName(done.assignment.lawyer_id);
    } catch (err) {
      return refused(request, reply, c, err, values);
    }
    await reply.flash('ok', request.t('assign.flash.override', { name }));
    return redirect(request, reply, `/cases/${c.id}`);
  });

  async function lawyerName(id: number): Promise<string> {
    const row = await app.db.selectFrom('lawyers').select('name').where('id', '=', id).executeTakeFirst();
    return row?.name ?? '';
  }

  // The printable notice: whoever may read the case may print it; a read of the file, so audited.
  app.get<{ Params: { id: string } }>('/cases/:id/assignment/notice', signedIn, async (request, reply) => {
    const c = await loadForRead(request);
    const n = await noticeView(app.db, c);
    if (!n) throw new NotFoundError();
    await audit(app.db, request.actor(), { action: 'case.viewed', entity: 'case', entityId: c.id, after: { document: 'assignment_notice', assignmentId: n.assignment.id } });
    return reply.page('rotation/notice', { c, n });
  });

  /** The decline form on its own page (after a refused decline, or without the case page). */
  async function declinePage(request: FastifyRequest, reply: FastifyReply, c: Case, state: AssignPageState = {}, status?: number) {
    const by = c.assigned_on ? await declineBy(app.db, c.assigned_on) : null;
    return reply.page('rotation/decline', { c, declineBy: by, alert: '', errors: {}, values: {}, ...state }, { status });
  }

  /** Only the lawyer the case is assigned to declines it; a manager may read the case but not decline for them. */
  async function loadForDecline(request: IdRequest) {
    const c = await loadForRead(request);
    if (request.user!.role !== 'lawyer') throw new ForbiddenError();
    return c;
  }

  app.get<{ Params: { id: string } }>('/cases/:id/decline', signedIn, async (request, reply) => declinePage(request, reply, await loadForDecline(request)));

  app.post<{ Params: { id: string }; Body: FormBody }>('/cases/:id/decline', signedIn, async (request, reply) => {
    const c = await loadForDecline(request);
    const values = { reason: str(request.body, 'reason'), conflict: str(request.body, 'conflict') };
    try {
      await declineAssignment(app.db, request.actor(), c.id, { reason: values.reason, conflict: values.conflict === '1' });
    } catch (err) {
      if (err instanceof ValidationError) return declinePage(request, reply, c, { errors: messages(err.fields, request.t), values }, 422);
      if (err instanceof RuleError) return declinePage(request, reply, c, { alert: request.t(err.key, err.params), values }, err.statusCode);
      throw err;
    }
    await reply.flash('ok', request.t('assign.flash.declined'));
    // the case is no longer theirs: back to their list
    return redirect(request, reply, '/cases');
  });
}
