// TypeBox schemas of /api/v1/events and the JSON shapes of events and sign-ups.
import { Type } from 'typebox';
import { Nullable } from '../../api/common.js';
import { EVENT_KINDS, SIGNUP_STATUSES, SIX_INTOS_TARGETS, VOLUNTEER_SKILLS, type EventKind, type SignupStatus, type SixIntosTarget } from '../../db/types.js';
import { MAX_CAPACITY } from './events.input.js';
import { MAX_REPEAT } from './events.rules.js';
import type { ListedEvent } from './events.service.js';
import type { SignupEntry } from './signups.service.js';

const RowId = Type.Integer({ minimum: 1, maximum: 2147483647 });
const Instant = (description: string) => Type.String({ format: 'date-time', maxLength: 40, description });
const KindSchema = Type.Unsafe<EventKind>({ type: 'string', enum: [...EVENT_KINDS] });
const TargetSchema = Type.Unsafe<SixIntosTarget>({ type: 'string', enum: [...SIX_INTOS_TARGETS] });
const SignupStatusSchema = Type.Unsafe<SignupStatus>({ type: 'string', enum: [...SIGNUP_STATUSES] });
const Skill = Type.Unsafe<string>({ type: 'string', enum: [...VOLUNTEER_SKILLS] });

export const IdParams = Type.Object({ id: RowId });
export const SignupParams = Type.Object({ id: RowId, volunteerId: RowId });
export const LawyerSignupParams = Type.Object({ id: RowId, lawyerId: RowId });

export const EventSchema = Type.Object(
  {
    id: Type.Integer(),
    title: Type.String(),
    description: Type.String(),
    kind: KindSchema,
    sixIntosTarget: Nullable(TargetSchema),
    startsAt: Type.String({ format: 'date-time' }),
    endsAt: Type.String({ format: 'date-time' }),
    regionCode: Type.String(),
    location: Type.String(),
    capacity: Type.Integer(),
    skillsWanted: Type.Array(Type.String()),
    signupOpensAt: Type.String({ format: 'date-time', description: 'when sign-up opens (the creation time unless set)' }),
    signupClosesAt: Type.String({ format: 'date-time', description: 'when sign-up closes (the start unless set)' }),
    seriesId: Nullable(Type.Integer({ description: 'the first event of a repeating series; list a series with ?seriesId=' })),
    status: Type.Union([Type.Literal('scheduled'), Type.Literal('cancelled')]),
    cancelReason: Nullable(Type.String()),
    confirmedCount: Type.Integer({ description: 'seats taken (confirmed, attended or no-show)' }),
    waitlistedCount: Type.Integer(),
    checkinCode: Type.Optional(Type.String({ description: 'managers only: the code shown at the event for self check-in' })),
    createdAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'OutreachEvent' },
);

export const EventCreateSchema = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: 200 }),
    kind: KindSchema,
    startsAt: Instant('ISO 8601 with offset, in the future'),
    endsAt: Instant('after startsAt, at most 24 hours later'),
    location: Type.String({ minLength: 1, maxLength: 300, description: 'the address' }),
    regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    capacity: Type.Integer({ minimum: 1, maximum: MAX_CAPACITY }),
    description: Type.Optional(Type.String({ maxLength: 4000 })),
    sixIntosTarget: Type.Optional(Nullable(TargetSchema)),
    skillsWanted: Type.Optional(Type.Array(Skill, { uniqueItems: true })),
    signupOpensAt: Type.Optional(Nullable(Instant('before startsAt; default: open from creation'))),
    signupClosesAt: Type.Optional(Nullable(Instant('at most startsAt; default: the start'))),
    repeat: Type.Optional(
      Type.Object(
        { every: Type.Union([Type.Literal('week'), Type.Literal('month')]), count: Type.Integer({ minimum: 2, maximum: MAX_REPEAT, description: 'events in the series, the first included' }) },
        { additionalProperties: false },
      ),
    ),
  },
  { additionalProperties: false, description: 'sixIntosTarget is required when kind is six_intos. With repeat, a series is created and the first event returned.' },
);

