// The pure form rules of the rotation, quota and hours-lock policies: what they
// accept is exactly what the readers take (quotaPolicyOf never has to fall back
// to a default), the neighbours map is stored in one canonical form, and the
// date rules (today allowed; quota from 1 January; lock from the 1st).
import t from 'tap';
import fc from 'fast-check';
import { checkHoursLock, checkQuota, checkRotation, type QuotaInput, type RotationInput } from '../../src/modules/policies/rotation-policies.rules.js';
import { quotaPolicyOf } from '../../src/modules/quotas/quotas.rules.js';

const regions = ['511900', '511902', '511903', '511921'];
const rotation = (change: Partial<RotationInput> = {}): RotationInput => ({
  effectiveFrom: '2027-03-15',
  minLevel: { criminal: '1', civil: '1', administrative: '2', non_litigation: '1' },
  seriousCriminalLevel: '3',
  regionMode: 'own_or_neighbours',
  neighbours: {},
  declineDays: '0',
  returnTurn: 'yes',
  note: '',
  ...change,
});
const quota = (change: Partial<QuotaInput> = {}): QuotaInput => ({
  effectiveFrom: '2027-01-01',
  numbers: { cases: '2', hours: '20', newlyLicensedYears: '1', newlyLicensedFactor: '0.5', longLeaveDays: '90', longLeaveFactor: '0.5' },
  levelFactor: { '1': '1', '2': '1', '3': '1' },
  note: '',
  ...change,
});
const today = '2026-12-01';

t.test('rotation: the neighbours map in one canonical form', async (t) => {
  const ok = checkRotation(rotation({ neighbours: { '511903': ['511921', '511902', '511921'], '511902': [], '511921': ['511900'] } }), regions, today);
  t.same(ok.errors, []);
  t.same(ok.value.neighbours, { '511903': ['511902', '511921'], '511921': ['511900'] }, 'in region order, each once, empty rows left out');
  t.same(ok.value.minLevel, { criminal: 1, civil: 1, administrative: 2, non_litigation: 1 });
  t.equal(ok.value.declineDays, 0, 'a window of 0 days is allowed');
  t.equal(ok.value.returnTurnOnConflictDecline, true);

  const bad = checkRotation(rotation({ neighbours: { '999999': ['511902'], '511902': ['511902'], '511903': ['x'] } }), regions, today);
  t.same(
    bad.errors.map((e) => [e.field, e.key]),
    [
      ['neighbours', 'err.region'],
      ['nb-511902', 'policyAdmin.err.ownRegion'],
      ['nb-511903', 'err.region'],
    ],
  );
  t.same(checkRotation(rotation({ effectiveFrom: today }), regions, today).errors, [], 'today is allowed');
  t.same(
    checkRotation(rotation({ minLevel: { criminal: '3', civil: '1', administrative: '1', non_litigation: '1' }, seriousCriminalLevel: '2' }), regions, today).errors.map((e) => e.key),
    ['policyAdmin.err.seriousBelow'],
  );
  t.same(
    checkRotation(rotation({ minLevel: { criminal: '+1', civil: '1e0', administrative: ' 1', non_litigation: '01' }, declineDays: '1e1' }), regions, today).errors.map((e) => e.field),
    ['minLevel-criminal', 'minLevel-civil', 'minLevel-administrative', 'declineDays'],
    'only plain digits ("01" is still 1)',
  );
});

t.test('quota: whatever is accepted, quotaPolicyOf takes as it is', async (t) => {
  const digits = (max: number) => fc.integer({ min: 0, max }).map(String);
  const factor = fc.tuple(fc.integer({ min: 0, max: 100 }), fc.integer({ min: 0, max: 2 })).map(([n, decimals]) => (n / 100).toFixed(decimals));
  fc.assert(
    fc.property(digits(100), fc.integer({ min: 0, max: 20000 }), digits(10), factor, fc.integer({ min: 1, max: 366 }), factor, fc.array(factor, { minLength: 3, maxLength: 3 }), (cases, tenths, years, nf, leave, lf, levels) => {
      const hours = tenths % 10 ? `${Math.trunc(tenths / 10)}.${tenths % 10}` : String(tenths / 10);
      const input = quota({
        numbers: { cases, hours, newlyLicensedYears: years, newlyLicensedFactor: nf, longLeaveDays: String(leave), longLeaveFactor: lf },
        levelFactor: { '1': levels[0], '2': levels[1], '3': levels[2] },
      });
      const { errors, value } = checkQuota(input, today);
      if (errors.length) return false;
      return JSON.stringify(quotaPolicyOf(JSON.parse(JSON.stringify(value)))) === JSON.stringify(value) && value.hours * 10 === tenths;
    }),
  );
  fc.assert(
    fc.property(fc.string(), (raw) => {
      const { errors, value } = checkQuota(quota({ numbers: { ...quota().numbers, longLeaveFactor: raw } }), today);
      // anything refused is refused; anything accepted is a number quotaPolicyOf keeps
      return errors.length > 0 || (Number.isFinite(value.longLeaveFactor) && value.longLeaveFactor >= 0 && value.longLeaveFactor <= 1);
    }),
  );
  t.same(checkQuota(quota({ effectiveFrom: '2027-01-02' }), today).errors.map((e) => e.key), ['policyAdmin.err.yearStart']);
  t.same(checkQuota(quota({ effectiveFrom: '2026-01-01' }), today).errors.map((e) => e.key), ['policy.err.past'], 'a past 1 January: the past, not the day');
  t.same(checkQuota(quota({ effectiveFrom: '2027-01-01' }), '2027-01-01').errors, [], 'on 1 January itself: allowed');
});

t.test('hours lock: from the first of a month, a day every month has', async (t) => {
  t.same(checkHoursLock({ effectiveFrom: '2027-02-01', lockDay: '28', note: '' }, today), { errors: [], value: { lockDay: 28 } });
  t.same(checkHoursLock({ effectiveFrom: '2026-12-01', lockDay: '1', note: '' }, today).errors, [], 'today, the 1st: allowed');
  t.same(
    checkHoursLock({ effectiveFrom: '2027-02-15', lockDay: '29', note: 'x'.repeat(501) }, today).errors.map((e) => [e.field, e.key]),
    [
      ['lockFrom', 'policyAdmin.err.monthStart'],
      ['lockDay', 'policyAdmin.err.whole'],
      ['lockNote', 'err.tooLong'],
    ],
  );
});
