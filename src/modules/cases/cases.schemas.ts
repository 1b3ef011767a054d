// API shapes of a case (camelCase). The list item carries the masked ID number
// only; the full one is in the case file (GET one), whose every read is audited.
import type { ApplicationInput } from './cases.update.js';
import { Type, type Static } from 'typebox';
import {
  CASE_KINDS,
  CASE_SOURCES,
  CASE_STATUSES,
  EXEMPTIONS,
  PRACTICE_AREAS,
  PRIORITY_GROUPS,
  type Case,
  type CaseKind,
  type CaseSource,
  type CaseStatus,
  type Exemption,
  type PriorityGroup,
} from '../../db/types.js';
import { Nullable } from '../../api/common.js';
import { maskIdNumber } from '../../lib/idnumber.js';
import type { Deadline, DeadlineKind } from './cases.service.js';
import type { CaseInput } from './cases.rules.js';

const oneOf = <T extends string>(values: readonly T[], description?: string) =>
  Type.Unsafe<T>({ type: 'string', enum: [...values], ...(description && { description }) });

export const CaseStatusSchema = oneOf<CaseStatus>(CASE_STATUSES);
export const CaseKindSchema = oneOf<CaseKind>(CASE_KINDS);
export const CaseSourceSchema = oneOf<CaseSource>(CASE_SOURCES, 'walk_in by default; court, procuratorate and police are official notifications');
const CategorySchema = oneOf<string>(PRACTICE_AREAS, 'a practice-area code');
const ExemptionSchema = oneOf<Exemption>(EXEMPTIONS);
const PriorityGroupSchema = oneOf<PriorityGroup>(PRIORITY_GROUPS);
const DEADLINE_KINDS: readonly DeadlineKind[] = ['review', 'materials', 'assign', 'appeal', 'paperwork'];
const DateString = Type.String({ format: 'date', description: 'YYYY-MM-DD, Asia/Shanghai' });
const Text = (max: number) => Type.String({ minLength: 1, maxLength: max });
const LIFE_SENTENCE_DOC =
  'Criminal cases only: the defendant may be sentenced to life imprisonment or death (可能被判处无期徒刑、死刑; Legal Aid Law art. 26). ' +
  "The rotation then assigns only a lawyer of at least the 'rotation' policy's seriousCriminalLevel (3 by default). " +
  'Omitted: false on create, unchanged on PATCH. true on a case whose kind is not criminal is refused (400, field possibleLifeSentence).';

export const CaseCreateSchema = Type.Object(
  {
    applicantName: Text(100),
    applicantIdNumber: Type.Optional(Nullable(Type.String({ maxLength: 30, description: '18-digit resident ID number; the check digit is verified' }))),
    applicantPhone: Type.Optional(Nullable(Type.String({ maxLength: 30 }))),
    applicantAddress: Type.Optional(Nullable(Type.String({ maxLength: 200 }))),
    kind: CaseKindSchema,
    category: CategorySchema,
    regionCode: Type.String({ pattern: '^[0-9]{6}$' }),
    householdSize: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: 30 }))),
    monthlyIncomeFen: Type.Optional(Nullable(Type.Integer({ minimum: 0, description: "the household's monthly income, in fen" }))),
    exemptions: Type.Optional(Type.Array(ExemptionSchema, { maxItems: 20, uniqueItems: true })),
    emergency: Type.Optional(Type.Boolean({ description: 'emergency aid (先行援助): granted at once, paperwork later' })),
    priorityGroups: Type.Optional(Type.Array(PriorityGroupSchema, { maxItems: 20, uniqueItems: true })),
    opposingParties: Type.Optional(Type.Array(Type.String({ maxLength: 200 }), { maxItems: 20 })),
    summary: Type.Optional(Type.String({ maxLength: 4000 })),
    source: Type.Optional(CaseSourceSchema),
    greenChannel: Type.Optional(Nullable(Type.Boolean({ description: 'omitted: decided by the priority groups' }))),
    // no `default` keyword: the PATCH schema is made from this one, and a default there would clear the flag on every PATCH
    possibleLifeSentence: Type.Optional(Type.Boolean({ description: LIFE_SENTENCE_DOC })),
    centreId: Type.Optional(Nullable(Type.Integer({ minimum: 1 }))),
    missingItems: Type.Optional(Type.Array(Text(200), { maxItems: 30, description: 'non-empty: the application waits for these (pending_materials)' })),
  },
  { additionalProperties: false },
);

const DeadlineSchema = Type.Object({
  kind: oneOf<DeadlineKind>(DEADLINE_KINDS),
  dueOn: DateString,
  workingDaysLeft: Type.Integer(),
  overdue: Type.Boolean(),
});
/** Keyed by kind: only the deadlines running now are present. */
const DeadlinesSchema = Type.Object({
  review: Type.Optional(DeadlineSchema),
  materials: Type.Optional(DeadlineSchema),
  assign: Type.Optional(DeadlineSchema),
  appeal: Type.Optional(DeadlineSchema),
  paperwork: Type.Optional(DeadlineSchema),
});

