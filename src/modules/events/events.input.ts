// Checking a new event as typed into a form or sent to the API: field errors as
// message keys, values normalised. Times without an offset (a datetime-local
// field) are Asia/Shanghai wall-clock times. Pure.
import { EVENT_KINDS, SIX_INTOS_TARGETS, VOLUNTEER_SKILLS, type EventKind, type SixIntosTarget } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import { isDate } from '../hours/hours.rules.js';
import { MAX_REPEAT, type Repeat } from './events.rules.js';

export interface EventInput {
  title: string;
  description?: string | null;
  kind: string;
  sixIntosTarget?: string | null;
  startsAt: string;
  endsAt: string;
  regionCode: string;
  location: string;
  capacity: number | string;
  skillsWanted?: string[] | null;
  signupOpensAt?: string | null;
  signupClosesAt?: string | null;
  repeat?: { every: string; count: number | string } | null;
}

export interface CheckedEvent {
  title: string;
  description: string;
  kind: EventKind;
  sixIntosTarget: SixIntosTarget | null;
  startsAt: Date;
  endsAt: Date;
  regionCode: string;
  location: string;
  capacity: number;
  skillsWanted: string[];
  signupOpensAt: Date | null;
  signupClosesAt: Date | null;
  repeat: Repeat | null;
}

const INSTANT = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2}(?:\.\d{1,6})?)?(Z|[+-]\d{2}:?\d{2})?$/i;
export const MAX_CAPACITY = 10_000;

/** An ISO 8601 instant ('2026-12-01T09:00:00+08:00', '...Z') or a Shanghai wall-clock time ('2026-12-01T09:00'); null if neither. */
export function parseInstant(value: string | null | undefined): Date | null {
  const m = INSTANT.exec((value ?? '').trim());
  // 2026-02-30 would roll over in Date: refuse it rather than move the event
  if (!m || !isDate(m[1])) return null;
  const offset = m[4] ? (m[4].toUpperCase() === 'Z' ? 'Z' : m[4].replace(/^([+-]\d{2}):?(\d{2})$/, '$1:$2')) : '+08:00';
  const d = new Date(`${m[1]}T${m[2]}${m[3] ?? ':00'}${offset}`);
  return Number.isNaN(d.getTime()) ? null : d;
}

function text(value: string | null | undefined): string {
  return (value ?? '').trim();
}

function checkRepeat(input: EventInput['repeat'], errors: FieldError[]): Repeat | null {
  if (!input || (input.every === '' && (input.count === '' || input.count === undefined))) return null;
  if (input.every !== 'week' && input.every !== 'month') {
    errors.push({ field: 'repeat', key: 'err.choice' });
    return null;
  }
  const count = Number(input.count);
  if (!Number.isInteger(count) || count < 2 || count > MAX_REPEAT) {
    errors.push({ field: 'repeatCount', key: 'events.err.repeatCount', params: { max: MAX_REPEAT } });
    return null;
  }
  return { every: input.every, count };
}

/** Field errors (empty when fine) and the normalised event. `now`: an event may not start in the past. */
export function checkEvent(input: EventInput, now: Date): { errors: FieldError[]; value: CheckedEvent } {
  const errors: FieldError[] = [];
  const title = text(input.title);
  if (!title) errors.push({ field: 'title', key: 'err.required' });
  else if (title.length > 200) errors.push({ field: 'title', key: 'err.tooLong', params: { max: 200 } });
  const description = text(input.description);
  if (description.length > 4000) errors.push({ field: 'description', key: 'err.tooLong', params: { max: 4000 } });
  const kind = EVENT_KINDS.find((k) => k === input.kind);
  if (!kind) errors.push({ field: 'kind', key: 'err.choice' });
  const target = SIX_INTOS_TARGETS.find((k) => k === input.sixIntosTarget) ?? null;
  if (kind === 'six_intos' && !target) errors.push({ field: 'sixIntosTarget', key: 'events.err.target' });
  const startsAt = parseInstant(input.startsAt);
  const endsAt = parseInstant(input.endsAt);
  if (!startsAt) errors.push({ field: 'startsAt', key: 'events.err.instant' });
  else if (startsAt.getTime() <= now.getTime()) errors.push({ field: 'startsAt', key: 'events.err.startsPast' });
  if (!endsAt) errors.push({ field: 'endsAt', key: 'events.err.instant' });
  else if (startsAt && endsAt.getTime() <= startsAt.getTime()) errors.push({ field: 'endsAt', key: 'events.err.endsBeforeStart' });
  else if (startsAt && endsAt.getTime() - startsAt.getTime() > 24 * 3_600_000) errors.push({ field: 'endsAt', key: 'events.err.tooLong' });
  const regionCode = text(input.regionCode);
  if (!/^\d{6}$/.test(regionCode)) errors.push({ field: 'regionCode', key: 'err.region' });
  const location = text(input.location);
  if (!location) errors.push({ field: 'location', key: 'err.required' });
  else if (location.length > 300) errors.push({ field: 'location', key: 'err.tooLong', params: { max: 300 } });
  const capacity = typeof input.capacity === 'number' ? input.capacity : /^\s*\d{1,6}\s*$/.test(input.capacity) ? Number(input.capacity) : NaN;
  if (!Number.isInteger(capacity) || capacity < 1 || capacity > MAX_CAPACITY) errors.push({ field: 'capacity', key: 'events.err.capacity', params: { max: MAX_CAPACITY } });
  const skillsWanted = [...new Set(input.skillsWanted ?? [])];
  if (skillsWanted.some((s) => !(VOLUNTEER_SKILLS as readonly string[]).includes(s))) errors.push({ field: 'skillsWanted', key: 'err.choice' });
  const opens = text(input.signupOpensAt) ? parseInstant(input.signupOpensAt) : null;
  const closes = text(input.signupClosesAt) ? parseInstant(input.signupClosesAt) : null;
  if (text(input.signupOpensAt) && !opens) errors.push({ field: 'signupOpensAt', key: 'events.err.instant' });
  else if (opens && startsAt && opens.getTime() >= startsAt.getTime()) errors.push({ field: 'signupOpensAt', key: 'events.err.opensAfterStart' });
  if (text(input.signupClosesAt) && !closes) errors.push({ field: 'signupClosesAt', key: 'events.err.instant' });
  else if (closes && startsAt && closes.getTime() > startsAt.getTime()) errors.push({ field: 'signupClosesAt', key: 'events.err.closesAfterStart' });
  else if (closes && opens && closes.getTime() <= opens.getTime()) errors.push({ field: 'signupClosesAt', key: 'events.err.closesBeforeOpens' });
  const repeat = checkRepeat(input.repeat, errors);
  return {
    errors,
    value: {
      title,
      description,
      kind: kind ?? 'other',
      sixIntosTarget: kind === 'six_intos' ? target : null,
      startsAt: startsAt ?? now,
      endsAt: endsAt ?? now,
      regionCode,
      location,
      capacity,
      skillsWanted,
      signupOpensAt: opens,
      signupClosesAt: closes,
      repeat,
    },
  };
}
