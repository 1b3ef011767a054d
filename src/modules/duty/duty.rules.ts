// Duty rosters, the pure part: checking a shift typed into a form or sent to the
// API, who may hold a seat, and the duty rotation's pick. No I/O; `now` is passed in.
import { DUTY_WHO, type DutyWho } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import { parseInstant } from '../events/events.input.js';
import { compareRanked, type Ranked, type Standing } from '../rotation/rotation.js';
import type { Person } from '../events/person.js';

/** Organisation kinds that hold duty shifts: workstations at courts, procuratorates, detention centres, justice offices; liaison points. */
export const DUTY_PLACE_KINDS = ['workstation', 'liaison_point'] as const;
export const MAX_WEEKS = 26;
export const MAX_SEATS = 50;
const DAY_MS = 24 * 3_600_000;

export interface ShiftInput {
  organizationId: number | string;
  startsAt: string;
  endsAt: string;
  seats?: number | string | null;
  who?: string | null;
  note?: string | null;
  /** how many weekly shifts in all (1 or empty: just this one) */
  weeks?: number | string | null;
}

export interface CheckedShift {
  organizationId: number;
  startsAt: Date;
  endsAt: Date;
  seats: number;
  who: DutyWho;
  note: string;
  weeks: number;
}

function whole(value: number | string | null | undefined, fallback: number): number {
  if (value === null || value === undefined || (typeof value === 'string' && value.trim() === '')) return fallback;
  if (typeof value === 'number') return value;
  return /^\s*\d{1,6}\s*$/.test(value) ? Number(value) : NaN;
}

/** Field errors (empty when fine) and the normalised shift. A shift may not start in the past. */
export function checkShift(input: ShiftInput, now: Date): { errors: FieldError[]; value: CheckedShift } {
  const errors: FieldError[] = [];
  const organizationId = whole(input.organizationId, NaN);
  if (!Number.isInteger(organizationId) || organizationId < 1 || organizationId > 2147483647) errors.push({ field: 'organizationId', key: 'duty.err.station' });
  const startsAt = parseInstant(input.startsAt);
  const endsAt = parseInstant(input.endsAt);
  if (!startsAt) errors.push({ field: 'startsAt', key: 'events.err.instant' });
  else if (startsAt.getTime() <= now.getTime()) errors.push({ field: 'startsAt', key: 'events.err.startsPast' });
  if (!endsAt) errors.push({ field: 'endsAt', key: 'events.err.instant' });
  else if (startsAt && endsAt.getTime() <= startsAt.getTime()) errors.push({ field: 'endsAt', key: 'events.err.endsBeforeStart' });
  else if (startsAt && endsAt.getTime() - startsAt.getTime() > DAY_MS) errors.push({ field: 'endsAt', key: 'events.err.tooLong' });
  const seats = whole(input.seats, 1);
  if (!Number.isInteger(seats) || seats < 1 || seats > MAX_SEATS) errors.push({ field: 'seats', key: 'duty.err.seats', params: { max: MAX_SEATS } });
  const who = DUTY_WHO.find((w) => w === (input.who || 'either'));
  if (!who) errors.push({ field: 'who', key: 'err.choice' });
  const note = (input.note ?? '').trim();
  if (note.length > 1000) errors.push({ field: 'note', key: 'err.tooLong', params: { max: 1000 } });
  const weeks = whole(input.weeks, 1);
  if (!Number.isInteger(weeks) || weeks < 1 || weeks > MAX_WEEKS) errors.push({ field: 'weeks', key: 'duty.err.weeks', params: { max: MAX_WEEKS } });
  return {
    errors,
    value: { organizationId, startsAt: startsAt ?? now, endsAt: endsAt ?? now, seats, who: who ?? 'either', note, weeks },
  };
}

/** The start of occurrence `i` of a weekly series (Asia/Shanghai has no daylight saving: 7 days is exact). */
export function weekly(at: Date, i: number): Date {
  return new Date(at.getTime() + i * 7 * DAY_MS);
}

/** Whether this person may hold a seat of a shift for `who`. */
export function roleFits(who: DutyWho, p: Person): boolean {
  if (who === 'either') return true;
  return who === 'lawyer' ? !!p.lawyerId : !!p.volunteerId;
}

/** Why a lawyer is passed over for a duty seat, in the order checked. */
export const DUTY_PASS_REASONS = ['inactive', 'on_leave', 'already_on_shift', 'overlap'] as const;
export type DutyPassReason = (typeof DUTY_PASS_REASONS)[number];

export interface DutyCandidate extends Ranked {
  /** null: may take the seat */
  reason: DutyPassReason | null;
}

export interface DutyPick {
  chosen: number | null;
  /** the ineligible lawyers whose standing put them ahead of the pick, in rotation order: they keep their place */
  skipped: { lawyerId: number; reason: DutyPassReason }[];
}

/**
 * The next lawyer for one duty seat: the eligible lawyer first in rotation order
 * (compareRanked: fewest turns per weight, the oldest last turn, the lowest id).
 * A lawyer passed over keeps their standing, so they are next once eligible again.
 */
export function pickDuty(candidates: readonly DutyCandidate[]): DutyPick {
  const sorted = [...candidates].sort(compareRanked);
  const first = sorted.find((c) => c.reason === null);
  const skipped: DutyPick['skipped'] = [];
  for (const c of sorted) {
    if (c === first) break;
    if (c.reason) skipped.push({ lawyerId: c.lawyerId, reason: c.reason });
  }
  return { chosen: first?.lawyerId ?? null, skipped };
}

/** A lawyer's duty standing after a turn taken at `seq`. */
export function tookTurn(s: Standing, seq: number): Standing {
  return { ...s, turns: s.turns + 1, lastSeq: seq };
}
