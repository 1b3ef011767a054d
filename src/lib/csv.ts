// CSV as Chinese offices exchange it with Excel: reading UTF-8 (with or without
// BOM), UTF-16 and GB18030/GBK; writing UTF-8 with a BOM and CRLF line ends,
// with ID-like numbers kept as text and formula injection defused.
import { parse, CsvError } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';

export const BOM = '\uFEFF';

/** Bytes to text: a BOM decides; otherwise strict UTF-8, and GB18030 (a superset of GBK) when that fails. */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: 'utf-8' | 'utf-16le' | 'utf-16be' | 'gb18030' } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
  }
}

export class CsvReadError extends Error {
  constructor(readonly line: number | null) {
    super(`CSV could not be parsed${line ? ` near line ${line}` : ''}`);
  }
}

/**
 * Records of a CSV text, each a list of trimmed cells. Excel's "Unicode text"
 * export is tab separated: a first line with tabs and no commas means tabs.
 */
export function readCsv(text: string): string[][] {
  const firstLine = text.slice(0, text.search(/\r?\n|$/));
  const delimiter = firstLine.includes('\t') && !firstLine.includes(',') ? '\t' : ',';
  try {
    // relax_quotes: an unquoted ="0827..." (hand-made files do that) is a cell, not an error
    return parse(text, { delimiter, relax_column_count: true, relax_quotes: true, trim: true, skip_empty_lines: false });
  } catch (err) {
    if (err instanceof CsvError) throw new CsvReadError(typeof err.lines === 'number' ? err.lines : null);
    throw err;
  }
}

/**
 * A number Excel must show as text (licence and phone numbers): written as the
 * formula ="0827...". Excel evaluates it to the literal string, so no leading
 * zero is lost and no 17-digit licence turns into 1.23E+16. A leading tab, the
 * other common trick, leaves a visible tab in the cell and is not honoured by
 * every Excel version; WPS and LibreOffice read ="..." the same way.
 */
export function excelText(value: string | null | undefined): string {
  if (!value) return '';
  return `="${value.replace(/"/g, '""')}"`;
}

/**
 * Free text that starts like a formula (= + - @, tab, CR) is prefixed with an
 * apostrophe so a spreadsheet shows it instead of running it (CSV injection).
 */
export function safeCell(value: string | null | undefined): string {
  if (!value) return '';
  // apostrophes already in front get one more, so plainCell gives back exactly this value
  return /^'*[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/** Undoes excelText and safeCell on a cell read back from a file. */
export function plainCell(value: string): string {
  const formula = /^="(.*)"$/s.exec(value);
  if (formula) return formula[1].replace(/""/g, '"').trim();
  if (/^'+[=+\-@\t\r]/.test(value)) return value.slice(1);
  return value;
}

/** CSV lines for Excel: CRLF line ends, every field quoted only when needed. */
export function csvLines(records: string[][]): string {
  return stringify(records, { record_delimiter: '\r\n' });
}
