// Importing lawyers: a row is keyed by its licence number; the firm is given by
// name, the region by code or name, areas and status by code or label.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Lawyer } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import { checkLawyer, normalizeLicense, splitList, type LawyerInput } from '../lawyers/lawyers.rules.js';
import { lawyerInputOf, toLawyerRow } from '../lawyers/lawyers.service.js';
import { codeOfArea, codeOfLawyerStatus, findByName, nameIndex, regionIndex, type NameIndex } from './imports.columns.js';
import { SCIENTIFIC, differing, readContact, readRegion, type Existing, type RowRules } from './imports.rules.js';
import type { ImportKindModule } from './imports.kind.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface LawyerLookups {
  regions: Set<string>;
  firms: Set<number>;
  regionByName: NameIndex<string>;
  firmByName: NameIndex<number>;
}

const DEFAULTS: LawyerInput = {
  name: '',
  licenseNo: '',
  organizationId: null,
  practiceAreas: [],
  level: 1,
  regionCode: '',
  languages: [],
  phone: null,
  email: null,
  maxOpenCases: 5,
  status: 'active',
};

function buildLawyer(v: Record<string, string>, fields: Set<string>, stored: Lawyer | undefined, lk: LawyerLookups) {
  const errors: FieldError[] = [];
  const input: LawyerInput = stored ? lawyerInputOf(stored) : { ...DEFAULTS };
  const cell = (k: string) => (fields.has(k) ? (v[k] ?? '') : undefined);
  const unknown = (field: string, value: string) => errors.push({ field, key: 'imports.err.unknown', params: { value } });

  const name = cell('name');
  if (name !== undefined) input.name = name;
  const license = cell('licenseNo') ?? '';
  if (SCIENTIFIC.test(license)) errors.push({ field: 'licenseNo', key: 'imports.err.scientific' });
  input.licenseNo = normalizeLicense(license);
  const firm = cell('organizationId');
  if (firm !== undefined) {
    const id = firm ? findByName(lk.firmByName, firm) : null;
    if (id === undefined) errors.push({ field: 'organizationId', key: 'imports.err.firm', params: { value: firm } });
    else if (id === null && firm) errors.push({ field: 'organizationId', key: 'imports.err.ambiguous', params: { value: firm } });
    else input.organizationId = id;
  }
  const areas = cell('practiceAreas');
  if (areas !== undefined) {
    const parts = splitList(areas);
    const bad = parts.filter((p) => !codeOfArea(p));
    if (bad.length) unknown('practiceAreas', bad.join('、'));
    input.practiceAreas = [...new Set(parts.map(codeOfArea).filter((c): c is string => Boolean(c)))];
  }
  const level = cell('level');
  if (level) input.level = /^[1-3](?:\.0+)?(?:\s*级.*)?$/.test(level) ? Number(level[0]) : 0;
  readRegion(cell, lk.regionByName, errors, input);
  const languages = cell('languages');
  if (languages !== undefined) input.languages = splitList(languages);
  readContact(cell, errors, input);
  const max = cell('maxOpenCases');
  if (max) input.maxOpenCases = /^\d{1,4}(?:\.0+)?$/.test(max) ? Math.trunc(Number(max)) : -1;
  const status = cell('status');
  if (status) {
    const code = codeOfLawyerStatus(status);
    if (code) input.status = code as LawyerInput['status'];
    else unknown('status', status);
  }
  return { input, errors };
}

export const lawyerRules: RowRules<LawyerInput, Lawyer, LawyerLookups> = {
  keyOf: (values) => normalizeLicense(values.licenseNo ?? '') || null,
  build: buildLawyer,
  check: (input, lk) => checkLawyer(input, { regions: lk.regions, firms: lk.firms }),
  diff: (input, stored) => differing({ ...input }, { ...lawyerInputOf(stored) }),
  idOf: (stored) => stored.id,
};

async function lookups(db: Db): Promise<LawyerLookups> {
  const [regions, firms] = await Promise.all([
    db.selectFrom('regions').select(['code', 'name_zh', 'name_en']).execute(),
    db.selectFrom('organizations').select(['id', 'name']).where('kind', 'in', ['law_firm', 'service_office']).execute(),
  ]);
  return {
    regions: new Set(regions.map((r) => r.code)),
    firms: new Set(firms.map((f) => f.id)),
    regionByName: regionIndex(regions),
    firmByName: nameIndex(firms.map((f): [string, number] => [f.name, f.id])),
  };
}

async function existing(db: Db, keys: string[], forUpdate: boolean): Promise<Existing<Lawyer>> {
  const map: Existing<Lawyer> = new Map();
  if (keys.length === 0) return map;
  let q = db.selectFrom('lawyers').selectAll().where(sql<boolean>`license_no = any(${keys}::text[])`);
  if (forUpdate) q = q.orderBy('id').forUpdate();
  for (const row of await q.execute()) map.set(row.license_no, row);
  return map;
}

async function write(trx: Transaction<DB>, inputs: LawyerInput[]) {
  if (inputs.length === 0) return { created: 0, updated: 0 };
  const rows = await trx
    .insertInto('lawyers')
    .values(inputs.map(toLawyerRow))
    .onConflict((oc) =>
      oc.column('license_no').doUpdateSet((eb) => ({
        name: eb.ref('excluded.name'),
        organization_id: eb.ref('excluded.organization_id'),
        practice_areas: eb.ref('excluded.practice_areas'),
        level: eb.ref('excluded.level'),
        region_code: eb.ref('excluded.region_code'),
        languages: eb.ref('excluded.languages'),
        phone: eb.ref('excluded.phone'),
        email: eb.ref('excluded.email'),
        max_open_cases: eb.ref('excluded.max_open_cases'),
        status: eb.ref('excluded.status'),
        updated_at: new Date(),
      })),
    )
    // xmax is 0 on a freshly inserted tuple: tells inserts from conflict updates
    .returning(sql<boolean>`xmax = 0`.as('inserted'))
    .execute();
  const created = rows.filter((r) => r.inserted).length;
  return { created, updated: rows.length - created };
}

export const lawyerImport: ImportKindModule<LawyerInput, Lawyer, LawyerLookups> = { rules: lawyerRules, lookups, existing, write };
