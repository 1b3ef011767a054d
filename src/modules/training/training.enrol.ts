// Enrolment and attendance. Every decision about a session's seats runs in one
// transaction holding the session row (SELECT ... FOR UPDATE): two people taking
// the last seat queue there, so the second is waitlisted, never a seat too many.
// The partial unique indexes (one live enrolment per person per session) back
// that up. The waitlist is in id order: ids are taken under the lock, so that is
// the order of arrival. Attendance credits hours once and issues the certificate.
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { DB, TrainingCertificatesTable, TrainingEnrolmentsTable } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { NotFoundError, RuleError, ValidationError } from '../../lib/errors.js';
import { todayIn } from '../../lib/format.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { APP_TZ } from '../cases/cases.service.js';
import { tenthsOf, tenthsToText } from '../hours/hours.rules.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { checkAttendedHours, expiryOf, type Person } from './training.rules.js';
import type { Course, Session } from './training.service.js';

export type Enrolment = Selectable<TrainingEnrolmentsTable>;
export type Certificate = Selectable<TrainingCertificatesTable>;

/** Statuses that hold a seat (an absent person held one: it is not given away afterwards). */
export const SEATED = ['enrolled', 'attended', 'absent'] as const;
const LIVE = ['enrolled', 'waitlisted', 'attended', 'absent'] as const;

export const personColumn = (p: Person) => (p.kind === 'lawyer' ? ('lawyer_id' as const) : ('volunteer_id' as const));

/** The session and its course, the session row locked for the rest of the transaction. */
export async function lockSession(trx: Transaction<DB>, sessionId: number): Promise<{ session: Session; course: Course }> {
  const session = isRowId(sessionId) ? await trx.selectFrom('training_sessions').selectAll().where('id', '=', sessionId).forUpdate().executeTakeFirst() : undefined;
  if (!session) throw new NotFoundError('Session not found');
  const course = await trx.selectFrom('training_courses').selectAll().where('id', '=', session.course_id).executeTakeFirstOrThrow();
  return { session, course };
}

/** A lawyer who is not inactive, or an approved volunteer; anyone else is refused on personId. */
export async function ensurePerson(db: Kysely<DB> | Transaction<DB>, person: Person): Promise<{ name: string }> {
  const row = !isRowId(person.id)
    ? undefined
    : person.kind === 'lawyer'
      ? await db.selectFrom('lawyers').select('name').where('id', '=', person.id).where('status', '!=', 'inactive').executeTakeFirst()
      : await db.selectFrom('volunteers').select('name').where('id', '=', person.id).where('status', '=', 'approved').executeTakeFirst();
  if (!row) throw new ValidationError([{ field: 'personId', key: 'training.err.person' }]);
  return row;
}

export async function liveEnrolment(trx: Transaction<DB>, sessionId: number, person: Person): Promise<Enrolment | undefined> {
  return trx.selectFrom('training_enrolments').selectAll().where('session_id', '=', sessionId).where(personColumn(person), '=', person.id).where('status', 'in', LIVE).executeTakeFirst();
}

async function waitPosition(trx: Transaction<DB>, e: Enrolment): Promise<number> {
  const ahead = await trx
    .selectFrom('training_enrolments')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('session_id', '=', e.session_id)
    .where('status', '=', 'waitlisted')
    .where('id', '<', e.id)
    .executeTakeFirstOrThrow();
  return Number(ahead.n) + 1;
}

export interface EnrolResult {
  enrolment: Enrolment;
  /** 1-based place on the waitlist; null when enrolled */
  position: number | null;
}

/** Enrols a person in a session before it starts: a seat while there is one, else the waitlist. */
export async function enrol(db: Kysely<DB>, actor: Actor, sessionId: number, person: Person, now = new Date()): Promise<EnrolResult> {
  return transactionWithRetry(db, async (trx) => {
    const { session } = await lockSession(trx, sessionId);
    if (session.status === 'cancelled') throw new RuleError(409, 'session_cancelled', 'training.err.cancelled');
    if (session.starts_at <= now) throw new RuleError(409, 'session_started', 'training.err.started');
    await ensurePerson(trx, person);
    if (await liveEnrolment(trx, session.id, person)) throw new RuleError(409, 'already_enrolled', 'training.err.already');
    const taken = await trx
      .selectFrom('training_enrolments')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('session_id', '=', session.id)
      .where('status', 'in', SEATED)
      .executeTakeFirstOrThrow();
    const status = Number(taken.n) < session.capacity ? 'enrolled' : 'waitlisted';
    const enrolment = await trx
      .insertInto('training_enrolments')
      .values({ session_id: session.id, [personColumn(person)]: person.id, status, enrolled_at: now })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'training.enrolled', entity: 'training_enrolment', entityId: enrolment.id, after: enrolment });
    return { enrolment, position: status === 'waitlisted' ? await waitPosition(trx, enrolment) : null };
  });
}

