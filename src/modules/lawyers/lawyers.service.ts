// Lawyers: the registry of who owes legal-aid work, with leave and conflicts.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Lawyer, LawyerStatus } from '../../db/types.js';
import { LAWYER_STATUSES } from '../../db/types.js';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { EMAIL_RE, PHONE_RE } from '../../lib/forms.js';
import { PAGE_SIZE, toPage } from '../../lib/paging.js';
import { audit, changedFields, type Actor } from '../../plugins/audit.js';
import { checkLawyer, isPracticeArea, type LawyerContext, type LawyerInput } from './lawyers.rules.js';
import { isRowId } from '../../lib/access.js';

type Db = Kysely<DB> | Transaction<DB>;

export async function lawyerContext(db: Db): Promise<LawyerContext> {
  const [regions, firms] = await Promise.all([
    db.selectFrom('regions').select('code').execute(),
    db.selectFrom('organizations').select('id').where('kind', 'in', ['law_firm', 'service_office']).execute(),
  ]);
  return { regions: new Set(regions.map((r) => r.code)), firms: new Set(firms.map((f) => f.id)) };
}

async function validate(db: Db, input: LawyerInput, id?: number): Promise<void> {
  const errors = checkLawyer(input, await lawyerContext(db));
  if (!errors.some((e) => e.field === 'licenseNo')) {
    let q = db.selectFrom('lawyers').select('id').where('license_no', '=', input.licenseNo);
    if (id) q = q.where('id', '!=', id);
    if (await q.executeTakeFirst()) errors.push({ field: 'licenseNo', key: 'lawyer.err.licenseTaken' });
  }
  if (errors.length) throw new ValidationError(errors);
}

export function toLawyerRow(input: LawyerInput) {
  return {
    name: input.name,
    license_no: input.licenseNo,
    organization_id: input.organizationId,
    practice_areas: input.practiceAreas,
    level: input.level,
    region_code: input.regionCode,
    languages: input.languages,
    phone: input.phone,
    email: input.email,
    max_open_cases: input.maxOpenCases,
    status: input.status,
  };
}

export function lawyerInputOf(row: Lawyer): LawyerInput {
  return {
    name: row.name,
    licenseNo: row.license_no,
    organizationId: row.organization_id,
    practiceAreas: row.practice_areas,
    level: row.level,
    regionCode: row.region_code,
    languages: row.languages,
    phone: row.phone,
    email: row.email,
    maxOpenCases: row.max_open_cases,
    status: row.status,
  };
}

export async function createLawyer(db: Kysely<DB>, actor: Actor, input: LawyerInput): Promise<Lawyer> {
  return db.transaction().execute(async (trx) => {
    await validate(trx, input);
    const row = await trx.insertInto('lawyers').values(toLawyerRow(input)).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'lawyer.created', entity: 'lawyer', entityId: row.id, after: row });
    return row;
  });
}

export async function updateLawyer(db: Kysely<DB>, actor: Actor, id: number, input: LawyerInput): Promise<Lawyer> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('lawyers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError();
    await validate(trx, input, id);
    const after = await trx
      .updateTable('lawyers')
      .set({ ...toLawyerRow(input), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'lawyer.updated', entity: 'lawyer', entityId: id, ...changedFields(lawyerInputOf(before) as never, lawyerInputOf(after) as never) });
    return after;
  });
}

export interface OwnProfileInput {
  phone: string | null;
  email: string | null;
  languages: string[];
}

/** What a lawyer may change on their own profile: contact details and languages. */
export async function updateOwnProfile(db: Kysely<DB>, actor: Actor, id: number, input: OwnProfileInput): Promise<Lawyer> {
  const errors: FieldError[] = [];
  if (input.phone && !PHONE_RE.test(input.phone)) errors.push({ field: 'phone', key: 'err.phone' });
  if (input.email && !EMAIL_RE.test(input.email)) errors.push({ field: 'email', key: 'err.email' });
  if (input.languages.some((l) => l.length > 30) || input.languages.length > 10) errors.push({ field: 'languages', key: 'err.tooLong', params: { max: 30 } });
  if (errors.length) throw new ValidationError(errors);
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('lawyers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError();
    const after = await trx
      .updateTable('lawyers')
      .set({ phone: input.phone, email: input.email, languages: input.languages, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: 'lawyer.profile_updated',
      entity: 'lawyer',
      entityId: id,
      ...changedFields({ phone: before.phone, email: before.email, languages: before.languages }, { phone: after.phone, email: after.email, languages: after.languages }),
    });
    return after;
  });
}

export async function getLawyer(db: Db, id: number): Promise<Lawyer | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('lawyers').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface LawyerFilter {
  q?: string;
  status?: string;
  area?: string;
  regionCode?: string;
  organizationId?: number;
  sort?: string;
}

const SORTS = {
  name: [['l.name', 'asc']],
  level: [['l.level', 'desc'], ['l.name', 'asc']],
  region: [['l.region_code', 'asc'], ['l.name', 'asc']],
  updated: [['l.updated_at', 'desc']],
} as const;

