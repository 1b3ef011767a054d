// Reading an uploaded file into rows, and deciding for each row whether it is
// new, an update, unchanged or invalid. Pure: the service supplies what the
// database knows (regions, firms, the stored rows with the same keys).
import type { FieldError } from '../../lib/errors.js';
import type { MessageKey, Translate } from '../../i18n/index.js';
import { decodeCsv, plainCell, readCsv, CsvReadError } from '../../lib/csv.js';
import { COLUMNS, REQUIRED, findByName, headerMap, normalizeHeader, type ImportKind, type NameIndex } from './imports.columns.js';
import { normalizePhone } from '../lawyers/lawyers.rules.js';

export const MAX_ROWS = 20_000;

export type RowAction = 'new' | 'update' | 'unchanged' | 'invalid';

/** One data row of a file as stored in import_runs.rows. */
export interface ImportRow {
  /** the spreadsheet's row number (the header is row 1) */
  row: number;
  /** cells by column key, as read (Excel's ="…" and '= wrappers removed) */
  values: Record<string, string>;
  action?: RowAction;
  errors?: FieldError[];
  /** fields an update changes */
  changed?: string[];
  /** the stored row it updates */
  id?: number;
}

export interface ParsedFile {
  fields: string[];
  ignored: string[];
  rows: ImportRow[];
}

export class ImportFileError extends Error {
  constructor(
    readonly key: MessageKey,
    readonly params: Record<string, string | number> = {},
  ) {
    super(key);
  }
}

/**
 * Bytes of an uploaded file to rows keyed by column; file-level problems throw
 * ImportFileError (`t` names missing columns in the reader's language).
 */
export function parseFile(kind: ImportKind, bytes: Uint8Array, t: Translate): ParsedFile {
  if (bytes.length === 0) throw new ImportFileError('imports.err.empty');
  let records: string[][];
  try {
    records = readCsv(decodeCsv(bytes).text);
  } catch (err) {
    if (err instanceof CsvReadError) throw new ImportFileError('imports.err.unreadable', { line: err.line ?? 1 });
    throw err;
  }
  const headerIndex = records.findIndex((r) => r.some((c) => c !== ''));
  if (headerIndex < 0) throw new ImportFileError('imports.err.empty');
  const header = records[headerIndex];
  const map = headerMap(kind);
  const fields: string[] = [];
  const ignored: string[] = [];
  const positions: [number, string][] = [];
  header.forEach((cell, i) => {
    if (cell === '') return;
    const col = map.get(normalizeHeader(cell));
    if (!col || col.readOnly) {
      ignored.push(cell);
      return;
    }
    if (fields.includes(col.key)) throw new ImportFileError('imports.err.duplicateColumn', { column: cell });
    fields.push(col.key);
    positions.push([i, col.key]);
  });
  const missing = REQUIRED[kind].filter((anyOf) => !anyOf.some((k) => fields.includes(k)));
  if (missing.length) {
    const names = missing.map((anyOf) => anyOf.map((k) => t(COLUMNS[kind].find((c) => c.key === k)!.header)).join('/'));
    throw new ImportFileError('imports.err.missingColumns', { columns: names.join(', ') });
  }
  const rows: ImportRow[] = [];
  for (let i = headerIndex + 1; i < records.length; i++) {
    const record = records[i];
    if (record.every((c) => c === '')) continue;
    const values: Record<string, string> = {};
    for (const [pos, key] of positions) values[key] = plainCell(record[pos] ?? '');
    rows.push({ row: i + 1, values });
  }
  if (rows.length === 0) throw new ImportFileError('imports.err.empty');
  if (rows.length > MAX_ROWS) throw new ImportFileError('imports.err.tooManyRows', { max: MAX_ROWS });
  return { fields, ignored, rows };
}

/** What a kind of row needs to be checked: how to key it, build it, check it, compare it. */
export interface RowRules<Input, Stored, Lookups> {
  /** the key that identifies the row (licence number, phone), or null when it has none */
  keyOf(values: Record<string, string>): string | null;
  /** the input a row describes: the stored values overlaid with the file's columns */
  build(values: Record<string, string>, fields: Set<string>, stored: Stored | undefined, lookups: Lookups): { input: Input; errors: FieldError[] };
  check(input: Input, lookups: Lookups): FieldError[];
  /** names of the fields that differ from the stored row */
  diff(input: Input, stored: Stored): string[];
  idOf(stored: Stored): number;
}

