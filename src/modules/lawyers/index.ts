// Lawyer pages: the list (search, filters, sort, paging), create, edit, the
// detail page with leave and conflicts; a lawyer's own profile.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, redirect } from '../../plugins/auth.js';
import { authorize, may } from '../../lib/access.js';
import { ValidationError } from '../../lib/errors.js';
import { list, messages, optional, str, type FormBody } from '../../lib/forms.js';
import { pageNumber } from '../../lib/paging.js';
import { LAWYER_STATUSES, PRACTICE_AREAS, type LawyerStatus } from '../../db/types.js';
import { listRegions } from '../organizations/organizations.service.js';
import { normalizeLicense, normalizePhone, splitList, type LawyerInput } from './lawyers.rules.js';
import {
  addConflict,
  addLeave,
  conflictsOf,
  createLawyer,
  firmChoices,
  getLawyer,
  leavesOf,
  toLawyerRow,
  listLawyers,
  removeConflict,
  removeLeave,
  updateLawyer,
  updateOwnProfile,
} from './lawyers.service.js';

export interface LawyerListQuery {
  q?: string;
  status?: string;
  area?: string;
  region?: string;
  org?: string;
  sort?: string;
  page?: string;
}

export function lawyerFilter(q: LawyerListQuery) {
  return {
    q: q.q?.trim() ?? '',
    status: q.status ?? '',
    area: q.area ?? '',
    regionCode: q.region ?? '',
    organizationId: Number(q.org) || undefined,
    sort: q.sort ?? 'name',
    page: pageNumber(q.page),
  };
}

function readForm(body: FormBody | undefined): LawyerInput {
  const org = str(body, 'organizationId');
  const level = str(body, 'level');
  const max = str(body, 'maxOpenCases');
  return {
    name: str(body, 'name'),
    licenseNo: normalizeLicense(str(body, 'licenseNo')),
    organizationId: org ? Number(org) || -1 : null,
    practiceAreas: list(body, 'practiceAreas'),
    level: Number(level) || 0,
    regionCode: str(body, 'regionCode'),
    languages: splitList(str(body, 'languages')),
    phone: normalizePhone(optional(body, 'phone')),
    email: optional(body, 'email'),
    maxOpenCases: max === '' ? 5 : /^\d+$/.test(max) ? Number(max) : -1,
    status: (str(body, 'status') || 'active') as LawyerStatus,
  };
}

