// What happens to a case after intake. Every transition locks the case row,
// checks the state machine, changes the row, and writes the timeline and the
// audit log in the same transaction: a refused action changes nothing.
import type { Kysely, Transaction } from 'kysely';
import { TERMINATION_REASONS, type Case, type CaseDateKind, type DB } from '../../db/types.js';
import { CASE_DATE_KINDS } from '../../db/types.js';
import { RuleError, ValidationError, type FieldError } from '../../lib/errors.js';
import { workingDaysBetween } from '../../lib/workdays.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { loadCalendar } from '../calendar/calendar.service.js';
import { timeLimitsAt } from '../policies/policies.service.js';
import { ensure, type CaseAction } from './cases.flow.js';
import { assignDays, caseEvent, lockCase, today, workingDaysAfter } from './cases.service.js';
import { closureHours } from '../hours/hours.service.js';

type Patch = Partial<Omit<Case, 'id' | 'created_at' | 'eligibility'>> & { eligibility?: string };

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;
export function isDate(value: string): boolean {
  // an impossible month or day makes an Invalid Date, whose toISOString() throws
  const d = new Date(`${value}T00:00:00Z`);
  return DATE_RE.test(value) && !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

function invalid(errors: FieldError[]): void {
  if (errors.length) throw new ValidationError(errors);
}

function text(field: string, value: string | null | undefined, max: number, required = true): FieldError[] {
  if (!value) return required ? [{ field, key: 'err.required' }] : [];
  return value.length > max ? [{ field, key: 'err.tooLong', params: { max } }] : [];
}

/**
 * Runs one transition: lock, check the state machine, let `change` compute the
 * patch (it may throw to refuse), write it with the timeline entry and the audit row.
 */
async function transition(
  db: Kysely<DB>,
  actor: Actor,
  id: number,
  action: CaseAction,
  change: (c: Case, trx: Transaction<DB>) => Promise<{ patch: Patch; event: Record<string, unknown> }>,
): Promise<Case> {
  return db.transaction().execute(async (trx) => {
    const before = await lockCase(trx, id);
    ensure(action, before.status);
    const { patch, event } = await change(before, trx);
    const after = await trx
      .updateTable('cases')
      .set({ ...patch, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await caseEvent(trx, id, actor, action, event);
    const keys = Object.keys(patch) as (keyof Case)[];
    await audit(trx, actor, {
      action: `case.${action}`,
      entity: 'case',
      entityId: id,
      before: Object.fromEntries(keys.map((k) => [k, before[k]])),
      after: Object.fromEntries(keys.map((k) => [k, after[k]])),
    });
    return after;
  });
}

/** Stops the review clock and asks for what is missing, in one notice. */
export async function requestMaterials(db: Kysely<DB>, actor: Actor, id: number, input: { items: string[]; note: string | null }, on = today()) {
  const items = input.items.map((i) => i.trim()).filter(Boolean);
  invalid([
    ...(items.length ? [] : [{ field: 'items', key: 'case.err.itemsRequired' } as FieldError]),
    ...(items.length > 30 || items.some((i) => i.length > 200) ? [{ field: 'items', key: 'err.tooLong', params: { max: 200 } } as FieldError] : []),
    ...text('note', input.note, 1000, false),
  ]);
  return await transition(db, actor, id, 'request_materials', async (c, trx) => {
    const limits = (await timeLimitsAt(trx, on)).value;
    const cal = c.clock_started_on ? await loadCalendar(trx, c.clock_started_on, on) : null;
    const used = c.review_used_days + (cal && c.clock_started_on ? workingDaysBetween(cal, c.clock_started_on, on) : 0);
    const dueOn = await workingDaysAfter(trx, on, limits.materialsDays);
    await trx.insertInto('case_material_requests').values({ case_id: id, items, note: input.note, requested_on: on, due_on: dueOn, created_by: actor.id }).execute();
    return {
      patch: { status: 'pending_materials', clock_started_on: null, review_used_days: used, due_on: dueOn },
      event: { items, dueOn, reviewDaysUsed: used },
    };
  });
}

/** The applicant supplied what was missing: the review clock runs again with the days it had left. */
export async function supplyMaterials(db: Kysely<DB>, actor: Actor, id: number, on = today()) {
  return await transition(db, actor, id, 'supply_materials', async (c, trx) => {
    // the law: not supplied by the deadline means withdrawn, even before anyone records the lapse
    if (c.due_on && on > c.due_on) throw new RuleError(409, 'materials_lapsed', 'case.err.materialsLapsed', { due: c.due_on });
    const limits = (await timeLimitsAt(trx, c.applied_on)).value;
    const left = Math.max(0, limits.reviewDays - c.review_used_days);
    await trx.updateTable('case_material_requests').set({ status: 'supplied', closed_on: on }).where('case_id', '=', id).where('status', '=', 'open').execute();
    const dueOn = await workingDaysAfter(trx, on, left);
    return { patch: { status: 'applied', clock_started_on: on, due_on: dueOn }, event: { dueOn, reviewDaysLeft: left } };
  });
}

/** Materials not supplied by their deadline: the application counts as withdrawn. */
export async function lapseMaterials(db: Kysely<DB>, actor: Actor, id: number, on = today()) {
  return await transition(db, actor, id, 'lapse_materials', async (c, trx) => {
    if (!c.due_on || c.due_on >= on) throw new RuleError(409, 'not_due', 'case.err.materialsNotDue', { due: c.due_on ?? '' });
    await trx.updateTable('case_material_requests').set({ status: 'lapsed', closed_on: on }).where('case_id', '=', id).where('status', '=', 'open').execute();
    return { patch: { status: 'withdrawn', due_on: null, termination_reason: 'materials_not_supplied' }, event: { dueOn: c.due_on } };
  });
}

/** The applicant withdraws the application before the decision. */
export async function withdraw(db: Kysely<DB>, actor: Actor, id: number, input: { reason: string | null }, on = today()) {
  invalid(text('reason', input.reason, 1000, false));
  return await transition(db, actor, id, 'withdraw', async (_c, trx) => {
    await trx.updateTable('case_material_requests').set({ status: 'lapsed', closed_on: on }).where('case_id', '=', id).where('status', '=', 'open').execute();
    return { patch: { status: 'withdrawn', due_on: null, clock_started_on: null, termination_reason: 'withdrew' }, event: { reason: input.reason } };
  });
}

/** Grant (only an eligible application) or refuse with a reason. */
export async function decide(db: Kysely<DB>, actor: Actor, id: number, input: { granted: boolean; reason: string | null }, on = today()) {
  if (!input.granted) invalid(text('reason', input.reason, 2000));
  else invalid(text('reason', input.reason, 2000, false));
  return await transition(db, actor, id, 'decide', async (c, trx) => {
    if (input.granted) {
      const passed = (c.eligibility as { passed?: boolean | null } | null)?.passed;
      if (passed === false) throw new RuleError(422, 'not_eligible', 'case.err.notEligible');
      if (passed !== true) throw new RuleError(422, 'eligibility_unknown', 'case.err.eligibilityUnknown');
      const limits = (await timeLimitsAt(trx, on)).value;
      const dueOn = await workingDaysAfter(trx, on, assignDays(limits, c));
      return {
        patch: { status: 'granted', decision: 'granted', decision_reason: input.reason, decided_on: on, decided_by: actor.id, clock_started_on: null, due_on: dueOn },
        event: { granted: true, reason: input.reason, assignDue: dueOn },
      };
    }
    return {
      patch: { status: 'refused', decision: 'refused', decision_reason: input.reason, decided_on: on, decided_by: actor.id, clock_started_on: null, due_on: null },
      event: { granted: false, reason: input.reason },
    };
  });
}

/** The applicant appeals a refusal (once); the appeal has its own clock. */
export async function appeal(db: Kysely<DB>, actor: Actor, id: number, input: { reason: string }, on = today()) {
  invalid(text('reason', input.reason, 2000));
  return await transition(db, actor, id, 'appeal', async (c, trx) => {
    if (c.appeal_result) throw new RuleError(409, 'appealed_once', 'case.err.appealedOnce');
    const dueOn = await workingDaysAfter(trx, on, (await timeLimitsAt(trx, on)).value.appealDays);
    return { patch: { status: 'appealed', appeal_reason: input.reason, appealed_on: on, due_on: dueOn }, event: { reason: input.reason, dueOn } };
  });
}

/** The appeal decided: the refusal upheld, or overturned (the case is granted). */
export async function decideAppeal(db: Kysely<DB>, actor: Actor, id: number, input: { overturn: boolean; reason: string }, on = today()) {
  invalid(text('reason', input.reason, 2000));
  return await transition(db, actor, id, 'decide_appeal', async (c, trx) => {
    if (!input.overturn) return { patch: { status: 'refused', appeal_result: 'upheld', due_on: null }, event: { result: 'upheld', reason: input.reason } };
    const dueOn = await workingDaysAfter(trx, on, assignDays((await timeLimitsAt(trx, on)).value, c));
    return {
      patch: { status: 'granted', appeal_result: 'overturned', decision: 'granted', decision_reason: input.reason, decided_on: on, decided_by: actor.id, due_on: dueOn },
      event: { result: 'overturned', reason: input.reason, assignDue: dueOn },
    };
  });
}

export async function terminate(db: Kysely<DB>, actor: Actor, id: number, input: { reason: string; note: string | null }) {
  invalid([
    ...((TERMINATION_REASONS as readonly string[]).includes(input.reason) ? [] : [{ field: 'reason', key: 'err.choice' } as FieldError]),
    ...text('note', input.note, 1000, input.reason === 'other'),
  ]);
  return await transition(db, actor, id, 'terminate', async (_c, trx) => {
    // the lawyer's assignment ends with the case (the turn they took stays taken)
    await trx.updateTable('assignments').set({ status: 'ended' }).where('case_id', '=', id).where('status', '=', 'active').execute();
    return { patch: { status: 'terminated', termination_reason: input.reason, due_on: null }, event: { reason: input.reason, note: input.note } };
  });
}

/** Hands the case to another region's centre (异地协作). */
export async function transfer(db: Kysely<DB>, actor: Actor, id: number, input: { centreId: number; note: string | null }) {
  invalid(text('note', input.note, 1000, false));
  return await transition(db, actor, id, 'transfer', async (c, trx) => {
    const centre = await trx.selectFrom('organizations').select(['id', 'kind', 'name']).where('id', '=', input.centreId).executeTakeFirst();
    if (centre?.kind !== 'centre' || centre.id === c.centre_id) invalid([{ field: 'centreId', key: 'case.err.transferCentre' }]);
    return { patch: { status: 'transferred', transferred_to: input.centreId, due_on: null, clock_started_on: null }, event: { to: centre!.name, note: input.note } };
  });
}

/** A manager hands the case to a named lawyer with a written reason (the rotation comes with assignment). */
export async function assignLawyer(db: Kysely<DB>, actor: Actor, id: number, input: { lawyerId: number; reason: string }, on = today()) {
  invalid(text('reason', input.reason, 1000));
  return await transition(db, actor, id, 'assign', async (_c, trx) => {
    const lawyer = await trx.selectFrom('lawyers').select(['id', 'name', 'status']).where('id', '=', input.lawyerId).executeTakeFirst();
    if (!lawyer) invalid([{ field: 'lawyerId', key: 'err.choice' }]);
    if (lawyer!.status !== 'active') invalid([{ field: 'lawyerId', key: 'case.err.lawyerInactive' }]);
    return { patch: { status: 'assigned', lawyer_id: lawyer!.id, assigned_on: on, due_on: null }, event: { lawyerId: lawyer!.id, lawyer: lawyer!.name, reason: input.reason, method: 'manual' } };
  });
}

export async function accept(db: Kysely<DB>, actor: Actor, id: number, on = today()) {
  return await transition(db, actor, id, 'accept', () => Promise.resolve({ patch: { status: 'accepted', accepted_on: on }, event: {} }));
}

/** A progress note: the timeline entry is the note (the status does not change). */
export async function addNote(db: Kysely<DB>, actor: Actor, id: number, input: { text: string }) {
  invalid(text('text', input.text, 4000));
  return db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, id);
    ensure('note', c.status);
    await caseEvent(trx, id, actor, 'note', { text: input.text });
    await audit(trx, actor, { action: 'case.note', entity: 'case', entityId: id, after: { length: input.text.length } });
    return c;
  });
}