export const EventListQuery = Type.Object({
  regionCode: Type.Optional(Type.String({ pattern: '^[0-9]{6}$' })),
  kind: Type.Optional(KindSchema),
  from: Type.Optional(Type.String({ format: 'date', description: 'first start day, YYYY-MM-DD Asia/Shanghai; default today' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'last start day (inclusive)' })),
  seriesId: Type.Optional(RowId),
  includeCancelled: Type.Optional(Type.Boolean({ default: false })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
  cursor: Type.Optional(Type.String({ maxLength: 100 })),
});

export const SignupBody = Type.Object(
  { volunteerId: Type.Optional({ ...RowId, description: "a manager: the volunteer to sign up; a volunteer's own token may omit it (if given it must be their own)" }) },
  { additionalProperties: false },
);

export const SignupResultSchema = Type.Object({
  status: Type.Union([Type.Literal('confirmed'), Type.Literal('waitlisted')]),
  position: Nullable(Type.Integer({ description: 'place on the waitlist, 1 = next to be promoted; null when confirmed' })),
});

export const CancelSignupResult = Type.Object({
  status: Type.Literal('cancelled'),
  promoted: Type.Integer({ description: 'how many from the waitlist were promoted (0 on the event day: policy)' }),
});

const EntrySchema = Type.Object({
  volunteerId: Nullable(Type.Integer()),
  lawyerId: Nullable(Type.Integer({ description: 'set instead of volunteerId for a lawyer joining outreach' })),
  name: Type.String(),
  status: SignupStatusSchema,
  position: Nullable(Type.Integer({ description: 'waitlist position from 1; null for seat holders' })),
  signedUpAt: Type.String({ format: 'date-time' }),
});

export const SignupListSchema = Type.Object({
  confirmed: Type.Array(EntrySchema, { description: 'seat holders in arrival order (confirmed, attended, no_show)' }),
  waitlisted: Type.Array(EntrySchema, { description: 'in order: position 1, 2, …' }),
});

export const CancelBody = Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false });

export const CheckinBody = Type.Object(
  {
    volunteerId: Type.Optional({ ...RowId, description: "a manager: whose attendance; a volunteer's own token may omit it" }),
    code: Type.Optional(Type.String({ maxLength: 20, description: 'self check-in: the code shown at the event (volunteers, on the event day)' })),
    status: Type.Optional(Type.Union([Type.Literal('attended'), Type.Literal('no_show')], { description: 'a manager\'s roster mark; default attended' })),
  },
  { additionalProperties: false },
);

export const CheckinResult = Type.Object({
  status: SignupStatusSchema,
  credited: Type.Boolean({ description: 'hours were credited by this call (false when they already had been)' }),
});

export function eventJson(e: ListedEvent, withCode: boolean) {
  return {
    id: e.id,
    title: e.title,
    description: e.description,
    kind: e.kind,
    sixIntosTarget: e.six_intos_target,
    startsAt: e.starts_at.toISOString(),
    endsAt: e.ends_at.toISOString(),
    regionCode: e.region_code,
    location: e.location,
    capacity: e.capacity,
    skillsWanted: e.skills_wanted,
    signupOpensAt: (e.signup_opens_at ?? e.created_at).toISOString(),
    signupClosesAt: (e.signup_closes_at ?? e.starts_at).toISOString(),
    seriesId: e.series_id,
    status: e.status,
    cancelReason: e.cancel_reason,
    confirmedCount: e.taken,
    waitlistedCount: e.waitlisted,
    ...(withCode ? { checkinCode: e.checkin_code } : {}),
    createdAt: e.created_at.toISOString(),
  };
}

export function entryJson(s: SignupEntry) {
  return { volunteerId: s.volunteerId, lawyerId: s.lawyerId, name: s.name, status: s.status, position: s.position, signedUpAt: s.signedUpAt.toISOString() };
}
