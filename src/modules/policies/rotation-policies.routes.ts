// The page for the rotation, quota and hours-lock policies, beside the time
// limits: the same model (a version in force is never changed; the admin adds a
// version from a date, or deletes one that has not started; managers read).
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CASE_KINDS, type CaseKind } from '../../db/types.js';
import type { MessageKey } from '../../i18n/index.js';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { list, messages, str, type FormBody } from '../../lib/forms.js';
import { todayIn } from '../../lib/format.js';
import { redirect, requireRole } from '../../plugins/auth.js';
import { versionStates } from './policies.rules.js';
import { LEVELS, QUOTA_FIELDS, REGION_MODES, levelFactorField, minLevelField, neighbourField, type HoursLockInput, type QuotaInput, type QuotaNumberKey, type RotationInput } from './rotation-policies.rules.js';
import { POLICY_KEYS, createHoursLock, createQuotaPolicy, createRotationPolicy, deleteWorkPolicy, listWorkPolicies, type PolicySlug } from './rotation-policies.service.js';
import { DEFAULT_LOCK } from '../hours/hours.rules.js';
import { DEFAULT_QUOTA } from '../quotas/quotas.rules.js';
import { DEFAULT_ROTATION_POLICY } from '../rotation/rotation.facts.js';

type FormName = 'rotation' | 'quota' | 'lock';
interface FormState {
  form: FormName;
  values: Record<string, string>;
  /** the rotation form's neighbour checkboxes, by region */
  neighbours?: Record<string, string[]>;
  errors: FieldError[];
}

const NEIGHBOUR_PREFIX = neighbourField('');

function readRotation(body: FormBody | undefined): RotationInput {
  const minLevel = {} as Record<CaseKind, string>;
  for (const kind of CASE_KINDS) minLevel[kind] = str(body, minLevelField(kind));
  const neighbours: Record<string, string[]> = {};
  for (const name of Object.keys(body ?? {})) if (name.startsWith(NEIGHBOUR_PREFIX)) neighbours[name.slice(NEIGHBOUR_PREFIX.length)] = list(body, name);
  return {
    effectiveFrom: str(body, 'rotationFrom'),
    minLevel,
    seriousCriminalLevel: str(body, 'seriousCriminalLevel'),
    regionMode: str(body, 'regionMode'),
    neighbours,
    declineDays: str(body, 'declineDays'),
    returnTurn: str(body, 'returnTurn'),
    note: str(body, 'rotationNote'),
  };
}

function rotationValues(input: RotationInput): Record<string, string> {
  const values: Record<string, string> = { rotationFrom: input.effectiveFrom, seriousCriminalLevel: input.seriousCriminalLevel, regionMode: input.regionMode, declineDays: input.declineDays, returnTurn: input.returnTurn, rotationNote: input.note };
  for (const kind of CASE_KINDS) values[minLevelField(kind)] = input.minLevel[kind];
  return values;
}

function readQuota(body: FormBody | undefined): QuotaInput {
  const numbers = {} as Record<QuotaNumberKey, string>;
  for (const f of QUOTA_FIELDS) numbers[f.key] = str(body, f.key);
  const levelFactor = {} as QuotaInput['levelFactor'];
  for (const level of LEVELS) levelFactor[level] = str(body, levelFactorField(level));
  return { effectiveFrom: str(body, 'quotaFrom'), numbers, levelFactor, note: str(body, 'quotaNote') };
}

function quotaValues(input: QuotaInput): Record<string, string> {
  const values: Record<string, string> = { quotaFrom: input.effectiveFrom, quotaNote: input.note, ...input.numbers };
  for (const level of LEVELS) values[levelFactorField(level)] = input.levelFactor[level];
  return values;
}

function readLock(body: FormBody | undefined): HoursLockInput {
  return { effectiveFrom: str(body, 'lockFrom'), lockDay: str(body, 'lockDay'), note: str(body, 'lockNote') };
}

