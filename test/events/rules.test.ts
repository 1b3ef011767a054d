// The pure rules of events: overlaps, the sign-up window, the event day in
// Asia/Shanghai (promotion cut-off, self check-in) across midnight UTC,
// credited hours, series dates and checking a new event's input.
import t from 'tap';
import {
  creditedTenths,
  dayOf,
  DEFAULT_EVENTS_POLICY,
  occurrenceOffsets,
  overlaps,
  positionOf,
  promotionAllowed,
  rosterOpen,
  selfCheckInOpen,
  shiftBy,
  signupRefusal,
  type EventTimes,
} from '../../src/modules/events/events.rules.js';
import { checkEvent, parseInstant } from '../../src/modules/events/events.input.js';

const at = (s: string) => new Date(s);
const range = (a: string, b: string) => ({ starts_at: at(a), ends_at: at(b) });

void t.test('overlaps: shared time only; touching ends do not overlap', async (t) => {
  const morning = range('2026-12-02T09:00:00+08:00', '2026-12-02T12:00:00+08:00');
  t.ok(overlaps(morning, range('2026-12-02T11:00:00+08:00', '2026-12-02T13:00:00+08:00')), 'partly');
  t.ok(overlaps(morning, range('2026-12-02T10:00:00+08:00', '2026-12-02T10:30:00+08:00')), 'inside');
  t.ok(overlaps(range('2026-12-02T08:00:00+08:00', '2026-12-02T18:00:00+08:00'), morning), 'containing');
  t.notOk(overlaps(morning, range('2026-12-02T12:00:00+08:00', '2026-12-02T14:00:00+08:00')), 'the next one starts as this ends');
  t.notOk(overlaps(morning, range('2026-12-03T09:00:00+08:00', '2026-12-03T12:00:00+08:00')), 'another day');
});

void t.test('the sign-up window: default from creation to the start; explicit bounds; cancelled and started', async (t) => {
  const base: EventTimes = {
    created_at: at('2026-11-20T10:00:00+08:00'),
    starts_at: at('2026-12-02T09:00:00+08:00'),
    ends_at: at('2026-12-02T12:00:00+08:00'),
    signup_opens_at: null,
    signup_closes_at: null,
    status: 'scheduled',
  };
  t.equal(signupRefusal(base, at('2026-11-20T10:00:00+08:00')), null, 'open from creation');
  t.equal(signupRefusal(base, at('2026-12-02T08:59:59+08:00')), null, 'open until the start');
  t.match(signupRefusal(base, at('2026-12-02T09:00:00+08:00')), { code: 'event_started', status: 409 });
  t.match(signupRefusal(base, at('2026-11-20T09:59:59+08:00')), { code: 'signup_not_open' });
  const windowed = { ...base, signup_opens_at: at('2026-11-25T08:00:00+08:00'), signup_closes_at: at('2026-11-30T18:00:00+08:00') };
  t.match(signupRefusal(windowed, at('2026-11-25T07:59:59+08:00')), { code: 'signup_not_open', status: 422, at: windowed.signup_opens_at });
  t.equal(signupRefusal(windowed, at('2026-11-25T08:00:00+08:00')), null, 'opens on the dot');
  t.equal(signupRefusal(windowed, at('2026-11-30T17:59:59+08:00')), null);
  t.match(signupRefusal(windowed, at('2026-11-30T18:00:00+08:00')), { code: 'signup_closed', status: 422, at: windowed.signup_closes_at });
  t.match(signupRefusal({ ...base, status: 'cancelled' }, at('2026-11-21T00:00:00+08:00')), { code: 'event_cancelled', status: 409 });
});

void t.test('promotion cut-off: the event day in Asia/Shanghai, not in UTC', async (t) => {
  const policy = DEFAULT_EVENTS_POLICY;
  // 09:00 on 2 December in Shanghai is 01:00 UTC the same day
  const e = range('2026-12-02T09:00:00+08:00', '2026-12-02T12:00:00+08:00');
  t.ok(promotionAllowed(e, at('2026-12-01T15:59:59Z'), policy), '23:59:59 on 1 December in Shanghai: the day before');
  t.notOk(promotionAllowed(e, at('2026-12-01T16:00:00Z'), policy), '00:00 on 2 December in Shanghai, still 1 December in UTC: the event day');
  t.notOk(promotionAllowed(e, at('2026-12-02T00:30:00Z'), policy), 'the morning of the event');
  // 07:00 on 2 December in Shanghai is 23:00 UTC on 1 December: UTC would call 1 December the event day
  const early = range('2026-12-02T07:00:00+08:00', '2026-12-02T09:00:00+08:00');
  t.equal(dayOf(early.starts_at), '2026-12-02');
  t.ok(promotionAllowed(early, at('2026-12-01T10:00:00Z'), policy), '18:00 on 1 December in Shanghai is still the day before');
  t.notOk(promotionAllowed(early, at('2026-12-01T16:00:00Z'), policy));
  const untilStart = { ...policy, promotionCutoff: 'start' as const };
  t.ok(promotionAllowed(e, at('2026-12-02T00:59:00Z'), untilStart), 'policy "start": until the start');
  t.notOk(promotionAllowed(e, at('2026-12-02T01:00:00Z'), untilStart));
});

