// Organisation pages: the list with live search and filters, create and edit.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, redirect } from '../../plugins/auth.js';
import { authorize, may } from '../../lib/access.js';
import { ValidationError } from '../../lib/errors.js';
import { list, messages, optional, str, type FormBody } from '../../lib/forms.js';
import { pageNumber } from '../../lib/paging.js';
import { ORGANIZATION_KINDS, type OrganizationKind } from '../../db/types.js';
import {
  createOrganization,
  getOrganization,
  listOrganizations,
  listRegions,
  organizationDetail,
  organizationTree,
  parentChoices,
  updateOrganization,
  type OrganizationInput,
} from './organizations.service.js';

interface ListQuery {
  q?: string;
  kind?: string;
  region?: string;
  sort?: string;
  page?: string;
}

function readForm(body: FormBody | undefined): OrganizationInput {
  const parent = str(body, 'parentId');
  return {
    name: str(body, 'name'),
    kind: str(body, 'kind') as OrganizationKind,
    regionCode: str(body, 'regionCode'),
    parentId: parent ? Number(parent) || -1 : null,
    address: optional(body, 'address'),
    phone: optional(body, 'phone'),
    openingHours: optional(body, 'openingHours'),
    // a hidden 0 precedes the checkbox, so a checked box sends both values
    active: list(body, 'active').includes('1'),
  };
}

export default async function organizationRoutes(app: FastifyInstance) {
  const readers = { preHandler: requireRole('admin', 'manager', 'auditor') };
  const writers = { preHandler: requireRole('admin', 'manager') };

  app.get<{ Querystring: ListQuery }>('/organizations', readers, async (request, reply) => {
    const q = request.query;
    const filter = { q: q.q?.trim() ?? '', kind: q.kind ?? '', regionCode: q.region ?? '', sort: q.sort ?? 'name', page: pageNumber(q.page) };
    const [result, regions] = await Promise.all([listOrganizations(app.db, filter), listRegions(app.db)]);
    const canWrite = may(request.user, 'organization', 'write');
    return reply.page('organizations/index', { result, filter, regions, kinds: ORGANIZATION_KINDS, canWrite }, { fragment: 'organizations/_table' });
  });

  app.get('/organizations/tree', readers, async (request, reply) => {
    const groups = await organizationTree(app.db);
    return reply.page('organizations/tree', { groups, canWrite: may(request.user, 'organization', 'write') });
  });

  app.get<{ Params: { id: string } }>('/organizations/:id', readers, async (request, reply) => {
    const org = await authorize(request.user, 'organization', 'read', () => getOrganization(app.db, Number(request.params.id)));
    const detail = await organizationDetail(app.db, org.id);
    return reply.page('organizations/show', { org, ...detail, canWrite: may(request.user, 'organization', 'write') });
  });

  async function form(request: FastifyRequest, reply: FastifyReply, data: Record<string, unknown>, status?: number) {
    const [regions, parents] = await Promise.all([listRegions(app.db), parentChoices(app.db)]);
    return reply.page('organizations/form', { regions, parents, kinds: ORGANIZATION_KINDS, errors: {}, ...data }, { status });
  }

  app.get<{ Querystring: { parent?: string; region?: string; kind?: string } }>('/organizations/new', writers, async (request, reply) => {
    const values = { kind: request.query.kind ?? 'workstation', region_code: request.query.region ?? '', parent_id: Number(request.query.parent) || null, active: true };
    return form(request, reply, { org: null, values });
  });

  app.post<{ Body: FormBody }>('/organizations', writers, async (request, reply) => {
    const input = readForm(request.body);
    try {
      await createOrganization(app.db, request.actor(), input);
      await reply.flash('ok', request.t('org.created'));
      return redirect(request, reply, '/organizations');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(request, reply, { org: null, values: formValues(input), errors: messages(err.fields, request.t) }, 422);
    }
  });

  app.get<{ Params: { id: string } }>('/organizations/:id/edit', writers, async (request, reply) => {
    const org = await authorize(request.user, 'organization', 'write', () => getOrganization(app.db, Number(request.params.id)));
    return form(request, reply, { org, values: org });
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/organizations/:id', writers, async (request, reply) => {
    const org = await authorize(request.user, 'organization', 'write', () => getOrganization(app.db, Number(request.params.id)));
    const input = readForm(request.body);
    try {
      await updateOrganization(app.db, request.actor(), org.id, input);
      await reply.flash('ok', request.t('org.saved'));
      return redirect(request, reply, `/organizations/${org.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(request, reply, { org, values: formValues(input), errors: messages(err.fields, request.t) }, 422);
    }
  });
}

/** The user's input in the row's shape, so the form shows what they typed. */
function formValues(input: OrganizationInput) {
  return {
    name: input.name,
    kind: input.kind,
    region_code: input.regionCode,
    parent_id: input.parentId,
    address: input.address,
    phone: input.phone,
    opening_hours: input.openingHours,
    active: input.active,
  };
}
