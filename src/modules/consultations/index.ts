// Consultation pages (manager only): the list with htmx filters and counts per
// channel, recording one, and one consultation with the case it became.
// Also registers GET /cases.csv (cases.export.ts).
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireRole, redirect } from '../../plugins/auth.js';
import { authorize } from '../../lib/access.js';
import { ValidationError } from '../../lib/errors.js';
import { messages, optional, str, type FormBody } from '../../lib/forms.js';
import { pageNumber } from '../../lib/paging.js';
import { CONSULTATION_CHANNELS, PRACTICE_AREAS } from '../../db/types.js';
import { listRegions } from '../organizations/organizations.service.js';
import { today } from '../cases/cases.service.js';
import caseExportRoutes from '../cases/cases.export.js';
import {
  channelCounts,
  createConsultation,
  getConsultation,
  listConsultations,
  placeChoices,
  type ConsultationFilter,
  type ConsultationInput,
} from './consultations.service.js';

export interface ConsultationListQuery {
  channel?: string;
  topic?: string;
  region?: string;
  from?: string;
  to?: string;
  became?: string;
  page?: string;
}

export function consultationFilter(q: ConsultationListQuery): ConsultationFilter & { page: number } {
  return {
    channel: q.channel ?? '',
    topic: q.topic ?? '',
    regionCode: q.region ?? '',
    from: q.from?.trim() ?? '',
    to: q.to?.trim() ?? '',
    became: q.became ?? '',
    page: pageNumber(q.page),
  };
}

function readForm(body: FormBody | undefined): ConsultationInput {
  const org = str(body, 'organizationId');
  return {
    channel: str(body, 'channel'),
    organizationId: org ? Number(org) || -1 : null,
    regionCode: str(body, 'regionCode'),
    topic: str(body, 'topic'),
    personName: optional(body, 'personName'),
    phone: optional(body, 'phone')?.replace(/[\s()]/g, '') ?? null,
    question: str(body, 'question'),
    advice: str(body, 'advice'),
    becameApplication: ['1', 'on', 'true'].includes(str(body, 'becameApplication')),
    on: str(body, 'on') || today(),
  };
}

export default async function consultationRoutes(app: FastifyInstance) {
  const managers = { preHandler: requireRole('manager') };

  app.get<{ Querystring: ConsultationListQuery }>('/consultations', managers, async (request, reply) => {
    const filter = consultationFilter(request.query);
    const [result, counts, regions] = await Promise.all([listConsultations(app.db, filter), channelCounts(app.db, filter), listRegions(app.db)]);
    return reply.page(
      'consultations/index',
      { result, counts, filter, regions, channels: CONSULTATION_CHANNELS, areas: PRACTICE_AREAS },
      { fragment: 'consultations/_table' },
    );
  });

  async function form(reply: FastifyReply, values: Partial<ConsultationInput>, errors: Record<string, string> = {}, status?: number) {
    const [regions, places] = await Promise.all([listRegions(app.db), placeChoices(app.db)]);
    return reply.page('consultations/form', { regions, places, channels: CONSULTATION_CHANNELS, areas: PRACTICE_AREAS, values, errors }, { status });
  }

  app.get('/consultations/new', managers, async (_request, reply) => form(reply, { on: today(), channel: 'walk_in' }));

  app.post<{ Body: FormBody }>('/consultations', managers, async (request, reply) => {
    const input = readForm(request.body);
    try {
      const row = await createConsultation(app.db, request.actor(), input);
      await reply.flash('ok', request.t('consult.created'));
      // taking the application next: the case form prefills from the consultation and links it
      return redirect(request, reply, row.became_application ? `/cases/new?consultation=${row.id}` : `/consultations/${row.id}`);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(reply, input, messages(err.fields, request.t), 422);
    }
  });

  app.get<{ Params: { id: string } }>('/consultations/:id', managers, async (request, reply) => {
    const consultation = await authorize(request.user, 'consultation', 'read', () => getConsultation(app.db, Number(request.params.id)));
    return reply.page('consultations/show', { c: consultation });
  });

  await app.register(caseExportRoutes);
}
