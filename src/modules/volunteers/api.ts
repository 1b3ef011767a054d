// /api/v1/volunteers: list, read, register (approved: registered by staff), patch.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, decodeCursor, errorResponses, ListQuery, Nullable, pageOf } from '../../api/common.js';
import { authorize } from '../../lib/access.js';
import { VOLUNTEER_SKILLS, type Volunteer } from '../../db/types.js';
import { normalizePhone } from '../lawyers/lawyers.rules.js';
import { createVolunteer, filteredVolunteers, getVolunteer, updateVolunteer } from './volunteers.service.js';

const Skill = Type.Unsafe<string>({ type: 'string', enum: [...VOLUNTEER_SKILLS] });
const Status = Type.Unsafe<Volunteer['status']>({ type: 'string', enum: ['pending', 'approved', 'rejected'] });

const VolunteerSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    regionCode: Type.String(),
    skills: Type.Array(Type.String()),
    languages: Type.Array(Type.String()),
    availability: Type.Record(Type.String(), Type.Array(Type.String())),
    status: Status,
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Volunteer' },
);

const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  skills: Type.Optional(Type.Array(Skill, { uniqueItems: true })),
  languages: Type.Optional(Type.Array(Type.String({ maxLength: 30 }), { maxItems: 10 })),
  regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
};
const CreateSchema = Type.Object(fields, { additionalProperties: false });
const PatchSchema = Type.Partial(Type.Object(fields), { additionalProperties: false });
const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2147483647 }) });

function volunteerJson(v: Volunteer) {
  return {
    id: v.id,
    name: v.name,
    email: v.email,
    phone: v.phone,
    regionCode: v.region_code,
    skills: v.skills,
    languages: v.languages,
    availability: (v.availability ?? {}) as Record<string, string[]>,
    status: v.status,
    createdAt: new Date(v.created_at).toISOString(),
  };
}

export default async function volunteersApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['volunteers'];
  const staff = apiRoles('admin', 'manager');

  app.get(
    '/volunteers',
    {
      preHandler: staff,
      schema: {
        tags,
        summary: 'List volunteers',
        querystring: Type.Object({ q: Type.Optional(Type.String({ maxLength: 100 })), status: Type.Optional(Status), regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })), ...ListQuery }),
        response: { 200: Type.Object({ items: Type.Array(VolunteerSchema), nextCursor: Type.Union([Type.String(), Type.Null()]) }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const limit = q.limit ?? 50;
      const rows = await filteredVolunteers(app.db, { q: q.q, status: q.status, regionCode: q.regionCode })
        .selectAll('v')
        .where('v.id', '>', decodeCursor(q.cursor))
        .orderBy('v.id')
        .limit(limit + 1)
        .execute();
      const page = pageOf(rows, limit);
      return { items: page.rows.map(volunteerJson), nextCursor: page.nextCursor };
    },
  );

  app.get(
    '/volunteers/:id',
    { preHandler: apiRoles('admin', 'manager', 'volunteer'), schema: { tags, summary: 'One volunteer', params: IdParams, response: { 200: VolunteerSchema, ...errorResponses } } },
    async (request) => volunteerJson(await authorize(request.user, 'volunteer', 'read', () => getVolunteer(app.db, request.params.id))),
  );

  app.post(
    '/volunteers',
    { preHandler: staff, schema: { tags, summary: 'Register a volunteer (approved)', body: CreateSchema, response: { 201: VolunteerSchema, ...errorResponses } } },
    async (request, reply) => {
      const b = request.body;
      const v = await createVolunteer(
        app.db,
        request.actor(),
        { name: b.name.trim(), email: b.email ?? null, phone: normalizePhone(b.phone ?? null), regionCode: b.regionCode, skills: b.skills ?? [], languages: b.languages ?? [], availability: {} },
        'approved',
        true,
      );
      return reply.code(201).send(volunteerJson(v));
    },
  );

  app.patch(
    '/volunteers/:id',
    { preHandler: staff, schema: { tags, summary: 'Change a volunteer', params: IdParams, body: PatchSchema, response: { 200: VolunteerSchema, ...errorResponses } } },
    async (request) => {
      const v = await authorize(request.user, 'volunteer', 'write', () => getVolunteer(app.db, request.params.id));
      const b = request.body;
      const updated = await updateVolunteer(app.db, request.actor(), v.id, {
        name: b.name?.trim() ?? v.name,
        email: b.email === undefined ? v.email : b.email,
        phone: b.phone === undefined ? v.phone : normalizePhone(b.phone),
        regionCode: b.regionCode ?? v.region_code,
        skills: b.skills ?? v.skills,
        languages: b.languages ?? v.languages,
        availability: (v.availability ?? {}),
      });
      return volunteerJson(updated);
    },
  );
}