/** A stored match, or 'ambiguous' when the key matches more than one stored row. */
export type Existing<Stored> = Map<string, Stored | 'ambiguous'>;

export interface RowCounts {
  created: number;
  updated: number;
  unchanged: number;
  invalid: number;
}

/**
 * Decides each row in place. `seen` carries the keys of earlier rows across
 * chunks so a duplicate is reported on the later row.
 */
export function checkRows<Input, Stored, Lookups>(
  rows: ImportRow[],
  fields: Set<string>,
  rules: RowRules<Input, Stored, Lookups>,
  lookups: Lookups,
  existing: Existing<Stored>,
  seen: Map<string, number>,
): { inputs: (Input | null)[] } {
  const inputs: (Input | null)[] = [];
  for (const row of rows) {
    const key = rules.keyOf(row.values);
    const match = key ? existing.get(key) : undefined;
    const stored = match === 'ambiguous' ? undefined : match;
    const { input, errors: conversion } = rules.build(row.values, fields, stored, lookups);
    const errors = [...conversion];
    const flagged = new Set(conversion.map((e) => e.field));
    for (const e of rules.check(input, lookups)) if (!flagged.has(e.field)) errors.push(e);
    if (key && match === 'ambiguous') errors.push({ field: key.startsWith('e:') ? 'email' : 'phone', key: 'imports.err.ambiguous', params: { value: key.slice(2) } });
    if (key) {
      const first = seen.get(key);
      if (first !== undefined) errors.push({ field: duplicateField(key), key: 'imports.err.duplicate', params: { row: first } });
      else seen.set(key, row.row);
    }
    delete row.id;
    delete row.changed;
    if (errors.length) {
      row.action = 'invalid';
      row.errors = errors;
      inputs.push(null);
      continue;
    }
    delete row.errors;
    if (stored) {
      row.id = rules.idOf(stored);
      const changed = rules.diff(input, stored);
      row.action = changed.length ? 'update' : 'unchanged';
      if (changed.length) row.changed = changed;
    } else {
      row.action = 'new';
    }
    inputs.push(input);
  }
  return { inputs };
}

function duplicateField(key: string): string {
  if (key.startsWith('p:')) return 'phone';
  if (key.startsWith('e:')) return 'email';
  return 'licenseNo';
}

export function countRows(rows: ImportRow[]): RowCounts {
  const counts: RowCounts = { created: 0, updated: 0, unchanged: 0, invalid: 0 };
  for (const r of rows) {
    if (r.action === 'new') counts.created++;
    else if (r.action === 'update') counts.updated++;
    else if (r.action === 'unchanged') counts.unchanged++;
    else if (r.action === 'invalid') counts.invalid++;
  }
  return counts;
}

/** Fields that differ between two records, compared as JSON. */
export function differing(a: Record<string, unknown>, b: Record<string, unknown>): string[] {
  return Object.keys(a).filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
}

/** Numbers Excel turned into 1.51E+16: the digits are lost, so say so. */
export const SCIENTIFIC = /^\d+(?:\.\d+)?e\+?\d+$/i;

type Cell = (key: string) => string | undefined;

/** Phone and email columns, the same for lawyers and volunteers; absent columns keep what is stored. */
export function readContact(cell: Cell, errors: FieldError[], input: { phone: string | null; email: string | null }): void {
  const phone = cell('phone');
  if (phone !== undefined) {
    if (SCIENTIFIC.test(phone)) errors.push({ field: 'phone', key: 'imports.err.scientific' });
    input.phone = normalizePhone(phone || null);
  }
  const email = cell('email');
  if (email !== undefined) input.email = email || null;
}

/** The region column: a code or a region's name. */
export function readRegion(cell: Cell, regions: NameIndex<string>, errors: FieldError[], input: { regionCode: string }): void {
  const region = cell('regionCode');
  if (region === undefined) return;
  const code = region ? findByName(regions, region) : '';
  if (code === undefined || code === null) errors.push({ field: 'regionCode', key: code === null ? 'imports.err.ambiguous' : 'imports.err.region', params: { value: region } });
  else input.regionCode = code;
}