export interface KeyDateInput {
  kind: string;
  onDate: string;
  atTime: string | null;
  place: string | null;
  note: string | null;
}

/** A hearing or other key date (later issues turn these into reminders). */
export async function addKeyDate(db: Kysely<DB>, actor: Actor, id: number, input: KeyDateInput) {
  invalid([
    ...((CASE_DATE_KINDS as readonly string[]).includes(input.kind) ? [] : [{ field: 'kind', key: 'err.choice' } as FieldError]),
    ...(isDate(input.onDate) ? [] : [{ field: 'onDate', key: 'case.err.date' } as FieldError]),
    ...(input.atTime && !/^([01]\d|2[0-3]):[0-5]\d$/.test(input.atTime) ? [{ field: 'atTime', key: 'case.err.time' } as FieldError] : []),
    ...text('place', input.place, 200, false),
    ...text('note', input.note, 500, false),
  ]);
  return db.transaction().execute(async (trx) => {
    const c = await lockCase(trx, id);
    ensure('add_date', c.status);
    const row = await trx
      .insertInto('case_dates')
      .values({ case_id: id, kind: input.kind as CaseDateKind, on_date: input.onDate, at_time: input.atTime, place: input.place, note: input.note, created_by: actor.id })
      .returningAll()
      .executeTakeFirstOrThrow();
    await caseEvent(trx, id, actor, 'add_date', { kind: input.kind, onDate: input.onDate, atTime: input.atTime, place: input.place });
    await audit(trx, actor, { action: 'case.add_date', entity: 'case', entityId: id, after: row });
    return row;
  });
}

