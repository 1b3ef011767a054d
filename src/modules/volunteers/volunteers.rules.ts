// Field rules for a volunteer, without I/O: shared by the sign-up page, staff
// forms, the API and CSV import.
import { VOLUNTEER_SKILLS } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import { EMAIL_RE, PHONE_RE } from '../../lib/forms.js';

export const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export const SLOTS = ['am', 'pm', 'eve'] as const;
export type Availability = Partial<Record<(typeof DAYS)[number], (typeof SLOTS)[number][]>>;

export interface VolunteerInput {
  name: string;
  phone: string | null;
  email: string | null;
  regionCode: string;
  skills: string[];
  languages: string[];
  availability: Availability;
}

/** 'mon:am' style values (checkboxes) to the stored shape. */
export function availabilityOf(values: string[]): Availability {
  const out: Availability = {};
  for (const v of values) {
    const [day, slot] = v.split(':') as [(typeof DAYS)[number], (typeof SLOTS)[number]];
    if (!DAYS.includes(day) || !SLOTS.includes(slot)) continue;
    (out[day] ??= []).push(slot);
  }
  return out;
}

export function checkVolunteer(input: VolunteerInput, regions: Set<string>): FieldError[] {
  const errors: FieldError[] = [];
  if (!input.name) errors.push({ field: 'name', key: 'err.required' });
  else if (input.name.length > 100) errors.push({ field: 'name', key: 'err.tooLong', params: { max: 100 } });
  if (!input.phone && !input.email) errors.push({ field: 'phone', key: 'vol.err.contact' });
  if (input.phone && !PHONE_RE.test(input.phone)) errors.push({ field: 'phone', key: 'err.phone' });
  if (input.email && (!EMAIL_RE.test(input.email) || input.email.length > 200)) errors.push({ field: 'email', key: 'err.email' });
  if (!input.regionCode) errors.push({ field: 'regionCode', key: 'err.required' });
  else if (!regions.has(input.regionCode)) errors.push({ field: 'regionCode', key: 'err.region' });
  if (input.skills.some((s) => !(VOLUNTEER_SKILLS as readonly string[]).includes(s))) errors.push({ field: 'skills', key: 'err.choice' });
  if (input.languages.some((l) => l.length > 30) || input.languages.length > 10) errors.push({ field: 'languages', key: 'err.tooLong', params: { max: 30 } });
  return errors;
}
