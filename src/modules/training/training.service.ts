// Training courses and their sessions: a manager creates them (audited); anyone
// signed in reads them. Enrolment and attendance are in training.enrol.ts, the
// records and the hours against the policy in training.records.ts.
import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { DB, TrainingCoursesTable, TrainingSessionsTable } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { NotFoundError, ValidationError } from '../../lib/errors.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { tenthsToText } from '../hours/hours.rules.js';
import { checkCourse, checkSession, type CourseInput, type SessionInput } from './training.rules.js';

export type Db = Kysely<DB> | Transaction<DB>;
export type Course = Selectable<TrainingCoursesTable>;
export type Session = Selectable<TrainingSessionsTable>;
/** A session with how many seats are taken and how many wait. */
export type SessionWithCounts = Session & { enrolled: number; waitlisted: number };

export async function getCourse(db: Db, id: number): Promise<Course | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('training_courses').selectAll().where('id', '=', id).executeTakeFirst();
}

/** A new course; a code already used by another course is refused on the code field. */
export async function createCourse(db: Kysely<DB>, actor: Actor, input: CourseInput): Promise<Course> {
  const { errors, value } = checkCourse(input);
  if (errors.length) throw new ValidationError(errors);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('training_courses')
      .values({
        code: value.code,
        title: value.title,
        description: value.description,
        credit_hours: tenthsToText(value.creditTenths),
        required_for_roles: value.roles,
        required_for_practice_area: value.area,
        grants_certificate: value.grantsCertificate,
        certificate_valid_months: value.validMonths,
        created_by: actor.id,
      })
      .onConflict((oc) => oc.column('code').doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!row) throw new ValidationError([{ field: 'code', key: 'training.err.codeTaken' }]);
    await audit(trx, actor, { action: 'training_course.created', entity: 'training_course', entityId: row.id, after: row });
    return row;
  });
}

/** A new session of a course (404 for an unknown course). */
export async function createSession(db: Kysely<DB>, actor: Actor, courseId: number, input: SessionInput): Promise<Session> {
  const course = await getCourse(db, courseId);
  if (!course) throw new NotFoundError('Course not found');
  const { errors, startsAt, endsAt, location } = checkSession(input);
  if (errors.length) throw new ValidationError(errors);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('training_sessions')
      .values({ course_id: course.id, starts_at: startsAt, ends_at: endsAt, location, capacity: input.capacity, created_by: actor.id })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, { action: 'training_session.created', entity: 'training_session', entityId: row.id, after: row });
    return row;
  });
}

/** Courses in id order after `afterId`, one more than `limit` (so the caller knows a next page exists). */
export async function listCourses(db: Db, options: { afterId: number; limit: number }): Promise<Course[]> {
  return db
    .selectFrom('training_courses')
    .selectAll()
    .where('id', '>', options.afterId)
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
}

/** The sessions of the given courses, each with its seat counts, in start order (one query). */
export async function sessionsOf(db: Db, courseIds: readonly number[]): Promise<SessionWithCounts[]> {
  if (!courseIds.length) return [];
  const rows = await db
    .selectFrom('training_sessions as s')
    .selectAll('s')
    .select([
      sql<number>`(select count(*)::int from training_enrolments e where e.session_id = s.id and e.status in ('enrolled','attended','absent'))`.as('enrolled'),
      sql<number>`(select count(*)::int from training_enrolments e where e.session_id = s.id and e.status = 'waitlisted')`.as('waitlisted'),
    ])
    .where('s.course_id', 'in', [...courseIds])
    .orderBy('s.starts_at')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({ ...r, enrolled: Number(r.enrolled), waitlisted: Number(r.waitlisted) }));
}

export async function getSession(db: Db, id: number): Promise<Session | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('training_sessions').selectAll().where('id', '=', id).executeTakeFirst();
}
