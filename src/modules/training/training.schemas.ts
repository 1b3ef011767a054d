// TypeBox schemas and JSON shapes of /api/v1/trainings and the training records.
import { Type } from 'typebox';
import { Nullable } from '../../api/common.js';
import { PRACTICE_AREAS, TRAINING_ROLES } from '../../db/types.js';
import { hoursNumber, tenthsOf } from '../hours/hours.rules.js';
import type { Certificate, Enrolment } from './training.enrol.js';
import type { TrainingRecord } from './training.records.js';
import type { Person } from './training.rules.js';
import type { Course, SessionWithCounts } from './training.service.js';

const Id = Type.Integer({ minimum: 1, maximum: 2147483647 });
export const IdParams = Type.Object({ id: Id });
const HoursIn = (description: string) => Type.Union([Type.Number(), Type.String({ maxLength: 10 })], { description });
export const PersonKindSchema = Type.Union([Type.Literal('lawyer'), Type.Literal('volunteer')]);

export const CourseCreate = Type.Object(
  {
    code: Type.Optional(Nullable(Type.String({ maxLength: 40, description: "what cases.required_training names and the rotation checks, e.g. 'juvenile': a-z, 0-9, _" }))),
    title: Type.String({ maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    creditHours: HoursIn('more than 0, one decimal at most: 3, 2.5 or "2.5"'),
    requiredForRoles: Type.Optional(Type.Array(Type.Unsafe<string>({ type: 'string', enum: [...TRAINING_ROLES] }), { maxItems: 3 })),
    requiredForPracticeArea: Type.Optional(
      Nullable(Type.Unsafe<string>({ type: 'string', enum: [...PRACTICE_AREAS], description: 'a lawyer needs a valid record of this course (by its code) to be given cases of this category' })),
    ),
    grantsCertificate: Type.Optional(Type.Boolean({ default: false })),
    certificateValidMonths: Type.Optional(Nullable(Type.Integer({ description: 'null: the certificate never expires' }))),
  },
  { additionalProperties: false },
);

export const SessionCreate = Type.Object(
  {
    startsAt: Type.String({ maxLength: 40, description: 'ISO 8601 with offset' }),
    endsAt: Type.String({ maxLength: 40, description: 'ISO 8601 with offset, after startsAt' }),
    location: Type.String({ maxLength: 200 }),
    capacity: Type.Integer({ description: 'seats; further enrolments are waitlisted' }),
  },
  { additionalProperties: false },
);

const personIdDescription =
  'a lawyer id or a volunteer id, as personKind says. personKind defaults to "lawyer" (lawyers are the ones with a yearly training requirement and practice-area gates); send "volunteer" for a volunteer';

export const EnrolBody = Type.Object(
  {
    personId: Type.Optional({ ...Id, description: `${personIdDescription}. A lawyer's or volunteer's own token may omit both: they enrol themself` }),
    personKind: Type.Optional(PersonKindSchema),
  },
  { additionalProperties: false },
);

export const AttendanceBody = Type.Object(
  {
    personId: { ...Id, description: personIdDescription },
    personKind: Type.Optional(PersonKindSchema),
    hours: HoursIn("credited hours: more than 0, one decimal at most, not above the course's credit hours"),
    sessionId: Type.Optional({ ...Id, description: 'the session of this course; may be left out when the course has exactly one session that has started' }),
  },
  { additionalProperties: false },
);

export const SessionCancel = Type.Object(
  { reason: Type.String({ maxLength: 10000, description: 'why, 1 to 500 characters; told to everyone enrolled or waitlisted' }) },
  { additionalProperties: false },
);

export const SessionSchema = Type.Object(
  {
    id: Type.Integer(),
    courseId: Type.Integer(),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    location: Type.String(),
    capacity: Type.Integer(),
    status: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled')]),
    cancelReason: Nullable(Type.String({ description: 'why a manager cancelled it; null while scheduled' })),
    enrolled: Type.Integer({ description: 'seats taken' }),
    waitlisted: Type.Integer(),
  },
  { $id: 'TrainingSession' },
);

export const CourseSchema = Type.Object(
  {
    id: Type.Integer(),
    code: Nullable(Type.String()),
    title: Type.String(),
    description: Type.String(),
    creditHours: Type.Number(),
    requiredForRoles: Type.Array(Type.String()),
    requiredForPracticeArea: Nullable(Type.String()),
    grantsCertificate: Type.Boolean(),
    certificateValidMonths: Nullable(Type.Integer()),
    createdAt: Type.String({ format: 'date-time' }),
    sessions: Type.Array(SessionSchema),
  },
  { $id: 'TrainingCourse' },
);

const CertificateSchema = Type.Object({ id: Type.Integer(), courseId: Type.Integer(), issuedOn: Type.String({ format: 'date' }), expiresOn: Nullable(Type.String({ format: 'date', description: 'the last valid day' })) });

export const EnrolmentSchema = Type.Object({
  enrolmentId: Type.Integer(),
  sessionId: Type.Integer(),
  personKind: PersonKindSchema,
  personId: Type.Integer(),
  status: Type.Union([Type.Literal('enrolled'), Type.Literal('waitlisted'), Type.Literal('cancelled'), Type.Literal('attended'), Type.Literal('absent')]),
  position: Nullable(Type.Integer({ description: 'place on the waitlist, 1 first; null when enrolled' })),
  hours: Nullable(Type.Number()),
  certificate: Nullable(CertificateSchema),
});

const YearSchema = Type.Object({ year: Type.Integer(), hours: Type.Number(), required: Type.Number(), short: Type.Number({ description: 'hours still missing, 0 when met' }) });

export const RecordSchema = Type.Object({
  personKind: PersonKindSchema,
  personId: Type.Integer(),
  on: Type.String({ format: 'date' }),
  years: Type.Array(YearSchema),
  attended: Type.Array(Type.Object({ sessionId: Type.Integer(), courseId: Type.Integer(), courseCode: Nullable(Type.String()), courseTitle: Type.String(), date: Type.String({ format: 'date' }), hours: Type.Number() })),
  upcoming: Type.Array(Type.Object({ sessionId: Type.Integer(), courseId: Type.Integer(), courseTitle: Type.String(), startsAt: Type.String({ format: 'date-time' }), status: Type.String() })),
  certificates: Type.Array(
    Type.Object({
      id: Type.Integer(),
      courseId: Type.Integer(),
      courseTitle: Type.String(),
      issuedOn: Type.String({ format: 'date' }),
      expiresOn: Nullable(Type.String({ format: 'date' })),
      status: Type.Union([Type.Literal('valid'), Type.Literal('expiring'), Type.Literal('expired')], { description: 'on the day `on`: expiring when the last valid day is within 60 days' }),
    }),
  ),
});

export const ShortSchema = Type.Object({
  year: Type.Integer(),
  personKind: PersonKindSchema,
  items: Type.Array(Type.Object({ personId: Type.Integer(), name: Type.String(), hours: Type.Number(), required: Type.Number(), short: Type.Number() })),
});

export const ExpiringSchema = Type.Object({
  on: Type.String({ format: 'date' }),
  until: Type.String({ format: 'date' }),
  items: Type.Array(
    Type.Object({ certificateId: Type.Integer(), personKind: PersonKindSchema, personId: Type.Integer(), name: Type.String(), courseId: Type.Integer(), courseTitle: Type.String(), issuedOn: Type.String(), expiresOn: Type.String() }),
  ),
});

export function sessionJson(s: SessionWithCounts) {
  return { id: s.id, courseId: s.course_id, startsAt: s.starts_at.toISOString(), endsAt: s.ends_at.toISOString(), location: s.location, capacity: s.capacity, status: s.status, cancelReason: s.cancel_reason, enrolled: s.enrolled, waitlisted: s.waitlisted };
}

export function courseJson(c: Course, sessions: SessionWithCounts[]) {
  return {
    id: c.id,
    code: c.code,
    title: c.title,
    description: c.description,
    creditHours: hoursNumber(tenthsOf(c.credit_hours)),
    requiredForRoles: c.required_for_roles,
    requiredForPracticeArea: c.required_for_practice_area,
    grantsCertificate: c.grants_certificate,
    certificateValidMonths: c.certificate_valid_months,
    createdAt: c.created_at.toISOString(),
    sessions: sessions.filter((s) => s.course_id === c.id).map(sessionJson),
  };
}

export function enrolmentJson(e: Enrolment, position: number | null, certificate: Certificate | null = null) {
  return {
    enrolmentId: e.id,
    sessionId: e.session_id,
    personKind: e.lawyer_id !== null ? ('lawyer' as const) : ('volunteer' as const),
    personId: e.lawyer_id ?? e.volunteer_id!,
    status: e.status,
    position,
    hours: e.hours === null ? null : hoursNumber(tenthsOf(e.hours)),
    certificate: certificate && { id: certificate.id, courseId: certificate.course_id, issuedOn: certificate.issued_on, expiresOn: certificate.expires_on },
  };
}

export function recordJson(person: Person, on: string, r: TrainingRecord) {
  return { personKind: person.kind, personId: person.id, on, ...r, upcoming: r.upcoming.map((u) => ({ ...u, startsAt: u.startsAt.toISOString() })) };
}
