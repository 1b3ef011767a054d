// The columns of the lawyer and volunteer CSV files: what a header may be called
// (Chinese or English, the form's labels, the API's field names), and the
// Chinese and English labels accepted for coded values. No I/O.
import { LAWYER_STATUSES, PRACTICE_AREAS, VOLUNTEER_SKILLS, type ImportKind } from '../../db/types.js';
import { translator, type MessageKey } from '../../i18n/index.js';

export type { ImportKind };
export const IMPORT_KINDS: readonly ImportKind[] = ['lawyers', 'volunteers'];

export function isImportKind(value: unknown): value is ImportKind {
  return value === 'lawyers' || value === 'volunteers';
}

export interface ColumnDef {
  /** the input field it fills; field errors use the same name */
  key: string;
  /** the header written by exports and the template */
  header: MessageKey;
  /** other message keys whose text is accepted as a header (form labels) */
  labels: MessageKey[];
  /** other accepted spellings */
  aliases: string[];
  /** written by exports for reading, ignored on import */
  readOnly?: boolean;
}

const LAWYER_COLUMNS: ColumnDef[] = [
  { key: 'name', header: 'csv.lawyer.name', labels: ['lawyer.name'], aliases: ['律师姓名'] },
  { key: 'licenseNo', header: 'csv.lawyer.licenseNo', labels: ['lawyer.licenseNo'], aliases: ['license_no', 'licence', 'license', 'licenceNo', 'licenseNumber', '执业证号码', '律师执业证号'] },
  { key: 'organizationId', header: 'csv.lawyer.organizationId', labels: ['lawyer.organization'], aliases: ['organization', 'organisation', 'firm', 'lawFirm', '所在律所', '执业机构', '律师事务所'] },
  { key: 'practiceAreas', header: 'csv.lawyer.practiceAreas', labels: ['lawyer.practiceAreas'], aliases: ['practice_areas', 'areas', '擅长领域'] },
  { key: 'level', header: 'csv.lawyer.level', labels: ['lawyer.level'], aliases: ['等级'] },
  { key: 'regionCode', header: 'csv.lawyer.regionCode', labels: ['lawyer.region'], aliases: ['region', 'region_code', '地区代码', '所在地区'] },
  { key: 'languages', header: 'csv.lawyer.languages', labels: ['lawyer.languages'], aliases: ['语言和方言'] },
  { key: 'phone', header: 'csv.lawyer.phone', labels: ['lawyer.phone'], aliases: ['mobile', 'tel', 'telephone', '电话', '手机号', '手机号码', '联系电话'] },
  { key: 'email', header: 'csv.lawyer.email', labels: ['lawyer.email'], aliases: ['e-mail', 'mail', '电子邮箱', '电子邮件'] },
  { key: 'maxOpenCases', header: 'csv.lawyer.maxOpenCases', labels: ['lawyer.maxOpenCases'], aliases: ['max_open_cases', 'maxCases', '最多承办案件数'] },
  { key: 'status', header: 'csv.lawyer.status', labels: ['lawyer.status'], aliases: [] },
];

const VOLUNTEER_COLUMNS: ColumnDef[] = [
  { key: 'name', header: 'csv.vol.name', labels: ['vol.name'], aliases: [] },
  { key: 'phone', header: 'csv.vol.phone', labels: ['vol.phone'], aliases: ['mobile', 'tel', 'telephone', '电话', '手机号', '手机号码', '联系电话'] },
  { key: 'email', header: 'csv.vol.email', labels: ['vol.email'], aliases: ['e-mail', 'mail', '电子邮箱', '电子邮件'] },
  { key: 'regionCode', header: 'csv.vol.regionCode', labels: ['vol.region'], aliases: ['region', 'region_code', '地区代码', '所在地区'] },
  { key: 'skills', header: 'csv.vol.skills', labels: ['vol.skills'], aliases: ['专长'] },
  { key: 'languages', header: 'csv.vol.languages', labels: ['vol.languages'], aliases: ['语言和方言'] },
  { key: 'status', header: 'csv.vol.status', labels: ['vol.status'], aliases: [], readOnly: true },
];

export const COLUMNS: Record<ImportKind, ColumnDef[]> = { lawyers: LAWYER_COLUMNS, volunteers: VOLUNTEER_COLUMNS };

/** Columns a file must have: the name and what identifies the row. */
export const REQUIRED: Record<ImportKind, string[][]> = {
  lawyers: [['name'], ['licenseNo']],
  volunteers: [['name'], ['phone', 'email']],
};

const zh = translator('zh-CN');
const en = translator('en');

/** Header text as compared: no case, spaces, punctuation, or a trailing "(…)" note like "姓名（必填）". */
export function normalizeHeader(value: string): string {
  return value
    .normalize('NFKC')
    .toLowerCase()
    .replace(/\(.*\)$/, '')
    .replace(/[\s_\-.*:#]/g, '');
}

const headerMaps = new Map<ImportKind, Map<string, ColumnDef>>();

export function headerMap(kind: ImportKind): Map<string, ColumnDef> {
  let map = headerMaps.get(kind);
  if (!map) {
    map = new Map();
    for (const col of COLUMNS[kind]) {
      const names = [col.key, ...col.aliases, ...[col.header, ...col.labels].flatMap((k) => [zh(k), en(k)])];
      for (const name of names) map.set(normalizeHeader(name), col);
    }
    headerMaps.set(kind, map);
  }
  return map;
}

function labelMap(codes: readonly string[], prefix: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const code of codes) {
    const key = `${prefix}${code}` as MessageKey;
    for (const name of [code, zh(key), en(key)]) map.set(name.normalize('NFKC').toLowerCase().replace(/\s+/g, ' '), code);
  }
  return map;
}

const AREAS = labelMap(PRACTICE_AREAS, 'area.');
const LAWYER_STATUS = labelMap(LAWYER_STATUSES, 'lawyer.status.');
const SKILLS = labelMap(VOLUNTEER_SKILLS, 'skill.');

const lookup = (map: Map<string, string>, value: string) => map.get(value.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim());

export const codeOfArea = (value: string) => lookup(AREAS, value);
export const codeOfLawyerStatus = (value: string) => lookup(LAWYER_STATUS, value);
export const codeOfSkill = (value: string) => lookup(SKILLS, value);

/** A name matched to one thing, or null when several things share it. */
export type NameIndex<T> = Map<string, T | null>;

const nameKey = (value: string) => value.normalize('NFKC').toLowerCase().replace(/\s+/g, '');

export function nameIndex<T>(entries: [string, T][]): NameIndex<T> {
  const map: NameIndex<T> = new Map();
  for (const [name, value] of entries) {
    const k = nameKey(name);
    const had = map.get(k);
    map.set(k, had === undefined || had === value ? value : null);
  }
  return map;
}

/** undefined: no such name; null: more than one. */
export function findByName<T>(index: NameIndex<T>, value: string): T | null | undefined {
  return index.get(nameKey(value));
}

/** Regions by 6-digit code, Chinese name or English name. */
export function regionIndex(regions: { code: string; name_zh: string; name_en: string }[]): NameIndex<string> {
  return nameIndex(regions.flatMap((r): [string, string][] => [[r.code, r.code], [r.name_zh, r.code], [r.name_en, r.code]]));
}
