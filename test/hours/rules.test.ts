// The pure hours rules: hours as whole tenths (2.25 refused, 0.1 + 0.2 exact),
// the monthly lock date, and the form checks.
import t from 'tap';
import fc from 'fast-check';
import { checkHours, formatHours, isLocked, lockDateOf, parseHours, tenthsOf, tenthsToText } from '../../src/modules/hours/hours.rules.js';

void t.test('hours parse as tenths; finer than a tenth is refused, never rounded', async (t) => {
  t.equal(parseHours('2'), 20);
  t.equal(parseHours('2.5'), 25);
  t.equal(parseHours('2.0'), 20);
  t.equal(parseHours(' 0.1 '), 1);
  for (const bad of ['2.25', '-1', '1e1', '', '.5', '2.', 'abc', '2,5', '0x10']) t.equal(parseHours(bad), null, bad);
  t.equal(tenthsOf('12.5'), 125);
  t.equal(tenthsOf('3'), 30);
  t.equal(tenthsOf('0.30'), 3);
  t.equal(tenthsOf(null), 0);
  t.throws(() => tenthsOf('1.25'), 'a driver value finer than a tenth is a bug, not something to round');
  t.equal(tenthsToText(25), '2.5');
  t.equal(tenthsToText(20), '2.0');
  t.equal(formatHours(20), '2');
  t.equal(formatHours(tenthsOf('0.1') + tenthsOf('0.2')), '0.3', '0.1 + 0.2 is exactly 0.3');
});

void t.test('parse and print round-trip for every tenth', async (t) => {
  fc.assert(fc.property(fc.integer({ min: 0, max: 99999 }), (n) => parseHours(tenthsToText(n)) === n && tenthsOf(tenthsToText(n)) === n));
  t.pass();
});

void t.test("a month locks on the policy's day of the next month", async (t) => {
  t.equal(lockDateOf('2026-10-20', 5), '2026-11-05');
  t.equal(lockDateOf('2026-12-31', 5), '2027-01-05', 'December locks in January');
  t.equal(lockDateOf('2027-01-10', 31), '2027-02-28', 'a day past the month end means its last day');
  t.notOk(isLocked('2026-10-20', 5, '2026-11-04'), 'open the day before');
  t.ok(isLocked('2026-10-20', 5, '2026-11-05'), 'locked from the lock day');
  t.notOk(isLocked('2026-11-01', 5, '2026-11-20'), 'the current month is open');
});

void t.test('form checks: date, future, hours range, kind, case work needs a case, description', async (t) => {
  const ok = { date: '2026-11-02', hours: '2.5', kind: 'consultation', caseId: null, eventId: null, description: '值班咨询' };
  t.same(checkHours(ok, '2026-11-10').errors, []);
  t.equal(checkHours(ok, '2026-11-10').tenths, 25);
  const fields = (input: Partial<typeof ok>) => checkHours({ ...ok, ...input }, '2026-11-10').errors.map((e) => `${e.field}:${e.key}`);
  t.same(fields({ date: '2026-11-11' }), ['date:hours.err.future']);
  t.same(fields({ date: '2026-02-30' }), ['date:hours.err.date']);
  t.same(fields({ hours: '2.25' }), ['hours:hours.err.hours']);
  t.same(fields({ hours: '0' }), ['hours:hours.err.hours']);
  t.same(fields({ hours: '24.1' }), ['hours:hours.err.hours']);
  t.same(fields({ hours: '24' }), []);
  t.same(fields({ kind: 'party' }), ['kind:err.choice']);
  t.same(fields({ kind: 'case' }), ['caseId:hours.err.caseNeeded']);
  t.same(fields({ description: '  ' }), ['description:err.required']);
});
