// Resident ID numbers (GB 11643): the check character, the ways a number is wrong,
// normalising what a clerk types, and masking in lists.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { caseInput, makeCase, makeIdNumber, TEST_ACTOR } from '../helpers/cases.js';
import { birthDateOf, idCheckChar, idNumberProblem, maskIdNumber, normalizeIdNumber } from '../../src/lib/idnumber.js';
import { checkCase } from '../../src/modules/cases/cases.rules.js';
import { createCase } from '../../src/modules/cases/cases.service.js';
import { listCases } from '../../src/modules/cases/cases.queries.js';
import { ValidationError } from '../../src/lib/errors.js';

// the worked example of the standard itself, and another published one
const EXAMPLE_X = '11010519491231002X';
const EXAMPLE_4 = '440524188001010014';
const REGIONS = new Set(['511902']);

void t.test('the check character', async (t) => {
  t.equal(idCheckChar(EXAMPLE_X.slice(0, 17)), 'X', 'the standard example ends in X');
  t.equal(idCheckChar(EXAMPLE_4.slice(0, 17)), '4');
  t.equal(idNumberProblem(EXAMPLE_X), null);
  t.equal(idNumberProblem(EXAMPLE_4), 'birthdate', 'valid check character, but born 1880: before any living applicant');
  const made = makeIdNumber('20100615', '511921', '042');
  t.equal(idNumberProblem(made), null, 'one computed with idCheckChar is valid');
  t.equal(birthDateOf(made), '2010-06-15');
});

void t.test('a wrong check digit', async (t) => {
  const valid = makeIdNumber('19800101', '511902', '123');
  for (const c of '0123456789X') {
    if (c === valid[17]) continue;
    t.equal(idNumberProblem(valid.slice(0, 17) + c), 'checksum', `ending ${c}`);
  }
  // one digit mistyped in the body: the check character catches it
  const typo = valid.slice(0, 8) + String((Number(valid[8]) + 1) % 10) + valid.slice(9);
  t.equal(idNumberProblem(typo), 'checksum');
});

void t.test('lowercase x and spaces are normalised', async (t) => {
  const typed = ' 110105 19491231 002x ';
  t.equal(normalizeIdNumber(typed), EXAMPLE_X);
  t.equal(idNumberProblem(normalizeIdNumber(typed)), null);
  t.same(checkCase(caseInput({ applicantIdNumber: '11010519491231002x' }), REGIONS), [], 'the form accepts it');
});

void t.test('the wrong shape', async (t) => {
  for (const value of ['11010519491231002', '11010519491231002X1', '1101051949123100XX', '11010519491231002Y', '', 'abcdefghijklmnopqr', '11010519491231002x']) {
    t.equal(idNumberProblem(value), 'format', JSON.stringify(value));
  }
});

void t.test('an impossible birth date', async (t) => {
  // each with the right check character, so only the date is wrong
  for (const birth of ['19800230', '19801301', '19800100', '18991231', '21000101']) {
    t.equal(idNumberProblem(makeIdNumber(birth)), 'birthdate', birth);
  }
  t.equal(idNumberProblem(makeIdNumber('20000229')), null, 'a real 29 February');
  t.equal(idNumberProblem(makeIdNumber('19000228')), null, 'the oldest year allowed');
});

void t.test('masking shows only the first 6 and the last 4', async (t) => {
  t.equal(maskIdNumber(EXAMPLE_X), '110105********002X');
  t.equal(maskIdNumber(EXAMPLE_X).length, 18);
  t.notMatch(maskIdNumber(EXAMPLE_X), /1949/, 'the birth date is hidden');
  t.equal(maskIdNumber(null), '');
  t.equal(maskIdNumber(undefined), '');
});

void t.test('through the service: stored normalised, refused when wrong, masked in lists', async (t) => {
  const { app } = await buildTestApp(t);
  const db = app.db;
  const c = await makeCase(db, { applicantIdNumber: '110105 19491231 002x', applicantName: '身份证测试' }, '2026-11-02');
  t.equal(c.applicant_id_number, EXAMPLE_X, 'stored upper-case, without spaces');

  const cases = async () => (await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
  const before = await cases();
  for (const [value, key] of [
    ['11010519491231002', 'case.err.id.format'],
    ['110105194912310021', 'case.err.id.checksum'],
    [makeIdNumber('19800230'), 'case.err.id.birthdate'],
  ] as const) {
    const err = await createCase(db, TEST_ACTOR, caseInput({ applicantIdNumber: value }), '2026-11-02').catch((e: unknown) => e);
    t.type(err, ValidationError, value);
    t.match((err as ValidationError).fields, [{ field: 'applicantIdNumber', key }]);
  }
  t.equal(await cases(), before, 'no case was created');
  const next = await makeCase(db, {}, '2026-11-02');
  t.equal(Number(next.number.slice(5)), Number(c.number.slice(5)) + 1, 'a refused application used no case number');

  const page = await listCases(db, { page: 1, q: '身份证测试' }, '2026-11-02');
  t.equal(page.items.length, 1);
  t.equal(page.items[0]?.applicant_id_masked, '110105********002X');
  t.notOk('applicant_id_number' in page.items[0], 'the list rows do not carry the full number');
  t.notMatch(JSON.stringify(page), /19491231/, 'the birth date appears nowhere in the list data');
});
