// The means test through the service: the standard in force for the applicant's
// region on the application date (seeded Bazhong 720 yuan from 2024, 750 yuan
// from 2025-07-01, so 1,500 yuan per head), and what the decision may do with it.
import t, { type Test } from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { getCase } from '../../src/modules/cases/cases.service.js';
import type { Eligibility } from '../../src/modules/cases/eligibility.js';
import { RuleError } from '../../src/lib/errors.js';

const ON = '2026-11-02';
const LINE = 150_000; // 2 x 750 yuan in fen

const { app } = await buildTestApp(t);
const db = app.db;
const elig = (c: { eligibility: unknown }) => c.eligibility as Eligibility;

async function refusedWith(t: Test, p: Promise<unknown>, statusCode: number, code: string, key: string) {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  t.type(err, RuleError, `refused: ${code}`);
  t.match(err, { statusCode, code, key });
}

void t.test('household of one: exactly 2x the allowance passes, one fen over fails', async (t) => {
  const at = await makeCase(db, { householdSize: 1, monthlyIncomeFen: LINE }, ON);
  t.equal(at.eligibility_rule, 'means_test');
  t.equal(elig(at).passed, true);
  t.equal(elig(at).thresholdFen, LINE);
  t.equal(elig(at).standard?.regionCode, '511900', "Bazhou has no own standard: the city's applies");
  const over = await makeCase(db, { householdSize: 1, monthlyIncomeFen: LINE + 1 }, ON);
  t.equal(elig(over).passed, false);
});

void t.test('household of three: 3x the line passes, one fen more fails', async (t) => {
  const at = await makeCase(db, { householdSize: 3, monthlyIncomeFen: LINE * 3 }, ON);
  t.equal(elig(at).passed, true);
  const over = await makeCase(db, { householdSize: 3, monthlyIncomeFen: LINE * 3 + 1 }, ON);
  t.equal(elig(over).passed, false);
});

void t.test('the standard in force on the application date is used', async (t) => {
  // 1,480 yuan per head: over 2 x 720 (before 2025-07-01), under 2 x 750 (after)
  const income = 148_000;
  const before = await makeCase(db, { householdSize: 1, monthlyIncomeFen: income }, '2025-06-30');
  t.equal(elig(before).standard?.allowanceFen, 72_000);
  t.equal(elig(before).passed, false, 'the old, lower standard');
  const after = await makeCase(db, { householdSize: 1, monthlyIncomeFen: income }, '2025-07-01');
  t.equal(elig(after).standard?.allowanceFen, 75_000);
  t.equal(elig(after).passed, true, 'the new standard from its first day');
});

void t.test("a region's own standard wins over its parent's, from its effective date only", async (t) => {
  // Tongjiang gets a lower standard of its own from 2026-12-01
  await db.insertInto('means_standards').values({ region_code: '511921', effective_from: '2026-12-01', allowance_fen: 60_000, multiplier_pct: 200 }).execute();
  const early = await makeCase(db, { regionCode: '511921', householdSize: 1, monthlyIncomeFen: LINE }, '2026-11-30');
  t.equal(elig(early).standard?.regionCode, '511900', 'before its own standard starts: the city standard');
  t.equal(elig(early).passed, true);
  const late = await makeCase(db, { regionCode: '511921', householdSize: 1, monthlyIncomeFen: LINE }, '2026-12-01');
  t.equal(elig(late).standard?.regionCode, '511921');
  t.equal(elig(late).thresholdFen, 120_000);
  t.equal(elig(late).passed, false, 'the same income fails the lower local line');
  const reread = await getCase(db, early.id);
  t.equal(elig(reread!).standard?.regionCode, '511900', 'an earlier application keeps the standard it was assessed on');
});

