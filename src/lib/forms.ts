// Reading urlencoded forms: every value arrives as a string (or an array for a
// repeated name); these helpers turn them into typed input and field errors.
import { ValidationError, type FieldError } from './errors.js';
import type { Translate } from '../i18n/index.js';

export type FormBody = Record<string, string | string[] | undefined>;

export function str(body: FormBody | undefined, name: string): string {
  const v = body?.[name];
  return (Array.isArray(v) ? (v[0] ?? '') : (v ?? '')).trim();
}

export function optional(body: FormBody | undefined, name: string): string | null {
  const v = str(body, name);
  return v === '' ? null : v;
}

export function list(body: FormBody | undefined, name: string): string[] {
  const v = body?.[name];
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map((x) => x.trim()).filter(Boolean);
}

/** Field errors as {field: translated message} for the templates. */
export function messages(errors: FieldError[], t: Translate): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of errors) if (!out[e.field]) out[e.field] = t(e.key, e.params);
  return out;
}

export const EMAIL_RE = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
// mainland mobile, or a landline with area code and optional extension
export const PHONE_RE = /^(?:1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(?:-\d{1,6})?|\d{7,8})$/;

/**
 * A written reason (for a cancellation, an override, a decline, a swap), trimmed:
 * refused on `field` when required and empty, or longer than `max` characters.
 */
export function reasonText(input: string | undefined, max: number, options: { field?: string; required?: boolean } = {}): string {
  const { field = 'reason', required = true } = options;
  const why = (input ?? '').trim();
  if (required && !why) throw new ValidationError([{ field, key: 'err.required' }]);
  if (why.length > max) throw new ValidationError([{ field, key: 'err.tooLong', params: { max } }]);
  return why;
}
