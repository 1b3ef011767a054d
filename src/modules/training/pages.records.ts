// Training records for people: each person's record page (hours this year against
// the policy, sessions attended, certificates with their status), /training/me
// for one's own, and the managers' lists of who is short of hours and whose
// certificates expire within 60 days (or have expired, not renewed).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { authorize } from '../../lib/access.js';
import { NotFoundError } from '../../lib/errors.js';
import { redirect, requireRole } from '../../plugins/auth.js';
import { addDays } from '../../lib/workdays.js';
import { today } from '../cases/cases.service.js';
import { certificatesExpired, certificatesExpiring, shortOfHours, trainingPolicyFor, trainingRecord, type ShortRow } from './training.records.js';
import { EXPIRING_DAYS, type PersonKind } from './training.rules.js';
import { trainingPersonOf } from './pages.common.js';

export const SHORT_SORTS = ['short', 'name', 'hours'] as const;
export type ShortSort = (typeof SHORT_SORTS)[number];

const collator = new Intl.Collator('zh-CN');

/** The short list in the order asked for: the largest shortfall first (the service's order), by name, or the fewest hours first. */
export function sortShort(rows: ShortRow[], sort: ShortSort): ShortRow[] {
  if (sort === 'name') return [...rows].sort((a, b) => collator.compare(a.name, b.name) || a.person.id - b.person.id);
  if (sort === 'hours') return [...rows].sort((a, b) => a.hours - b.hours || a.person.id - b.person.id);
  return rows;
}

/** Whole days from one calendar date to another. */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

export default async function recordPages(app: FastifyInstance) {
  const anyone = { preHandler: requireRole('admin', 'manager', 'auditor', 'lawyer', 'volunteer') };
  const people = { preHandler: requireRole('lawyer', 'volunteer') };
  const managers = { preHandler: requireRole('manager', 'admin') };

  app.get('/training/me', people, async (request, reply) => {
    const person = trainingPersonOf(request.user ?? null);
    if (!person) throw new NotFoundError('This account is not linked to a lawyer or volunteer');
    return redirect(request, reply, `/training/${person.kind}s/${person.id}`);
  });

  async function recordPage(request: FastifyRequest<{ Params: { id: string } }>, reply: FastifyReply, kind: PersonKind) {
    const id = /^\d{1,10}$/.test(request.params.id) ? Number(request.params.id) : 0;
    // someone else's record does not exist for a lawyer or volunteer: 404, as for an unknown id
    const row = await authorize(request.user, kind, 'read', () =>
      kind === 'lawyer'
        ? app.db.selectFrom('lawyers').select(['id', 'name']).where('id', '=', id).executeTakeFirst()
        : app.db.selectFrom('volunteers').select(['id', 'name']).where('id', '=', id).executeTakeFirst(),
    );
    const on = today();
    const record = await trainingRecord(app.db, { kind, id: row.id }, on);
    const year = Number(on.slice(0, 4));
    const own = trainingPersonOf(request.user ?? null);
    return reply.page('training/record', {
      kind,
      name: row.name,
      on,
      record,
      current: record.years.find((y) => y.year === year)!,
      own: own?.kind === kind && own.id === row.id,
      isManager: request.user?.role === 'manager' || request.user?.role === 'admin',
    });
  }

  app.get<{ Params: { id: string } }>('/training/lawyers/:id', anyone, async (request, reply) => recordPage(request, reply, 'lawyer'));
  app.get<{ Params: { id: string } }>('/training/volunteers/:id', anyone, async (request, reply) => recordPage(request, reply, 'volunteer'));

  app.get<{ Querystring: { year?: string; sort?: string } }>('/training/short', managers, async (request, reply) => {
    const thisYear = Number(today().slice(0, 4));
    const asked = Number(request.query.year);
    const year = Number.isInteger(asked) && asked >= 2000 && asked <= thisYear ? asked : thisYear;
    const sort = SHORT_SORTS.find((s) => s === request.query.sort) ?? 'short';
    const [lawyers, volunteers, policy] = await Promise.all([shortOfHours(app.db, year, 'lawyer'), shortOfHours(app.db, year, 'volunteer'), trainingPolicyFor(app.db, year)]);
    return reply.page('training/short', {
      year,
      years: Array.from({ length: 5 }, (_, i) => thisYear - i),
      sort,
      sorts: SHORT_SORTS,
      groups: [
        { kind: 'lawyer', rows: sortShort(lawyers, sort), required: policy.requiredHours.lawyer ?? 0 },
        { kind: 'volunteer', rows: sortShort(volunteers, sort), required: policy.requiredHours.volunteer ?? 0 },
      ],
    });
  });

  app.get('/training/expiring', managers, async (_request, reply) => {
    const on = today();
    const [expiring, expired] = await Promise.all([certificatesExpiring(app.db, on), certificatesExpired(app.db, on)]);
    return reply.page('training/expiring', {
      on,
      until: addDays(on, EXPIRING_DAYS),
      expiring: expiring.map((r) => ({ ...r, daysLeft: daysBetween(on, r.expiresOn) })),
      expired: expired.map((r) => ({ ...r, daysAgo: daysBetween(r.expiresOn, on) })),
    });
  });
}
