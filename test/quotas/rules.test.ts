// The quota arithmetic with known figures: reductions, rounding, the pace and
// the three statuses.
import t from 'tap';
import fc from 'fast-check';
import { DEFAULT_QUOTA, leaveDaysIn, progress, quotaPolicyOf, requirement, shareOfYear, type LawyerYearFacts, type QuotaPolicy } from '../../src/modules/quotas/quotas.rules.js';

const plain: LawyerYearFacts = { level: 2, licensedOn: null, leaves: [] };
const need = (fields: Partial<LawyerYearFacts> = {}, policy: QuotaPolicy = DEFAULT_QUOTA, year = 2026) => {
  const r = requirement(policy, year, { ...plain, ...fields });
  return { cases: r.cases, hours: r.hours, reductions: r.reductions };
};

void t.test('requirement after reductions', async (t) => {
  t.same(need(), { cases: 2, hours: 20, reductions: [] }, 'the full obligation');
  t.same(need({ licensedOn: '2025-06-01' }), { cases: 1, hours: 10, reductions: ['newly_licensed'] }, 'licensed within a year of the start: halved');
  t.same(need({ licensedOn: '2026-03-01' }), { cases: 1, hours: 10, reductions: ['newly_licensed'] }, 'licensed during the year: halved');
  t.same(need({ licensedOn: '2025-01-01' }).reductions, ['newly_licensed'], 'exactly one year before the start still counts');
  t.same(need({ licensedOn: '2024-12-31' }).reductions, [], 'longer ago: the full obligation');
  t.same(need({ licensedOn: '2027-02-01' }), { cases: 0, hours: 0, reductions: ['not_licensed'] }, 'not licensed that year: nothing owed');

  const quarter = [{ startsOn: '2026-01-01', endsOn: '2026-03-31' }]; // 90 days
  t.same(need({ leaves: quarter }), { cases: 1, hours: 10, reductions: ['long_leave'] }, '90 days of leave: halved');
  t.same(need({ leaves: [{ startsOn: '2026-01-02', endsOn: '2026-03-31' }] }).reductions, [], '89 days: no reduction');
  t.same(need({ licensedOn: '2025-09-09', leaves: quarter }), { cases: 1, hours: 5, reductions: ['newly_licensed', 'long_leave'] }, 'both multiply: a quarter, cases rounded up');
  t.same(need({ level: 1 }, { ...DEFAULT_QUOTA, levelFactor: { '1': 0.5, '2': 1, '3': 1 } }).reductions, ['level'], 'the level factor');
});

void t.test('rounding: cases up to a whole case, hours up to a tenth', async (t) => {
  const policy = { ...DEFAULT_QUOTA, cases: 3, hours: 11, levelFactor: { '2': 0.7 } };
  t.same(need({}, policy), { cases: 3, hours: 7.7, reductions: ['level'] }, '3 x 0.7 = 2.1 -> 3; 11 x 0.7 = 7.7 despite float noise');
  t.same(need({}, { ...DEFAULT_QUOTA, cases: 3, hours: 10, levelFactor: { '2': 1 / 3 } }), { cases: 1, hours: 3.4, reductions: ['level'] }, '3.33... hours -> 3.4');
  t.same(need({ licensedOn: '2026-01-01' }, { ...DEFAULT_QUOTA, cases: 3, hours: 15 }), { cases: 2, hours: 7.5, reductions: ['newly_licensed'] }, '1.5 cases -> 2');
});

void t.test('leave days inside the year, each day once', async (t) => {
  t.equal(leaveDaysIn(2026, [{ startsOn: '2025-12-01', endsOn: '2026-01-10' }]), 10, 'clipped at the start of the year');
  t.equal(leaveDaysIn(2026, [{ startsOn: '2026-12-25', endsOn: '2027-01-10' }]), 7, 'clipped at the end');
  t.equal(
    leaveDaysIn(2026, [
      { startsOn: '2026-03-01', endsOn: '2026-03-10' },
      { startsOn: '2026-03-05', endsOn: '2026-03-20' },
      { startsOn: '2026-03-21', endsOn: '2026-03-21' },
    ]),
    21,
    'overlaps counted once',
  );
});

