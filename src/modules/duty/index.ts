// Duty roster pages: the list of shifts in a date range (unfilled first, htmx
// filters), defining shifts, one shift with its people and actions, the pending
// swaps for managers, and a person's own duty.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { DUTY_WHO } from '../../db/types.js';
import { ForbiddenError, NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import { addDays } from '../../lib/workdays.js';
import { redirect, requireRole } from '../../plugins/auth.js';
import { today } from '../cases/cases.service.js';
import { isDate } from '../hours/hours.rules.js';
import { personOfUser, type Person } from '../events/person.js';
import { listRegions } from '../organizations/organizations.service.js';
import { cancelShift, markAttendance, release, takeSeat } from './duty.assign.js';
import { fillShifts, unfilledIn } from './duty.fill.js';
import { MAX_WEEKS } from './duty.rules.js';
import { assigneesOf, createShifts, defaultRange, dutyStations, getShift, listShifts, myDuty, RECENT_DAYS, type ListedShift } from './duty.service.js';
import { approveSwap, pendingOf, pendingSwaps, readTarget, rejectSwap, requestSwap, swapTargets, withdrawSwap } from './duty.swaps.js';

export interface DutyQuery {
  from?: string;
  to?: string;
  station?: string;
  region?: string;
}

export interface DutyFilter {
  from: string;
  to: string;
  station: string;
  region: string;
}

/** The list's filter from a query string or form; anything malformed falls back to the next two weeks, everywhere. */
export function dutyFilter(q: DutyQuery, on: string): DutyFilter {
  const range = defaultRange(on);
  const from = typeof q.from === 'string' && isDate(q.from) ? q.from : range.from;
  const to = typeof q.to === 'string' && isDate(q.to) && q.to >= from && q.to <= addDays(from, 92) ? q.to : addDays(from, 13);
  const station = typeof q.station === 'string' && /^\d{1,9}$/.test(q.station) ? q.station : '';
  const region = typeof q.region === 'string' && /^\d{6}$/.test(q.region) ? q.region : '';
  return { from, to, station, region };
}

function params(f: DutyFilter): string {
  const p = new URLSearchParams({ from: f.from, to: f.to });
  if (f.station) p.set('station', f.station);
  if (f.region) p.set('region', f.region);
  return p.toString();
}

type Values = Record<string, string>;
const BLANK: Values = { organizationId: '', startsAt: '', endsAt: '', seats: '1', who: 'either', note: '', weeks: '1' };

export default async function dutyRoutes(app: FastifyInstance) {
  const anyone = { preHandler: requireRole('admin', 'manager', 'auditor', 'lawyer', 'volunteer') };
  const people = { preHandler: requireRole('volunteer', 'lawyer') };
  const manager = { preHandler: requireRole('manager') };
  const isManager = (r: FastifyRequest) => r.user?.role === 'manager';

  function personOf(request: FastifyRequest): Person {
    const p = personOfUser(request.user ?? null);
    if (!p) throw new ForbiddenError('This account is not linked to a volunteer or lawyer');
    return p;
  }

  async function regionName(request: FastifyRequest) {
    const regions = await listRegions(app.db);
    return { regions, name: (code: string) => regions.find((r) => r.code === code)?.[request.lang === 'en' ? 'name_en' : 'name_zh'] ?? code };
  }

  // ---- the list ----

  app.get<{ Querystring: DutyQuery }>('/duty', anyone, async (request, reply) => {
    const filter = dutyFilter(request.query, today());
    const [shifts, stations, { regions, name }] = await Promise.all([
      listShifts(app.db, { from: filter.from, to: filter.to, organizationId: filter.station ? Number(filter.station) : undefined, regionCode: filter.region || undefined }),
      dutyStations(app.db),
      regionName(request),
    ]);
    return reply.page(
      'duty/index',
      { filter, shifts, stations, regions, regionName: name, isManager: isManager(request), isPerson: !!personOfUser(request.user ?? null), query: params(filter) },
      { fragment: 'duty/_results' },
    );
  });

  // ---- managers: define shifts, fill ----

  async function newPage(request: FastifyRequest, reply: FastifyReply, values: Values, errors: Record<string, string> = {}, status?: number) {
    const [stations, { name }] = await Promise.all([dutyStations(app.db), regionName(request)]);
    return reply.page('duty/new', { values, errors, stations, regionName: name, who: DUTY_WHO, maxWeeks: MAX_WEEKS }, { status });
  }

  app.get<{ Querystring: { station?: string } }>('/duty/new', manager, async (request, reply) =>
    newPage(request, reply, { ...BLANK, organizationId: typeof request.query.station === 'string' ? request.query.station : '' }),
  );

  // a refused form leaves /duty/shifts in the address bar (the boosted form pushes its action): reloading it
  // opens the form again rather than "shift not found"
  app.get('/duty/shifts', manager, async (_request, reply) => reply.redirect('/duty/new', 303));

  app.post<{ Body: FormBody }>('/duty/shifts', manager, async (request, reply) => {
    const values: Values = Object.fromEntries(Object.keys(BLANK).map((k) => [k, str(request.body, k)]));
    let created;
    try {
      created = await createShifts(app.db, request.actor(), { ...values, organizationId: values.organizationId ?? '', startsAt: values.startsAt ?? '', endsAt: values.endsAt ?? '' });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return newPage(request, reply, values, messages(err.fields, request.t), 422);
    }
    await reply.flash('ok', request.t('duty.page.created', { count: created.length }));
    return redirect(request, reply, created.length === 1 ? `/duty/${created[0].id}` : '/duty');
  });

  app.post<{ Body: FormBody }>('/duty/fill', manager, async (request, reply) => {
    const filter = dutyFilter({ from: str(request.body, 'from'), to: str(request.body, 'to'), station: str(request.body, 'station'), region: str(request.body, 'region') }, today());
    const ids = await unfilledIn(app.db, { from: filter.from, to: filter.to, organizationId: filter.station ? Number(filter.station) : undefined, regionCode: filter.region || undefined });
    const results = await fillShifts(app.db, request.actor(), ids);
    const picked = results.reduce((n, r) => n + r.picked.length, 0);
    const left = results.reduce((n, r) => n + r.left, 0);
    await reply.flash(left ? 'error' : 'ok', request.t('duty.page.filled', { picked, left }));
    return redirect(request, reply, `/duty?${params(filter)}`);
  });

  // ---- one shift ----

  async function loadShift(id: string): Promise<ListedShift> {
    const shift = /^\d{1,10}$/.test(id) ? await getShift(app.db, Number(id)) : undefined;
    if (!shift) throw new NotFoundError('Shift not found');
    return shift;
  }

  async function showPage(request: FastifyRequest, reply: FastifyReply, shift: ListedShift, extra: Record<string, unknown> = {}, status?: number) {
    const me = personOfUser(request.user ?? null);
    const [assignees, { name }] = await Promise.all([assigneesOf(app.db, shift.id), regionName(request)]);
    const mine = me ? (assignees.find((a) => (me.lawyerId && a.lawyerId === me.lawyerId) || (me.volunteerId && a.volunteerId === me.volunteerId)) ?? null) : null;
    const manage = isManager(request);
    const targets = (mine && mine.status === 'assigned' && !mine.pendingSwap) || manage ? await swapTargets(app.db, shift) : [];
    const ownSwap = mine?.pendingSwap && me ? await pendingOf(app.db, me, mine.id) : null;
    return reply.page(
      'duty/show',
      {
        shift,
        assignees,
        mine,
        ownSwap,
        targets: targets.filter((t) => t.value !== (me?.lawyerId ? `l:${me.lawyerId}` : `v:${me?.volunteerId}`)),
        isManager: manage,
        isPerson: !!me,
        started: Date.now() >= shift.starts_at.getTime(),
        regionName: name,
        refusal: null,
        errors: {},
        values: {},
        ...extra,
      },
      { status },
    );
  }

  app.get<{ Params: { id: string } }>('/duty/:id', anyone, async (request, reply) => showPage(request, reply, await loadShift(request.params.id)));

  /** A refusal is said at the top of the shift page with its status; nothing changed. */
  async function refused(request: FastifyRequest, reply: FastifyReply, shift: ListedShift, err: unknown) {
    if (err instanceof ValidationError) return showPage(request, reply, shift, { errors: messages(err.fields, request.t), values: request.body ?? {} }, 422);
    if (!(err instanceof RuleError)) throw err;
    return showPage(request, reply, shift, { refusal: request.t(err.key, err.params) }, err.statusCode);
  }

  app.post<{ Params: { id: string } }>('/duty/:id/signup', people, async (request, reply) => {
    const shift = await loadShift(request.params.id);
    try {
      await takeSeat(app.db, request.actor(), personOf(request), shift.id, 'signup');
    } catch (err) {
      return refused(request, reply, shift, err);
    }
    await reply.flash('ok', request.t('duty.page.signedUp'));
    return redirect(request, reply, `/duty/${shift.id}`);
  });

  app.post<{ Params: { id: string } }>('/duty/:id/release', people, async (request, reply) => {
    const shift = await loadShift(request.params.id);
    try {
      await release(app.db, request.actor(), personOf(request), shift.id);
    } catch (err) {
      return refused(request, reply, shift, err);
    }
    await reply.flash('ok', request.t('duty.page.released'));
    return redirect(request, reply, `/duty/${shift.id}`);
  });

  app.post<{ Params: { id: string } }>('/duty/:id/fill', manager, async (request, reply) => {
    const shift = await loadShift(request.params.id);
    const [result] = await fillShifts(app.db, request.actor(), [shift.id]);
    const picked = result?.picked.length ?? 0;
    const left = result?.left ?? shift.seats - shift.filled;
    await reply.flash(left ? 'error' : 'ok', request.t('duty.page.filled', { picked, left }));
    return redirect(request, reply, `/duty/${shift.id}`);
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/duty/:id/cancel', manager, async (request, reply) => {
    const shift = await loadShift(request.params.id);
    let result;
    try {
      result = await cancelShift(app.db, request.actor(), shift.id, str(request.body, 'reason'));
    } catch (err) {
      return refused(request, reply, shift, err);
    }
    await reply.flash('ok', request.t('duty.page.cancelled', { count: result.notified }));
    return redirect(request, reply, `/duty/${shift.id}`);
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/duty/:id/assign', manager, async (request, reply) => {
    const shift = await loadShift(request.params.id);
    const person = readTarget(str(request.body, 'person'));
    try {
      if (!person) throw new ValidationError([{ field: 'person', key: 'err.required' }]);
      await takeSeat(app.db, request.actor(), person, shift.id, 'manager');
    } catch (err) {
      return refused(request, reply, shift, err);
    }
    await reply.flash('ok', request.t('duty.page.assigned'));
    return redirect(request, reply, `/duty/${shift.id}`);
  });

  app.post<{ Params: { id: string; aid: string }; Body: FormBody }>('/duty/:id/assignments/:aid/attendance', manager, async (request, reply) => {
    const shift = await loadShift(request.params.id);
    const outcome = str(request.body, 'outcome');
    const a = (await assigneesOf(app.db, shift.id)).find((x) => String(x.id) === request.params.aid);
    if (!a || (outcome !== 'attended' && outcome !== 'no_show')) throw new NotFoundError('No such assignment');
    try {
      await markAttendance(app.db, request.actor(), a.id, outcome);
    } catch (err) {
      return refused(request, reply, shift, err);
    }
    await reply.flash('ok', request.t(outcome === 'attended' ? 'duty.page.markedAttended' : 'duty.page.markedNoShow', { name: a.name }));
    return redirect(request, reply, `/duty/${shift.id}`);
  });

  app.post<{ Params: { id: string; aid: string }; Body: FormBody }>('/duty/:id/assignments/:aid/swap', people, async (request, reply) => {
    const shift = await loadShift(request.params.id);
    const me = personOf(request);
    const a = (await assigneesOf(app.db, shift.id)).find((x) => String(x.id) === request.params.aid);
    // another person's assignment does not exist for this user
    if (!a || (me.lawyerId ? a.lawyerId !== me.lawyerId : a.volunteerId !== me.volunteerId)) throw new NotFoundError('No such assignment');
    const to = readTarget(str(request.body, 'to'));
    try {
      if (to === undefined) throw new ValidationError([{ field: 'to', key: 'err.choice' }]);
      await requestSwap(app.db, request.actor(), me, a.id, to, str(request.body, 'reason'));
    } catch (err) {
      return refused(request, reply, shift, err);
    }
    await reply.flash('ok', request.t('duty.page.swapRequested'));
    return redirect(request, reply, `/duty/${shift.id}`);
  });

  app.post<{ Params: { sid: string } }>('/duty/swaps/:sid/withdraw', people, async (request, reply) => {
    const sid = /^\d{1,10}$/.test(request.params.sid) ? Number(request.params.sid) : 0;
    await withdrawSwap(app.db, request.actor(), personOf(request), sid);
    await reply.flash('ok', request.t('duty.swaps.withdrawn'));
    return redirect(request, reply, '/duty/mine');
  });

  // ---- managers: pending swaps ----

  async function swapsPage(request: FastifyRequest, reply: FastifyReply, extra: Record<string, unknown> = {}, status?: number) {
    const swaps = await pendingSwaps(app.db);
    return reply.page('duty/swaps', { swaps, errors: {}, values: {}, failed: null, refusal: null, ...extra }, { status });
  }

  app.get('/duty/swaps', manager, async (request, reply) => swapsPage(request, reply));

  app.post<{ Params: { sid: string; decision: string }; Body: FormBody }>('/duty/swaps/:sid/:decision', manager, async (request, reply) => {
    const sid = /^\d{1,10}$/.test(request.params.sid) ? Number(request.params.sid) : 0;
    const decision = request.params.decision;
    if (decision !== 'approve' && decision !== 'reject') throw new NotFoundError('Not found');
    const reason = str(request.body, 'reason');
    try {
      if (decision === 'approve') await approveSwap(app.db, request.actor(), sid);
      else await rejectSwap(app.db, request.actor(), sid, reason);
    } catch (err) {
      if (err instanceof ValidationError) return swapsPage(request, reply, { errors: messages(err.fields, request.t), values: { reason }, failed: sid }, 422);
      if (err instanceof RuleError) return swapsPage(request, reply, { refusal: request.t(err.key, err.params) }, err.statusCode);
      throw err;
    }
    await reply.flash('ok', request.t(decision === 'approve' ? 'duty.swaps.approved' : 'duty.swaps.rejected'));
    return redirect(request, reply, '/duty/swaps');
  });

  // ---- a person's own duty ----

  app.get('/duty/mine', people, async (request, reply) => {
    const mine = await myDuty(app.db, personOf(request), new Date());
    return reply.page('duty/mine', { ...mine, recentDays: RECENT_DAYS });
  });
}
