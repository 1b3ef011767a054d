// Correcting an application before it is decided: the applicant brings the
// household's income, a clerk fixes a typo. Eligibility is assessed again on the
// application date, so the decision screen always shows the current facts.
import type { Kysely } from 'kysely';
import type { Case, DB } from '../../db/types.js';
import { maskIdNumber } from '../../lib/idnumber.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { ensure } from './cases.flow.js';
import type { CaseInput } from './cases.rules.js';
import { assess, caseColumns, caseEvent, lockCase, validateCase } from './cases.service.js';

export type ApplicationInput = Omit<CaseInput, 'emergency' | 'consultationId' | 'missingItems'>;

/** The case's current application fields, as input (for a PATCH or an edit form). */
export function applicationOf(c: Case): ApplicationInput {
  return {
    applicantName: c.applicant_name,
    applicantIdNumber: c.applicant_id_number,
    applicantPhone: c.applicant_phone,
    applicantAddress: c.applicant_address,
    regionCode: c.region_code,
    householdSize: c.household_size,
    monthlyIncomeFen: c.monthly_income_fen,
    kind: c.kind,
    category: c.category,
    summary: c.summary,
    opposingParties: c.opposing_parties,
    priorityGroups: c.priority_groups,
    exemptions: c.exemptions,
    source: c.source,
    greenChannel: c.green_channel,
    possibleLifeSentence: c.possible_life_sentence,
    centreId: c.centre_id,
  };
}

const shown = (row: Record<string, unknown>) =>
  'applicant_id_number' in row ? { ...row, applicant_id_number: maskIdNumber(row.applicant_id_number as string | null) } : row;

export async function updateApplication(db: Kysely<DB>, actor: Actor, id: number, input: ApplicationInput): Promise<Case> {
  const full: CaseInput = { ...input, emergency: false, consultationId: null, missingItems: [] };
  await validateCase(db, full);
  return db.transaction().execute(async (trx) => {
    const before = await lockCase(trx, id);
    ensure('edit', before.status);
    const eligibility = await assess(trx, full, before.applied_on);
    const columns = caseColumns(full);
    const after = await trx
      .updateTable('cases')
      .set({ ...columns, eligibility: JSON.stringify(eligibility), eligibility_rule: eligibility.rule, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    const changed = (Object.keys(columns) as (keyof typeof columns)[]).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
    // a form saved without changes leaves no trace: nothing happened to the case
    if (!changed.length) return after;
    await caseEvent(trx, id, actor, 'updated', { fields: changed, eligibility: eligibility.rule, passed: eligibility.passed });
    await audit(trx, actor, {
      action: 'case.updated',
      entity: 'case',
      entityId: id,
      before: shown(Object.fromEntries(changed.map((k) => [k, before[k]]))),
      after: shown(Object.fromEntries(changed.map((k) => [k, after[k]]))),
    });
    return after;
  });
}
