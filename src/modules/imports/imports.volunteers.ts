// Importing volunteers: a row is keyed by its mobile number; a volunteer with
// no phone by email (matched only against stored volunteers without a phone).
// New volunteers are registered as approved, as when staff add them by hand;
// an update leaves status, availability and review notes alone.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB, Volunteer } from '../../db/types.js';
import type { FieldError } from '../../lib/errors.js';
import { normalizePhone, splitList } from '../lawyers/lawyers.rules.js';
import { checkVolunteer, type VolunteerInput } from '../volunteers/volunteers.rules.js';
import { toVolunteerRow } from '../volunteers/volunteers.service.js';
import { codeOfSkill, regionIndex, type NameIndex } from './imports.columns.js';
import { differing, readContact, readRegion, type Existing, type RowRules } from './imports.rules.js';
import type { ImportKindModule } from './imports.kind.js';

type Db = Kysely<DB> | Transaction<DB>;

export interface VolunteerLookups {
  regions: Set<string>;
  regionByName: NameIndex<string>;
}

function inputOf(v: Volunteer): VolunteerInput {
  return {
    name: v.name,
    phone: v.phone,
    email: v.email,
    regionCode: v.region_code,
    skills: v.skills,
    languages: v.languages,
    availability: (v.availability ?? {}),
  };
}

function buildVolunteer(v: Record<string, string>, fields: Set<string>, stored: Volunteer | undefined, lk: VolunteerLookups) {
  const errors: FieldError[] = [];
  const input: VolunteerInput = stored ? inputOf(stored) : { name: '', phone: null, email: null, regionCode: '', skills: [], languages: [], availability: {} };
  const cell = (k: string) => (fields.has(k) ? (v[k] ?? '') : undefined);

  const name = cell('name');
  if (name !== undefined) input.name = name;
  readContact(cell, errors, input);
  readRegion(cell, lk.regionByName, errors, input);
  const skills = cell('skills');
  if (skills !== undefined) {
    const parts = splitList(skills);
    const bad = parts.filter((p) => !codeOfSkill(p));
    if (bad.length) errors.push({ field: 'skills', key: 'imports.err.unknown', params: { value: bad.join('、') } });
    input.skills = [...new Set(parts.map(codeOfSkill).filter((c): c is string => Boolean(c)))];
  }
  const languages = cell('languages');
  if (languages !== undefined) input.languages = splitList(languages);
  return { input, errors };
}

const compared = (i: VolunteerInput) => ({ name: i.name, phone: i.phone, email: i.email, regionCode: i.regionCode, skills: i.skills, languages: i.languages });

export const volunteerRules: RowRules<VolunteerInput, Volunteer, VolunteerLookups> = {
  keyOf(values) {
    const phone = normalizePhone(values.phone ?? '');
    if (phone) return `p:${phone}`;
    const email = (values.email ?? '').trim().toLowerCase();
    return email ? `e:${email}` : null;
  },
  build: buildVolunteer,
  check: (input, lk) => checkVolunteer(input, lk.regions),
  diff: (input, stored) => differing(compared(input), compared(inputOf(stored))),
  idOf: (stored) => stored.id,
};

async function lookups(db: Db): Promise<VolunteerLookups> {
  const regions = await db.selectFrom('regions').select(['code', 'name_zh', 'name_en']).execute();
  return { regions: new Set(regions.map((r) => r.code)), regionByName: regionIndex(regions) };
}

async function existing(db: Db, keys: string[], forUpdate: boolean): Promise<Existing<Volunteer>> {
  const map: Existing<Volunteer> = new Map();
  const phones = keys.filter((k) => k.startsWith('p:')).map((k) => k.slice(2));
  const emails = keys.filter((k) => k.startsWith('e:')).map((k) => k.slice(2));
  if (phones.length === 0 && emails.length === 0) return map;
  let q = db
    .selectFrom('volunteers')
    .selectAll()
    .where(sql<boolean>`phone = any(${phones}::text[]) or (phone is null and lower(email) = any(${emails}::text[]))`);
  if (forUpdate) q = q.orderBy('id').forUpdate();
  for (const row of await q.execute()) {
    const key = row.phone ? `p:${row.phone}` : `e:${(row.email ?? '').toLowerCase()}`;
    map.set(key, map.has(key) ? 'ambiguous' : row);
  }
  return map;
}

async function write(trx: Transaction<DB>, inputs: VolunteerInput[], ids: (number | undefined)[]) {
  let created = 0;
  let updated = 0;
  const now = new Date();
  // matched by email (no phone): update that row; everyone else goes through one upsert on the phone index
  const byId = inputs.flatMap((input, i) => (ids[i] !== undefined && !input.phone ? [{ id: ids[i], input }] : []));
  const upserts = inputs.filter((input, i) => !(ids[i] !== undefined && !input.phone));
  for (const { id, input } of byId) {
    const { availability: _keep, ...row } = toVolunteerRow(input);
    await trx.updateTable('volunteers').set({ ...row, updated_at: now }).where('id', '=', id).execute();
    updated++;
  }
  if (upserts.length) {
    const rows = await trx
      .insertInto('volunteers')
      .values(upserts.map((input) => ({ ...toVolunteerRow(input), status: 'approved' as const, consent_at: now, reviewed_at: now })))
      .onConflict((oc) =>
        oc
          .column('phone')
          .where('phone', 'is not', null)
          .doUpdateSet((eb) => ({
            name: eb.ref('excluded.name'),
            email: eb.ref('excluded.email'),
            region_code: eb.ref('excluded.region_code'),
            skills: eb.ref('excluded.skills'),
            languages: eb.ref('excluded.languages'),
            updated_at: now,
          })),
      )
      .returning(sql<boolean>`xmax = 0`.as('inserted'))
      .execute();
    const inserted = rows.filter((r) => r.inserted).length;
    created += inserted;
    updated += rows.length - inserted;
  }
  return { created, updated };
}

export const volunteerImport: ImportKindModule<VolunteerInput, Volunteer, VolunteerLookups> = { rules: volunteerRules, lookups, existing, write };