void t.test('no standard in force or no income: unknown, cannot be granted, can be refused', async (t) => {
  const noStandard = await makeCase(db, { householdSize: 1, monthlyIncomeFen: 10_000 }, '2023-06-01');
  t.equal(noStandard.eligibility_rule, 'unknown', 'before the first seeded standard');
  t.equal(elig(noStandard).passed, null);
  t.equal(elig(noStandard).standard, null);
  await refusedWith(t, decide(db, TEST_ACTOR, noStandard.id, { granted: true, reason: null }, '2023-06-02'), 422, 'eligibility_unknown', 'case.err.eligibilityUnknown');

  const noIncome = await makeCase(db, { householdSize: 2, monthlyIncomeFen: null }, ON);
  t.equal(noIncome.eligibility_rule, 'unknown');
  await refusedWith(t, decide(db, TEST_ACTOR, noIncome.id, { granted: true, reason: null }, ON), 422, 'eligibility_unknown', 'case.err.eligibilityUnknown');
  t.equal((await getCase(db, noIncome.id))?.status, 'applied', 'still waiting for a decision');
  const refused = await decide(db, TEST_ACTOR, noIncome.id, { granted: false, reason: '拒不提供收入情况' }, ON);
  t.equal(refused.status, 'refused');
});

void t.test('failing the means test: cannot be granted (not_eligible), can be refused', async (t) => {
  const c = await makeCase(db, { householdSize: 1, monthlyIncomeFen: LINE + 1 }, ON);
  await refusedWith(t, decide(db, TEST_ACTOR, c.id, { granted: true, reason: null }, ON), 422, 'not_eligible', 'case.err.notEligible');
  const still = await getCase(db, c.id);
  t.equal(still?.status, 'applied');
  t.equal(still?.decision, null);
  const refused = await decide(db, TEST_ACTOR, c.id, { granted: false, reason: '收入超过标准' }, ON);
  t.equal(refused.status, 'refused');
  t.equal(refused.decision_reason, '收入超过标准');
});

void t.test('passing the means test or an exemption: granted', async (t) => {
  const poor = await makeCase(db, { householdSize: 1, monthlyIncomeFen: LINE }, ON);
  t.equal((await decide(db, TEST_ACTOR, poor.id, { granted: true, reason: null }, ON)).status, 'granted');
  const exempt = await makeCase(db, { householdSize: 1, monthlyIncomeFen: LINE * 10, exemptions: ['legal_aid_card'] }, ON);
  t.equal(exempt.eligibility_rule, 'exemption');
  t.same(exempt.exemptions, ['legal_aid_card'], 'the claim is stored on the case');
  t.equal((await decide(db, TEST_ACTOR, exempt.id, { granted: true, reason: null }, ON)).status, 'granted');
});

void t.test('exemptions through the service: claimed, rejected, derived', async (t) => {
  const wages = await makeCase(db, { category: 'family', exemptions: ['migrant_wages'], householdSize: 1, monthlyIncomeFen: LINE * 10 }, ON);
  t.same(elig(wages).rejectedClaims, ['migrant_wages']);
  t.equal(wages.eligibility_rule, 'means_test', 'the rejected claim does not apply');
  const derived = await makeCase(db, { category: 'work_injury', priorityGroups: ['migrant_worker'], householdSize: 1, monthlyIncomeFen: LINE * 10 }, ON);
  t.equal(derived.eligibility_rule, 'exemption');
  t.same(elig(derived).exemptions, ['migrant_wages']);
  const defence = await makeCase(db, { kind: 'criminal', category: 'criminal', source: 'court', householdSize: 1, monthlyIncomeFen: LINE * 10 }, ON);
  t.same(elig(defence).exemptions, ['mandatory_defence']);
  const civil = await makeCase(db, { kind: 'civil', category: 'family', exemptions: ['mandatory_defence'], householdSize: 1, monthlyIncomeFen: LINE * 10 }, ON);
  t.same(elig(civil).rejectedClaims, ['mandatory_defence']);
  t.equal(elig(civil).passed, false);
});
