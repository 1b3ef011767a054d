// Case pages: the queues (manager) or a lawyer's own list, the application form,
// the case page with its action forms, and the printable notices. Cases are for
// managers and the lawyers they are assigned to only: anyone else gets 404.
import { flag, type CaseListQuery } from './cases.export.js';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { requireUser, redirect } from '../../plugins/auth.js';
import { audit } from '../../plugins/audit.js';
import { authorize } from '../../lib/access.js';
import { ForbiddenError, NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { messages, type FormBody } from '../../lib/forms.js';
import { pageNumber } from '../../lib/paging.js';
import {
  CASE_DATE_KINDS,
  CASE_KINDS,
  CASE_SOURCES,
  CASE_STATUSES,
  EXEMPTIONS,
  PRACTICE_AREAS,
  PRIORITY_GROUPS,
  TERMINATION_REASONS,
  type Case,
  type CaseStatus,
  type Role,
} from '../../db/types.js';
import { listRegions } from '../organizations/organizations.service.js';
import { createCase, getCase, today } from './cases.service.js';
import { caseDetail, listCases, queueCounts, QUEUE_NAMES, QUEUES, statusCounts, type CaseFilter, type QueueName } from './cases.queries.js';
import { applicationValues, CASE_ACTIONS, formField, readApplicationForm, readCaseForm, type CaseFormValues, type Who } from './cases.forms.js';
import { can } from './cases.flow.js';
import { updateApplication } from './cases.update.js';
import { availableActions, caseHelpers, choicesFor } from './cases.pages.view.js';
import { whyOf } from '../rotation/assign.view.js';
import type { MessageKey } from '../../i18n/index.js';

/** Only these roles see cases at all; for the others the pages do not exist. */
function caseRoles(...roles: Role[]): preHandlerAsyncHookHandler {
  const login = requireUser();
  return async function (this: FastifyInstance, request, reply) {
    if (!request.user) return login.call(this, request, reply);
    if (!roles.includes(request.user.role)) throw new NotFoundError();
  };
}


/** The queues a lawyer's cases can be in: they never see review or decision. */
const LAWYER_QUEUES: QueueName[] = ['handling', 'quality', 'finished'];
/** The statuses a case assigned to a lawyer can have. */
const LAWYER_STATUSES: readonly CaseStatus[] = ['assigned', 'accepted', 'closed', 'reviewed', 'terminated'];

export default async function caseRoutes(app: FastifyInstance) {
  const staff = { preHandler: caseRoles('manager', 'lawyer') };
  const managers = { preHandler: caseRoles('manager') };
  type IdRequest = FastifyRequest<{ Params: { id: string } }>;
  const load = (request: IdRequest) => authorize(request.user, 'case', 'read', () => getCase(app.db, Number(request.params.id)));

  app.get<{ Querystring: CaseListQuery }>('/cases', staff, async (request, reply) => {
    const q = request.query;
    const lawyer = request.user!.role === 'lawyer';
    const queues = lawyer ? LAWYER_QUEUES : QUEUE_NAMES;
    const queue = queues.includes(q.queue as QueueName) ? (q.queue as QueueName) : '';
    const statuses = (queue ? QUEUES[queue] : CASE_STATUSES).filter((s) => !lawyer || LAWYER_STATUSES.includes(s));
    const filter: CaseFilter & { page: number } = {
      queue: queue || undefined,
      status: (statuses as readonly string[]).includes(q.status ?? '') ? q.status : undefined,
      q: q.q?.trim().slice(0, 100) || undefined,
      kind: q.kind || undefined,
      category: q.category || undefined,
      regionCode: q.region || undefined,
      green: flag(q.green),
      overdue: flag(q.overdue),
      emergency: flag(q.emergency),
      // a lawyer without a linked lawyer record has no cases (-1 matches nothing)
      lawyerId: lawyer ? (request.user!.lawyerId ?? -1) : undefined,
      page: pageNumber(q.page),
    };
    const [result, counts, regions] = await Promise.all([listCases(app.db, filter), statusCounts(app.db, filter), listRegions(app.db)]);
    const qc = queueCounts(counts);
    const all = Object.values(counts).reduce((a, b) => a + b, 0);
    return reply.page(
      'cases/index',
      { result, filter, queue, queues: queues.map((name) => ({ name, count: qc[name] })), all, statuses, counts, regions, kinds: CASE_KINDS, areas: PRACTICE_AREAS, h: caseHelpers(request) },
      { fragment: 'cases/_table' },
    );
  });

  /** The application form: a new application, or (with `editing`) the correction of one not yet decided. */
  async function form(request: FastifyRequest, reply: FastifyReply, values: CaseFormValues, errors: Record<string, string> = {}, status?: number, editing?: Case) {
    const [regions, centres] = await Promise.all([listRegions(app.db), choicesFor(app.db, 'centres')]);
    const lists = { kinds: CASE_KINDS, areas: PRACTICE_AREAS, sources: CASE_SOURCES, groups: PRIORITY_GROUPS, exemptions: EXEMPTIONS };
    return reply.page('cases/form', { values, errors, regions, centres, ...lists, editing, h: caseHelpers(request) }, { status });
  }

  app.get<{ Querystring: { consultation?: string } }>('/cases/new', managers, async (request, reply) => {
    const values: CaseFormValues = { source: 'walk_in', priorityGroups: [], exemptions: [] };
    const id = Number(request.query.consultation);
    if (request.query.consultation) {
      const c = await authorize(request.user, 'consultation', 'read', () =>
        Number.isInteger(id) && id > 0 && id < 2 ** 31 ? app.db.selectFrom('consultations').selectAll().where('id', '=', id).executeTakeFirst() : Promise.resolve(undefined),
      );
      Object.assign(values, {
        consultationId: String(c.id),
        applicantName: c.person_name ?? '',
        applicantPhone: c.phone ?? '',
        regionCode: c.region_code,
        category: (PRACTICE_AREAS as readonly string[]).includes(c.topic) ? c.topic : '',
        summary: c.question,
      });
    }
    return form(request, reply, values);
  });

  app.post<{ Body: FormBody }>('/cases', managers, async (request, reply) => {
    const { input, values } = readCaseForm(request.body);
    try {
      const c = await createCase(app.db, request.actor(), input);
      await reply.flash('ok', request.t('cases.flash.created', { number: c.number }));
      return redirect(request, reply, `/cases/${c.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const errors = messages(err.fields.map((f) => ({ ...f, field: formField(f.field) })), request.t);
      return form(request, reply, values, errors, 422);
    }
  });

  /** The case page; every rendering is a read of the file, so it is audited. */
  async function show(request: FastifyRequest, reply: FastifyReply, c: Case, extra: Record<string, unknown> = {}, status?: number) {
    const on = today();
    const role = request.user!.role as Who;
    const actions = availableActions(role, c, on);
    const [detail, why, centres] = await Promise.all([
      caseDetail(app.db, c, on),
      whyOf(app.db, c, (a) => request.t(`area.${a}` as MessageKey)),
      actions.includes('transfer') ? choicesFor(app.db, 'centres') : [],
    ]);
    await audit(app.db, request.actor(), { action: 'case.viewed', entity: 'case', entityId: c.id });
    const lists = { terminations: TERMINATION_REASONS, dateKinds: CASE_DATE_KINDS };
    const editable = role === 'manager' && can('edit', c.status);
    return reply.page('cases/show', { c, ...detail, actions, editable, why, centres, ...lists, today: on, h: caseHelpers(request), failed: '', formErrors: {}, formValues: {}, alert: '', ...extra }, { status });
  }

  app.get<{ Params: { id: string } }>('/cases/:id', staff, async (request, reply) => show(request, reply, await load(request)));

  app.get<{ Params: { id: string; requestId: string } }>('/cases/:id/materials/:requestId/notice', staff, async (request, reply) => {
    const c = await load(request);
    const rid = Number(request.params.requestId);
    const req = Number.isInteger(rid) && rid > 0 && rid < 2 ** 31 ? await app.db.selectFrom('case_material_requests').selectAll().where('id', '=', rid).where('case_id', '=', c.id).executeTakeFirst() : undefined;
    if (!req) throw new NotFoundError();
    const detail = await caseDetail(app.db, c);
    await audit(app.db, request.actor(), { action: 'case.viewed', entity: 'case', entityId: c.id, after: { document: 'materials_notice', requestId: req.id } });
    return reply.page('cases/materials-notice', { c, req, ...detail, h: caseHelpers(request) });
  });

  app.get<{ Params: { id: string } }>('/cases/:id/decision/notice', staff, async (request, reply) => {
    const c = await load(request);
    if (!c.decision) throw new NotFoundError();
    const detail = await caseDetail(app.db, c);
    await audit(app.db, request.actor(), { action: 'case.viewed', entity: 'case', entityId: c.id, after: { document: 'decision_notice' } });
    return reply.page('cases/decision-notice', { c, ...detail, h: caseHelpers(request) });
  });

  // Correcting an application before its decision. After it, the edit URL answers 409 with the case
  // page and the reason (not 404: the manager may see the case; only this change is no longer possible).
  const loadForEdit = (request: IdRequest) => authorize(request.user, 'case', 'write', () => getCase(app.db, Number(request.params.id)));
  const notEditable = (request: FastifyRequest, reply: FastifyReply, c: Case) => show(request, reply, c, { alert: request.t('case.err.state.edit') }, 409);

  app.get<{ Params: { id: string } }>('/cases/:id/edit', managers, async (request, reply) => {
    const c = await loadForEdit(request);
    if (!can('edit', c.status)) return notEditable(request, reply, c);
    // the form shows the full ID number: a read of the file like the case page
    await audit(app.db, request.actor(), { action: 'case.viewed', entity: 'case', entityId: c.id, after: { document: 'edit_form' } });
    return form(request, reply, applicationValues(c), {}, undefined, c);
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/cases/:id/edit', managers, async (request, reply) => {
    const c = await loadForEdit(request);
    if (!can('edit', c.status)) return notEditable(request, reply, c);
    const { input, values } = readApplicationForm(request.body);
    try {
      await updateApplication(app.db, request.actor(), c.id, input);
    } catch (err) {
      if (err instanceof ValidationError) {
        const errors = messages(err.fields.map((f) => ({ ...f, field: formField(f.field) })), request.t);
        return form(request, reply, values, errors, 422, c);
      }
      // decided by someone else between the load and the save
      if (err instanceof RuleError) return show(request, reply, (await getCase(app.db, c.id)) ?? c, { alert: request.t(err.key, err.params) }, err.statusCode);
      throw err;
    }
    await reply.flash('ok', request.t('cases.flash.updated'));
    return redirect(request, reply, `/cases/${c.id}`);
  });

  app.post<{ Params: { id: string; action: string }; Body: FormBody }>('/cases/:id/:action', staff, async (request, reply) => {
    const slug = request.params.action;
    const spec = Object.hasOwn(CASE_ACTIONS, slug) ? CASE_ACTIONS[slug] : undefined;
    if (!spec) throw new NotFoundError();
    const c = await load(request);
    const role = request.user!.role as Who;
    if (!spec.who.includes(role)) {
      // a manager cannot accept or plan dates for the lawyer; a lawyer cannot decide
      if (role === 'manager') return show(request, reply, c, { alert: request.t('case.err.notYours') }, 409);
      throw new ForbiddenError();
    }
    try {
      await spec.run(app.db, request.actor(), c.id, request.body);
    } catch (err) {
      const fresh = (await getCase(app.db, c.id)) ?? c;
      if (err instanceof ValidationError)
        return show(request, reply, fresh, { failed: slug, formErrors: messages(err.fields, request.t), formValues: request.body ?? {} }, 422);
      if (err instanceof RuleError) return show(request, reply, fresh, { alert: request.t(err.key, err.params) }, err.statusCode);
      throw err;
    }
    await reply.flash('ok', request.t(spec.flash));
    return redirect(request, reply, `/cases/${c.id}`);
  });
}
