// Cases: taking an application, reading one case with its deadlines and timeline.
// The transitions after intake are in cases.actions.ts.
import { sql, type Kysely, type Transaction } from 'kysely';
import { GREEN_CHANNEL_GROUPS, NOTIFIED_SOURCES, type Case, type CaseStatus, type DB } from '../../db/types.js';
import { RuleError, ValidationError } from '../../lib/errors.js';
import { isRowId } from '../../lib/access.js';
import { normalizeIdNumber } from '../../lib/idnumber.js';
import { todayIn } from '../../lib/format.js';
import { addWorkingDays, workingDaysLeft, type Calendar } from '../../lib/workdays.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { loadCalendar, loadCalendarFor } from '../calendar/calendar.service.js';
import { meansStandardAt, timeLimitsAt, type TimeLimits } from '../policies/policies.service.js';
import { assessEligibility, type Eligibility, type StandardUsed } from './eligibility.js';
import { checkCase, type CaseInput } from './cases.rules.js';

export type Db = Kysely<DB> | Transaction<DB>;

export const APP_TZ = 'Asia/Shanghai';
export const today = (): string => todayIn(APP_TZ);

/** The case_events row of a timeline entry: for a statement that writes it along with other rows. */
export function caseEventValues(caseId: number, actor: Actor, kind: string, detail: Record<string, unknown> = {}) {
  return { case_id: caseId, actor_id: actor.id, actor_name: actor.name, kind, detail: JSON.stringify(detail) };
}

/** Writes one entry of the case's timeline. */
export async function caseEvent(db: Db, caseId: number, actor: Actor, kind: string, detail: Record<string, unknown> = {}): Promise<void> {
  await db.insertInto('case_events').values(caseEventValues(caseId, actor, kind, detail)).execute();
}

/** The case row, locked for the rest of the transaction: every transition starts here. */
export async function lockCase(trx: Transaction<DB>, id: number): Promise<Case> {
  const row = isRowId(id) ? await trx.selectFrom('cases').selectAll().where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
  if (!row) throw new RuleError(409, 'not_found', 'case.err.gone');
  return row;
}

export async function getCase(db: Db, id: number): Promise<Case | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
}

/** n working days after `from`, on the stored calendar. */
export async function workingDaysAfter(db: Db, from: string, n: number): Promise<string> {
  return addWorkingDays(await loadCalendarFor(db, from, n), from, Math.max(0, n));
}

export function assignDays(limits: TimeLimits, c: Pick<Case, 'kind' | 'source'>): number {
  if (c.kind === 'criminal') return limits.assignDaysCriminal;
  if (NOTIFIED_SOURCES.includes(c.source)) return limits.assignDaysNotified;
  return limits.assignDaysOther;
}

/** The eligibility of an application on its application date, with the standard that applied. */
export async function assess(db: Db, input: Pick<CaseInput, 'kind' | 'category' | 'source' | 'householdSize' | 'monthlyIncomeFen' | 'exemptions' | 'priorityGroups' | 'regionCode' | 'possibleLifeSentence'>, on: string): Promise<Eligibility> {
  const row = await meansStandardAt(db, input.regionCode, on);
  const standard: StandardUsed | null = row
    ? { id: row.id, regionCode: row.region_code, effectiveFrom: row.effective_from, allowanceFen: row.allowance_fen, multiplierPct: row.multiplier_pct }
    : null;
  return assessEligibility(input, standard);
}

async function nextNumber(trx: Transaction<DB>, year: number): Promise<string> {
  const row = await trx
    .insertInto('case_counters')
    .values({ year, last: 1 })
    .onConflict((oc) => oc.column('year').doUpdateSet({ last: sql`case_counters.last + 1` }))
    .returning('last')
    .executeTakeFirstOrThrow();
  return `${year}-${String(row.last).padStart(5, '0')}`;
}

export async function validateCase(db: Db, input: CaseInput): Promise<void> {
  const regions = new Set((await db.selectFrom('regions').select('code').execute()).map((r) => r.code));
  const errors = checkCase(input, regions);
  if (input.centreId !== null) {
    const centre = await db.selectFrom('organizations').select('kind').where('id', '=', input.centreId).executeTakeFirst();
    if (centre?.kind !== 'centre') errors.push({ field: 'centreId', key: 'err.choice' });
  }
  if (input.consultationId !== null && !(await db.selectFrom('consultations').select('id').where('id', '=', input.consultationId).executeTakeFirst()))
    errors.push({ field: 'consultationId', key: 'err.choice' });
  if (errors.length) throw new ValidationError(errors);
}

