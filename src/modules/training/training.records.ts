// Training records read back: credit hours per person per year against the
// role's requirement (the 'training' policy in force on 1 January of the year),
// who is short of hours, certificates about to expire, and one person's record.
// Hours are summed in SQL as numeric and handled as whole tenths, never floats.
import { sql } from 'kysely';
import { startOfDay } from '../../lib/format.js';
import { addDays } from '../../lib/workdays.js';
import { APP_TZ } from '../cases/cases.service.js';
import { hoursNumber, tenthsOf } from '../hours/hours.rules.js';
import { policyAt } from '../policies/policies.service.js';
import { certificateStatus, DEFAULT_TRAINING_POLICY, EXPIRING_DAYS, type CertificateStatus, type Person, type PersonKind, type TrainingPolicy } from './training.rules.js';
import type { Db } from './training.service.js';

/** The policy in force on 1 January: a change in June applies from the next year. */
export async function trainingPolicyFor(db: Db, year: number): Promise<TrainingPolicy> {
  const found = await policyAt<Partial<TrainingPolicy>>(db, 'training', `${year}-01-01`);
  return { requiredHours: { ...DEFAULT_TRAINING_POLICY.requiredHours, ...found?.value.requiredHours } };
}

/** The role's required hours in tenths (a policy figure like 12 or 7.5). */
function requiredTenths(policy: TrainingPolicy, kind: PersonKind): number {
  return Math.round((policy.requiredHours[kind] ?? 0) * 10);
}

/** The instants a calendar year starts and ends in Asia/Shanghai. */
function yearRange(year: number): { from: Date; to: Date } {
  return { from: startOfDay(`${year}-01-01`, APP_TZ), to: startOfDay(`${year + 1}-01-01`, APP_TZ) };
}

