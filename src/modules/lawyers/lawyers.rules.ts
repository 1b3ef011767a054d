// Field rules for a lawyer, without I/O: shared by the form, the API and CSV import.
import { LAWYER_STATUSES, PRACTICE_AREAS, type LawyerStatus, type PracticeArea } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import { EMAIL_RE, PHONE_RE } from '../../lib/forms.js';

export interface LawyerInput {
  name: string;
  licenseNo: string;
  organizationId: number | null;
  practiceAreas: string[];
  level: number;
  regionCode: string;
  languages: string[];
  phone: string | null;
  email: string | null;
  maxOpenCases: number;
  status: LawyerStatus;
}

export interface LawyerContext {
  regions: Set<string>;
  /** ids of law firms and legal-service offices */
  firms: Set<number>;
}

export const LICENSE_RE = /^\d{17}$/;

/** Normalises what people type: spaces in numbers, full-width digits, list separators. */
export function normalizeLicense(value: string): string {
  return value.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s-]/g, '');
}

export function normalizePhone(value: string | null): string | null {
  if (!value) return null;
  const v = value.replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0)).replace(/[\s()]/g, '').replace(/^\+?86/, '');
  return v || null;
}

export function splitList(value: string): string[] {
  return [...new Set(value.split(/[,，、;；]/).map((x) => x.trim()).filter(Boolean))];
}

export function checkLawyer(input: LawyerInput, ctx: LawyerContext): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.name) errors.push({ field: 'name', key: 'err.required' });
  else if (input.name.length > 100) errors.push({ field: 'name', key: 'err.tooLong', params: { max: 100 } });
  if (!input.licenseNo) errors.push({ field: 'licenseNo', key: 'err.required' });
  else if (!LICENSE_RE.test(input.licenseNo)) errors.push({ field: 'licenseNo', key: 'lawyer.err.licenseFormat' });
  if (input.organizationId !== null && !ctx.firms.has(input.organizationId)) errors.push({ field: 'organizationId', key: 'lawyer.err.organization' });
  if (input.practiceAreas.length === 0) errors.push({ field: 'practiceAreas', key: 'lawyer.err.areas' });
  else if (input.practiceAreas.some((a) => !(PRACTICE_AREAS as readonly string[]).includes(a))) errors.push({ field: 'practiceAreas', key: 'err.choice' });
  if (![1, 2, 3].includes(input.level)) errors.push({ field: 'level', key: 'lawyer.err.level' });
  if (!input.regionCode) errors.push({ field: 'regionCode', key: 'err.required' });
  else if (!ctx.regions.has(input.regionCode)) errors.push({ field: 'regionCode', key: 'err.region' });
  if (input.languages.some((l) => l.length > 30) || input.languages.length > 10) errors.push({ field: 'languages', key: 'err.tooLong', params: { max: 30 } });
  if (input.phone && !PHONE_RE.test(input.phone)) errors.push({ field: 'phone', key: 'err.phone' });
  if (input.email && (!EMAIL_RE.test(input.email) || input.email.length > 200)) errors.push({ field: 'email', key: 'err.email' });
  if (!Number.isInteger(input.maxOpenCases) || input.maxOpenCases < 0 || input.maxOpenCases > 50) errors.push({ field: 'maxOpenCases', key: 'lawyer.err.maxOpenCases' });
  if (!LAWYER_STATUSES.includes(input.status)) errors.push({ field: 'status', key: 'err.choice' });
  return errors;
}

export function isPracticeArea(value: string): value is PracticeArea {
  return (PRACTICE_AREAS as readonly string[]).includes(value);
}