export function caseColumns(input: CaseInput) {
  return {
    applicant_name: input.applicantName,
    applicant_id_number: input.applicantIdNumber ? normalizeIdNumber(input.applicantIdNumber) : null,
    applicant_phone: input.applicantPhone,
    applicant_address: input.applicantAddress,
    region_code: input.regionCode,
    household_size: input.householdSize,
    monthly_income_fen: input.monthlyIncomeFen,
    kind: input.kind,
    category: input.category,
    summary: input.summary,
    opposing_parties: input.opposingParties,
    priority_groups: input.priorityGroups,
    exemptions: input.exemptions,
    source: input.source,
    green_channel: input.greenChannel ?? input.priorityGroups.some((g) => GREEN_CHANNEL_GROUPS.includes(g)),
    possible_life_sentence: input.possibleLifeSentence ?? false,
    centre_id: input.centreId,
  };
}

/**
 * Takes an application. An emergency case is granted at once (先行援助) with a
 * deadline for its paperwork; an application with missing items waits for them
 * with the review clock stopped; a complete one starts the review clock today.
 */
export async function createCase(db: Kysely<DB>, actor: Actor, input: CaseInput, on: string = today()): Promise<Case> {
  await validateCase(db, input);
  return db.transaction().execute(async (trx) => {
    const [{ value: limits }, eligibility] = await Promise.all([timeLimitsAt(trx, on), assess(trx, input, on)]);
    const number = await nextNumber(trx, Number(on.slice(0, 4)));
    const base = {
      ...caseColumns(input),
      number,
      emergency: input.emergency,
      consultation_id: input.consultationId,
      applied_on: on,
      eligibility: JSON.stringify(eligibility),
      eligibility_rule: eligibility.rule,
      created_by: actor.id,
    };
    let values;
    if (input.emergency) {
      values = {
        ...base,
        status: 'granted' as const,
        decision: 'granted' as const,
        decision_reason: 'emergency',
        decided_on: on,
        decided_by: actor.id,
        paperwork_due_on: await workingDaysAfter(trx, on, limits.emergencyPaperworkDays),
        due_on: await workingDaysAfter(trx, on, assignDays(limits, input)),
      };
    } else if (input.missingItems.length) {
      values = { ...base, status: 'pending_materials' as const, due_on: await workingDaysAfter(trx, on, limits.materialsDays) };
    } else {
      values = { ...base, status: 'applied' as const, clock_started_on: on, due_on: await workingDaysAfter(trx, on, limits.reviewDays) };
    }
    const row = await trx.insertInto('cases').values(values).returningAll().executeTakeFirstOrThrow();
    if (input.missingItems.length && !input.emergency) {
      await trx
        .insertInto('case_material_requests')
        .values({ case_id: row.id, items: input.missingItems, requested_on: on, due_on: row.due_on!, created_by: actor.id })
        .execute();
    }
    if (input.consultationId !== null) {
      await trx.updateTable('consultations').set({ became_application: true, case_id: row.id }).where('id', '=', input.consultationId).execute();
    }
    await caseEvent(trx, row.id, actor, input.emergency ? 'emergency_accepted' : 'applied', {
      source: input.source,
      eligibility: eligibility.rule,
      passed: eligibility.passed,
      ...(input.missingItems.length && !input.emergency && { missing: input.missingItems }),
      ...(input.emergency && { paperworkDue: row.paperwork_due_on }),
    });
    await audit(trx, actor, { action: 'case.created', entity: 'case', entityId: row.id, after: { ...row, applicant_id_number: row.applicant_id_number ? '[set]' : null } });
    return row;
  });
}

export type DeadlineKind = 'review' | 'materials' | 'assign' | 'appeal' | 'paperwork';

export interface Deadline {
  kind: DeadlineKind;
  dueOn: string;
  workingDaysLeft: number;
  overdue: boolean;
}

const STAGE_DEADLINE: Partial<Record<CaseStatus, DeadlineKind>> = {
  applied: 'review',
  pending_materials: 'materials',
  granted: 'assign',
  appealed: 'appeal',
};

/** The deadlines running on a case: its stage's, and an emergency case's paperwork. */
export function deadlinesOf(c: Pick<Case, 'status' | 'due_on' | 'emergency' | 'paperwork_due_on' | 'paperwork_received_on'>, cal: Calendar, on: string): Deadline[] {
  const out: Deadline[] = [];
  const stage = STAGE_DEADLINE[c.status];
  const make = (kind: DeadlineKind, dueOn: string): Deadline => {
    const left = workingDaysLeft(cal, on, dueOn);
    return { kind, dueOn, workingDaysLeft: left, overdue: dueOn < on };
  };
  if (stage && c.due_on) out.push(make(stage, c.due_on));
  if (c.emergency && c.paperwork_due_on && !c.paperwork_received_on && !['withdrawn', 'terminated', 'transferred'].includes(c.status))
    out.push(make('paperwork', c.paperwork_due_on));
  return out;
}

/** A calendar covering today and every due date of the given cases (one query for a page). */
export async function calendarForCases(db: Db, cases: Pick<Case, 'due_on' | 'paperwork_due_on'>[], on: string): Promise<Calendar> {
  const dates = cases.flatMap((c) => [c.due_on, c.paperwork_due_on]).filter((d): d is string => !!d);
  const sorted = [on, ...dates].sort();
  return loadCalendar(db, sorted[0] ?? on, sorted.at(-1) ?? on);
}
