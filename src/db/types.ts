// Table types for Kysely. Keep in step with migrations/.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type Json = ColumnType<unknown, string | undefined, string>;

export type Role = 'admin' | 'manager' | 'lawyer' | 'volunteer' | 'auditor';
export const ROLES: readonly Role[] = ['admin', 'manager', 'lawyer', 'volunteer', 'auditor'];

export type OrganizationKind =
  | 'centre'
  | 'workstation'
  | 'liaison_point'
  | 'partner_station'
  | 'law_firm'
  | 'service_office';
export const ORGANIZATION_KINDS: readonly OrganizationKind[] = [
  'centre',
  'workstation',
  'liaison_point',
  'partner_station',
  'law_firm',
  'service_office',
];

export interface RegionsTable {
  code: string;
  name_zh: string;
  name_en: string;
  parent_code: string | null;
  level: string;
  national: Generated<boolean>;
}

export interface OrganizationsTable {
  id: Generated<number>;
  name: string;
  kind: OrganizationKind;
  region_code: string;
  parent_id: number | null;
  address: string | null;
  phone: string | null;
  opening_hours: string | null;
  active: Generated<boolean>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface LawyersTable {
  id: Generated<number>;
  name: string;
  license_no: string;
  organization_id: number | null;
  practice_areas: ColumnType<string[], string[] | undefined, string[]>;
  level: number;
  region_code: string;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  phone: string | null;
  email: string | null;
  max_open_cases: Generated<number>;
  status: Generated<'active' | 'on_leave' | 'inactive'>;
  /** numeric(3,1): a string from both drivers; the rotation's policy weight */
  weight: Generated<string>;
  /** whether the lawyer has a rotation standing yet, kept by triggers on rotation_standings (migration 0014) */
  in_rotation: ColumnType<boolean, never, never>;
  /** training flags: count only for a code no training course has (rotation.facts.ts loadFacts) */
  trainings: ColumnType<string[], string[] | undefined, string[]>;
  licensed_on: ColumnType<string | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface VolunteersTable {
  id: Generated<number>;
  name: string;
  phone: string | null;
  email: string | null;
  region_code: string;
  skills: ColumnType<string[], string[] | undefined, string[]>;
  availability: Json;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  consent_at: Date | null;
  languages: ColumnType<string[], string[] | undefined, string[]>;
  review_note: string | null;
  reviewed_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  role: Role;
  password_hash: string;
  must_change_password: Generated<boolean>;
  disabled_at: Date | null;
  lawyer_id: number | null;
  volunteer_id: number | null;
  last_login_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: CreatedAt;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ip: string | null;
  user_agent: string | null;
  flash: Json | null;
}

export interface ApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  prefix: string;
  created_at: CreatedAt;
  last_used_at: Date | null;
  revoked_at: Date | null;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: CreatedAt;
  actor_id: number | null;
  actor_name: string | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: Json | null;
  after: Json | null;
  ip: string | null;
  request_id: string | null;
}

export interface LoginAttemptsTable {
  id: Generated<number>;
  at: CreatedAt;
  email: string;
  ip: string;
  success: boolean;
}

export interface JobRunsTable {
  id: Generated<number>;
  job: string;
  slot: string;
  started_at: CreatedAt;
  finished_at: Date | null;
  status: Generated<'running' | 'ok' | 'failed'>;
  detail: string | null;
}

export interface LawyerLeavesTable {
  id: Generated<number>;
  lawyer_id: number;
  starts_on: string;
  ends_on: string;
  reason: string | null;
  created_at: CreatedAt;
}

export interface LawyerConflictsTable {
  id: Generated<number>;
  lawyer_id: number;
  party: string;
  party_kind: Generated<'person' | 'organization'>;
  note: string | null;
  created_at: CreatedAt;
}

export type ImportKind = 'lawyers' | 'volunteers';
export type ImportStatus = 'checking' | 'checked' | 'writing' | 'done' | 'failed' | 'cancelled';

export interface ImportRunsTable {
  id: Generated<number>;
  kind: ImportKind;
  status: Generated<ImportStatus>;
  file_name: string;
  /** the recognised columns, in the file's order */
  fields: ColumnType<string[], string[] | undefined, string[]>;
  /** headers of columns the import does not know (ignored) */
  ignored: ColumnType<string[], string[] | undefined, string[]>;
  total: Generated<number>;
  processed: Generated<number>;
  created: Generated<number>;
  updated: Generated<number>;
  unchanged: Generated<number>;
  invalid: Generated<number>;
  /** the parsed rows with their problems (see modules/imports) */
  rows: Json;
  /** a message key when the run failed or went stale */
  error: string | null;
  created_by: number;
  created_at: CreatedAt;
  updated_at: Timestamp;
  finished_at: Date | null;
}

export interface AppMetaTable {
  key: string;
  value: Json;
}

export type CaseStatus =
  | 'applied'
  | 'pending_materials'
  | 'granted'
  | 'refused'
  | 'appealed'
  | 'assigned'
  | 'accepted'
  | 'closed'
  | 'reviewed'
  | 'withdrawn'
  | 'terminated'
  | 'transferred';
export const CASE_STATUSES: readonly CaseStatus[] = [
  'applied',
  'pending_materials',
  'granted',
  'refused',
  'appealed',
  'assigned',
  'accepted',
  'closed',
  'reviewed',
  'withdrawn',
  'terminated',
  'transferred',
];
export const CASE_KINDS = ['criminal', 'civil', 'administrative', 'non_litigation'] as const;
export type CaseKind = (typeof CASE_KINDS)[number];
export const CASE_SOURCES = ['walk_in', 'workstation', 'court', 'procuratorate', 'police', 'online', 'hotline'] as const;
export type CaseSource = (typeof CASE_SOURCES)[number];
/** Sources that are official notifications (court, procuratorate, police): shorter assignment limit. */
export const NOTIFIED_SOURCES: readonly CaseSource[] = ['court', 'procuratorate', 'police'];
export const PRIORITY_GROUPS = ['migrant_worker', 'elderly', 'disabled', 'minor', 'woman', 'veteran', 'military_family', 'low_income', 'other'] as const;
export type PriorityGroup = (typeof PRIORITY_GROUPS)[number];
/** Groups that get the green channel (DOMAIN: migrant workers, elderly, disabled, women and children). */
export const GREEN_CHANNEL_GROUPS: readonly PriorityGroup[] = ['migrant_worker', 'elderly', 'disabled', 'minor', 'woman'];
export const EXEMPTIONS = [
  'legal_aid_card',
  'minor_no_income',
  'elderly_no_income',
  'disabled_no_income',
  'social_assistance',
  'migrant_wages',
  'domestic_violence',
  'bravery',
  'mandatory_defence',
] as const;
export type Exemption = (typeof EXEMPTIONS)[number];
export const TERMINATION_REASONS = ['hired_own_lawyer', 'no_longer_eligible', 'withdrew', 'case_ended', 'other'] as const;
export type TerminationReason = (typeof TERMINATION_REASONS)[number];
export const CONSULTATION_CHANNELS = ['walk_in', 'phone', 'hotline', 'online', 'workstation', 'outreach'] as const;
export type ConsultationChannel = (typeof CONSULTATION_CHANNELS)[number];
export const CASE_DATE_KINDS = ['hearing', 'filing_deadline', 'meeting', 'other'] as const;
export type CaseDateKind = (typeof CASE_DATE_KINDS)[number];

export interface CalendarDaysTable {
  day: string;
  kind: 'holiday' | 'workday';
  name: Generated<string>;
  source: Generated<'official' | 'statutory' | 'admin'>;
  updated_at: Generated<Date>;
}

export interface PoliciesTable {
  id: Generated<number>;
  key: string;
  effective_from: string;
  value: Json;
  note: string | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface MeansStandardsTable {
  id: Generated<number>;
  region_code: string;
  effective_from: string;
  allowance_fen: number;
  multiplier_pct: Generated<number>;
  note: string | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface CaseCountersTable {
  year: number;
  last: Generated<number>;
}

export interface ConsultationsTable {
  id: Generated<number>;
  at: Generated<Date>;
  channel: ConsultationChannel;
  organization_id: number | null;
  region_code: string;
  topic: string;
  person_name: string | null;
  phone: string | null;
  question: string;
  advice: Generated<string>;
  became_application: Generated<boolean>;
  case_id: number | null;
  created_by: number | null;
  created_at: CreatedAt;
}

type TextArray<T extends string = string> = ColumnType<T[], T[] | undefined, T[]>;

export interface CasesTable {
  id: Generated<number>;
  number: string;
  status: Generated<CaseStatus>;
  applicant_name: string;
  applicant_id_number: string | null;
  applicant_phone: string | null;
  applicant_address: string | null;
  region_code: string;
  household_size: number | null;
  monthly_income_fen: number | null;
  kind: CaseKind;
  category: string;
  summary: Generated<string>;
  opposing_parties: TextArray;
  priority_groups: TextArray<PriorityGroup>;
  exemptions: TextArray<Exemption>;
  source: Generated<CaseSource>;
  emergency: Generated<boolean>;
  green_channel: Generated<boolean>;
  /** may be sentenced to life imprisonment or death: criminal cases only (migration 0010) */
  possible_life_sentence: Generated<boolean>;
  centre_id: number | null;
  consultation_id: number | null;
  applied_on: string;
  clock_started_on: string | null;
  review_used_days: Generated<number>;
  due_on: string | null;
  paperwork_due_on: string | null;
  paperwork_received_on: string | null;
  eligibility: Json | null;
  eligibility_rule: string | null;
  decision: 'granted' | 'refused' | null;
  decision_reason: string | null;
  decided_on: string | null;
  decided_by: number | null;
  appeal_reason: string | null;
  appealed_on: string | null;
  appeal_result: 'upheld' | 'overturned' | null;
  termination_reason: string | null;
  transferred_to: number | null;
  lawyer_id: number | null;
  assigned_on: string | null;
  accepted_on: string | null;
  closed_on: string | null;
  outcome: string | null;
  /** numeric(6,1): a string from both drivers */
  hours: string | null;
  review_score: number | null;
  review_findings: string | null;
  reviewed_on: string | null;
  reviewed_by: number | null;
  followup_on: string | null;
  followup_satisfied: boolean | null;
  followup_complaint: string | null;
  min_level: Generated<number>;
  required_training: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface CaseEventsTable {
  id: Generated<number>;
  case_id: number;
  at: Generated<Date>;
  actor_id: number | null;
  actor_name: string | null;
  kind: string;
  detail: Json;
}

export interface CaseMaterialRequestsTable {
  id: Generated<number>;
  case_id: number;
  items: TextArray;
  note: string | null;
  requested_on: string;
  due_on: string;
  status: Generated<'open' | 'supplied' | 'lapsed'>;
  closed_on: string | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface CaseDatesTable {
  id: Generated<number>;
  case_id: number;
  kind: CaseDateKind;
  on_date: string;
  at_time: string | null;
  place: string | null;
  note: string | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface IdempotencyKeysTable {
  user_id: number;
  key: string;
  route: string;
  body_hash: string;
  status_code: number | null;
  response: Json | null;
  created_at: CreatedAt;
}

export interface RotationStateTable {
  scope: string;
  seq: Generated<number>;
}

export interface RotationStandingsTable {
  lawyer_id: number;
  turns: Generated<number>;
  last_seq: number | null;
  joined_seq: Generated<number>;
  updated_at: Generated<Date>;
  /** numeric: round(turns / the lawyer's weight, 9), kept by a trigger (migration 0014); the first key of the rotation order */
  rank_key: ColumnType<string, never, never>;
  /** copies of the lawyer's region, practice areas and status = 'inactive', kept by triggers (migration 0014): a pool's filter on the index walk */
  region_code: ColumnType<string, never, never>;
  practice_areas: ColumnType<string[], never, never>;
  inactive: ColumnType<boolean, never, never>;
}

export interface AssignmentsTable {
  id: Generated<number>;
  case_id: number;
  lawyer_id: number;
  seq: number;
  method: 'rotation' | 'override';
  reason: string | null;
  explanation: Json;
  status: Generated<'active' | 'declined' | 'ended'>;
  decline_reason: string | null;
  decline_kind: 'consumed' | 'returned' | null;
  declined_at: Date | null;
  decline_seq: number | null;
  assigned_by: number | null;
  assigned_at: Generated<Date>;
}

export const HOUR_KINDS = ['case', 'duty_shift', 'consultation', 'outreach', 'training', 'other'] as const;
export type HourKind = (typeof HOUR_KINDS)[number];

export interface HourEntriesTable {
  id: Generated<number>;
  lawyer_id: number | null;
  volunteer_id: number | null;
  case_id: number | null;
  event_id: number | null;
  work_date: string;
  /** numeric(4,1): a string from both drivers */
  hours: string;
  kind: HourKind;
  description: string;
  status: Generated<'pending' | 'approved' | 'rejected'>;
  decision_reason: string | null;
  decided_by: number | null;
  decided_at: Date | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

// ---- training records (migration 0012) ----
export const TRAINING_ROLES = ['lawyer', 'volunteer', 'manager'] as const;
export type TrainingRole = (typeof TRAINING_ROLES)[number];
export type EnrolmentStatus = 'enrolled' | 'waitlisted' | 'cancelled' | 'attended' | 'absent';

export interface TrainingCoursesTable {
  id: Generated<number>;
  code: string | null;
  title: string;
  description: Generated<string>;
  /** numeric(4,1): a string from both drivers */
  credit_hours: string;
  required_for_roles: ColumnType<TrainingRole[], TrainingRole[] | undefined, TrainingRole[]>;
  required_for_practice_area: string | null;
  grants_certificate: Generated<boolean>;
  certificate_valid_months: number | null;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface TrainingSessionsTable {
  id: Generated<number>;
  course_id: number;
  starts_at: Timestamp;
  ends_at: Timestamp;
  location: string;
  capacity: number;
  status: Generated<'scheduled' | 'cancelled'>;
  cancel_reason: string | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface TrainingEnrolmentsTable {
  id: Generated<number>;
  session_id: number;
  lawyer_id: number | null;
  volunteer_id: number | null;
  status: EnrolmentStatus;
  enrolled_at: Generated<Date>;
  /** numeric(4,1), set when attended */
  hours: string | null;
  recorded_by: number | null;
  recorded_at: Date | null;
}

export interface TrainingCertificatesTable {
  id: Generated<number>;
  lawyer_id: number | null;
  volunteer_id: number | null;
  course_id: number;
  session_id: number;
  enrolment_id: number;
  issued_on: string;
  /** the last day it is valid; null: never expires */
  expires_on: string | null;
  created_at: CreatedAt;
}

export const EVENT_KINDS = ['countryside', 'six_intos', 'consultation_day', 'duty_shift', 'other'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];
export const SIX_INTOS_TARGETS = ['government_bodies', 'villages', 'communities', 'schools', 'enterprises', 'units'] as const;
export type SixIntosTarget = (typeof SIX_INTOS_TARGETS)[number];
export const SIGNUP_STATUSES = ['confirmed', 'waitlisted', 'cancelled', 'attended', 'no_show'] as const;
export type SignupStatus = (typeof SIGNUP_STATUSES)[number];

export interface EventsTable {
  id: Generated<number>;
  title: string;
  description: Generated<string>;
  kind: EventKind;
  six_intos_target: SixIntosTarget | null;
  starts_at: Timestamp;
  ends_at: Timestamp;
  region_code: string;
  location: string;
  capacity: number;
  skills_wanted: ColumnType<string[], string[] | undefined, string[]>;
  signup_opens_at: Date | null;
  signup_closes_at: Date | null;
  series_id: number | null;
  status: Generated<'scheduled' | 'cancelled'>;
  cancel_reason: string | null;
  cancelled_at: Date | null;
  checkin_code: string;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface EventSignupsTable {
  id: Generated<number>;
  event_id: number;
  volunteer_id: number | null;
  lawyer_id: number | null;
  status: SignupStatus;
  /** int8: a number from both drivers (type parsers in db/index.ts) */
  seq: number;
  signed_up_at: Generated<Date>;
  cancelled_at: Date | null;
  promoted_at: Date | null;
  checked_in_at: Date | null;
  checked_in_by: number | null;
  hour_entry_id: number | null;
  created_by: number | null;
  updated_at: Timestamp;
}

export interface NotificationsTable {
  id: Generated<number>;
  user_id: number | null;
  volunteer_id: number | null;
  lawyer_id: number | null;
  kind: string;
  payload: Json;
  created_at: CreatedAt;
  read_at: Date | null;
}

// ---- duty rosters (migration 0013) ----
export const DUTY_WHO = ['lawyer', 'volunteer', 'either'] as const;
export type DutyWho = (typeof DUTY_WHO)[number];
export type DutyAssignmentStatus = 'assigned' | 'released' | 'attended' | 'no_show';
export type DutySource = 'signup' | 'rotation' | 'manager' | 'swap';

export interface DutyShiftsTable {
  id: Generated<number>;
  organization_id: number;
  region_code: string;
  starts_at: Timestamp;
  ends_at: Timestamp;
  seats: Generated<number>;
  who: Generated<DutyWho>;
  note: Generated<string>;
  series_id: number | null;
  status: Generated<'scheduled' | 'cancelled'>;
  /** why a manager cancelled it (migration 0016); null while scheduled */
  cancel_reason: Generated<string | null>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DutyAssignmentsTable {
  id: Generated<number>;
  shift_id: number;
  lawyer_id: number | null;
  volunteer_id: number | null;
  source: DutySource;
  status: Generated<DutyAssignmentStatus>;
  /** int8: a number from both drivers */
  seq: number | null;
  hour_entry_id: number | null;
  assigned_by: number | null;
  released_at: Date | null;
  marked_by: number | null;
  marked_at: Date | null;
  created_at: CreatedAt;
  updated_at: Timestamp;
}

export interface DutySwapsTable {
  id: Generated<number>;
  assignment_id: number;
  to_lawyer_id: number | null;
  to_volunteer_id: number | null;
  new_assignment_id: number | null;
  requested_by: number | null;
  reason: Generated<string>;
  status: Generated<'pending' | 'approved' | 'rejected' | 'withdrawn'>;
  decided_by: number | null;
  decided_at: Date | null;
  decision_reason: string | null;
  created_at: CreatedAt;
}

export interface DutyStateTable {
  scope: string;
  seq: Generated<number>;
}

export interface DutyStandingsTable {
  lawyer_id: number;
  turns: Generated<number>;
  last_seq: number | null;
  joined_seq: Generated<number>;
  updated_at: Generated<Date>;
}

export interface DB {
  duty_shifts: DutyShiftsTable;
  duty_assignments: DutyAssignmentsTable;
  duty_swaps: DutySwapsTable;
  duty_state: DutyStateTable;
  duty_standings: DutyStandingsTable;
  events: EventsTable;
  event_signups: EventSignupsTable;
  notifications: NotificationsTable;
  training_courses: TrainingCoursesTable;
  training_sessions: TrainingSessionsTable;
  training_enrolments: TrainingEnrolmentsTable;
  training_certificates: TrainingCertificatesTable;
  rotation_state: RotationStateTable;
  rotation_standings: RotationStandingsTable;
  assignments: AssignmentsTable;
  hour_entries: HourEntriesTable;
  idempotency_keys: IdempotencyKeysTable;
  calendar_days: CalendarDaysTable;
  policies: PoliciesTable;
  means_standards: MeansStandardsTable;
  case_counters: CaseCountersTable;
  consultations: ConsultationsTable;
  cases: CasesTable;
  case_events: CaseEventsTable;
  case_material_requests: CaseMaterialRequestsTable;
  case_dates: CaseDatesTable;
  regions: RegionsTable;
  organizations: OrganizationsTable;
  lawyers: LawyersTable;
  volunteers: VolunteersTable;
  users: UsersTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  audit_log: AuditLogTable;
  login_attempts: LoginAttemptsTable;
  job_runs: JobRunsTable;
  app_meta: AppMetaTable;
  lawyer_leaves: LawyerLeavesTable;
  lawyer_conflicts: LawyerConflictsTable;
  import_runs: ImportRunsTable;
}

export type User = Selectable<UsersTable>;
export type Organization = Selectable<OrganizationsTable>;
export type NewOrganization = Insertable<OrganizationsTable>;
export type OrganizationUpdate = Updateable<OrganizationsTable>;
export type Region = Selectable<RegionsTable>;
export type ImportRun = Selectable<ImportRunsTable>;
export type Lawyer = Selectable<LawyersTable>;
export type Case = Selectable<CasesTable>;
export type Consultation = Selectable<ConsultationsTable>;
export type MeansStandard = Selectable<MeansStandardsTable>;
export type Volunteer = Selectable<VolunteersTable>;
export type LawyerStatus = Lawyer['status'];
export const LAWYER_STATUSES: readonly LawyerStatus[] = ['active', 'on_leave', 'inactive'];

/** Practice areas of lawyers, the same codes as case categories. */
export const PRACTICE_AREAS = [
  'criminal',
  'labor',
  'work_injury',
  'family',
  'inheritance',
  'land',
  'demolition',
  'medical',
  'traffic',
  'social_security',
  'consumer',
  'environment',
  'administrative',
  'juvenile',
  'state_compensation',
  'other',
] as const;
export type PracticeArea = (typeof PRACTICE_AREAS)[number];

export const VOLUNTEER_SKILLS = ['consultation', 'mediation', 'publicity', 'translation', 'sign_language', 'dialect', 'photography', 'first_aid', 'it'] as const;
