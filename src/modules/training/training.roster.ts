// Who is on a session, read back for the pages: the manager's enrolment list
// (seats first in order of arrival, then the waitlist with each position) and a
// person's own status in a set of sessions. Reads only; the seat decisions are
// in training.enrol.ts.
import { sql } from 'kysely';
import type { EnrolmentStatus } from '../../db/types.js';
import { hoursNumber, tenthsOf } from '../hours/hours.rules.js';
import { personColumn } from './training.enrol.js';
import type { Person } from './training.rules.js';
import type { Db } from './training.service.js';

export interface RosterRow {
  enrolmentId: number;
  person: Person;
  name: string;
  status: Exclude<EnrolmentStatus, 'cancelled'>;
  /** credited hours once attended */
  hours: number | null;
  /** 1-based place on the waitlist; null for everyone else */
  position: number | null;
  enrolledAt: Date;
}

/** The live enrolments of a session: those with a seat in arrival order, then the waitlist in order. */
export async function sessionRoster(db: Db, sessionId: number): Promise<RosterRow[]> {
  const rows = await db
    .selectFrom('training_enrolments as e')
    .leftJoin('lawyers as l', 'l.id', 'e.lawyer_id')
    .leftJoin('volunteers as v', 'v.id', 'e.volunteer_id')
    .select(['e.id', 'e.lawyer_id', 'e.volunteer_id', 'e.status', 'e.hours', 'e.enrolled_at', 'l.name as lawyer_name', 'v.name as volunteer_name'])
    .select(sql<number | null>`case when e.status = 'waitlisted' then (row_number() over (partition by e.status order by e.id))::int end`.as('position'))
    .where('e.session_id', '=', sessionId)
    .where('e.status', '!=', 'cancelled')
    .orderBy(sql`e.status = 'waitlisted'`)
    .orderBy('e.id')
    .execute();
  return rows.map((r) => ({
    enrolmentId: r.id,
    person: r.lawyer_id !== null ? { kind: 'lawyer' as const, id: r.lawyer_id } : { kind: 'volunteer' as const, id: r.volunteer_id! },
    name: r.lawyer_name ?? r.volunteer_name ?? '',
    status: r.status as RosterRow['status'],
    hours: r.hours === null ? null : hoursNumber(tenthsOf(r.hours)),
    position: r.position === null ? null : Number(r.position),
    enrolledAt: r.enrolled_at,
  }));
}

export interface MyEnrolment {
  status: Exclude<EnrolmentStatus, 'cancelled'>;
  position: number | null;
}

/** A person's live enrolment in each of the given sessions (one query), by session id. */
export async function enrolmentsOf(db: Db, person: Person, sessionIds: readonly number[]): Promise<Map<number, MyEnrolment>> {
  if (!sessionIds.length) return new Map();
  const rows = await db
    .selectFrom('training_enrolments as e')
    .select(['e.session_id', 'e.status'])
    .select(
      sql<number | null>`case when e.status = 'waitlisted' then (select count(*)::int from training_enrolments w where w.session_id = e.session_id and w.status = 'waitlisted' and w.id <= e.id) end`.as(
        'position',
      ),
    )
    .where(`e.${personColumn(person)}`, '=', person.id)
    .where('e.session_id', 'in', [...sessionIds])
    .where('e.status', '!=', 'cancelled')
    .execute();
  return new Map(rows.map((r) => [r.session_id, { status: r.status as MyEnrolment['status'], position: r.position === null ? null : Number(r.position) }]));
}