const EligibilitySchema = Type.Object({
  rule: Type.Unsafe<string>({ type: 'string', enum: ['exemption', 'means_test', 'unknown'] }),
  passed: Nullable(Type.Boolean()),
  exemptions: Type.Array(ExemptionSchema),
  rejectedClaims: Type.Array(ExemptionSchema),
  standard: Nullable(
    Type.Object({ id: Type.Integer(), regionCode: Type.String(), effectiveFrom: DateString, allowanceFen: Type.Integer(), multiplierPct: Type.Integer() }),
  ),
  thresholdFen: Nullable(Type.Integer()),
  perHeadFen: Nullable(Type.Integer()),
  householdSize: Nullable(Type.Integer()),
  monthlyIncomeFen: Nullable(Type.Integer()),
});

const listed = {
  id: Type.Integer(),
  number: Type.String(),
  status: CaseStatusSchema,
  applicantName: Type.String(),
  applicantIdNumberMasked: Type.String({ description: 'region prefix and last four only; empty when unknown' }),
  kind: CaseKindSchema,
  category: Type.String(),
  regionCode: Type.String(),
  source: CaseSourceSchema,
  emergency: Type.Boolean(),
  greenChannel: Type.Boolean(),
  possibleLifeSentence: Type.Boolean({ description: 'the defendant may be sentenced to life imprisonment or death (criminal cases only)' }),
  appliedOn: DateString,
  lawyerId: Nullable(Type.Integer()),
  deadlines: DeadlinesSchema,
};

export const CaseSummarySchema = Type.Object(listed, { $id: 'CaseSummary' });

export const CaseSchema = Type.Object(
  {
    ...listed,
    applicantIdNumber: Nullable(Type.String()),
    applicantPhone: Nullable(Type.String()),
    applicantAddress: Nullable(Type.String()),
    householdSize: Nullable(Type.Integer()),
    monthlyIncomeFen: Nullable(Type.Integer()),
    summary: Type.String(),
    opposingParties: Type.Array(Type.String()),
    priorityGroups: Type.Array(PriorityGroupSchema),
    exemptions: Type.Array(ExemptionSchema),
    centreId: Nullable(Type.Integer()),
    eligibility: Nullable(EligibilitySchema),
    paperworkDueOn: Nullable(DateString),
    paperworkReceivedOn: Nullable(DateString),
    decision: Nullable(Type.Object({ granted: Type.Boolean(), reason: Nullable(Type.String()), decidedOn: Nullable(DateString) })),
    appeal: Nullable(Type.Object({ reason: Nullable(Type.String()), appealedOn: Nullable(DateString), result: Nullable(Type.String()) })),
    terminationReason: Nullable(Type.String()),
    transferredTo: Nullable(Type.Integer()),
    assignedOn: Nullable(DateString),
    acceptedOn: Nullable(DateString),
    closure: Nullable(Type.Object({ closedOn: DateString, outcome: Nullable(Type.String()), hours: Nullable(Type.Number()) })),
    review: Nullable(Type.Object({ score: Type.Integer(), findings: Nullable(Type.String()), reviewedOn: Nullable(DateString) })),
    followUp: Nullable(Type.Object({ on: DateString, satisfied: Nullable(Type.Boolean()), complaint: Nullable(Type.String()) })),
    createdAt: Type.String({ format: 'date-time' }),
    updatedAt: Type.String({ format: 'date-time' }),
  },
  { $id: 'Case' },
);

export const CaseEventSchema = Type.Object({
  id: Type.Integer(),
  at: Type.String({ format: 'date-time' }),
  actorName: Nullable(Type.String()),
  kind: Type.String({ description: 'applied, emergency_accepted, decide, assign, accept, close, review, ...' }),
  detail: Type.Record(Type.String(), Type.Unknown()),
});

const iso = (v: Date | string) => new Date(v).toISOString();

function deadlinesJson(list: Deadline[]): Partial<Record<DeadlineKind, Deadline>> {
  return Object.fromEntries(list.map((d) => [d.kind, d]));
}

export function caseSummaryJson(c: Case, deadlines: Deadline[]) {
  return {
    id: c.id,
    number: c.number,
    status: c.status,
    applicantName: c.applicant_name,
    applicantIdNumberMasked: maskIdNumber(c.applicant_id_number),
    kind: c.kind,
    category: c.category,
    regionCode: c.region_code,
    source: c.source,
    emergency: c.emergency,
    greenChannel: c.green_channel,
    possibleLifeSentence: c.possible_life_sentence,
    appliedOn: c.applied_on,
    lawyerId: c.lawyer_id,
    deadlines: deadlinesJson(deadlines),
  };
}

