// /api/v1/duty: list shifts in a day range (unfilled first), managers define
// shifts (one, or weekly for N weeks) and fill a shift's empty seats by rotation.
import { Type } from 'typebox';
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { apiRoles, Empty, errorResponses, Nullable, noBodyIsEmpty } from '../../api/common.js';
import { DUTY_WHO, type DutyWho } from '../../db/types.js';
import { NotFoundError } from '../../lib/errors.js';
import { today } from '../cases/cases.service.js';
import { fillShifts } from './duty.fill.js';
import { MAX_SEATS, MAX_WEEKS } from './duty.rules.js';
import { createShifts, getShift, listShifts, type ListedShift } from './duty.service.js';
import { dutyFilter } from './index.js';

const RowId = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Who = Type.Unsafe<DutyWho>({ type: 'string', enum: [...DUTY_WHO] });
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'YYYY-MM-DD, Asia/Shanghai' });

const ShiftSchema = Type.Object(
  {
    id: Type.Integer(),
    organizationId: Type.Integer(),
    station: Type.String(),
    regionCode: Type.String(),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    seats: Type.Integer(),
    filled: Type.Integer({ description: 'seats held (assigned, attended or no-show)' }),
    who: Who,
    note: Type.String(),
    seriesId: Nullable(Type.Integer()),
    status: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled')]),
  },
  { description: 'a duty shift at a workstation' },
);

const ShiftCreate = Type.Object(
  {
    organizationId: RowId,
    startsAt: Type.String({ maxLength: 40, description: 'ISO 8601; without an offset, Asia/Shanghai' }),
    endsAt: Type.String({ maxLength: 40 }),
    seats: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_SEATS })),
    who: Type.Optional(Who),
    note: Type.Optional(Type.String({ maxLength: 1000 })),
    weeks: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_WEEKS, description: 'how many weekly shifts in all (default 1)' })),
  },
  { additionalProperties: false },
);

function shiftJson(s: ListedShift) {
  return {
    id: s.id,
    organizationId: s.organization_id,
    station: s.station,
    regionCode: s.region_code,
    startsAt: s.starts_at.toISOString(),
    endsAt: s.ends_at.toISOString(),
    seats: s.seats,
    filled: s.filled,
    who: s.who,
    note: s.note,
    seriesId: s.series_id,
    status: s.status,
  };
}

export default async function dutyApi(instance: FastifyInstance) {
  const app = instance.withTypeProvider<TypeBoxTypeProvider>();
  const tags = ['duty'];

  app.get(
    '/duty/shifts',
    {
      preHandler: apiRoles('admin', 'manager', 'lawyer', 'volunteer', 'auditor'),
      schema: {
        tags,
        summary: 'Scheduled duty shifts starting in a day range (default: the next 14 days, at most 93), unfilled first, then by start; up to 200',
        querystring: Type.Object({ from: Type.Optional(Day), to: Type.Optional(Day), organizationId: Type.Optional(RowId), regionCode: Type.Optional(Type.String({ pattern: '^\\d{6}$' })) }),
        response: { 200: Type.Object({ items: Type.Array(ShiftSchema), nextCursor: Type.Null() }), ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      const f = dutyFilter({ from: q.from, to: q.to }, today());
      const items = await listShifts(app.db, { from: f.from, to: f.to, organizationId: q.organizationId, regionCode: q.regionCode });
      return { items: items.map(shiftJson), nextCursor: null };
    },
  );

  app.post(
    '/duty/shifts',
    {
      preHandler: apiRoles('manager'),
      schema: { tags, summary: 'Define a duty shift at a workstation, or one a week for `weeks` weeks', body: ShiftCreate, response: { 201: Type.Object({ items: Type.Array(ShiftSchema) }), ...errorResponses } },
    },
    async (request, reply) => {
      const created = await createShifts(app.db, request.actor(), request.body);
      const items = await Promise.all(created.map(async (s) => shiftJson((await getShift(app.db, s.id))!)));
      return reply.code(201).send({ items });
    },
  );

  app.post(
    '/duty/shifts/:id/fill',
    {
      preValidation: noBodyIsEmpty,
      preHandler: apiRoles('manager'),
      schema: {
        tags,
        body: Empty,
        summary: 'Fill the shift’s empty seats by the duty rotation (lawyers only; a started, cancelled or volunteers-only shift is left as it is)',
        params: Type.Object({ id: RowId }),
        response: {
          200: Type.Object({
            shift: ShiftSchema,
            picked: Type.Array(Type.Object({ lawyerId: Type.Integer(), name: Type.String() })),
            left: Type.Integer({ description: 'seats still empty' }),
            skipped: Type.Array(Type.Object({ lawyerId: Type.Integer(), reason: Type.String() })),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const before = await getShift(app.db, request.params.id);
      if (!before) throw new NotFoundError('Shift not found');
      const [result] = await fillShifts(app.db, request.actor(), [before.id]);
      const shift = (await getShift(app.db, before.id))!;
      return { shift: shiftJson(shift), picked: (result?.picked ?? []).map((p) => ({ lawyerId: p.lawyerId, name: p.name })), left: result?.left ?? shift.seats - shift.filled, skipped: result?.skipped ?? [] };
    },
  );
}
