// Training records, the pure part: certificate expiry (months added at month
// ends), a certificate's status on a day, and checking a course or session as
// typed. Hours are whole tenths (see hours.rules.ts), never floats. No I/O.
import { PRACTICE_AREAS, TRAINING_ROLES, type TrainingRole } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import { addDays } from '../../lib/workdays.js';
import { formatHours, parseHours } from '../hours/hours.rules.js';

/** Whose record: a lawyer or a volunteer, never both. */
export type PersonKind = 'lawyer' | 'volunteer';
export interface Person {
  kind: PersonKind;
  id: number;
}

/** A certificate counts as expiring when its last valid day is this close (DOMAIN: managers look 60 days ahead). */
export const EXPIRING_DAYS = 60;
/** numeric(4,1): at most 999.9 hours */
export const MAX_COURSE_TENTHS = 9999;

/**
 * `months` calendar months after `day`; a day the target month lacks becomes its
 * last day: 31 Jan + 1 month is 28 Feb (29 in a leap year), 29 Feb + 12 months is 28 Feb.
 */
export function addMonths(day: string, months: number): string {
  const y = Number(day.slice(0, 4));
  const m = Number(day.slice(5, 7)) - 1 + months;
  const year = y + Math.floor(m / 12);
  const month = ((m % 12) + 12) % 12;
  const last = new Date(Date.UTC(year, month + 1, 0)).getUTCDate();
  const d = Math.min(Number(day.slice(8, 10)), last);
  return `${String(year).padStart(4, '0')}-${String(month + 1).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The last valid day of a certificate issued on `issuedOn` (null: it never expires). */
export function expiryOf(issuedOn: string, validMonths: number | null): string | null {
  return validMonths === null ? null : addMonths(issuedOn, validMonths);
}

export type CertificateStatus = 'valid' | 'expiring' | 'expired';

/**
 * On `on`: expired once its last valid day has passed; expiring when that day is
 * at most EXPIRING_DAYS ahead (today included); valid otherwise, and always when it never expires.
 */
export function certificateStatus(expiresOn: string | null, on: string, windowDays = EXPIRING_DAYS): CertificateStatus {
  if (expiresOn === null) return 'valid';
  if (expiresOn < on) return 'expired';
  return expiresOn <= addDays(on, windowDays) ? 'expiring' : 'valid';
}

export interface CourseInput {
  code: string | null;
  title: string;
  description: string;
  creditHours: string;
  requiredForRoles: string[];
  requiredForPracticeArea: string | null;
  grantsCertificate: boolean;
  certificateValidMonths: number | null;
}

export interface CheckedCourse {
  code: string | null;
  title: string;
  description: string;
  creditTenths: number;
  roles: TrainingRole[];
  area: string | null;
  grantsCertificate: boolean;
  validMonths: number | null;
}

const CODE_RE = /^[a-z][a-z0-9_]{0,39}$/;

export function checkCourse(input: CourseInput): { errors: FieldError[]; value: CheckedCourse } {
  const errors: FieldError[] = [];
  const code = input.code?.trim() || null;
  if (code !== null && !CODE_RE.test(code)) errors.push({ field: 'code', key: 'training.err.code' });
  const title = input.title.trim();
  if (!title) errors.push({ field: 'title', key: 'err.required' });
  else if (title.length > 200) errors.push({ field: 'title', key: 'err.tooLong', params: { max: 200 } });
  const description = input.description.trim();
  if (description.length > 4000) errors.push({ field: 'description', key: 'err.tooLong', params: { max: 4000 } });
  const tenths = input.creditHours.trim() ? parseHours(input.creditHours) : null;
  if (!input.creditHours.trim()) errors.push({ field: 'creditHours', key: 'err.required' });
  else if (tenths === null || tenths <= 0 || tenths > MAX_COURSE_TENTHS) errors.push({ field: 'creditHours', key: 'training.err.creditHours' });
  const roles = [...new Set(input.requiredForRoles)];
  if (roles.some((r) => !(TRAINING_ROLES as readonly string[]).includes(r))) errors.push({ field: 'requiredForRoles', key: 'err.choice' });
  const area = input.requiredForPracticeArea?.trim() || null;
  if (area !== null && !(PRACTICE_AREAS as readonly string[]).includes(area)) errors.push({ field: 'requiredForPracticeArea', key: 'err.choice' });
  else if (area !== null && code === null) errors.push({ field: 'code', key: 'training.err.codeForArea' });
  const months = input.certificateValidMonths;
  if (months !== null && (!Number.isInteger(months) || months < 1 || months > 600)) errors.push({ field: 'certificateValidMonths', key: 'training.err.months' });
  else if (months !== null && !input.grantsCertificate) errors.push({ field: 'certificateValidMonths', key: 'training.err.monthsWithoutCertificate' });
  return {
    errors,
    value: { code, title, description, creditTenths: tenths ?? 0, roles: roles as TrainingRole[], area, grantsCertificate: input.grantsCertificate, validMonths: months },
  };
}

export interface SessionInput {
  startsAt: string;
  endsAt: string;
  location: string;
  capacity: number;
}

/** ISO 8601 with a zone (Z or an offset): a bare local time would be read in the server's zone. */
const INSTANT_RE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

function instant(value: string): Date | null {
  if (!INSTANT_RE.test(value)) return null;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? null : d;
}

export function checkSession(input: SessionInput): { errors: FieldError[]; startsAt: Date; endsAt: Date; location: string } {
  const errors: FieldError[] = [];
  const startsAt = instant(input.startsAt);
  const endsAt = instant(input.endsAt);
  if (!startsAt) errors.push({ field: 'startsAt', key: 'training.err.instant' });
  if (!endsAt) errors.push({ field: 'endsAt', key: 'training.err.instant' });
  else if (startsAt && endsAt <= startsAt) errors.push({ field: 'endsAt', key: 'training.err.endsBefore' });
  const location = input.location.trim();
  if (!location) errors.push({ field: 'location', key: 'err.required' });
  else if (location.length > 200) errors.push({ field: 'location', key: 'err.tooLong', params: { max: 200 } });
  if (!Number.isInteger(input.capacity) || input.capacity < 1 || input.capacity > 100000) errors.push({ field: 'capacity', key: 'training.err.capacity' });
  return { errors, startsAt: startsAt ?? new Date(0), endsAt: endsAt ?? new Date(0), location };
}

/** Hours credited for attending: more than 0, one decimal at most, not above the course's credit hours. */
export function checkAttendedHours(value: string, courseTenths: number): { errors: FieldError[]; tenths: number } {
  const tenths = value.trim() ? parseHours(value) : null;
  if (tenths === null || tenths <= 0 || tenths > courseTenths) return { errors: [{ field: 'hours', key: 'training.err.hours', params: { max: formatHours(courseTenths) } }], tenths: 0 };
  return { errors: [], tenths };
}

/** The 'training' policy value: credit hours each role must earn per calendar year. */
export interface TrainingPolicy {
  requiredHours: Partial<Record<TrainingRole, number>>;
}

export const DEFAULT_TRAINING_POLICY: TrainingPolicy = { requiredHours: { lawyer: 12, volunteer: 6 } };