void t.test('self check-in on the event day only (and until an overnight event ends); the roster from the day on', async (t) => {
  const e = range('2026-12-02T09:00:00+08:00', '2026-12-02T12:00:00+08:00');
  t.notOk(selfCheckInOpen(e, at('2026-12-01T15:59:59Z')), 'the day before, in Shanghai');
  t.ok(selfCheckInOpen(e, at('2026-12-01T16:00:00Z')), 'midnight in Shanghai starts the day');
  t.ok(selfCheckInOpen(e, at('2026-12-02T15:59:59Z')), 'until 23:59:59 in Shanghai');
  t.notOk(selfCheckInOpen(e, at('2026-12-02T16:00:00Z')), 'the next day');
  const night = range('2026-12-02T20:00:00+08:00', '2026-12-03T04:00:00+08:00');
  t.ok(selfCheckInOpen(night, at('2026-12-03T02:00:00+08:00')), 'an overnight shift: still open while it runs');
  t.notOk(selfCheckInOpen(night, at('2026-12-03T04:00:01+08:00')));
  t.notOk(rosterOpen(e, at('2026-12-01T23:59:00+08:00')));
  t.ok(rosterOpen(e, at('2026-12-02T00:00:00+08:00')));
  t.ok(rosterOpen(e, at('2026-12-09T10:00:00+08:00')), 'a roster may be completed later');
});

void t.test('credited hours: the duration in tenths, or a fixed policy figure', async (t) => {
  t.equal(creditedTenths(range('2026-12-02T09:00:00Z', '2026-12-02T11:30:00Z'), DEFAULT_EVENTS_POLICY), 25);
  t.equal(creditedTenths(range('2026-12-02T09:00:00Z', '2026-12-02T10:40:00Z'), DEFAULT_EVENTS_POLICY), 17, '100 minutes round to 1.7');
  t.equal(creditedTenths(range('2026-12-02T09:00:00Z', '2026-12-02T09:01:00Z'), DEFAULT_EVENTS_POLICY), 1, 'never zero');
  t.equal(creditedTenths(range('2026-12-02T09:00:00Z', '2026-12-02T11:30:00Z'), { ...DEFAULT_EVENTS_POLICY, creditHours: 4 }), 40);
});

void t.test('series: weekly adds 7 days; monthly keeps the Shanghai wall clock and clamps to the month end', async (t) => {
  const first = at('2026-01-31T07:00:00+08:00'); // 23:00 UTC on 30 January
  t.equal(shiftBy(first, 'week', 1).toISOString(), at('2026-02-07T07:00:00+08:00').toISOString());
  t.equal(shiftBy(first, 'month', 1).toISOString(), at('2026-02-28T07:00:00+08:00').toISOString());
  t.equal(shiftBy(first, 'month', 2).toISOString(), at('2026-03-31T07:00:00+08:00').toISOString(), 'from the first date, not the clamped one');
  t.equal(shiftBy(at('2026-11-15T09:00:00+08:00'), 'month', 2).toISOString(), at('2027-01-15T09:00:00+08:00').toISOString(), 'across the year');
  t.same(occurrenceOffsets(first, null), [0]);
  t.same(occurrenceOffsets(first, { every: 'week', count: 3 }), [0, 7 * 86_400_000, 14 * 86_400_000]);
  t.equal(positionOf(9, [3, 5, 9, 12]), 3);
});

void t.test('instants: an offset is kept; none means Shanghai; impossible dates refused', async (t) => {
  t.equal(parseInstant('2026-12-02T09:00')?.toISOString(), '2026-12-02T01:00:00.000Z');
  t.equal(parseInstant('2026-12-02T09:00:00Z')?.toISOString(), '2026-12-02T09:00:00.000Z');
  t.equal(parseInstant('2026-12-02T09:00:00+0800')?.toISOString(), '2026-12-02T01:00:00.000Z');
  t.equal(parseInstant('2026-02-30T09:00'), null);
  t.equal(parseInstant('2026-12-02T25:00'), null);
  t.equal(parseInstant('tomorrow'), null);
});

void t.test('checking a new event: the fields a form shows errors next to', async (t) => {
  const now = at('2026-11-26T10:00:00+08:00');
  const good = { title: '送法进村', kind: 'countryside', startsAt: '2026-12-02T09:00', endsAt: '2026-12-02T12:00', regionCode: '511902', location: '某村委会', capacity: '10' };
  const ok = checkEvent(good, now);
  t.same(ok.errors, []);
  t.match(ok.value, { capacity: 10, sixIntosTarget: null, repeat: null });
  const fields = (input: object) => checkEvent({ ...good, ...input }, now).errors.map((e) => `${e.field}:${e.key}`);
  t.same(fields({ kind: 'six_intos' }), ['sixIntosTarget:events.err.target'], 'six intos needs its target');
  t.same(fields({ kind: 'six_intos', sixIntosTarget: 'schools' }), []);
  t.same(fields({ endsAt: '2026-12-02T09:00' }), ['endsAt:events.err.endsBeforeStart']);
  t.same(fields({ endsAt: '2026-12-03T09:01' }), ['endsAt:events.err.tooLong']);
  t.same(fields({ startsAt: '2026-11-26T09:00', endsAt: '2026-11-26T12:00' }), ['startsAt:events.err.startsPast']);
  t.same(fields({ capacity: '0' }), ['capacity:events.err.capacity']);
  t.same(fields({ title: '  ', location: '' }), ['title:err.required', 'location:err.required']);
  t.same(fields({ signupClosesAt: '2026-12-02T10:00' }), ['signupClosesAt:events.err.closesAfterStart']);
  t.same(fields({ signupOpensAt: '2026-12-01T10:00', signupClosesAt: '2026-12-01T09:00' }), ['signupClosesAt:events.err.closesBeforeOpens']);
  t.same(fields({ repeat: { every: 'week', count: 1 } }), ['repeatCount:events.err.repeatCount']);
  t.same(fields({ repeat: { every: 'day', count: 3 } }), ['repeat:err.choice']);
  t.same(checkEvent({ ...good, repeat: { every: 'month', count: '6' } }, now).value.repeat, { every: 'month', count: 6 });
});
