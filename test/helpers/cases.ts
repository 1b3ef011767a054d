// Factories for cases: an application through the real service (so deadlines,
// eligibility and the timeline are what the app computes), and shortcuts that
// walk a case along the flow.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import type { Actor } from '../../src/plugins/audit.js';
import type { CaseInput } from '../../src/modules/cases/cases.rules.js';
import { createCase } from '../../src/modules/cases/cases.service.js';
import { accept, assignLawyer, close, decide } from '../../src/modules/cases/cases.actions.js';
import { makeLawyer } from './people.js';

export const TEST_ACTOR: Actor = { id: null, name: 'test' };

let counter = 0;

/** A valid 18-digit ID number (with its check digit) for a birth date. */
export { idCheckChar } from '../../src/lib/idnumber.js';
import { idCheckChar } from '../../src/lib/idnumber.js';
export function makeIdNumber(birth = '19800101', region = '511902', seq = '123'): string {
  const first17 = `${region}${birth}${seq}`;
  return first17 + idCheckChar(first17);
}

export function caseInput(fields: Partial<CaseInput> = {}): CaseInput {
  const n = ++counter;
  return {
    applicantName: `申请人${n}`,
    applicantIdNumber: makeIdNumber('19800101', '511902', String(100 + (n % 900))),
    applicantPhone: '13800000000',
    applicantAddress: '巴州区江北大道 1 号',
    regionCode: '511902',
    householdSize: 3,
    monthlyIncomeFen: 100_000,
    kind: 'civil',
    category: 'labor',
    summary: '拖欠工资',
    opposingParties: ['某建筑公司'],
    priorityGroups: [],
    exemptions: [],
    source: 'walk_in',
    emergency: false,
    greenChannel: null,
    centreId: null,
    consultationId: null,
    missingItems: [],
    ...fields,
  };
}

export function makeCase(db: Kysely<DB>, fields: Partial<CaseInput> = {}, on?: string) {
  return createCase(db, TEST_ACTOR, caseInput(fields), on);
}

/** A case granted, assigned to a (new or given) lawyer and accepted: ready to close. */
export async function makeAcceptedCase(db: Kysely<DB>, fields: Partial<CaseInput> = {}, lawyerId?: number) {
  const c = await makeCase(db, fields);
  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
  const lawyer = lawyerId ?? (await makeLawyer(db)).id;
  await assignLawyer(db, TEST_ACTOR, c.id, { lawyerId: lawyer, reason: 'test' });
  return accept(db, TEST_ACTOR, c.id);
}

export async function makeClosedCase(db: Kysely<DB>, fields: Partial<CaseInput> = {}, lawyerId?: number) {
  const c = await makeAcceptedCase(db, fields, lawyerId);
  return close(db, TEST_ACTOR, c.id, { outcome: '调解结案', hours: '12.5' });
}
