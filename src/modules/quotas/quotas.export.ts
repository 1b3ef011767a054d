// The year-end fulfilment report for the bar association's annual assessment:
// one line per lawyer with the requirement, its reductions and what was done.
// UTF-8 with a BOM and CRLF (Excel on a Chinese Windows opens it as is), licence
// numbers kept as text, names defused against formula injection (lib/csv.ts).
import type { Lang, MessageKey, Translate } from '../../i18n/index.js';
import { BOM, csvLines, excelText, safeCell } from '../../lib/csv.js';
import type { QuotaYear } from './quotas.service.js';

const HEADERS: MessageKey[] = [
  'quota.csv.year',
  'quota.csv.name',
  'quota.csv.licenseNo',
  'quota.csv.firm',
  'quota.csv.region',
  'quota.csv.level',
  'quota.csv.licensedOn',
  'quota.csv.leaveDays',
  'quota.csv.reductions',
  'quota.csv.requiredCases',
  'quota.csv.doneCases',
  'quota.csv.requiredHours',
  'quota.csv.doneHours',
  'quota.csv.fulfilled',
  'quota.csv.status',
];

/** Figures as plain numbers (no thousands separators: a spreadsheet must read them). */
const n = (value: number) => String(value);

export function quotaCsv(result: QuotaYear, t: Translate, lang: Lang): { body: string; rows: number } {
  const lines = result.rows.map((r) => [
    String(result.year),
    safeCell(r.name),
    excelText(r.licenseNo),
    safeCell(r.firmName),
    lang === 'en' ? r.regionEn : r.regionZh,
    n(r.level),
    r.licensedOn ?? '',
    n(r.leaveDays),
    r.reductions.map((x) => t(`quota.reduction.${x}` as MessageKey)).join('、'),
    n(r.requiredCases),
    n(r.doneCases),
    n(r.requiredHours),
    n(r.doneHours),
    t(r.status === 'met' ? 'common.yes' : 'common.no'),
    t(`quota.status.${r.status}` as MessageKey),
  ]);
  return { body: BOM + csvLines([HEADERS.map((h) => t(h)), ...lines]), rows: lines.length };
}