export function filteredLawyers(db: Db, filter: LawyerFilter) {
  let q = db
    .selectFrom('lawyers as l')
    .innerJoin('regions as r', 'r.code', 'l.region_code')
    .leftJoin('organizations as o', 'o.id', 'l.organization_id');
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('l.name', 'ilike', like), eb('l.license_no', 'like', like), eb('l.phone', 'like', like)]));
  }
  if (filter.status && (LAWYER_STATUSES as string[]).includes(filter.status)) q = q.where('l.status', '=', filter.status as LawyerStatus);
  if (filter.area && isPracticeArea(filter.area)) q = q.where(sql<boolean>`${filter.area} = any(l.practice_areas)`);
  if (filter.regionCode) q = q.where('l.region_code', '=', filter.regionCode);
  if (filter.organizationId) q = q.where('l.organization_id', '=', filter.organizationId);
  return q;
}

export async function listLawyers(db: Db, filter: LawyerFilter & { page: number }) {
  let q = filteredLawyers(db, filter).select([
    'l.id',
    'l.name',
    'l.license_no',
    'l.level',
    'l.status',
    'l.phone',
    'l.practice_areas',
    'l.region_code',
    'r.name_zh as region_zh',
    'r.name_en as region_en',
    'o.name as organization_name',
    'l.organization_id',
    sql<number>`(count(*) over ())::int`.as('total_count'),
  ]);
  for (const [column, direction] of SORTS[(filter.sort ?? 'name') as keyof typeof SORTS] ?? SORTS.name) q = q.orderBy(column, direction);
  const rows = await q
    .orderBy('l.id')
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  return toPage(rows, filter.page);
}

/** Law firms and legal-service offices, for the organisation field. */
export async function firmChoices(db: Db) {
  return db.selectFrom('organizations').select(['id', 'name', 'region_code']).where('kind', 'in', ['law_firm', 'service_office']).orderBy('name').execute();
}

export async function leavesOf(db: Db, lawyerId: number) {
  return db.selectFrom('lawyer_leaves').selectAll().where('lawyer_id', '=', lawyerId).orderBy('starts_on', 'desc').execute();
}

export async function conflictsOf(db: Db, lawyerId: number) {
  return db.selectFrom('lawyer_conflicts').selectAll().where('lawyer_id', '=', lawyerId).orderBy('party').execute();
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

function validDate(value: string): boolean {
  if (!DATE_RE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

export async function addLeave(db: Kysely<DB>, actor: Actor, lawyerId: number, input: { startsOn: string; endsOn: string; reason: string | null }) {
  const errors: FieldError[] = [];
  if (!validDate(input.startsOn)) errors.push({ field: 'startsOn', key: 'lawyer.err.date' });
  if (!validDate(input.endsOn)) errors.push({ field: 'endsOn', key: 'lawyer.err.date' });
  else if (validDate(input.startsOn) && input.endsOn < input.startsOn) errors.push({ field: 'endsOn', key: 'lawyer.err.dates' });
  if (input.reason && input.reason.length > 200) errors.push({ field: 'reason', key: 'err.tooLong', params: { max: 200 } });
  if (errors.length) throw new ValidationError(errors);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('lawyer_leaves')
      .values({ lawyer_id: lawyerId, starts_on: input.startsOn, ends_on: input.endsOn, reason: input.reason })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'lawyer.leave_added', entity: 'lawyer', entityId: lawyerId, after: row });
    return row;
  });
}

export async function removeLeave(db: Kysely<DB>, actor: Actor, lawyerId: number, leaveId: number) {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('lawyer_leaves').where('id', '=', leaveId).where('lawyer_id', '=', lawyerId).returningAll().executeTakeFirst();
    if (!row) throw new NotFoundError();
    await audit(trx, actor, { action: 'lawyer.leave_removed', entity: 'lawyer', entityId: lawyerId, before: row });
  });
}

export async function addConflict(db: Kysely<DB>, actor: Actor, lawyerId: number, input: { party: string; partyKind: string; note: string | null }) {
  const errors: FieldError[] = [];
  if (!input.party) errors.push({ field: 'party', key: 'err.required' });
  else if (input.party.length > 200) errors.push({ field: 'party', key: 'err.tooLong', params: { max: 200 } });
  if (input.partyKind !== 'person' && input.partyKind !== 'organization') errors.push({ field: 'partyKind', key: 'err.choice' });
  if (input.note && input.note.length > 500) errors.push({ field: 'note', key: 'err.tooLong', params: { max: 500 } });
  if (errors.length) throw new ValidationError(errors);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('lawyer_conflicts')
      .values({ lawyer_id: lawyerId, party: input.party, party_kind: input.partyKind as 'person' | 'organization', note: input.note })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'lawyer.conflict_added', entity: 'lawyer', entityId: lawyerId, after: row });
    return row;
  });
}

export async function removeConflict(db: Kysely<DB>, actor: Actor, lawyerId: number, conflictId: number) {
  await db.transaction().execute(async (trx) => {
    const row = await trx.deleteFrom('lawyer_conflicts').where('id', '=', conflictId).where('lawyer_id', '=', lawyerId).returningAll().executeTakeFirst();
    if (!row) throw new NotFoundError();
    await audit(trx, actor, { action: 'lawyer.conflict_removed', entity: 'lawyer', entityId: lawyerId, before: row });
  });
}
