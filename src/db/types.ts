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

export interface DB {
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