const dayOf = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone ${APP_TZ}, 'YYYY-MM-DD')`;

export interface YearHours {
  year: number;
  hours: number;
  required: number;
  /** hours still missing, 0 when the requirement is met */
  short: number;
}

function yearHours(year: number, tenths: number, required: number): YearHours {
  return { year, hours: hoursNumber(tenths), required: hoursNumber(required), short: hoursNumber(Math.max(0, required - tenths)) };
}

/** A person's credited hours in a year (sessions that started that year) against their role's requirement. */
export async function creditHours(db: Db, person: Person, year: number): Promise<YearHours> {
  const { from, to } = yearRange(year);
  const column = person.kind === 'lawyer' ? 'e.lawyer_id' : 'e.volunteer_id';
  const [row, policy] = await Promise.all([
    db
      .selectFrom('training_enrolments as e')
      .innerJoin('training_sessions as s', 's.id', 'e.session_id')
      .select(sql<string>`coalesce(sum(e.hours), 0)::text`.as('total'))
      .where(column, '=', person.id)
      .where('e.status', '=', 'attended')
      .where('s.starts_at', '>=', from)
      .where('s.starts_at', '<', to)
      .executeTakeFirstOrThrow(),
    trainingPolicyFor(db, year),
  ]);
  return yearHours(year, tenthsOf(row.total), requiredTenths(policy, person.kind));
}

export interface ShortRow extends YearHours {
  person: Person;
  name: string;
}

/**
 * The lawyers (not inactive) or approved volunteers whose credited hours in the
 * year are below their role's requirement, the furthest behind first.
 */
export async function shortOfHours(db: Db, year: number, kind: PersonKind): Promise<ShortRow[]> {
  const policy = await trainingPolicyFor(db, year);
  const required = requiredTenths(policy, kind);
  if (required <= 0) return [];
  const { from, to } = yearRange(year);
  const column = kind === 'lawyer' ? sql.ref('e.lawyer_id') : sql.ref('e.volunteer_id');
  const credited = sql<string>`coalesce((select sum(e.hours) from training_enrolments e join training_sessions s on s.id = e.session_id
      where ${column} = p.id and e.status = 'attended' and s.starts_at >= ${from} and s.starts_at < ${to}), 0)`;
  const people =
    kind === 'lawyer'
      ? db.selectFrom('lawyers as p').select(['p.id', 'p.name']).where('p.status', '!=', 'inactive')
      : db.selectFrom('volunteers as p').select(['p.id', 'p.name']).where('p.status', '=', 'approved');
  const rows = await people
    .select(sql<string>`${credited}::text`.as('total'))
    .where(sql<boolean>`${credited} < ${required / 10}::numeric`)
    .orderBy(credited)
    .orderBy('p.id')
    .execute();
  return rows.map((r) => ({ person: { kind, id: r.id }, name: r.name, ...yearHours(year, tenthsOf(r.total), required) }));
}

export interface ExpiringRow {
  certificateId: number;
  person: Person;
  name: string;
  courseId: number;
  courseTitle: string;
  issuedOn: string;
  expiresOn: string;
}

/** Certificates not renewed (no later certificate of the same course for the same person), with the holder's name. */
function unrenewedCertificates(db: Db) {
  return db
    .selectFrom('training_certificates as t')
    .innerJoin('training_courses as c', 'c.id', 't.course_id')
    .leftJoin('lawyers as l', 'l.id', 't.lawyer_id')
    .leftJoin('volunteers as v', 'v.id', 't.volunteer_id')
    .select(['t.id', 't.lawyer_id', 't.volunteer_id', 't.course_id', 'c.title', 't.issued_on', 't.expires_on', 'l.name as lawyer_name', 'v.name as volunteer_name'])
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('training_certificates as r')
            .select('r.id')
            .whereRef('r.course_id', '=', 't.course_id')
            .where(sql<boolean>`(r.lawyer_id = t.lawyer_id or r.volunteer_id = t.volunteer_id)`)
            .where(sql<boolean>`(r.expires_on is null or r.expires_on > t.expires_on)`),
        ),
      ),
    );
}

type CertificateRow = Awaited<ReturnType<ReturnType<typeof unrenewedCertificates>['execute']>>[number];

function expiringRow(r: CertificateRow): ExpiringRow {
  return {
    certificateId: r.id,
    person: r.lawyer_id !== null ? { kind: 'lawyer' as const, id: r.lawyer_id } : { kind: 'volunteer' as const, id: r.volunteer_id! },
    name: r.lawyer_name ?? r.volunteer_name ?? '',
    courseId: r.course_id,
    courseTitle: r.title,
    issuedOn: r.issued_on,
    expiresOn: r.expires_on!,
  };
}

/**
 * Certificates whose last valid day is from `on` to `on` + `days`, unless the
 * person already holds a later one of the same course (renewed: nothing to do).
 */
export async function certificatesExpiring(db: Db, on: string, days = EXPIRING_DAYS): Promise<ExpiringRow[]> {
  const rows = await unrenewedCertificates(db).where('t.expires_on', '>=', on).where('t.expires_on', '<=', addDays(on, days)).orderBy('t.expires_on').orderBy('t.id').execute();
  return rows.map(expiringRow);
}

export interface TrainingRecord {
  attended: { sessionId: number; courseId: number; courseCode: string | null; courseTitle: string; date: string; hours: number }[];
  upcoming: { sessionId: number; courseId: number; courseTitle: string; startsAt: Date; status: 'enrolled' | 'waitlisted' }[];
  years: YearHours[];
  certificates: { id: number; courseId: number; courseTitle: string; issuedOn: string; expiresOn: string | null; status: CertificateStatus }[];
}

/** One person's record as of `on`: sessions attended, hours per year, certificates with their status. */
export async function trainingRecord(db: Db, person: Person, on: string): Promise<TrainingRecord> {
  const column = person.kind === 'lawyer' ? 'e.lawyer_id' : 'e.volunteer_id';
  const [sessions, certificates] = await Promise.all([
    db
      .selectFrom('training_enrolments as e')
      .innerJoin('training_sessions as s', 's.id', 'e.session_id')
      .innerJoin('training_courses as c', 'c.id', 's.course_id')
      .select(['e.status', 'e.hours', 's.id as session_id', 's.starts_at', 's.status as session_status', 'c.id as course_id', 'c.code', 'c.title', dayOf('s.starts_at').as('day')])
      .where(column, '=', person.id)
      .where('e.status', 'in', ['attended', 'enrolled', 'waitlisted'])
      .orderBy('s.starts_at', 'desc')
      .orderBy('s.id', 'desc')
      .execute(),
    db
      .selectFrom('training_certificates as t')
      .innerJoin('training_courses as c', 'c.id', 't.course_id')
      .select(['t.id', 't.course_id', 'c.title', 't.issued_on', 't.expires_on'])
      .where(person.kind === 'lawyer' ? 't.lawyer_id' : 't.volunteer_id', '=', person.id)
      .orderBy('t.issued_on', 'desc')
      .orderBy('t.id', 'desc')
      .execute(),
  ]);
  const attended = sessions.filter((s) => s.status === 'attended');
  const perYear = new Map<number, number>();
  for (const s of attended) perYear.set(Number(s.day.slice(0, 4)), (perYear.get(Number(s.day.slice(0, 4))) ?? 0) + tenthsOf(s.hours));
  const thisYear = Number(on.slice(0, 4));
  if (!perYear.has(thisYear)) perYear.set(thisYear, 0);
  const years = await Promise.all(
    [...perYear].sort((a, b) => b[0] - a[0]).map(async ([year, tenths]) => yearHours(year, tenths, requiredTenths(await trainingPolicyFor(db, year), person.kind))),
  );
  return {
    attended: attended.map((s) => ({ sessionId: s.session_id, courseId: s.course_id, courseCode: s.code, courseTitle: s.title, date: s.day, hours: hoursNumber(tenthsOf(s.hours)) })),
    upcoming: sessions
      .filter((s): s is typeof s & { status: 'enrolled' | 'waitlisted' } => (s.status === 'enrolled' || s.status === 'waitlisted') && s.day >= on && s.session_status === 'scheduled')
      .map((s) => ({ sessionId: s.session_id, courseId: s.course_id, courseTitle: s.title, startsAt: s.starts_at, status: s.status })),
    years,
    certificates: certificates.map((t) => ({ id: t.id, courseId: t.course_id, courseTitle: t.title, issuedOn: t.issued_on, expiresOn: t.expires_on, status: certificateStatus(t.expires_on, on) })),
  };
}

/**
 * Certificates whose last valid day is before `on` and that the person has not
 * renewed (no later certificate of the same course), the most recently expired first.
 */
export async function certificatesExpired(db: Db, on: string, limit = 200): Promise<ExpiringRow[]> {
  const rows = await unrenewedCertificates(db).where('t.expires_on', '<', on).orderBy('t.expires_on', 'desc').orderBy('t.id', 'desc').limit(limit).execute();
  return rows.map(expiringRow);
}
