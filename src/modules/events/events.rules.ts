// Outreach events, the pure part: the sign-up window, overlaps, the event day in
// Asia/Shanghai (promotion cut-off, self check-in), credited hours and the dates
// of a repeating series. No I/O; `now` is always passed in.
import { todayIn } from '../../lib/format.js';
import { APP_TZ } from '../cases/cases.service.js';

export interface EventsPolicy {
  /** event_day: no automatic promotion from 00:00 of the event's day; start: until it starts */
  promotionCutoff: 'event_day' | 'start';
  /** duration: the event's length; a number: that many hours per attended event */
  creditHours: 'duration' | number;
  /** hours after an event ends before the scheduled job marks seats still only confirmed as no-shows (the roster's grace) */
  noShowAfterHours: number;
}

export const DEFAULT_EVENTS_POLICY: EventsPolicy = { promotionCutoff: 'event_day', creditHours: 'duration', noShowAfterHours: 12 };

export interface EventTimes {
  starts_at: Date;
  ends_at: Date;
  created_at: Date;
  signup_opens_at: Date | null;
  signup_closes_at: Date | null;
  status: 'scheduled' | 'cancelled';
}

/** The calendar day of an instant in Asia/Shanghai, 'YYYY-MM-DD'. */
export function dayOf(at: Date): string {
  return todayIn(APP_TZ, at);
}

/** An instant for people and messages: 'YYYY-MM-DD HH:mm' in Asia/Shanghai (UTC+8 all year). */
export function shanghaiText(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

/** Two time ranges share some time; touching ends (one ends at 12:00, the next starts at 12:00) do not. */
export function overlaps(a: { starts_at: Date; ends_at: Date }, b: { starts_at: Date; ends_at: Date }): boolean {
  return a.starts_at.getTime() < b.ends_at.getTime() && b.starts_at.getTime() < a.ends_at.getTime();
}

/** Sign-up is open from signup_opens_at (default: creation) until signup_closes_at (default: the start). */
export function signupWindow(e: EventTimes): { opensAt: Date; closesAt: Date } {
  return { opensAt: e.signup_opens_at ?? e.created_at, closesAt: e.signup_closes_at ?? e.starts_at };
}

export type SignupRefusal =
  | { code: 'event_cancelled'; status: 409 }
  | { code: 'event_started'; status: 409 }
  | { code: 'signup_not_open'; status: 422; at: Date }
  | { code: 'signup_closed'; status: 422; at: Date };

/** Why nobody may sign up for the event at `now`, or null when they may. */
export function signupRefusal(e: EventTimes, now: Date): SignupRefusal | null {
  if (e.status === 'cancelled') return { code: 'event_cancelled', status: 409 };
  if (now.getTime() >= e.starts_at.getTime()) return { code: 'event_started', status: 409 };
  const { opensAt, closesAt } = signupWindow(e);
  if (now.getTime() < opensAt.getTime()) return { code: 'signup_not_open', status: 422, at: opensAt };
  if (now.getTime() >= closesAt.getTime()) return { code: 'signup_closed', status: 422, at: closesAt };
  return null;
}

/** Whether a freed seat goes to the waitlist automatically at `now`. */
export function promotionAllowed(e: { starts_at: Date }, now: Date, policy: EventsPolicy): boolean {
  if (now.getTime() >= e.starts_at.getTime()) return false;
  if (policy.promotionCutoff === 'start') return true;
  return dayOf(now) < dayOf(e.starts_at);
}

/**
 * Self check-in is open on the event's day (Asia/Shanghai) and, for an event
 * running past midnight, until it ends.
 */
export function selfCheckInOpen(e: { starts_at: Date; ends_at: Date }, now: Date): boolean {
  if (dayOf(now) === dayOf(e.starts_at)) return true;
  return now.getTime() >= e.starts_at.getTime() && now.getTime() <= e.ends_at.getTime();
}

/** A manager's roster may be marked from the event's day on, never before. */
export function rosterOpen(e: { starts_at: Date }, now: Date): boolean {
  return dayOf(now) >= dayOf(e.starts_at);
}

/** Whole tenths of an hour credited for attending: the duration rounded to 6 minutes, 0.1 to 24 hours. */
export function creditedTenths(e: { starts_at: Date; ends_at: Date }, policy: EventsPolicy): number {
  const tenths =
    policy.creditHours === 'duration' ? Math.round((e.ends_at.getTime() - e.starts_at.getTime()) / 360_000) : Math.round(policy.creditHours * 10);
  return Math.min(240, Math.max(1, tenths));
}

export type Repeat = { every: 'week' | 'month'; count: number };

export const MAX_REPEAT = 52;

const SHANGHAI_MS = 8 * 3_600_000;

/**
 * The same wall-clock time `n` weeks or months later in Asia/Shanghai (no daylight
 * saving there, so a fixed +8 offset is exact). A month step keeps the day of the
 * month, or the month's last day when it is shorter (31 January → 28 February).
 */
export function shiftBy(at: Date, every: Repeat['every'], n: number): Date {
  if (every === 'week') return new Date(at.getTime() + n * 7 * 86_400_000);
  const local = new Date(at.getTime() + SHANGHAI_MS);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth() + n;
  const last = new Date(Date.UTC(y, m + 1, 0)).getUTCDate();
  const day = Math.min(local.getUTCDate(), last);
  const moved = Date.UTC(y, m, day, local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds(), local.getUTCMilliseconds());
  return new Date(moved - SHANGHAI_MS);
}

/** How far occurrence `i` of a series is from the first (0 for the first): each time of the event moves by it. */
export function occurrenceOffsets(first: Date, repeat: Repeat | null): number[] {
  const count = repeat ? repeat.count : 1;
  return Array.from({ length: count }, (_, i) => (i === 0 || !repeat ? 0 : shiftBy(first, repeat.every, i).getTime() - first.getTime()));
}

/** 1 + the number waitlisted before this seq: the waitlist position. */
export function positionOf(seq: number, waitlistedSeqs: readonly number[]): number {
  return 1 + waitlistedSeqs.filter((s) => s < seq).length;
}
