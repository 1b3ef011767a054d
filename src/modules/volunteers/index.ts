// Volunteer pages: the public sign-up, the managers' registry with review, and a
// volunteer's own profile.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, redirect } from '../../plugins/auth.js';
import { authorize } from '../../lib/access.js';
import { ValidationError } from '../../lib/errors.js';
import { list, messages, optional, str, type FormBody } from '../../lib/forms.js';
import { pageNumber } from '../../lib/paging.js';
import { VOLUNTEER_SKILLS } from '../../db/types.js';
import { listRegions } from '../organizations/organizations.service.js';
import { normalizePhone, splitList } from '../lawyers/lawyers.rules.js';
import { availabilityOf, DAYS, SLOTS, type VolunteerInput } from './volunteers.rules.js';
import { approveVolunteer, createVolunteer, getVolunteer, listVolunteers, rejectVolunteer, updateVolunteer } from './volunteers.service.js';

export interface VolunteerListQuery {
  q?: string;
  status?: string;
  region?: string;
  skill?: string;
  sort?: string;
  page?: string;
}

export function volunteerFilter(q: VolunteerListQuery) {
  return { q: q.q?.trim() ?? '', status: q.status ?? '', regionCode: q.region ?? '', skill: q.skill ?? '', sort: q.sort ?? 'name', page: pageNumber(q.page) };
}

function readForm(body: FormBody | undefined): VolunteerInput {
  return {
    name: str(body, 'name'),
    phone: normalizePhone(optional(body, 'phone')),
    email: optional(body, 'email'),
    regionCode: str(body, 'regionCode'),
    skills: list(body, 'skills'),
    languages: splitList(str(body, 'languages')),
    availability: availabilityOf(list(body, 'availability')),
  };
}

function values(input: VolunteerInput) {
  return { name: input.name, phone: input.phone, email: input.email, region_code: input.regionCode, skills: input.skills, languages: input.languages, availability: input.availability };
}