void t.test('share of the year', async (t) => {
  t.equal(shareOfYear(2026, '2026-01-01'), 1 / 365, 'the first day counts');
  t.equal(shareOfYear(2026, '2026-07-02'), 183 / 365);
  t.equal(shareOfYear(2024, '2024-12-31'), 1, 'a leap year has 366 days');
  t.equal(shareOfYear(2024, '2024-06-30'), 182 / 366);
  t.equal(shareOfYear(2025, '2026-11-26'), 1, 'a past year is whole');
  t.equal(shareOfYear(2027, '2026-11-26'), 0, 'a future year has not started');
});

void t.test('status: met, behind, on track', async (t) => {
  const req = { cases: 2, hours: 20 };
  const at = (cases: number, hours: number, share: number) => progress(req, { cases, hours }, share);
  t.equal(progress({ cases: 0, hours: 0 }, { cases: 0, hours: 0 }, 0.5).status, 'met', 'a zero requirement is met');
  t.equal(progress({ cases: 0, hours: 10 }, { cases: 0, hours: 10 }, 0.2).status, 'met', 'a zero case requirement with the hours done');
  t.equal(at(2, 20, 0.3).status, 'met');
  t.same(at(1, 9.5, 0.5), { expectedCases: 1, expectedHours: 10, status: 'on_track' }, 'mid-year: half an hour short is within the slack');
  t.equal(at(0, 10, 0.5).status, 'behind', 'mid-year: a whole case short of the pace');
  t.equal(at(1, 9, 0.5).status, 'behind', 'mid-year: an hour short of the pace');
  t.equal(at(2, 5, 0.5).status, 'behind', 'cases met but hours behind');
  t.equal(at(0, 0, 2 / 365).status, 'on_track', 'early January: nobody is behind yet');
  t.equal(at(2, 19.9, 1).status, 'behind', 'after the year: any shortfall is behind');
  t.equal(at(0, 0, 0).status, 'on_track', 'a future year');
});

void t.test('a stored policy falls back to defaults key by key', async (t) => {
  t.same(quotaPolicyOf({ cases: 3, hours: 'x', levelFactor: { '3': 0.5, '2': -1 } }), { ...DEFAULT_QUOTA, cases: 3, levelFactor: { '1': 1, '2': 1, '3': 0.5 } });
  t.same(quotaPolicyOf(null), DEFAULT_QUOTA);
});

void t.test('property: a reduction never asks more, nor less than its exact share', async (t) => {
  const day = fc.integer({ min: 0, max: 365 * 4 }).map((n) => new Date(Date.UTC(2024, 0, 1) + n * 86_400_000).toISOString().slice(0, 10));
  fc.assert(
    fc.property(
      fc.record({ cases: fc.integer({ min: 0, max: 10 }), hours: fc.integer({ min: 0, max: 100 }), nf: fc.double({ min: 0, max: 1, noNaN: true }), lf: fc.double({ min: 0, max: 1, noNaN: true }) }),
      fc.option(day, { nil: null }),
      fc.array(fc.tuple(day, day), { maxLength: 4 }),
      (p, licensedOn, spans) => {
        const policy = { ...DEFAULT_QUOTA, cases: p.cases, hours: p.hours, newlyLicensedFactor: p.nf, longLeaveFactor: p.lf };
        const leaves = spans.map(([a, b]) => (a <= b ? { startsOn: a, endsOn: b } : { startsOn: b, endsOn: a }));
        const r = requirement(policy, 2025, { level: 2, licensedOn, leaves });
        return r.cases <= p.cases && r.hours <= p.hours && r.cases >= p.cases * r.factor - 1e-9 && r.hours >= p.hours * r.factor - 1e-9 && Number.isInteger(r.cases);
      },
    ),
  );
  t.pass('holds over random policies, licence dates and leave');
});
