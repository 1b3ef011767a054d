// The exemptions that waive the means test: each one claimed, the claims that do
// not fit the case, and the ones the facts give without a claim. Pure: no database.
import t from 'tap';
import { EXEMPTIONS, type Exemption } from '../../src/db/types.js';
import { assessEligibility, thresholdOf, type EligibilityInput, type StandardUsed } from '../../src/modules/cases/eligibility.js';

// Bazhong from 2025-07-01: 750 yuan allowance, 2x -> 1,500 yuan per head
const STANDARD: StandardUsed = { id: 1, regionCode: '511900', effectiveFrom: '2025-07-01', allowanceFen: 75_000, multiplierPct: 200 };
const RICH = 10_000_000; // 100,000 yuan a month for a household of 1: far over the line

function input(fields: Partial<EligibilityInput> = {}): EligibilityInput {
  return { kind: 'civil', category: 'labor', source: 'walk_in', householdSize: 1, monthlyIncomeFen: RICH, exemptions: [], priorityGroups: [], ...fields };
}

/** A case each exemption fits: wages on a labour case, mandatory defence on a criminal one. */
function fitting(exemption: Exemption): Partial<EligibilityInput> {
  if (exemption === 'mandatory_defence') return { kind: 'criminal', category: 'criminal' };
  return { kind: 'civil', category: 'labor' };
}

void t.test('without an exemption a high income fails the means test', async (t) => {
  const e = assessEligibility(input(), STANDARD);
  t.equal(e.rule, 'means_test');
  t.equal(e.passed, false);
  t.same(e.exemptions, []);
  t.equal(e.thresholdFen, 150_000);
});

void t.test('each exemption, claimed, waives the means test even with a high income', async (t) => {
  t.equal(EXEMPTIONS.length, 9, 'a new exemption needs a case here');
  for (const exemption of EXEMPTIONS) {
    const e = assessEligibility(input({ ...fitting(exemption), exemptions: [exemption] }), STANDARD);
    t.equal(e.rule, 'exemption', `${exemption}: rule`);
    t.equal(e.passed, true, `${exemption}: passed`);
    t.ok(e.exemptions.includes(exemption), `${exemption}: recorded as applying`);
    t.same(e.rejectedClaims, [], `${exemption}: not rejected`);
  }
});

void t.test('an exemption also waives a missing standard or missing income', async (t) => {
  const e = assessEligibility(input({ exemptions: ['domestic_violence'], householdSize: null, monthlyIncomeFen: null }), null);
  t.equal(e.rule, 'exemption');
  t.equal(e.passed, true);
});

void t.test('migrant wages claimed on a case that is not about wages is rejected and does not apply', async (t) => {
  for (const category of ['family', 'traffic', 'medical']) {
    const e = assessEligibility(input({ category, exemptions: ['migrant_wages'] }), STANDARD);
    t.same(e.rejectedClaims, ['migrant_wages'], `${category}: rejected`);
    t.same(e.exemptions, [], `${category}: not applied`);
    t.equal(e.rule, 'means_test', `${category}: the means test decides`);
    t.equal(e.passed, false, `${category}: and fails it`);
  }
  const criminal = assessEligibility(input({ kind: 'criminal', category: 'labor', exemptions: ['migrant_wages'] }), STANDARD);
  t.same(criminal.rejectedClaims, ['migrant_wages'], 'a criminal case is never a wage claim');
  t.equal(criminal.passed, false);
});

void t.test('a rejected claim next to a fitting one: the fitting one applies', async (t) => {
  const e = assessEligibility(input({ category: 'traffic', exemptions: ['migrant_wages', 'bravery'] }), STANDARD);
  t.same(e.rejectedClaims, ['migrant_wages']);
  t.same(e.exemptions, ['bravery']);
  t.equal(e.rule, 'exemption');
});

