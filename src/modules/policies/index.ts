// The policies page: versions of the statutory time limits and the means-test
// standards per region (and, on /policies/rotation, the rotation, quota and
// hours-lock policies). A version in force is never changed; the admin adds a
// new one, or deletes one that has not started. Managers read.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { redirect, requireRole } from '../../plugins/auth.js';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import { todayIn } from '../../lib/format.js';
import { listRegions } from '../organizations/organizations.service.js';
import { TIME_LIMIT_FIELDS, formatFen, thresholdFen, versionStates, type MeansStandardInput, type TimeLimitsInput } from './policies.rules.js';
import {
  createMeansStandard,
  createTimeLimits,
  deleteMeansStandard,
  deleteTimeLimits,
  listMeansStandards,
  listTimeLimitVersions,
  timeLimitsAt,
  type TimeLimits,
} from './policies.service.js';
import rotationPolicyRoutes from './rotation-policies.routes.js';

type FormState = { form: 'limits' | 'means'; values: Record<string, string>; errors: FieldError[] };

function readLimits(body: FormBody | undefined): TimeLimitsInput {
  const limits = {} as Record<keyof TimeLimits, string>;
  for (const { key } of TIME_LIMIT_FIELDS) limits[key] = str(body, key);
  return { effectiveFrom: str(body, 'effectiveFrom'), limits, note: str(body, 'note') };
}

function readMeans(body: FormBody | undefined): MeansStandardInput {
  return {
    regionCode: str(body, 'regionCode'),
    effectiveFrom: str(body, 'meansFrom'),
    allowance: str(body, 'allowance'),
    multiplierPct: str(body, 'multiplierPct'),
    note: str(body, 'meansNote'),
  };
}

export default async function policyRoutes(app: FastifyInstance) {
  const readers = { preHandler: requireRole('admin', 'manager') };
  const writers = { preHandler: requireRole('admin') };
  const today = () => todayIn(app.config.tz);
  // the rotation, quota and hours-lock policies: a page of their own, linked from this one
  await app.register(rotationPolicyRoutes);

  async function page(request: FastifyRequest, reply: FastifyReply, state?: FormState, status?: number) {
    const day = today();
    const [versions, standards, regions, current] = await Promise.all([listTimeLimitVersions(app.db), listMeansStandards(app.db), listRegions(app.db), timeLimitsAt(app.db, day)]);
    const means = versionStates(standards, day, (s) => s.region_code).map((s) => ({
      ...s,
      allowance: formatFen(s.allowance_fen),
      threshold: formatFen(thresholdFen(s.allowance_fen, s.multiplier_pct)),
    }));
    // the empty forms start from what is in force, so an admin changes only what changes
    const limitValues: Record<string, string> = { effectiveFrom: '', note: '' };
    for (const { key } of TIME_LIMIT_FIELDS) limitValues[key] = String(current.value[key]);
    const errors = messages(state?.errors ?? [], request.t);
    return reply.page(
      'policies/index',
      {
        today: day,
        fields: TIME_LIMIT_FIELDS,
        versions: versionStates(versions, day, () => 'time_limits'),
        means,
        regions,
        canWrite: request.user?.role === 'admin',
        limits: { values: state?.form === 'limits' ? state.values : limitValues, errors: state?.form === 'limits' ? errors : {} },
        standard: { values: state?.form === 'means' ? state.values : { regionCode: '511900', meansFrom: '', allowance: '', multiplierPct: '200', meansNote: '' }, errors: state?.form === 'means' ? errors : {} },
      },
      { status },
    );
  }

  app.get('/policies', readers, async (request, reply) => page(request, reply));

  app.post<{ Body: FormBody }>('/policies/time-limits', writers, async (request, reply) => {
    const input = readLimits(request.body);
    try {
      await createTimeLimits(app.db, request.actor(), input, today());
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(request, reply, { form: 'limits', values: { effectiveFrom: input.effectiveFrom, note: input.note, ...input.limits }, errors: err.fields }, 422);
    }
    await reply.flash('ok', request.t('policy.limitsAdded', { date: request.fmt.date(input.effectiveFrom) }));
    return redirect(request, reply, '/policies#time-limits');
  });

  app.post<{ Body: FormBody }>('/policies/means', writers, async (request, reply) => {
    const input = readMeans(request.body);
    try {
      await createMeansStandard(app.db, request.actor(), input, today());
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const { effectiveFrom: meansFrom, note: meansNote, ...rest } = input;
      return page(request, reply, { form: 'means', values: { ...rest, meansFrom, meansNote }, errors: err.fields }, 422);
    }
    await reply.flash('ok', request.t('policy.meansAdded', { date: request.fmt.date(input.effectiveFrom) }));
    return redirect(request, reply, '/policies#means');
  });

  app.post<{ Params: { id: string } }>('/policies/time-limits/:id/delete', writers, async (request, reply) => {
    const result = await deleteTimeLimits(app.db, request.actor(), Number(request.params.id), today());
    await reply.flash(result === 'deleted' ? 'ok' : 'error', request.t(result === 'deleted' ? 'policy.deleted' : 'policy.err.inForce'));
    return redirect(request, reply, '/policies#time-limits');
  });

  app.post<{ Params: { id: string } }>('/policies/means/:id/delete', writers, async (request, reply) => {
    const result = await deleteMeansStandard(app.db, request.actor(), Number(request.params.id), today());
    await reply.flash(result === 'deleted' ? 'ok' : 'error', request.t(result === 'deleted' ? 'policy.deleted' : 'policy.err.inForce'));
    return redirect(request, reply, '/policies#means');
  });
}
