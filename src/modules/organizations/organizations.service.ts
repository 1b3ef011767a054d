// Organisations: legal-aid centres, workstations, liaison points, partner stations,
// law firms and legal-service offices, in a tree under the city centre.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Organization, OrganizationKind } from '../../db/types.js';
import { ORGANIZATION_KINDS } from '../../db/types.js';
import { NotFoundError, ValidationError, type FieldError } from '../../lib/errors.js';
import { PHONE_RE } from '../../lib/forms.js';
import { PAGE_SIZE, toPage } from '../../lib/paging.js';
import { audit, changedFields, type Actor } from '../../plugins/audit.js';
import { isRowId } from '../../lib/access.js';

export interface OrganizationInput {
  name: string;
  kind: OrganizationKind;
  regionCode: string;
  parentId: number | null;
  address: string | null;
  phone: string | null;
  openingHours: string | null;
  active: boolean;
}

type Db = Kysely<DB> | Transaction<DB>;

function text(errors: FieldError[], field: string, value: string | null, max: number, required = false) {
  if (!value) {
    if (required) errors.push({ field, key: 'err.required' });
  } else if (value.length > max) errors.push({ field, key: 'err.tooLong', params: { max } });
}

async function validate(db: Db, input: OrganizationInput, id?: number): Promise<void> {
  const errors: FieldError[] = [];
  text(errors, 'name', input.name, 200, true);
  text(errors, 'address', input.address, 200);
  text(errors, 'openingHours', input.openingHours, 100);
  if (!ORGANIZATION_KINDS.includes(input.kind)) errors.push({ field: 'kind', key: 'err.choice' });
  if (input.phone && !PHONE_RE.test(input.phone.replace(/\s/g, ''))) errors.push({ field: 'phone', key: 'err.phone' });
  const region = input.regionCode
    ? await db.selectFrom('regions').select('code').where('code', '=', input.regionCode).executeTakeFirst()
    : undefined;
  if (!input.regionCode) errors.push({ field: 'regionCode', key: 'err.required' });
  else if (!region) errors.push({ field: 'regionCode', key: 'err.region' });
  if (input.parentId !== null) {
    if (id !== undefined && input.parentId === id) errors.push({ field: 'parentId', key: 'org.err.parentSelf' });
    else {
      // the parent must exist and must not sit below this organisation
      const chain = await sql<{ id: number }>`
        with recursive up(id, parent_id, depth) as (
          select id, parent_id, 0 from organizations where id = ${input.parentId}
          union all
          select o.id, o.parent_id, up.depth + 1 from organizations o join up on o.id = up.parent_id where up.depth < 50
        ) select id from up`.execute(db);
      if (chain.rows.length === 0) errors.push({ field: 'parentId', key: 'org.err.parentUnknown' });
      else if (id !== undefined && chain.rows.some((r) => r.id === id)) errors.push({ field: 'parentId', key: 'org.err.parentSelf' });
    }
  }
  if (errors.length) throw new ValidationError(errors);
}

function toRow(input: OrganizationInput) {
  return {
    name: input.name,
    kind: input.kind,
    region_code: input.regionCode,
    parent_id: input.parentId,
    address: input.address,
    phone: input.phone ? input.phone.replace(/\s/g, '') : null,
    opening_hours: input.openingHours,
    active: input.active,
  };
}

export async function createOrganization(db: Kysely<DB>, actor: Actor, input: OrganizationInput): Promise<Organization> {
  return db.transaction().execute(async (trx) => {
    await validate(trx, input);
    const row = await trx.insertInto('organizations').values(toRow(input)).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'organization.created', entity: 'organization', entityId: row.id, after: row });
    return row;
  });
}

export async function updateOrganization(db: Kysely<DB>, actor: Actor, id: number, input: OrganizationInput): Promise<Organization> {
  return db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('organizations').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
    if (!before) throw new NotFoundError();
    await validate(trx, input, id);
    const after = await trx
      .updateTable('organizations')
      .set({ ...toRow(input), updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const { updated_at: _u, ...a } = after;
    const { updated_at: _b, ...b } = before;
    await audit(trx, actor, { action: 'organization.updated', entity: 'organization', entityId: id, ...changedFields(b, a) });
    return after;
  });
}

export async function getOrganization(db: Db, id: number): Promise<Organization | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('organizations').selectAll().where('id', '=', id).executeTakeFirst();
}

export interface OrganizationFilter {
  q?: string;
  kind?: string;
  regionCode?: string;
  sort?: string;
  page: number;
}

const SORTS = {
  name: ['o.name', 'asc'],
  kind: ['o.kind', 'asc'],
  region: ['o.region_code', 'asc'],
  updated: ['o.updated_at', 'desc'],
} as const;