export default async function lawyerRoutes(app: FastifyInstance) {
  const readers = { preHandler: requireRole('admin', 'manager', 'auditor') };
  const writers = { preHandler: requireRole('admin', 'manager') };
  const loadFor = (request: FastifyRequest<{ Params: { id: string } }>, action: 'read' | 'write') =>
    authorize(request.user, 'lawyer', action, () => getLawyer(app.db, Number(request.params.id)));

  app.get<{ Querystring: LawyerListQuery }>('/lawyers', readers, async (request, reply) => {
    const filter = lawyerFilter(request.query);
    const [result, regions] = await Promise.all([listLawyers(app.db, filter), listRegions(app.db)]);
    return reply.page(
      'lawyers/index',
      { result, filter, regions, areas: PRACTICE_AREAS, statuses: LAWYER_STATUSES, canWrite: may(request.user, 'lawyer', 'write') },
      { fragment: 'lawyers/_table' },
    );
  });

  async function form(reply: FastifyReply, data: Record<string, unknown>, status?: number) {
    const [regions, firms] = await Promise.all([listRegions(app.db), firmChoices(app.db)]);
    return reply.page('lawyers/form', { regions, firms, areas: PRACTICE_AREAS, statuses: LAWYER_STATUSES, errors: {}, ...data }, { status });
  }

  app.get('/lawyers/new', writers, async (_request, reply) =>
    form(reply, { lawyer: null, values: { level: 1, max_open_cases: 5, status: 'active', practice_areas: [], languages: [] } }),
  );

  app.post<{ Body: FormBody }>('/lawyers', writers, async (request, reply) => {
    const input = readForm(request.body);
    try {
      const lawyer = await createLawyer(app.db, request.actor(), input);
      await reply.flash('ok', request.t('lawyer.created'));
      return redirect(request, reply, `/lawyers/${lawyer.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(reply, { lawyer: null, values: toLawyerRow(input), errors: messages(err.fields, request.t) }, 422);
    }
  });

  app.get<{ Params: { id: string } }>('/lawyers/:id', { preHandler: requireRole('admin', 'manager', 'auditor', 'lawyer') }, async (request, reply) => {
    const lawyer = await loadFor(request, 'read');
    return detail(request, reply, lawyer.id);
  });

  async function detail(request: FastifyRequest, reply: FastifyReply, id: number, extra: Record<string, unknown> = {}, status?: number) {
    const lawyer = (await getLawyer(app.db, id))!;
    const [leaves, conflicts, organization, region] = await Promise.all([
      leavesOf(app.db, id),
      conflictsOf(app.db, id),
      lawyer.organization_id ? app.db.selectFrom('organizations').select(['id', 'name']).where('id', '=', lawyer.organization_id).executeTakeFirst() : undefined,
      app.db.selectFrom('regions').select(['name_zh', 'name_en']).where('code', '=', lawyer.region_code).executeTakeFirst(),
    ]);
    const canWrite = may(request.user, 'lawyer', 'write');
    return reply.page('lawyers/show', { lawyer, leaves, conflicts, organization, region, canWrite, errors: {}, values: {}, ...extra }, { status });
  }

  app.get<{ Params: { id: string } }>('/lawyers/:id/edit', writers, async (request, reply) => {
    const lawyer = await loadFor(request, 'write');
    return form(reply, { lawyer, values: lawyer });
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/lawyers/:id', writers, async (request, reply) => {
    const lawyer = await loadFor(request, 'write');
    const input = readForm(request.body);
    try {
      await updateLawyer(app.db, request.actor(), lawyer.id, input);
      await reply.flash('ok', request.t('lawyer.saved'));
      return redirect(request, reply, `/lawyers/${lawyer.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(reply, { lawyer, values: toLawyerRow(input), errors: messages(err.fields, request.t) }, 422);
    }
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/lawyers/:id/leaves', writers, async (request, reply) => {
    const lawyer = await loadFor(request, 'write');
    const input = { startsOn: str(request.body, 'startsOn'), endsOn: str(request.body, 'endsOn'), reason: optional(request.body, 'reason') };
    try {
      await addLeave(app.db, request.actor(), lawyer.id, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return detail(request, reply, lawyer.id, { errors: messages(err.fields, request.t), values: input }, 422);
    }
    await reply.flash('ok', request.t('lawyer.leave.added'));
    return redirect(request, reply, `/lawyers/${lawyer.id}#leaves`);
  });

  app.post<{ Params: { id: string; leaveId: string } }>('/lawyers/:id/leaves/:leaveId/delete', writers, async (request, reply) => {
    const lawyer = await loadFor(request, 'write');
    await removeLeave(app.db, request.actor(), lawyer.id, Number(request.params.leaveId) || 0);
    await reply.flash('ok', request.t('lawyer.leave.removed'));
    return redirect(request, reply, `/lawyers/${lawyer.id}#leaves`);
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/lawyers/:id/conflicts', writers, async (request, reply) => {
    const lawyer = await loadFor(request, 'write');
    const input = { party: str(request.body, 'party'), partyKind: str(request.body, 'partyKind') || 'person', note: optional(request.body, 'note') };
    try {
      await addConflict(app.db, request.actor(), lawyer.id, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return detail(request, reply, lawyer.id, { errors: messages(err.fields, request.t), values: input }, 422);
    }
    await reply.flash('ok', request.t('lawyer.conflict.added'));
    return redirect(request, reply, `/lawyers/${lawyer.id}#conflicts`);
  });

  app.post<{ Params: { id: string; conflictId: string } }>('/lawyers/:id/conflicts/:conflictId/delete', writers, async (request, reply) => {
    const lawyer = await loadFor(request, 'write');
    await removeConflict(app.db, request.actor(), lawyer.id, Number(request.params.conflictId) || 0);
    await reply.flash('ok', request.t('lawyer.conflict.removed'));
    return redirect(request, reply, `/lawyers/${lawyer.id}#conflicts`);
  });

  // a lawyer's own profile: contact details and languages are theirs to edit
  app.post<{ Body: FormBody }>('/profile/lawyer', { preHandler: requireRole('lawyer') }, async (request, reply) => {
    const id = request.user!.lawyerId;
    const lawyer = await authorize(request.user, 'lawyer', 'read', () => (id ? getLawyer(app.db, id) : Promise.resolve(undefined)));
    const input = { phone: normalizePhone(optional(request.body, 'phone')), email: optional(request.body, 'email'), languages: splitList(str(request.body, 'languages')) };
    try {
      await updateOwnProfile(app.db, request.actor(), lawyer.id, input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return detail(request, reply, lawyer.id, { errors: messages(err.fields, request.t), values: input, own: true }, 422);
    }
    await reply.flash('ok', request.t('lawyer.saved'));
    return redirect(request, reply, `/lawyers/${lawyer.id}`);
  });
}
