// The course and session forms as typed: every value a string (kept to show the
// form again), turned into the services' input. A datetime-local value is a
// wall-clock time in Asia/Shanghai. Pure.
import type { FieldError } from '../../lib/errors.js';
import { list, str, type FormBody } from '../../lib/forms.js';
import type { CourseInput, SessionInput } from './training.rules.js';

export type Values = Record<string, string | string[]>;

export const BLANK_COURSE: Values = { code: '', title: '', description: '', creditHours: '', requiredForRoles: [], requiredForPracticeArea: '', grantsCertificate: '', certificateValidMonths: '' };
export const BLANK_SESSION: Values = { startsAt: '', endsAt: '', location: '', capacity: '' };

/** A whole number as typed, or NaN (which the rules refuse on the field). */
function whole(value: string): number {
  return /^\d{1,9}$/.test(value) ? Number(value) : Number.NaN;
}

export function readCourseForm(body: FormBody | undefined): { input: CourseInput; values: Values } {
  const s = (n: string) => str(body, n);
  const values: Values = {
    code: s('code'),
    title: s('title'),
    description: s('description'),
    creditHours: s('creditHours'),
    requiredForRoles: list(body, 'requiredForRoles'),
    requiredForPracticeArea: s('requiredForPracticeArea'),
    grantsCertificate: s('grantsCertificate') ? '1' : '',
    certificateValidMonths: s('certificateValidMonths'),
  };
  const input: CourseInput = {
    code: s('code') || null,
    title: s('title'),
    description: s('description'),
    creditHours: s('creditHours'),
    requiredForRoles: list(body, 'requiredForRoles'),
    requiredForPracticeArea: s('requiredForPracticeArea') || null,
    grantsCertificate: values.grantsCertificate === '1',
    certificateValidMonths: s('certificateValidMonths') ? whole(s('certificateValidMonths')) : null,
  };
  return { input, values };
}

const LOCAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/;

/** '2031-05-10T09:00' (a datetime-local field) as Beijing time; anything else as typed. */
export function shanghaiInstant(value: string): string {
  return LOCAL.test(value) ? `${value}:00+08:00` : value;
}

export function readSessionForm(body: FormBody | undefined): { input: SessionInput; values: Values } {
  const s = (n: string) => str(body, n);
  const values: Values = { startsAt: s('startsAt'), endsAt: s('endsAt'), location: s('location'), capacity: s('capacity') };
  return { input: { startsAt: shanghaiInstant(s('startsAt')), endsAt: shanghaiInstant(s('endsAt')), location: s('location'), capacity: whole(s('capacity')) }, values };
}

/** On a form the time comes from a date-and-time picker: ask for that, not for a zone. */
export function formErrors(errors: FieldError[]): FieldError[] {
  return errors.map((e) => (e.key === 'training.err.instant' ? { ...e, key: 'training.page.err.when' } : e));
}
