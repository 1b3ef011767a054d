// API shapes of an organisation (camelCase), and the mapping from rows.
import { Type, type Static } from 'typebox';
import { ORGANIZATION_KINDS, type Organization, type OrganizationKind } from '../../db/types.js';
import { Nullable } from '../../api/common.js';

export const OrganizationKindSchema = Type.Unsafe<OrganizationKind>({ type: 'string', enum: [...ORGANIZATION_KINDS] });

export const OrganizationSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    kind: OrganizationKindSchema,
    regionCode: Type.String(),
    parentId: Nullable(Type.Integer()),
    address: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    openingHours: Nullable(Type.String()),
    active: Type.Boolean(),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Organization' },
);

const fields = {
  name: Type.String({ minLength: 1, maxLength: 200 }),
  kind: OrganizationKindSchema,
  regionCode: Type.String({ pattern: '^[0-9]{6}$', description: 'GB/T 2260 division code' }),
  parentId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
  address: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  openingHours: Type.Optional(Nullable(Type.String({ maxLength: 100 }))),
  active: Type.Optional(Type.Boolean()),
};

export const OrganizationCreateSchema = Type.Object(fields, { additionalProperties: false });
export const OrganizationPatchSchema = Type.Partial(Type.Object(fields), { additionalProperties: false });
export type OrganizationCreate = Static<typeof OrganizationCreateSchema>;
export type OrganizationPatch = Static<typeof OrganizationPatchSchema>;

export function organizationJson(o: Organization) {
  return {
    id: o.id,
    name: o.name,
    kind: o.kind,
    regionCode: o.region_code,
    parentId: o.parent_id,
    address: o.address,
    phone: o.phone,
    openingHours: o.opening_hours,
    active: o.active,
    createdAt: new Date(o.created_at).toISOString(),
    updatedAt: new Date(o.updated_at).toISOString(),
  };
}
