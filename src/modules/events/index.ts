// Outreach event pages: the upcoming list (filters through htmx), one event with
// its sign-ups, one-click sign-up and cancel for volunteers and lawyers, and for
// managers the new-event form and cancelling an event with a reason.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { EVENT_KINDS, SIX_INTOS_TARGETS, VOLUNTEER_SKILLS, type EventKind } from '../../db/types.js';
import { ForbiddenError, NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { list, messages, str, type FormBody } from '../../lib/forms.js';
import { redirect, requireRole } from '../../plugins/auth.js';
import { listRegions } from '../organizations/organizations.service.js';
import { isDate } from '../hours/hours.rules.js';
import { today } from '../cases/cases.service.js';
import { cancelEvent, createEvent, getListedEvent, listEvents, type EventFilter, type ListedEvent } from './events.service.js';
import { cancelSignUp, listSignups, mySignups, signUp } from './signups.service.js';
import { personOfUser, type Person } from './person.js';
import { checkIn, selfCheckIn } from './checkin.service.js';
import type { EventInput } from './events.input.js';
import { dayOf, MAX_REPEAT } from './events.rules.js';
import { addDays } from '../../lib/workdays.js';
import { audit } from '../../plugins/audit.js';
import { formatHours } from '../hours/hours.rules.js';
import { historyOf, serviceTotals } from './history.js';
import { listNotifications, markRead, unreadCount } from './notifications.js';

type Values = Record<string, string | string[]>;

export interface EventsQuery {
  region?: string;
  kind?: string;
  from?: string;
  to?: string;
  cursor?: string;
  view?: string;
  month?: string;
}

export interface EventsPageFilter {
  regionCode: string;
  kind: string;
  from: string;
  to: string;
}

/** The filter of the list page from its query string; anything malformed is ignored. */
export function eventsFilter(q: EventsQuery, on: string): EventsPageFilter {
  const region = typeof q.region === 'string' && /^\d{6}$/.test(q.region) ? q.region : '';
  const kind = EVENT_KINDS.find((k) => k === q.kind) ?? '';
  const from = typeof q.from === 'string' && isDate(q.from) && q.from >= on ? q.from : on;
  const to = typeof q.to === 'string' && isDate(q.to) && q.to >= from ? q.to : '';
  return { regionCode: region, kind, from, to };
}

export function eventsParams(f: EventsPageFilter, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  if (f.regionCode) p.set('region', f.regionCode);
  if (f.kind) p.set('kind', f.kind);
  if (f.from) p.set('from', f.from);
  if (f.to) p.set('to', f.to);
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

const BLANK: Values = { title: '', description: '', kind: 'countryside', sixIntosTarget: '', startsAt: '', endsAt: '', regionCode: '', location: '', capacity: '', skillsWanted: [], signupOpensAt: '', signupClosesAt: '', repeatEvery: '', repeatCount: '' };

function readEventForm(body: FormBody | undefined): { input: EventInput; values: Values } {
  const s = (n: string) => str(body, n);
  const values: Values = {
    title: s('title'),
    description: s('description'),
    kind: s('kind'),
    sixIntosTarget: s('sixIntosTarget'),
    startsAt: s('startsAt'),
    endsAt: s('endsAt'),
    regionCode: s('regionCode'),
    location: s('location'),
    capacity: s('capacity'),
    skillsWanted: list(body, 'skillsWanted'),
    signupOpensAt: s('signupOpensAt'),
    signupClosesAt: s('signupClosesAt'),
    repeatEvery: s('repeatEvery'),
    repeatCount: s('repeatCount'),
  };
  const input: EventInput = {
    title: s('title'),
    description: s('description'),
    kind: s('kind'),
    sixIntosTarget: s('sixIntosTarget') || null,
    startsAt: s('startsAt'),
    endsAt: s('endsAt'),
    regionCode: s('regionCode'),
    location: s('location'),
    capacity: s('capacity'),
    skillsWanted: list(body, 'skillsWanted'),
    signupOpensAt: s('signupOpensAt') || null,
    signupClosesAt: s('signupClosesAt') || null,
    repeat: s('repeatEvery') || s('repeatCount') ? { every: s('repeatEvery'), count: s('repeatCount') } : null,
  };
  return { input, values };
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

export function prevMonth(month: string): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/** The weeks (Monday first) of a month's grid: each day 'YYYY-MM-DD', or '' outside the month. */
export function monthWeeks(month: string): string[][] {
  const first = `${month}-01`;
  const weekday = (new Date(`${first}T12:00:00Z`).getUTCDay() + 6) % 7;
  const days: string[] = Array.from({ length: weekday }, () => '');
  for (let d = first; d.startsWith(month); d = addDays(d, 1)) days.push(d);
  while (days.length % 7) days.push('');
  const weeks: string[][] = [];
  for (let i = 0; i < days.length; i += 7) weeks.push(days.slice(i, i + 7));
  return weeks;
}

function groupByDay(events: ListedEvent[]): Record<string, ListedEvent[]> {
  const out: Record<string, ListedEvent[]> = {};
  for (const e of events) (out[dayOf(e.starts_at)] ??= []).push(e);
  return out;
}

export default async function eventRoutes(app: FastifyInstance) {
  const anyone = { preHandler: requireRole('admin', 'manager', 'auditor', 'lawyer', 'volunteer') };
  const people = { preHandler: requireRole('volunteer', 'lawyer') };
  const manager = { preHandler: requireRole('manager') };
  const isManager = (request: FastifyRequest) => request.user?.role === 'manager';

  function personOf(request: FastifyRequest): Person {
    const p = personOfUser(request.user ?? null);
    if (!p) throw new ForbiddenError('This account is not linked to a volunteer or lawyer');
    return p;
  }

  async function regionNames(request: FastifyRequest) {
    const regions = await listRegions(app.db);
    const name = (code: string) => {
      const r = regions.find((x) => x.code === code);
      return r ? (request.lang === 'en' ? r.name_en : r.name_zh) : code;
    };
    return { regions, name };
  }

  async function mineOf(request: FastifyRequest, events: ListedEvent[]) {
    const p = personOfUser(request.user ?? null);
    if (!p) return {};
    const map = await mySignups(app.db, p, events.map((e) => e.id));
    return Object.fromEntries(map);
  }

  async function monthPage(request: FastifyRequest<{ Querystring: EventsQuery }>, reply: FastifyReply, on: string) {
    const q = request.query;
    const month = typeof q.month === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(q.month) && Number(q.month.slice(0, 4)) >= 2000 && Number(q.month.slice(0, 4)) <= 2100 ? q.month : on.slice(0, 7);
    const filter = eventsFilter({ region: q.region, kind: q.kind }, on);
    const first = `${month}-01`;
    const last = addDays(`${nextMonth(month)}-01`, -1);
    const query: EventFilter = { from: first, to: last, limit: 500 };
    if (filter.regionCode) query.regionCode = filter.regionCode;
    if (filter.kind) query.kind = filter.kind as EventKind;
    const [result, { regions, name }] = await Promise.all([listEvents(app.db, query), regionNames(request)]);
    const mine = await mineOf(request, result.items);
    return reply.page('events/month', {
      month,
      prev: prevMonth(month),
      next: nextMonth(month),
      weeks: monthWeeks(month),
      today: on,
      byDay: groupByDay(result.items),
      mine,
      filter,
      regions,
      regionName: name,
      kinds: EVENT_KINDS,
      params: (extra: Record<string, string> = {}) => eventsParams({ ...filter, from: '', to: '' }, extra),
    });
  }

  app.get<{ Querystring: EventsQuery }>('/events', anyone, async (request, reply) => {
    const on = today();
    if (request.query.view === 'month') return monthPage(request, reply, on);
    const filter = eventsFilter(request.query, on);
    const query: EventFilter = { from: filter.from, limit: 50 };
    if (filter.to) query.to = filter.to;
    if (filter.regionCode) query.regionCode = filter.regionCode;
    if (filter.kind) query.kind = filter.kind as EventKind;
    if (typeof request.query.cursor === 'string') query.cursor = request.query.cursor;
    const [result, { regions, name }] = await Promise.all([listEvents(app.db, query), regionNames(request)]);
    const mine = await mineOf(request, result.items);
    return reply.page(
      'events/index',
      {
        filter,
        events: result.items,
        nextCursor: result.nextCursor,
        mine,
        isPerson: !!personOfUser(request.user ?? null),
        isManager: isManager(request),
        regions,
        regionName: name,
        kinds: EVENT_KINDS,
        now: Date.now(),
        params: (extra: Record<string, string> = {}) => eventsParams(filter, extra),
      },
      { fragment: 'events/_results' },
    );
  });

  // ---- managers: a new event ----

  async function newPage(request: FastifyRequest, reply: FastifyReply, values: Values, errors: Record<string, string> = {}, status?: number) {
    const { regions } = await regionNames(request);
    return reply.page('events/new', { values, errors, regions, kinds: EVENT_KINDS, targets: SIX_INTOS_TARGETS, skills: VOLUNTEER_SKILLS, maxRepeat: MAX_REPEAT }, { status });
  }

  app.get('/events/new', manager, async (request, reply) => newPage(request, reply, BLANK));

  app.post<{ Body: FormBody }>('/events', manager, async (request, reply) => {
    const { input, values } = readEventForm(request.body);
    let created;
    try {
      created = await createEvent(app.db, request.actor(), input);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return newPage(request, reply, values, messages(err.fields, request.t), 422);
    }
    await reply.flash('ok', request.t('events.page.created', { count: created.length }));
    return redirect(request, reply, `/events/${created[0].id}`);
  });

  // ---- one event ----

  async function loadEvent(id: string): Promise<ListedEvent> {
    const event = /^\d{1,10}$/.test(id) ? await getListedEvent(app.db, Number(id)) : undefined;
    if (!event) throw new NotFoundError('Event not found');
    return event;
  }

  async function showPage(request: FastifyRequest, reply: FastifyReply, event: ListedEvent, extra: Record<string, unknown> = {}, status?: number) {
    const manage = isManager(request);
    const [{ name }, signups, mine] = await Promise.all([regionNames(request), manage ? listSignups(app.db, event.id) : null, mineOf(request, [event])]);
    return reply.page(
      'events/show',
      {
        event,
        signups,
        mine: mine[event.id] ?? null,
        isPerson: !!personOfUser(request.user ?? null),
        isManager: manage,
        regionName: name,
        now: Date.now(),
        refusal: null,
        errors: {},
        values: {},
        ...extra,
      },
      { status },
    );
  }

  app.get<{ Params: { id: string } }>('/events/:id', anyone, async (request, reply) => showPage(request, reply, await loadEvent(request.params.id)));

  /** A refusal of the service is said at the top of the event page, with its status; nothing was changed. */
  async function refused(request: FastifyRequest, reply: FastifyReply, id: string, err: unknown) {
    if (!(err instanceof RuleError)) throw err;
    return showPage(request, reply, await loadEvent(id), { refusal: request.t(err.key, err.params) }, err.statusCode);
  }

  const back = (body: FormBody | undefined, id: number) => (str(body, 'next') === 'list' ? '/events' : `/events/${id}`);

  app.post<{ Params: { id: string }; Body: FormBody }>('/events/:id/signup', people, async (request, reply) => {
    const event = await loadEvent(request.params.id);
    let result;
    try {
      result = await signUp(app.db, request.actor(), personOf(request), event.id);
    } catch (err) {
      return refused(request, reply, request.params.id, err);
    }
    const text = result.status === 'confirmed' ? request.t('events.page.signedUp', { title: event.title }) : request.t('events.page.waitlisted', { title: event.title, position: result.position ?? 0 });
    await reply.flash('ok', text);
    return redirect(request, reply, back(request.body, event.id));
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/events/:id/withdraw', people, async (request, reply) => {
    const event = await loadEvent(request.params.id);
    try {
      await cancelSignUp(app.db, request.actor(), personOf(request), event.id);
    } catch (err) {
      return refused(request, reply, request.params.id, err);
    }
    await reply.flash('ok', request.t('events.page.withdrawn', { title: event.title }));
    return redirect(request, reply, back(request.body, event.id));
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/events/:id/cancel', manager, async (request, reply) => {
    const event = await loadEvent(request.params.id);
    const reason = str(request.body, 'reason');
    let result;
    try {
      result = await cancelEvent(app.db, request.actor(), event.id, reason);
    } catch (err) {
      if (err instanceof ValidationError) return showPage(request, reply, event, { errors: messages(err.fields, request.t), values: { reason } }, 422);
      return refused(request, reply, request.params.id, err);
    }
    await reply.flash('ok', request.t('events.page.cancelled', { count: result.notified }));
    return redirect(request, reply, `/events/${event.id}`);
  });

  // ---- check-in: the manager's roster, the person's code ----

  async function rosterPage(request: FastifyRequest, reply: FastifyReply, event: ListedEvent, refusal: string | null = null, status?: number) {
    const signups = await listSignups(app.db, event.id);
    return reply.page('events/roster', { event, signups, refusal }, { status });
  }

  app.get<{ Params: { id: string } }>('/events/:id/roster', manager, async (request, reply) => rosterPage(request, reply, await loadEvent(request.params.id)));

  app.post<{ Params: { id: string }; Body: FormBody }>('/events/:id/roster', manager, async (request, reply) => {
    const event = await loadEvent(request.params.id);
    const m = /^([vl]):(\d{1,10})$/.exec(str(request.body, 'person'));
    const outcome = str(request.body, 'outcome');
    if (!m || (outcome !== 'attended' && outcome !== 'no_show')) throw new NotFoundError('No such sign-up');
    const person: Person = m[1] === 'v' ? { volunteerId: Number(m[2]) } : { lawyerId: Number(m[2]) };
    try {
      await checkIn(app.db, request.actor(), event.id, person, outcome);
    } catch (err) {
      if (!(err instanceof RuleError)) throw err;
      return rosterPage(request, reply, event, request.t(err.key, err.params), err.statusCode);
    }
    await reply.flash('ok', request.t(outcome === 'attended' ? 'events.roster.markedAttended' : 'events.roster.markedNoShow'));
    return redirect(request, reply, `/events/${event.id}/roster`);
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/events/:id/checkin', people, async (request, reply) => {
    const event = await loadEvent(request.params.id);
    let result;
    try {
      result = await selfCheckIn(app.db, request.actor(), personOf(request), event.id, str(request.body, 'code'));
    } catch (err) {
      return refused(request, reply, request.params.id, err);
    }
    await reply.flash('ok', request.t(result.credited ? 'events.checkin.done' : 'events.checkin.already'));
    return redirect(request, reply, `/events/${event.id}`);
  });

  // ---- the person's own record, certificate and notifications ----

  app.get('/events/mine', people, async (request, reply) => {
    const person = personOf(request);
    const [history, totals, { name }] = await Promise.all([historyOf(app.db, person, { limit: 200 }), serviceTotals(app.db, person), regionNames(request)]);
    return reply.page('events/mine', { history, totals, regionName: name, fh: formatHours });
  });

  app.get('/events/mine/certificate', people, async (request, reply) => {
    const person = personOf(request);
    const [history, totals] = await Promise.all([historyOf(app.db, person, { limit: 500 }), serviceTotals(app.db, person)]);
    return reply.page('events/certificate', { attended: history.filter((h) => h.status === 'attended'), totals, name: request.user!.name, issuedOn: today(), fh: formatHours });
  });

  const reader = (request: FastifyRequest) => ({ id: request.user!.id, volunteerId: request.user!.volunteerId ?? null, lawyerId: request.user!.lawyerId ?? null });

  app.get('/notifications', anyone, async (request, reply) => {
    const [items, unread] = await Promise.all([listNotifications(app.db, reader(request), { limit: 100 }), unreadCount(app.db, reader(request))]);
    return reply.page('events/notifications', { items, unread });
  });

  app.post('/notifications/read', anyone, async (request, reply) => {
    const n = await markRead(app.db, reader(request));
    if (n) await audit(app.db, request.actor(), { action: 'notifications.read', entity: 'notification', after: { count: n } });
    await reply.flash('ok', request.t('events.notes.marked', { count: n }));
    return redirect(request, reply, '/notifications');
  });
}