export function caseJson(c: Case, deadlines: Deadline[]) {
  return {
    ...caseSummaryJson(c, deadlines),
    applicantIdNumber: c.applicant_id_number,
    applicantPhone: c.applicant_phone,
    applicantAddress: c.applicant_address,
    householdSize: c.household_size,
    monthlyIncomeFen: c.monthly_income_fen,
    summary: c.summary,
    opposingParties: c.opposing_parties,
    priorityGroups: c.priority_groups,
    exemptions: c.exemptions,
    centreId: c.centre_id,
    eligibility: c.eligibility as Static<typeof EligibilitySchema> | null,
    paperworkDueOn: c.paperwork_due_on,
    paperworkReceivedOn: c.paperwork_received_on,
    decision: c.decision ? { granted: c.decision === 'granted', reason: c.decision_reason, decidedOn: c.decided_on } : null,
    appeal: c.appealed_on ? { reason: c.appeal_reason, appealedOn: c.appealed_on, result: c.appeal_result } : null,
    terminationReason: c.termination_reason,
    transferredTo: c.transferred_to,
    assignedOn: c.assigned_on,
    acceptedOn: c.accepted_on,
    closure: c.closed_on ? { closedOn: c.closed_on, outcome: c.outcome, hours: c.hours === null ? null : Number(c.hours) } : null,
    review: c.review_score !== null ? { score: c.review_score, findings: c.review_findings, reviewedOn: c.reviewed_on } : null,
    followUp: c.followup_on ? { on: c.followup_on, satisfied: c.followup_satisfied, complaint: c.followup_complaint } : null,
    createdAt: iso(c.created_at),
    updatedAt: iso(c.updated_at),
  };
}

type CaseCreate = Static<typeof CaseCreateSchema>;

/** PATCH /cases/:id: any application field, before the decision (not emergency, missing items or the consultation). */
export const CasePatchSchema = Type.Partial(Type.Omit(CaseCreateSchema, ['emergency', 'missingItems']), { additionalProperties: false });
export type CasePatch = Static<typeof CasePatchSchema>;

/** The current application with the PATCH's fields laid over it. */
export function patchedApplication(current: ApplicationInput, b: CasePatch): ApplicationInput {
  const has = (k: keyof CasePatch) => Object.prototype.hasOwnProperty.call(b, k);
  return {
    applicantName: b.applicantName !== undefined ? b.applicantName.trim() : current.applicantName,
    applicantIdNumber: has('applicantIdNumber') ? clean(b.applicantIdNumber) : current.applicantIdNumber,
    applicantPhone: has('applicantPhone') ? clean(b.applicantPhone) : current.applicantPhone,
    applicantAddress: has('applicantAddress') ? clean(b.applicantAddress) : current.applicantAddress,
    regionCode: b.regionCode ?? current.regionCode,
    householdSize: has('householdSize') ? (b.householdSize ?? null) : current.householdSize,
    monthlyIncomeFen: has('monthlyIncomeFen') ? (b.monthlyIncomeFen ?? null) : current.monthlyIncomeFen,
    kind: b.kind ?? current.kind,
    category: b.category ?? current.category,
    summary: b.summary !== undefined ? b.summary.trim() : current.summary,
    opposingParties: b.opposingParties !== undefined ? cleanList(b.opposingParties) : current.opposingParties,
    priorityGroups: b.priorityGroups ?? current.priorityGroups,
    exemptions: b.exemptions ?? current.exemptions,
    source: b.source ?? current.source,
    greenChannel: has('greenChannel') ? (b.greenChannel ?? null) : current.greenChannel,
    possibleLifeSentence: b.possibleLifeSentence ?? current.possibleLifeSentence ?? false,
    centreId: has('centreId') ? (b.centreId ?? null) : current.centreId,
  };
}
const clean = (v: string | null | undefined) => v?.trim() || null;
const cleanList = (v: string[] | undefined) => (v ?? []).map((s) => s.trim()).filter(Boolean);

/** The service's input from an API body: absent optional fields take the form's defaults. */
export function caseInputOf(b: CaseCreate): CaseInput {
  return {
    applicantName: b.applicantName.trim(),
    applicantIdNumber: clean(b.applicantIdNumber),
    applicantPhone: clean(b.applicantPhone),
    applicantAddress: clean(b.applicantAddress),
    regionCode: b.regionCode,
    householdSize: b.householdSize ?? null,
    monthlyIncomeFen: b.monthlyIncomeFen ?? null,
    kind: b.kind,
    category: b.category,
    summary: b.summary?.trim() ?? '',
    opposingParties: cleanList(b.opposingParties),
    priorityGroups: b.priorityGroups ?? [],
    exemptions: b.exemptions ?? [],
    source: b.source ?? 'walk_in',
    emergency: b.emergency ?? false,
    greenChannel: b.greenChannel ?? null,
    possibleLifeSentence: b.possibleLifeSentence ?? false,
    centreId: b.centreId ?? null,
    consultationId: null,
    missingItems: cleanList(b.missingItems),
  };
}
