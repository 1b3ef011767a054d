// The pure parts: CSV cells for Excel and back, header names, and row checks.
import t from 'tap';
import fc from 'fast-check';
import { csvLines, excelText, plainCell, readCsv, safeCell } from '../../src/lib/csv.js';
import { translator } from '../../src/i18n/index.js';
import { headerMap, normalizeHeader } from '../../src/modules/imports/imports.columns.js';
import { checkRows, countRows, ImportFileError, parseFile, type ImportRow } from '../../src/modules/imports/imports.rules.js';
import { lawyerRules, type LawyerLookups } from '../../src/modules/imports/imports.lawyers.js';
import { regionIndex, nameIndex } from '../../src/modules/imports/imports.columns.js';

const t_en = translator('en');

t.test('cells survive the trip through a CSV file', async (t) => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), (s) => {
      const value = s.trim();
      const [[cell]] = readCsv(csvLines([[safeCell(value), 'x']])) as [[string]];
      return plainCell(cell) === value;
    }),
  );
  fc.assert(
    fc.property(fc.stringMatching(/^[0-9-]{1,20}$/), (digits) => {
      const [[cell]] = readCsv(csvLines([[excelText(digits), 'x']])) as [[string]];
      return plainCell(cell) === digits;
    }),
  );
  t.equal(excelText('15119202010000001'), '="15119202010000001"');
  t.equal(safeCell('=1+2'), "'=1+2");
  t.equal(safeCell('-5'), "'-5");
  t.equal(safeCell('@SUM(A1)'), "'@SUM(A1)");
  t.equal(safeCell('张三'), '张三');
});

t.test('header names', async (t) => {
  const map = headerMap('lawyers');
  for (const [header, key] of [
    ['执业证号', 'licenseNo'],
    ['License No.', 'licenseNo'],
    ['licence_no', 'licenseNo'],
    ['姓名（必填）', 'name'],
    ['  Name * ', 'name'],
    ['律所', 'organizationId'],
    ['所在律所或服务所', 'organizationId'],
    ['地区', 'regionCode'],
    ['regionCode', 'regionCode'],
    ['服务地区', 'regionCode'],
    ['最多承办', 'maxOpenCases'],
    ['E-mail', 'email'],
  ] as const) {
    t.equal(map.get(normalizeHeader(header))?.key, key, `${header} → ${key}`);
  }
  t.equal(headerMap('volunteers').get(normalizeHeader('特长'))?.key, 'skills');
  t.equal(headerMap('volunteers').get(normalizeHeader('状态'))?.readOnly, true);
});

t.test('file-level problems', async (t) => {
  const bytes = (s: string) => Buffer.from(s, 'utf8');
  t.throws(() => parseFile('lawyers', bytes('姓名\r\n张三\r\n'), t_en), new ImportFileError('imports.err.missingColumns', { columns: 'Licence number' }));
  t.throws(() => parseFile('volunteers', bytes('姓名,地区\r\n张三,511902\r\n'), t_en), new ImportFileError('imports.err.missingColumns', { columns: 'Mobile/Email' }));
  const parsed = parseFile('lawyers', bytes('\r\n姓名,执业证号,备注\r\n张三,="15119202010000001",x\r\n,,\r\n李四,15119202010000002\r\n'), t_en);
  t.same(parsed.fields, ['name', 'licenseNo']);
  t.same(parsed.ignored, ['备注']);
  t.same(
    parsed.rows.map((r) => [r.row, r.values.licenseNo]),
    [
      [3, '15119202010000001'],
      [5, '15119202010000002'],
    ],
    'row numbers as Excel shows them; blank rows skipped',
  );
});

t.test('row checks: a duplicate is reported on the later row, across chunks', async (t) => {
  const lookups: LawyerLookups = { regions: new Set(['511902']), firms: new Set([7]), regionByName: regionIndex([{ code: '511902', name_zh: '巴州区', name_en: 'Bazhou District' }]), firmByName: nameIndex([['某律所', 7]]) };
  const fields = new Set(['name', 'licenseNo', 'practiceAreas', 'regionCode', 'organizationId']);
  const row = (n: number, licenseNo: string): ImportRow => ({ row: n, values: { name: `n${n}`, licenseNo, practiceAreas: '刑事', regionCode: '巴州区', organizationId: '某律所' } });
  const seen = new Map<string, number>();
  const first = [row(2, '15119202010000001'), row(3, '15119202010000002')];
  const second = [row(4, '1511920201000000 1'), row(5, '15119202010000003')];
  checkRows(first, fields, lawyerRules, lookups, new Map(), seen);
  checkRows(second, fields, lawyerRules, lookups, new Map(), seen);
  const rows = [...first, ...second];
  t.same(rows.map((r) => r.action), ['new', 'new', 'invalid', 'new']);
  t.same(rows[2].errors, [{ field: 'licenseNo', key: 'imports.err.duplicate', params: { row: 2 } }]);
  t.same(countRows(rows), { created: 3, updated: 0, unchanged: 0, invalid: 1 });
});