export const HOURS_RE = /^\d{1,4}(\.\d)?$/;

export async function close(db: Kysely<DB>, actor: Actor, id: number, input: { outcome: string; hours: string | null }, on = today()) {
  invalid([...text('outcome', input.outcome, 2000), ...(input.hours !== null && !HOURS_RE.test(input.hours) ? [{ field: 'hours', key: 'case.err.hours' } as FieldError] : [])]);
  return await transition(db, actor, id, 'close', async (c, trx) => {
    // the reported hours become a pending entry for the handling lawyer, to be approved like any other
    await closureHours(trx, actor, c, on, input);
    return { patch: { status: 'closed', closed_on: on, outcome: input.outcome, hours: input.hours }, event: { outcome: input.outcome, hours: input.hours } };
  });
}

/** The quality review of a closed file: once. */
export async function review(db: Kysely<DB>, actor: Actor, id: number, input: { score: number; findings: string | null }, on = today()) {
  invalid([
    ...(Number.isInteger(input.score) && input.score >= 0 && input.score <= 100 ? [] : [{ field: 'score', key: 'case.err.score' } as FieldError]),
    ...text('findings', input.findings, 4000, false),
  ]);
  return await transition(db, actor, id, 'review', () =>
    Promise.resolve({
      patch: { status: 'reviewed', review_score: input.score, review_findings: input.findings, reviewed_on: on, reviewed_by: actor.id },
      event: { score: input.score, findings: input.findings },
    }),
  );
}

