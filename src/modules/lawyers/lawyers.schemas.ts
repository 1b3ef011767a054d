// API shapes of a lawyer (camelCase).
import { Type, type Static } from 'typebox';
import { LAWYER_STATUSES, PRACTICE_AREAS, type Lawyer, type LawyerStatus, type PracticeArea } from '../../db/types.js';
import { Nullable } from '../../api/common.js';

export const PracticeAreaSchema = Type.Unsafe<PracticeArea>({ type: 'string', enum: [...PRACTICE_AREAS] });
export const LawyerStatusSchema = Type.Unsafe<LawyerStatus>({ type: 'string', enum: [...LAWYER_STATUSES] });

export const LawyerSchema = Type.Object(
  {
    id: Type.Integer(),
    name: Type.String(),
    licenseNo: Type.String(),
    organizationId: Nullable(Type.Integer()),
    practiceAreas: Type.Array(PracticeAreaSchema),
    level: Type.Integer({ minimum: 1, maximum: 3 }),
    regionCode: Type.String(),
    languages: Type.Array(Type.String()),
    email: Nullable(Type.String()),
    phone: Nullable(Type.String()),
    maxOpenCases: Type.Integer(),
    status: LawyerStatusSchema,
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Lawyer' },
);

const fields = {
  name: Type.String({ minLength: 1, maxLength: 100 }),
  licenseNo: Type.String({ minLength: 1, maxLength: 30, description: '17-digit practising licence number' }),
  organizationId: Nullable(Type.Integer({ minimum: 1 })),
  practiceAreas: Type.Array(PracticeAreaSchema, { minItems: 1, uniqueItems: true }),
  level: Type.Integer({ minimum: 1, maximum: 3, description: '1 junior to 3 senior' }),
  regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
  languages: Type.Optional(Type.Array(Type.String({ maxLength: 30 }), { maxItems: 10 })),
  email: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
  maxOpenCases: Type.Optional(Type.Integer({ minimum: 0, maximum: 50 })),
};

export const LawyerCreateSchema = Type.Object(fields, { additionalProperties: false });
export const LawyerPatchSchema = Type.Partial(Type.Object({ ...fields, status: LawyerStatusSchema }), { additionalProperties: false });
export type LawyerCreate = Static<typeof LawyerCreateSchema>;
export type LawyerPatch = Static<typeof LawyerPatchSchema>;

export function lawyerJson(l: Lawyer) {
  return {
    id: l.id,
    name: l.name,
    licenseNo: l.license_no,
    organizationId: l.organization_id,
    practiceAreas: l.practice_areas as PracticeArea[],
    level: l.level,
    regionCode: l.region_code,
    languages: l.languages,
    email: l.email,
    phone: l.phone,
    maxOpenCases: l.max_open_cases,
    status: l.status,
    createdAt: new Date(l.created_at).toISOString(),
    updatedAt: new Date(l.updated_at).toISOString(),
  };
}
