// /api/v1/lawyers: list (filters, cursor), read, create, patch.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, decodeCursor, errorResponses, ListQuery, pageOf } from '../../api/common.js';
import { authorize } from '../../lib/access.js';
import { LawyerCreateSchema, LawyerPatchSchema, LawyerSchema, LawyerStatusSchema, PracticeAreaSchema, lawyerJson } from './lawyers.schemas.js';
import { createLawyer, filteredLawyers, getLawyer, lawyerInputOf, updateLawyer } from './lawyers.service.js';
import { normalizeLicense, normalizePhone } from './lawyers.rules.js';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

export default async function lawyersApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['lawyers'];
  const writers = apiRoles('admin', 'manager');

  app.get(
    '/lawyers',
    {
      preHandler: apiRoles('admin', 'manager', 'auditor'),
      schema: {
        tags,
        summary: 'List lawyers',
        querystring: Type.Object({
          q: Type.Optional(Type.String({ maxLength: 100 })),
          status: Type.Optional(LawyerStatusSchema),
          practiceArea: Type.Optional(PracticeAreaSchema),
          regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
          organizationId: Type.Optional(Type.Integer({ minimum: 1 })),
          ...ListQuery,
        }),
        response: { 200: Type.Object({ items: Type.Array(LawyerSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const rows = await filteredLawyers(app.db, { q: q.q, status: q.status, area: q.practiceArea, regionCode: q.regionCode, organizationId: q.organizationId })
        .selectAll('l')
        .where('l.id', '>', decodeCursor(q.cursor))
        .orderBy('l.id')
        .limit(limit + 1)
        .execute();
      const page = pageOf(rows, limit);
      return { items: page.rows.map(lawyerJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/lawyers/:id',
    { preHandler: apiRoles('admin', 'manager', 'auditor', 'lawyer'), schema: { tags, summary: 'One lawyer', params: IdParams, response: { 200: LawyerSchema, ...errorResponses } } },
    async (request) => lawyerJson(await authorize(request.user, 'lawyer', 'read', () => getLawyer(app.db, request.params.id))),
  );

  app.post(
    '/lawyers',
    { preHandler: writers, schema: { tags, summary: 'Register a lawyer', body: LawyerCreateSchema, response: { 201: LawyerSchema, ...errorResponses } } },
    async (request, reply) => {
      const b = request.body;
      const lawyer = await createLawyer(app.db, request.actor(), {
        name: b.name.trim(),
        licenseNo: normalizeLicense(b.licenseNo),
        organizationId: b.organizationId,
        practiceAreas: b.practiceAreas,
        level: b.level,
        regionCode: b.regionCode,
        languages: b.languages ?? [],
        phone: normalizePhone(b.phone ?? null),
        email: b.email ?? null,
        maxOpenCases: b.maxOpenCases ?? 5,
        status: 'active',
      });
      return reply.code(201).send(lawyerJson(lawyer));
    },
  );

  app.patch(
    '/lawyers/:id',
    { preHandler: writers, schema: { tags, summary: 'Change a lawyer', params: IdParams, body: LawyerPatchSchema, response: { 200: LawyerSchema, ...errorResponses } } },
    async (request) => {
      const current = await authorize(request.user, 'lawyer', 'write', () => getLawyer(app.db, request.params.id));
      const b = request.body;
      const base = lawyerInputOf(current);
      const lawyer = await updateLawyer(app.db, request.actor(), current.id, {
        ...base,
        ...(b.name !== undefined && { name: b.name.trim() }),
        ...(b.licenseNo !== undefined && { licenseNo: normalizeLicense(b.licenseNo) }),
        ...(b.organizationId !== undefined && { organizationId: b.organizationId }),
        ...(b.practiceAreas !== undefined && { practiceAreas: b.practiceAreas }),
        ...(b.level !== undefined && { level: b.level }),
        ...(b.regionCode !== undefined && { regionCode: b.regionCode }),
        ...(b.languages !== undefined && { languages: b.languages }),
        ...(b.phone !== undefined && { phone: normalizePhone(b.phone) }),
        ...(b.email !== undefined && { email: b.email }),
        ...(b.maxOpenCases !== undefined && { maxOpenCases: b.maxOpenCases }),
        ...(b.status !== undefined && { status: b.status }),
      });
      return lawyerJson(lawyer);
    },
  );
}
