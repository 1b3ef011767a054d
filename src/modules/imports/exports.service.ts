// CSV exports of the filtered lawyer and volunteer lists, every matching row,
// in the list's order, in a shape the import reads back unchanged.
import type { Kysely } from 'kysely';
import type { DB, ImportKind } from '../../db/types.js';
import type { Lang, MessageKey, Translate } from '../../i18n/index.js';
import { BOM, csvLines, excelText, safeCell } from '../../lib/csv.js';
import { filteredLawyers, type LawyerFilter } from '../lawyers/lawyers.service.js';
import { filteredVolunteers, type VolunteerFilter } from '../volunteers/volunteers.service.js';
import { COLUMNS } from './imports.columns.js';

/** rows fetched per query */
const CHUNK = 1000;

export interface CsvFile {
  body: string;
  rows: number;
}

export function headerLine(kind: ImportKind, t: Translate, withReadOnly: boolean): string[] {
  return COLUMNS[kind].filter((c) => withReadOnly || !c.readOnly).map((c) => t(c.header));
}

/** A CSV with only the header: what the import expects. */
export function templateCsv(kind: ImportKind, t: Translate): string {
  return BOM + csvLines([headerLine(kind, t, false)]);
}

/** Ids in order first (one narrow query), then the rows chunk by chunk. */
async function inChunks<T extends { id: number }>(ids: number[], load: (chunk: number[]) => Promise<T[]>, line: (row: T) => string[]): Promise<string[]> {
  const parts: string[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    const byId = new Map((await load(chunk)).map((r) => [r.id, r]));
    const records = chunk.flatMap((id) => {
      const row = byId.get(id);
      return row ? [line(row)] : [];
    });
    parts.push(csvLines(records));
  }
  return parts;
}

const list = (values: string[], label: (v: string) => string) => values.map(label).join('、');

export async function exportLawyers(db: Kysely<DB>, filter: LawyerFilter, t: Translate, lang: Lang): Promise<CsvFile> {
  let q = filteredLawyers(db, filter).select('l.id');
  if (filter.sort === 'level') q = q.orderBy('l.level', 'desc').orderBy('l.name');
  else if (filter.sort === 'region') q = q.orderBy('l.region_code').orderBy('l.name');
  else if (filter.sort === 'updated') q = q.orderBy('l.updated_at', 'desc');
  else q = q.orderBy('l.name');
  const ids = (await q.orderBy('l.id').execute()).map((r) => r.id);
  const parts = await inChunks(
    ids,
    (chunk) =>
      db
        .selectFrom('lawyers as l')
        .innerJoin('regions as r', 'r.code', 'l.region_code')
        .leftJoin('organizations as o', 'o.id', 'l.organization_id')
        .selectAll('l')
        .select(['r.name_zh', 'r.name_en', 'o.name as organization_name'])
        .where('l.id', 'in', chunk)
        .execute(),
    (l) => [
      safeCell(l.name),
      excelText(l.license_no),
      safeCell(l.organization_name),
      list(l.practice_areas, (a) => t(`area.${a}` as MessageKey)),
      String(l.level),
      lang === 'en' ? l.name_en : l.name_zh,
      safeCell(l.languages.join('、')),
      excelText(l.phone),
      safeCell(l.email),
      String(l.max_open_cases),
      t(`lawyer.status.${l.status}` as MessageKey),
    ],
  );
  return { body: BOM + csvLines([headerLine('lawyers', t, true)]) + parts.join(''), rows: ids.length };
}

export async function exportVolunteers(db: Kysely<DB>, filter: VolunteerFilter, t: Translate, lang: Lang): Promise<CsvFile> {
  let q = filteredVolunteers(db, filter).select('v.id');
  if (filter.sort === 'newest') q = q.orderBy('v.created_at', 'desc');
  else if (filter.sort === 'region') q = q.orderBy('v.region_code').orderBy('v.name');
  else q = q.orderBy('v.name');
  const ids = (await q.orderBy('v.id').execute()).map((r) => r.id);
  const parts = await inChunks(
    ids,
    (chunk) =>
      db
        .selectFrom('volunteers as v')
        .innerJoin('regions as r', 'r.code', 'v.region_code')
        .selectAll('v')
        .select(['r.name_zh', 'r.name_en'])
        .where('v.id', 'in', chunk)
        .execute(),
    (v) => [
      safeCell(v.name),
      excelText(v.phone),
      safeCell(v.email),
      lang === 'en' ? v.name_en : v.name_zh,
      list(v.skills, (s) => t(`skill.${s}` as MessageKey)),
      safeCell(v.languages.join('、')),
      t(`vol.status.${v.status}` as MessageKey),
    ],
  );
  return { body: BOM + csvLines([headerLine('volunteers', t, true)]) + parts.join(''), rows: ids.length };
}