void t.test('migrant wages is derived for a migrant worker on a labour or work-injury case', async (t) => {
  for (const category of ['labor', 'work_injury']) {
    const e = assessEligibility(input({ category, priorityGroups: ['migrant_worker'] }), STANDARD);
    t.same(e.exemptions, ['migrant_wages'], `${category}: derived`);
    t.equal(e.rule, 'exemption');
    t.equal(e.passed, true);
  }
  const other = assessEligibility(input({ category: 'traffic', priorityGroups: ['migrant_worker'] }), STANDARD);
  t.same(other.exemptions, [], 'not for a traffic accident');
  t.equal(other.rule, 'means_test');
  const notMigrant = assessEligibility(input({ priorityGroups: ['woman'] }), STANDARD);
  t.same(notMigrant.exemptions, [], 'not for someone who is not a migrant worker');
  const claimedAndDerived = assessEligibility(input({ priorityGroups: ['migrant_worker'], exemptions: ['migrant_wages'] }), STANDARD);
  t.same(claimedAndDerived.exemptions, ['migrant_wages'], 'claimed and derived: recorded once');
});

void t.test('mandatory defence is derived for a minor defendant and for a notified criminal case', async (t) => {
  const minor = assessEligibility(input({ kind: 'criminal', category: 'criminal', priorityGroups: ['minor'] }), STANDARD);
  t.same(minor.exemptions, ['mandatory_defence'], 'a minor');
  t.equal(minor.passed, true);
  for (const source of ['court', 'procuratorate', 'police'] as const) {
    const e = assessEligibility(input({ kind: 'criminal', category: 'criminal', source }), STANDARD);
    t.same(e.exemptions, ['mandatory_defence'], `notified by ${source}`);
    t.equal(e.rule, 'exemption');
  }
  const walkIn = assessEligibility(input({ kind: 'criminal', category: 'criminal' }), STANDARD);
  t.same(walkIn.exemptions, [], 'an adult walking in with a criminal case takes the means test');
  t.equal(walkIn.rule, 'means_test');
  const civilMinor = assessEligibility(input({ priorityGroups: ['minor'], source: 'court' }), STANDARD);
  t.same(civilMinor.exemptions, [], 'never on a civil case, even a minor notified by a court');
});

void t.test('mandatory defence claimed on a civil case is rejected', async (t) => {
  for (const kind of ['civil', 'administrative', 'non_litigation'] as const) {
    const e = assessEligibility(input({ kind, exemptions: ['mandatory_defence'] }), STANDARD);
    t.same(e.rejectedClaims, ['mandatory_defence'], kind);
    t.same(e.exemptions, [], kind);
    t.equal(e.passed, false, `${kind}: the means test decides`);
  }
});

void t.test('the means test at its boundary, pure', async (t) => {
  t.equal(thresholdOf(STANDARD), 150_000);
  t.equal(thresholdOf({ ...STANDARD, allowanceFen: 72_001, multiplierPct: 150 }), 108_001, 'rounded down to the fen');
  t.equal(assessEligibility(input({ monthlyIncomeFen: 150_000 }), STANDARD).passed, true, 'exactly 2x');
  t.equal(assessEligibility(input({ monthlyIncomeFen: 150_001 }), STANDARD).passed, false, 'one fen over');
  t.equal(assessEligibility(input({ householdSize: 3, monthlyIncomeFen: 450_000 }), STANDARD).passed, true, '3 people, 3x the line');
  t.equal(assessEligibility(input({ householdSize: 3, monthlyIncomeFen: 450_001 }), STANDARD).passed, false, '3 people, one fen over');
  // 450,001 / 3 rounds to 150,000 per head: the comparison must not use the rounded figure
  t.equal(assessEligibility(input({ householdSize: 3, monthlyIncomeFen: 450_001 }), STANDARD).perHeadFen, 150_000);
  t.equal(assessEligibility(input({ monthlyIncomeFen: 0 }), STANDARD).passed, true, 'no income at all passes');
});

void t.test('no standard or no income: unknown', async (t) => {
  for (const [label, fields, standard] of [
    ['no standard', {}, null],
    ['no income', { monthlyIncomeFen: null }, STANDARD],
    ['no household size', { householdSize: null }, STANDARD],
  ] as const) {
    const e = assessEligibility(input(fields), standard);
    t.equal(e.rule, 'unknown', label);
    t.equal(e.passed, null, label);
  }
});
