// Versioned policies: each value applies from its effective date until the next
// version. The value in force on a date is the latest one that started by then.
import type { Kysely, Transaction } from 'kysely';
import type { DB, MeansStandard } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { checkMeansStandard, checkTimeLimits, type MeansStandardInput, type TimeLimitsInput } from './policies.rules.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface TimeLimits {
  /** review and decision, from a complete application */
  reviewDays: number;
  /** assignment after the decision, criminal cases */
  assignDaysCriminal: number;
  /** assignment after the decision, cases notified by court, procuratorate or police */
  assignDaysNotified: number;
  /** assignment after the decision, other (civil, administrative, non-litigation) */
  assignDaysOther: number;
  /** deciding an appeal of a refusal */
  appealDays: number;
  /** supplying missing materials before the application counts as withdrawn */
  materialsDays: number;
  /** an emergency case's missing paperwork */
  emergencyPaperworkDays: number;
}

export const DEFAULT_TIME_LIMITS: TimeLimits = {
  reviewDays: 7,
  assignDaysCriminal: 3,
  assignDaysNotified: 3,
  assignDaysOther: 7,
  appealDays: 5,
  materialsDays: 10,
  emergencyPaperworkDays: 10,
};

export interface PolicyVersion<T> {
  id: number;
  effectiveFrom: string;
  value: T;
}

export async function policyAt<T>(db: Db, key: string, day: string): Promise<PolicyVersion<T> | undefined> {
  const row = await db
    .selectFrom('policies')
    .select(['id', 'effective_from', 'value'])
    .where('key', '=', key)
    .where('effective_from', '<=', day)
    .orderBy('effective_from', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? { id: row.id, effectiveFrom: row.effective_from, value: row.value as T } : undefined;
}

export async function timeLimitsAt(db: Db, day: string): Promise<PolicyVersion<TimeLimits>> {
  const found = await policyAt<Partial<TimeLimits>>(db, 'time_limits', day);
  return { id: found?.id ?? 0, effectiveFrom: found?.effectiveFrom ?? '1970-01-01', value: { ...DEFAULT_TIME_LIMITS, ...found?.value } };
}

/**
 * The means-test standard in force for a region on a day: the region's own, or
 * failing that its parent's (a county without its own figure uses the city's).
 */
export async function meansStandardAt(db: Db, regionCode: string, day: string): Promise<MeansStandard | undefined> {
  let code: string | null = regionCode;
  for (let depth = 0; code && depth < 5; depth++) {
    const row = await db
      .selectFrom('means_standards')
      .selectAll()
      .where('region_code', '=', code)
      .where('effective_from', '<=', day)
      .orderBy('effective_from', 'desc')
      .limit(1)
      .executeTakeFirst();
    if (row) return row;
    const region: { parent_code: string | null } | undefined = await db.selectFrom('regions').select('parent_code').where('code', '=', code).executeTakeFirst();
    code = region?.parent_code ?? null;
  }
  return undefined;
}

// ---- keeping the versions (the admin's policies page) ----

/** Every version of one policy, newest first, with who entered it; the value as stored. */
export async function listPolicyVersions(db: Db, key: string) {
  return db
    .selectFrom('policies as p')
    .leftJoin('users as u', 'u.id', 'p.created_by')
    .select(['p.id', 'p.effective_from', 'p.value', 'p.note', 'p.created_at', 'u.name as created_by_name'])
    .where('p.key', '=', key)
    .orderBy('p.effective_from', 'desc')
    .execute();
}

/** Every version of the time limits, newest first, with who entered it. */
export async function listTimeLimitVersions(db: Db) {
  const rows = await listPolicyVersions(db, 'time_limits');
  return rows.map((r) => ({ ...r, value: { ...DEFAULT_TIME_LIMITS, ...(r.value as Partial<TimeLimits>) } }));
}

/** Every means-test standard, by region then newest first, with the region's names. */
export async function listMeansStandards(db: Db) {
  return db
    .selectFrom('means_standards as m')
    .innerJoin('regions as r', 'r.code', 'm.region_code')
    .select(['m.id', 'm.region_code', 'm.effective_from', 'm.allowance_fen', 'm.multiplier_pct', 'm.note', 'r.name_zh', 'r.name_en'])
    .orderBy('m.region_code')
    .orderBy('m.effective_from', 'desc')
    .execute();
}

/**
 * Stores a new version of a policy (its value already checked) and audits it.
 * The unique (key, effective_from) decides between two admins saving the same
 * date: the second gets `policy.err.dateTaken` on `dateField`.
 */
export async function insertPolicyVersion(db: Kysely<DB>, actor: Actor, key: string, version: { effectiveFrom: string; value: unknown; note: string; dateField: string }) {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('policies')
      .values({ key, effective_from: version.effectiveFrom, value: JSON.stringify(version.value), note: version.note || null, created_by: actor.id })
      .onConflict((oc) => oc.columns(['key', 'effective_from']).doNothing())
      .returning(['id', 'key', 'effective_from', 'value', 'note'])
      .executeTakeFirst();
    if (!row) throw new ValidationError([{ field: version.dateField, key: 'policy.err.dateTaken' }]);
    await audit(trx, actor, { action: 'policy.version_created', entity: 'policy', entityId: row.id, after: row });
    return row;
  });
}