export default async function rotationPolicyRoutes(app: FastifyInstance) {
  const readers = { preHandler: requireRole('admin', 'manager') };
  const writers = { preHandler: requireRole('admin') };
  const today = () => todayIn(app.config.tz);

  async function page(request: FastifyRequest, reply: FastifyReply, state?: FormState, status?: number) {
    const day = today();
    const all = await listWorkPolicies(app.db);
    const rotation = versionStates(all.rotation, day, () => 'rotation');
    const quota = versionStates(all.quota, day, () => 'quota');
    const hoursLock = versionStates(all.hoursLock, day, () => 'hours_lock');
    // the empty forms start from what is in force, so an admin changes only what changes
    const r = rotation.find((v) => v.state === 'in_force')?.value ?? DEFAULT_ROTATION_POLICY;
    const q = quota.find((v) => v.state === 'in_force')?.value ?? DEFAULT_QUOTA;
    const l = hoursLock.find((v) => v.state === 'in_force')?.value ?? DEFAULT_LOCK;
    const minLevel = {} as Record<CaseKind, string>;
    for (const kind of CASE_KINDS) minLevel[kind] = String(r.minLevel[kind] ?? 1);
    const rotationStart = rotationValues({
      effectiveFrom: '',
      minLevel,
      seriousCriminalLevel: String(r.seriousCriminalLevel),
      regionMode: r.regionMode,
      neighbours: r.neighbours,
      declineDays: String(r.declineDays),
      returnTurn: r.returnTurnOnConflictDecline ? 'yes' : 'no',
      note: '',
    });
    const numbers = {} as Record<QuotaNumberKey, string>;
    for (const f of QUOTA_FIELDS) numbers[f.key] = String(q[f.key]);
    const quotaStart = quotaValues({ effectiveFrom: '', numbers, levelFactor: { '1': String(q.levelFactor['1'] ?? 1), '2': String(q.levelFactor['2'] ?? 1), '3': String(q.levelFactor['3'] ?? 1) }, note: '' });
    const errors = messages(state?.errors ?? [], request.t);
    const form = (name: FormName, start: Record<string, string>) => ({ values: state?.form === name ? state.values : start, errors: state?.form === name ? errors : {} });
    return reply.page(
      'policies/rotation',
      {
        today: day,
        kinds: CASE_KINDS,
        levels: LEVELS,
        modes: REGION_MODES,
        quotaFields: QUOTA_FIELDS,
        regions: all.regions,
        regionName: new Map(all.regions.map((g) => [g.code, request.lang === 'en' ? g.name_en : g.name_zh])),
        rotation,
        quota,
        hoursLock,
        canWrite: request.user?.role === 'admin',
        rotationForm: { ...form('rotation', rotationStart), neighbours: state?.form === 'rotation' ? (state.neighbours ?? {}) : r.neighbours },
        quotaForm: form('quota', quotaStart),
        lockForm: form('lock', { lockFrom: '', lockDay: String(l.lockDay), lockNote: '' }),
      },
      { status },
    );
  }

  /** Saves one form: 303 back to its section, or the page again with the messages (422). */
  async function save(request: FastifyRequest, reply: FastifyReply, anchor: PolicySlug, added: MessageKey, saveIt: () => Promise<{ effective_from: string }>, invalid: (errors: FieldError[]) => FormState) {
    let row: { effective_from: string };
    try {
      row = await saveIt();
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return page(request, reply, invalid(err.fields), 422);
    }
    await reply.flash('ok', request.t(added, { date: request.fmt.date(row.effective_from) }));
    return redirect(request, reply, `/policies/rotation#${anchor}`);
  }

  app.get('/policies/rotation', readers, async (request, reply) => page(request, reply));

  app.post<{ Body: FormBody }>('/policies/rotation', writers, async (request, reply) => {
    const input = readRotation(request.body);
    return save(
      request,
      reply,
      'rotation',
      'policyAdmin.rotationAdded',
      () => createRotationPolicy(app.db, request.actor(), input, today()),
      (errors) => ({ form: 'rotation', values: rotationValues(input), neighbours: input.neighbours, errors }),
    );
  });

  app.post<{ Body: FormBody }>('/policies/quota', writers, async (request, reply) => {
    const input = readQuota(request.body);
    return save(
      request,
      reply,
      'quota',
      'policyAdmin.quotaAdded',
      () => createQuotaPolicy(app.db, request.actor(), input, today()),
      (errors) => ({ form: 'quota', values: quotaValues(input), errors }),
    );
  });

  app.post<{ Body: FormBody }>('/policies/hours-lock', writers, async (request, reply) => {
    const input = readLock(request.body);
    return save(
      request,
      reply,
      'hours-lock',
      'policyAdmin.lockAdded',
      () => createHoursLock(app.db, request.actor(), input, today()),
      (errors) => ({ form: 'lock', values: { lockFrom: input.effectiveFrom, lockDay: input.lockDay, lockNote: input.note }, errors }),
    );
  });

  for (const slug of Object.keys(POLICY_KEYS) as PolicySlug[]) {
    app.post<{ Params: { id: string } }>(`/policies/${slug}/:id/delete`, writers, async (request, reply) => {
      const result = await deleteWorkPolicy(app.db, request.actor(), slug, Number(request.params.id), today());
      await reply.flash(result === 'deleted' ? 'ok' : 'error', request.t(result === 'deleted' ? 'policy.deleted' : 'policy.err.inForce'));
      return redirect(request, reply, `/policies/rotation#${slug}`);
    });
  }
}