/**
 * Cancels a person's enrolment (or their place on the waitlist) before the session
 * starts; a freed seat goes to the first person waiting. Returns who was promoted.
 */
export async function cancelEnrolment(db: Kysely<DB>, actor: Actor, sessionId: number, person: Person, now = new Date()): Promise<{ promoted: Enrolment | null }> {
  return transactionWithRetry(db, async (trx) => {
    const { session } = await lockSession(trx, sessionId);
    const before = await liveEnrolment(trx, session.id, person);
    if (!before || (before.status !== 'enrolled' && before.status !== 'waitlisted')) throw new NotFoundError('Enrolment not found');
    if (session.starts_at <= now) throw new RuleError(409, 'session_started', 'training.err.started');
    const after = await trx.updateTable('training_enrolments').set({ status: 'cancelled' }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'training.enrolment_cancelled', entity: 'training_enrolment', entityId: before.id, before: { status: before.status }, after: { status: after.status } });
    if (before.status !== 'enrolled' || session.status === 'cancelled') return { promoted: null };
    const next = await trx
      .selectFrom('training_enrolments')
      .select('id')
      .where('session_id', '=', session.id)
      .where('status', '=', 'waitlisted')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    if (!next) return { promoted: null };
    const promoted = await trx.updateTable('training_enrolments').set({ status: 'enrolled' }).where('id', '=', next.id).returningAll().executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'training.promoted', entity: 'training_enrolment', entityId: next.id, before: { status: 'waitlisted' }, after: { status: 'enrolled' } });
    return { promoted };
  });
}

export interface AttendanceResult {
  enrolment: Enrolment;
  certificate: Certificate | null;
}

/**
 * Records that a person attended a session that has started, crediting `hours`
 * (at most the course's credit hours), once: a second record is refused (409).
 * Someone who came without enrolling (or from the waitlist) is recorded too.
 * When the course grants a certificate it is issued on the session's day (Asia/Shanghai),
 * its last valid day that many months later.
 */
export async function recordAttendance(db: Kysely<DB>, actor: Actor, sessionId: number, person: Person, hours: string, now = new Date()): Promise<AttendanceResult> {
  return transactionWithRetry(db, async (trx) => {
    const { session, course } = await lockSession(trx, sessionId);
    if (session.status === 'cancelled') throw new RuleError(409, 'session_cancelled', 'training.err.cancelled');
    if (session.starts_at > now) throw new RuleError(409, 'session_not_started', 'training.err.notStarted');
    const { errors, tenths } = checkAttendedHours(hours, tenthsOf(course.credit_hours));
    if (errors.length) throw new ValidationError(errors);
    await ensurePerson(trx, person);
    const before = await liveEnrolment(trx, session.id, person);
    if (before?.status === 'attended') throw new RuleError(409, 'attendance_recorded', 'training.err.recorded');
    const attended = { status: 'attended' as const, hours: tenthsToText(tenths), recorded_by: actor.id, recorded_at: now };
    const enrolment = before
      ? await trx.updateTable('training_enrolments').set(attended).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow()
      : await trx
          .insertInto('training_enrolments')
          .values({ session_id: session.id, [personColumn(person)]: person.id, enrolled_at: now, ...attended })
          .returningAll()
          .executeTakeFirstOrThrow();
    let certificate: Certificate | null = null;
    if (course.grants_certificate) {
      const issuedOn = todayIn(APP_TZ, session.starts_at);
      certificate = await trx
        .insertInto('training_certificates')
        .values({
          [personColumn(person)]: person.id,
          course_id: course.id,
          session_id: session.id,
          enrolment_id: enrolment.id,
          issued_on: issuedOn,
          expires_on: expiryOf(issuedOn, course.certificate_valid_months),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
    }
    await audit(trx, actor, {
      action: 'training.attendance_recorded',
      entity: 'training_enrolment',
      entityId: enrolment.id,
      before: before ? { status: before.status, hours: before.hours } : null,
      after: { status: enrolment.status, hours: enrolment.hours, person, certificate_id: certificate?.id ?? null, expires_on: certificate?.expires_on ?? null },
    });
    return { enrolment, certificate };
  });
}
