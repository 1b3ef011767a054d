// A manager's corrections to a session: cancelling it before it starts (with a
// reason, everyone enrolled or waiting told in the app), marking someone who
// had a seat absent after it starts (and undoing that), and the people a
// walk-in can be recorded for. Each decision runs under the session row's lock
// (lockSession), like enrolment and attendance in training.enrol.ts.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { NotFoundError, RuleError } from '../../lib/errors.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { notifyMany } from '../events/notifications.js';
import { personOfRow } from '../events/person.js';
import { transactionWithRetry } from '../rotation/rotation.lock.js';
import { liveEnrolment, lockSession, type Enrolment } from './training.enrol.js';
import type { Person } from './training.rules.js';
import type { Db, Session } from './training.service.js';
import { reasonText } from '../../lib/forms.js';

export const CANCEL_REASON_MAX = 500;

/**
 * Cancels a scheduled session that has not started, with a reason (1 to 500
 * characters, refused on `reason`). Enrolments stay as they were (a cancelled
 * session takes no new ones: see enrol); everyone enrolled or waitlisted is notified.
 */
export async function cancelSession(db: Kysely<DB>, actor: Actor, sessionId: number, reason: string, now = new Date()): Promise<{ session: Session; notified: number }> {
  const why = reasonText(reason, CANCEL_REASON_MAX);
  return transactionWithRetry(db, async (trx) => {
    const { session: before, course } = await lockSession(trx, sessionId);
    if (before.status === 'cancelled') throw new RuleError(409, 'session_cancelled', 'training.err.cancelled');
    if (before.starts_at <= now) throw new RuleError(409, 'session_started', 'training.err.cancelStarted');
    const session = await trx.updateTable('training_sessions').set({ status: 'cancelled', cancel_reason: why }).where('id', '=', before.id).returningAll().executeTakeFirstOrThrow();
    const live = await trx.selectFrom('training_enrolments').select(['lawyer_id', 'volunteer_id']).where('session_id', '=', session.id).where('status', 'in', ['enrolled', 'waitlisted']).execute();
    await notifyMany(trx, live.map(personOfRow), 'training.cancelled', {
      sessionId: session.id,
      courseId: course.id,
      title: course.title,
      startsAt: session.starts_at.toISOString(),
      reason: why,
    });
    await audit(trx, actor, {
      action: 'training_session.cancelled',
      entity: 'training_session',
      entityId: session.id,
      before: { status: before.status },
      after: { status: session.status, cancel_reason: why, notified: live.length },
    });
    return { session, notified: live.length };
  });
}

/**
 * Marks a person with a seat absent (`absent` true) or takes that back to
 * enrolled (false), once the session has started. Absent keeps the seat and
 * credits nothing; someone whose attendance is recorded is not changed (409).
 */
export async function setAbsent(db: Kysely<DB>, actor: Actor, sessionId: number, person: Person, absent: boolean, now = new Date()): Promise<Enrolment> {
  return transactionWithRetry(db, async (trx) => {
    const { session } = await lockSession(trx, sessionId);
    if (session.status === 'cancelled') throw new RuleError(409, 'session_cancelled', 'training.err.cancelled');
    if (session.starts_at > now) throw new RuleError(409, 'session_not_started', 'training.err.absentNotStarted');
    const before = await liveEnrolment(trx, session.id, person);
    if (!before) throw new NotFoundError('No such enrolment');
    if (before.status === 'attended') throw new RuleError(409, 'attendance_recorded', 'training.err.recorded');
    if (before.status === 'waitlisted') throw new RuleError(409, 'not_seated', 'training.err.absentWaitlisted');
    if (before.status !== (absent ? 'enrolled' : 'absent')) throw new RuleError(409, absent ? 'already_absent' : 'not_absent', absent ? 'training.err.alreadyAbsent' : 'training.err.notAbsent');
    const after = await trx
      .updateTable('training_enrolments')
      .set({ status: absent ? 'absent' : 'enrolled' })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, actor, {
      action: absent ? 'training.marked_absent' : 'training.absence_undone',
      entity: 'training_enrolment',
      entityId: after.id,
      before: { status: before.status },
      after: { status: after.status, person },
    });
    return after;
  });
}

export interface WalkInChoice {
  /** 'l:12' or 'v:3', as the session page's forms name a person */
  value: string;
  name: string;
  /** a lawyer's licence number; '' for a volunteer */
  licence: string;
}

export const WALK_IN_LIMIT = 100;

/**
 * Lawyers (not inactive) and approved volunteers who are not on the session's
 * roster, by name, narrowed by `q` (part of a name or a licence number); at most
 * WALK_IN_LIMIT of each kind, `more` when some were left out.
 */
export async function walkInChoices(db: Db, sessionId: number, q: string): Promise<{ choices: WalkInChoice[]; more: boolean }> {
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  const onRoster = (column: 'lawyer_id' | 'volunteer_id') =>
    sql<boolean>`not exists (select 1 from training_enrolments e where e.session_id = ${sessionId} and e.${sql.ref(column)} = p.id and e.status <> 'cancelled')`;
  let lawyers = db.selectFrom('lawyers as p').select(['p.id', 'p.name', 'p.license_no']).where('p.status', '!=', 'inactive').where(onRoster('lawyer_id'));
  let volunteers = db.selectFrom('volunteers as p').select(['p.id', 'p.name']).where('p.status', '=', 'approved').where(onRoster('volunteer_id'));
  if (q) {
    lawyers = lawyers.where((eb) => eb.or([eb('p.name', 'ilike', like), eb('p.license_no', 'ilike', like)]));
    volunteers = volunteers.where('p.name', 'ilike', like);
  }
  const [ls, vs] = await Promise.all([
    lawyers.orderBy('p.name').orderBy('p.id').limit(WALK_IN_LIMIT + 1).execute(),
    volunteers.orderBy('p.name').orderBy('p.id').limit(WALK_IN_LIMIT + 1).execute(),
  ]);
  const choices = [
    ...ls.slice(0, WALK_IN_LIMIT).map((l) => ({ value: `l:${l.id}`, name: l.name, licence: l.license_no })),
    ...vs.slice(0, WALK_IN_LIMIT).map((v) => ({ value: `v:${v.id}`, name: v.name, licence: '' })),
  ];
  return { choices, more: ls.length > WALK_IN_LIMIT || vs.length > WALK_IN_LIMIT };
}