export async function listOrganizations(db: Db, filter: OrganizationFilter) {
  let q = db
    .selectFrom('organizations as o')
    .innerJoin('regions as r', 'r.code', 'o.region_code')
    .leftJoin('organizations as p', 'p.id', 'o.parent_id')
    .select([
      'o.id',
      'o.name',
      'o.kind',
      'o.region_code',
      'o.phone',
      'o.address',
      'o.active',
      'r.name_zh as region_zh',
      'r.name_en as region_en',
      'p.name as parent_name',
      sql<number>`(count(*) over ())::int`.as('total_count'),
    ]);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('o.name', 'ilike', like), eb('o.address', 'ilike', like), eb('o.phone', 'ilike', like)]));
  }
  if (filter.kind && (ORGANIZATION_KINDS as string[]).includes(filter.kind)) q = q.where('o.kind', '=', filter.kind as OrganizationKind);
  if (filter.regionCode) q = q.where('o.region_code', '=', filter.regionCode);
  const [column, direction] = SORTS[(filter.sort ?? 'name') as keyof typeof SORTS] ?? SORTS.name;
  const rows = await q
    .orderBy(column, direction)
    .orderBy('o.id')
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  return toPage(rows, filter.page);
}

/** Keyset page for the API: ordered by id, after the cursor. */
export async function listOrganizationsAfter(db: Db, filter: { kind?: string; regionCode?: string }, afterId: number, limit: number) {
  let q = db.selectFrom('organizations').selectAll().where('id', '>', afterId);
  if (filter.kind) q = q.where('kind', '=', filter.kind as OrganizationKind);
  if (filter.regionCode) q = q.where('region_code', '=', filter.regionCode);
  return q.orderBy('id').limit(limit + 1).execute();
}

const readRegions = (db: Db) => db.selectFrom('regions').select(['code', 'name_zh', 'name_en', 'parent_code', 'level']).orderBy('code').execute();
type Region = Awaited<ReturnType<typeof readRegions>>[number];
const regionsRead = new WeakMap<Db, Promise<readonly Region[]>>();

/**
 * The regions, read once per database handle: they are reference data that only
 * migrations write (no page or API changes them, and the app migrates before it
 * serves), and a dozen pages draw their filters from them. Inside a transaction
 * they are read afresh. The list is shared: callers must not change it.
 */
export function listRegions(db: Db): Promise<readonly Region[]> {
  if (db.isTransaction) return readRegions(db);
  let read = regionsRead.get(db);
  if (!read) {
    read = readRegions(db);
    regionsRead.set(db, read);
    read.catch(() => regionsRead.delete(db));
  }
  return read;
}

/** Choices for the parent field: every organisation, by name. */
export async function parentChoices(db: Db) {
  return db.selectFrom('organizations').select(['id', 'name', 'kind']).orderBy('name').execute();
}

/** An organisation's page: its region and parent, the organisations below it and its lawyers. */
export async function organizationDetail(db: Db, id: number) {
  const [children, lawyers, parent, region] = await Promise.all([
    db.selectFrom('organizations').select(['id', 'name', 'kind', 'active']).where('parent_id', '=', id).orderBy('name').execute(),
    db
      .selectFrom('lawyers')
      .select(['id', 'name', 'level', 'status', 'practice_areas'])
      .where('organization_id', '=', id)
      .orderBy('name')
      .execute(),
    db
      .selectFrom('organizations as o')
      .innerJoin('organizations as p', 'p.id', 'o.parent_id')
      .select(['p.id', 'p.name'])
      .where('o.id', '=', id)
      .executeTakeFirst(),
    db
      .selectFrom('organizations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .select(['r.code', 'r.name_zh', 'r.name_en'])
      .where('o.id', '=', id)
      .executeTakeFirst(),
  ]);
  return { children, lawyers, parent, region };
}

export interface TreeNode {
  id: number;
  name: string;
  kind: OrganizationKind;
  active: boolean;
  children: TreeNode[];
}

/** Every organisation grouped by region, nested under its parent within the region. */
export async function organizationTree(db: Db) {
  const [regions, orgs] = await Promise.all([
    listRegions(db),
    db.selectFrom('organizations').select(['id', 'name', 'kind', 'active', 'parent_id', 'region_code']).orderBy('kind').orderBy('name').execute(),
  ]);
  const nodes = new Map<number, TreeNode & { parent_id: number | null; region_code: string }>();
  for (const o of orgs) nodes.set(o.id, { ...o, children: [] });
  const roots = new Map<string, TreeNode[]>();
  for (const node of nodes.values()) {
    const parent = node.parent_id ? nodes.get(node.parent_id) : undefined;
    // nest under the parent only within the same region; otherwise it heads its region's list
    if (parent && parent.region_code === node.region_code) parent.children.push(node);
    else (roots.get(node.region_code) ?? roots.set(node.region_code, []).get(node.region_code)!).push(node);
  }
  return regions.map((r) => ({ region: r, roots: roots.get(r.code) ?? [] })).filter((g) => g.roots.length > 0);
}