/** The client follow-up visit (回访): once per case. */
export async function followUp(db: Kysely<DB>, actor: Actor, id: number, input: { on: string; satisfied: boolean | null; complaint: string | null }, now = today()) {
  invalid([
    ...(isDate(input.on) && input.on <= now ? [] : [{ field: 'on', key: 'case.err.pastDate' } as FieldError]),
    ...(input.satisfied === null ? [{ field: 'satisfied', key: 'err.required' } as FieldError] : []),
    ...text('complaint', input.complaint, 2000, false),
  ]);
  return await transition(db, actor, id, 'followup', async (c) => {
    if (c.followup_on) throw new RuleError(409, 'followed_up', 'case.err.followedUp');
    return Promise.resolve({
      patch: { followup_on: input.on, followup_satisfied: input.satisfied, followup_complaint: input.complaint },
      event: { on: input.on, satisfied: input.satisfied, complaint: input.complaint },
    });
  });
}

/** An emergency case's paperwork arrived. */
export async function receivePaperwork(db: Kysely<DB>, actor: Actor, id: number, on = today()) {
  return await transition(db, actor, id, 'receive_paperwork', async (c) => {
    if (!c.emergency || c.paperwork_received_on) throw new RuleError(409, 'no_paperwork_due', 'case.err.noPaperworkDue');
    return Promise.resolve({ patch: { paperwork_received_on: on }, event: { late: !!c.paperwork_due_on && on > c.paperwork_due_on } });
  });
}