/** A new version of the time limits from a date not yet passed. */
export async function createTimeLimits(db: Kysely<DB>, actor: Actor, input: TimeLimitsInput, today: string) {
  const { errors, value } = checkTimeLimits(input, today);
  if (errors.length) throw new ValidationError(errors);
  return insertPolicyVersion(db, actor, 'time_limits', { effectiveFrom: input.effectiveFrom, value, note: input.note, dateField: 'effectiveFrom' });
}

/** A new means-test standard for a region from a date not yet passed. */
export async function createMeansStandard(db: Kysely<DB>, actor: Actor, input: MeansStandardInput, today: string) {
  const regions = await db.selectFrom('regions').select('code').execute();
  const { errors, allowanceFen, multiplierPct } = checkMeansStandard(input, new Set(regions.map((r) => r.code)), today);
  if (errors.length) throw new ValidationError(errors);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('means_standards')
      .values({ region_code: input.regionCode, effective_from: input.effectiveFrom, allowance_fen: allowanceFen, multiplier_pct: multiplierPct, note: input.note || null, created_by: actor.id })
      .onConflict((oc) => oc.columns(['region_code', 'effective_from']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ValidationError([{ field: 'meansFrom', key: 'policy.err.dateTaken' }]);
    await audit(trx, actor, { action: 'means_standard.created', entity: 'means_standard', entityId: row.id, after: row });
    return row;
  });
}

/**
 * Deletes a version of policy `key` that has not started yet. The condition sits
 * in the DELETE itself, so a version cannot come into force between a check and
 * the delete. Returns 'deleted', or 'in_force' for one that started already;
 * unknown ids (or another policy's) 404.
 */
export async function deletePolicyVersion(db: Kysely<DB>, actor: Actor, key: string, id: number, today: string): Promise<'deleted' | 'in_force'> {
  if (!isRowId(id)) throw new NotFoundError();
  return db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('policies').where('id', '=', id).where('key', '=', key).where('effective_from', '>', today).returningAll().executeTakeFirst();
    if (!row) {
      const exists = await trx.selectFrom('policies').select('id').where('id', '=', id).where('key', '=', key).executeTakeFirst();
      if (!exists) throw new NotFoundError();
      return 'in_force';
    }
    await audit(trx, actor, { action: 'policy.version_deleted', entity: 'policy', entityId: id, before: row });
    return 'deleted';
  });
}

export async function deleteTimeLimits(db: Kysely<DB>, actor: Actor, id: number, today: string): Promise<'deleted' | 'in_force'> {
  return deletePolicyVersion(db, actor, 'time_limits', id, today);
}

export async function deleteMeansStandard(db: Kysely<DB>, actor: Actor, id: number, today: string): Promise<'deleted' | 'in_force'> {
  if (!isRowId(id)) throw new NotFoundError();
  return db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('means_standards').where('id', '=', id).where('effective_from', '>', today).returningAll().executeTakeFirst();
    if (!row) {
      if (!(await trx.selectFrom('means_standards').select('id').where('id', '=', id).executeTakeFirst())) throw new NotFoundError();
      return 'in_force';
    }
    await audit(trx, actor, { action: 'means_standard.deleted', entity: 'means_standard', entityId: id, before: row });
    return 'deleted';
  });
}