export default async function volunteerRoutes(app: FastifyInstance) {
  const staff = { preHandler: requireRole('admin', 'manager') };
  const choices = async () => ({ regions: await listRegions(app.db), skills: VOLUNTEER_SKILLS, days: DAYS, slots: SLOTS });

  // ---- public sign-up ----
  app.get('/volunteer-signup', async (_request, reply) => reply.page('volunteers/signup', { ...(await choices()), values: { skills: [], languages: [], availability: {} }, errors: {} }));

  app.post<{ Body: FormBody }>('/volunteer-signup', async (request, reply) => {
    const input = readForm(request.body);
    const consent = str(request.body, 'consent') === '1';
    try {
      await createVolunteer(app.db, { id: null, name: 'public sign-up', ip: request.ip, requestId: request.id }, input, 'pending', consent);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return reply.page('volunteers/signup', { ...(await choices()), values: { ...values(input), consent }, errors: messages(err.fields, request.t) }, { status: 422 });
    }
    return redirect(request, reply, '/volunteer-signup/thanks');
  });

  app.get('/volunteer-signup/thanks', async (_request, reply) => reply.page('volunteers/thanks'));

  // ---- the registry ----
  app.get<{ Querystring: VolunteerListQuery }>('/volunteers', staff, async (request, reply) => {
    const filter = volunteerFilter(request.query);
    const [result, c] = await Promise.all([listVolunteers(app.db, filter), choices()]);
    return reply.page('volunteers/index', { result, filter, ...c }, { fragment: 'volunteers/_table' });
  });

  const form = async (reply: FastifyReply, data: Record<string, unknown>, status?: number) =>
    reply.page('volunteers/form', { ...(await choices()), errors: {}, ...data }, { status });

  app.get('/volunteers/new', staff, async (_request, reply) => form(reply, { volunteer: null, values: { skills: [], languages: [], availability: {} } }));

  app.post<{ Body: FormBody }>('/volunteers', staff, async (request, reply) => {
    const input = readForm(request.body);
    try {
      // staff record consent on paper; registering someone means they agreed
      const v = await createVolunteer(app.db, request.actor(), input, 'approved', true);
      await reply.flash('ok', request.t('vol.saved'));
      return redirect(request, reply, `/volunteers/${v.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(reply, { volunteer: null, values: values(input), errors: messages(err.fields, request.t) }, 422);
    }
  });

  const load = (request: FastifyRequest<{ Params: { id: string } }>, action: 'read' | 'write') =>
    authorize(request.user, 'volunteer', action, () => getVolunteer(app.db, Number(request.params.id)));

  async function show(request: FastifyRequest, reply: FastifyReply, id: number, extra: Record<string, unknown> = {}, status?: number) {
    const volunteer = (await getVolunteer(app.db, id))!;
    const region = await app.db.selectFrom('regions').select(['name_zh', 'name_en']).where('code', '=', volunteer.region_code).executeTakeFirst();
    const own = request.user!.role === 'volunteer';
    return reply.page('volunteers/show', { volunteer, region, own, ...(await choices()), errors: {}, values: values({ ...fromRow(volunteer) }), ...extra }, { status });
  }

  app.get<{ Params: { id: string } }>('/volunteers/:id', { preHandler: requireRole('admin', 'manager', 'volunteer') }, async (request, reply) => {
    const volunteer = await load(request, 'read');
    return show(request, reply, volunteer.id);
  });

  app.get<{ Params: { id: string } }>('/volunteers/:id/edit', staff, async (request, reply) => {
    const volunteer = await load(request, 'write');
    return form(reply, { volunteer, values: values(fromRow(volunteer)) });
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/volunteers/:id', staff, async (request, reply) => {
    const volunteer = await load(request, 'write');
    const input = readForm(request.body);
    try {
      await updateVolunteer(app.db, request.actor(), volunteer.id, input);
      await reply.flash('ok', request.t('vol.saved'));
      return redirect(request, reply, `/volunteers/${volunteer.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(reply, { volunteer, values: values(input), errors: messages(err.fields, request.t) }, 422);
    }
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/volunteers/:id/approve', staff, async (request, reply) => {
    const volunteer = await load(request, 'write');
    try {
      const { login, password } = await approveVolunteer(app.db, request.actor(), volunteer.id, optional(request.body, 'note'));
      // the password is shown in this answer only
      const secret = login && password ? request.t('vol.approvedPassword', { login, password }) : null;
      return show(request, reply, volunteer.id, { secret, notice: secret ? null : request.t('vol.approved') });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return show(request, reply, volunteer.id, { reviewError: request.t(err.fields[0].key) }, 422);
    }
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/volunteers/:id/reject', staff, async (request, reply) => {
    const volunteer = await load(request, 'write');
    await rejectVolunteer(app.db, request.actor(), volunteer.id, optional(request.body, 'note'));
    await reply.flash('ok', request.t('vol.rejected'));
    return redirect(request, reply, `/volunteers/${volunteer.id}`);
  });

  // ---- a volunteer's own profile ----
  app.post<{ Body: FormBody }>('/profile/volunteer', { preHandler: requireRole('volunteer') }, async (request, reply) => {
    const id = request.user!.volunteerId;
    const volunteer = await authorize(request.user, 'volunteer', 'read', () => (id ? getVolunteer(app.db, id) : Promise.resolve(undefined)));
    const input = { ...readForm(request.body), name: volunteer.name };
    try {
      await updateVolunteer(app.db, request.actor(), volunteer.id, input, 'volunteer.profile_updated');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return show(request, reply, volunteer.id, { errors: messages(err.fields, request.t), values: values(input) }, 422);
    }
    await reply.flash('ok', request.t('vol.saved'));
    return redirect(request, reply, `/volunteers/${volunteer.id}`);
  });
}

function fromRow(v: { name: string; phone: string | null; email: string | null; region_code: string; skills: string[]; languages: string[]; availability: unknown }): VolunteerInput {
  return { name: v.name, phone: v.phone, email: v.email, regionCode: v.region_code, skills: v.skills, languages: v.languages, availability: (v.availability ?? {}) };
}
