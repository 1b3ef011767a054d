// /api/v1/organizations: list (filters, cursor), read, create, patch.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, errorResponses, ListQuery, pageOf, decodeCursor } from '../../api/common.js';
import { authorize } from '../../lib/access.js';
import {
  OrganizationCreateSchema,
  OrganizationKindSchema,
  OrganizationPatchSchema,
  OrganizationSchema,
  organizationJson,
} from './organizations.schemas.js';
import { createOrganization, getOrganization, listOrganizationsAfter, updateOrganization } from './organizations.service.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export default async function organizationsApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const readers = apiRoles('admin', 'manager', 'auditor');
  const writers = apiRoles('admin', 'manager');
  const tags = ['organizations'];

  app.get(
    '/organizations',
    {
      preHandler: readers,
      schema: {
        tags,
        summary: 'List organisations',
        querystring: Type.Object({ kind: Type.Optional(OrganizationKindSchema), regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })), ...ListQuery }),
        response: { 200: Type.Object({ items: Type.Array(OrganizationSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const limit = request.query.limit ?? 50;
      const rows = await listOrganizationsAfter(app.db, request.query, decodeCursor(request.query.cursor), limit);
      const page = pageOf(rows, limit);
      return { items: page.rows.map(organizationJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/organizations/:id',
    { preHandler: readers, schema: { tags, summary: 'One organisation', params: IdParams, response: { 200: OrganizationSchema, ...errorResponses } } },
    async (request) => {
      const org = await authorize(request.user, 'organization', 'read', () => getOrganization(app.db, request.params.id));
      return organizationJson(org);
    },
  );

  app.post(
    '/organizations',
    { preHandler: writers, schema: { tags, summary: 'Create an organisation', body: OrganizationCreateSchema, response: { 201: OrganizationSchema, ...errorResponses } } },
    async (request, reply) => {
      const b = request.body;
      const org = await createOrganization(app.db, request.actor(), {
        name: b.name.trim(),
        kind: b.kind,
        regionCode: b.regionCode,
        parentId: b.parentId ?? null,
        address: b.address ?? null,
        phone: b.phone ?? null,
        openingHours: b.openingHours ?? null,
        active: b.active ?? true,
      });
      return reply.code(201).send(organizationJson(org));
    },
  );

  app.patch(
    '/organizations/:id',
    {
      preHandler: writers,
      schema: { tags, summary: 'Change an organisation', params: IdParams, body: OrganizationPatchSchema, response: { 200: OrganizationSchema, ...errorResponses } },
    },
    async (request) => {
      const current = await authorize(request.user, 'organization', 'write', () => getOrganization(app.db, request.params.id));
      const b = request.body;
      const org = await updateOrganization(app.db, request.actor(), current.id, {
        name: b.name?.trim() ?? current.name,
        kind: b.kind ?? current.kind,
        regionCode: b.regionCode ?? current.region_code,
        parentId: b.parentId === undefined ? current.parent_id : b.parentId,
        address: b.address === undefined ? current.address : b.address,
        phone: b.phone === undefined ? current.phone : b.phone,
        openingHours: b.openingHours === undefined ? current.opening_hours : b.openingHours,
        active: b.active ?? current.active,
      });
      return organizationJson(org);
    },
  );
}
