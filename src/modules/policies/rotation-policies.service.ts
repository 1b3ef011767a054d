// Versions of the rotation, quota and hours-lock policies: listed with the value
// their readers would take from each (stored keys over the same defaults), and
// added or deleted as the time limits are (policies.service.ts).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { ValidationError } from '../../lib/errors.js';
import type { Actor } from '../../plugins/audit.js';
import { DEFAULT_LOCK, type HoursLockPolicy } from '../hours/hours.rules.js';
import { quotaPolicyOf } from '../quotas/quotas.rules.js';
import { DEFAULT_ROTATION_POLICY, type RotationPolicyValue } from '../rotation/rotation.facts.js';
import { deletePolicyVersion, insertPolicyVersion, listPolicyVersions } from './policies.service.js';
import { checkHoursLock, checkQuota, checkRotation, type HoursLockInput, type QuotaInput, type RotationInput } from './rotation-policies.rules.js';

type Db = Kysely<DB> | Transaction<DB>;

/** The policies this page keeps, by the name in their URLs. */
export const POLICY_KEYS = { rotation: 'rotation', quota: 'quota', 'hours-lock': 'hours_lock' } as const;
export type PolicySlug = keyof typeof POLICY_KEYS;

/** As rotationPolicyAt reads a stored value. */
export function rotationValueOf(value: unknown): RotationPolicyValue {
  return { ...DEFAULT_ROTATION_POLICY, ...(value as Partial<RotationPolicyValue>) };
}

/** As lockDayAt reads a stored value. */
export function hoursLockValueOf(value: unknown): HoursLockPolicy {
  return { lockDay: (value as Partial<HoursLockPolicy> | null)?.lockDay ?? DEFAULT_LOCK.lockDay };
}

/** Every version of the three policies, newest first, and the regions the neighbours map names. */
export async function listWorkPolicies(db: Db) {
  const [rotation, quota, hoursLock, regions] = await Promise.all([
    listPolicyVersions(db, 'rotation'),
    listPolicyVersions(db, 'quota'),
    listPolicyVersions(db, 'hours_lock'),
    db.selectFrom('regions').select(['code', 'name_zh', 'name_en']).orderBy('code').execute(),
  ]);
  return {
    rotation: rotation.map((r) => ({ ...r, value: rotationValueOf(r.value) })),
    quota: quota.map((r) => ({ ...r, value: quotaPolicyOf(r.value) })),
    hoursLock: hoursLock.map((r) => ({ ...r, value: hoursLockValueOf(r.value) })),
    regions,
  };
}

export async function createRotationPolicy(db: Kysely<DB>, actor: Actor, input: RotationInput, today: string) {
  const regions = await db.selectFrom('regions').select('code').orderBy('code').execute();
  const { errors, value } = checkRotation(
    input,
    regions.map((r) => r.code),
    today,
  );
  if (errors.length) throw new ValidationError(errors);
  return insertPolicyVersion(db, actor, 'rotation', { effectiveFrom: input.effectiveFrom, value, note: input.note, dateField: 'rotationFrom' });
}

export async function createQuotaPolicy(db: Kysely<DB>, actor: Actor, input: QuotaInput, today: string) {
  const { errors, value } = checkQuota(input, today);
  if (errors.length) throw new ValidationError(errors);
  return insertPolicyVersion(db, actor, 'quota', { effectiveFrom: input.effectiveFrom, value, note: input.note, dateField: 'quotaFrom' });
}

export async function createHoursLock(db: Kysely<DB>, actor: Actor, input: HoursLockInput, today: string) {
  const { errors, value } = checkHoursLock(input, today);
  if (errors.length) throw new ValidationError(errors);
  return insertPolicyVersion(db, actor, 'hours_lock', { effectiveFrom: input.effectiveFrom, value, note: input.note, dateField: 'lockFrom' });
}

/** Deletes a version of one of the three that has not started; see deletePolicyVersion. */
export async function deleteWorkPolicy(db: Kysely<DB>, actor: Actor, slug: PolicySlug, id: number, today: string) {
  return deletePolicyVersion(db, actor, POLICY_KEYS[slug], id, today);
}
