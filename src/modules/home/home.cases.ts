// The case figures on the home pages: a manager's work waiting per stage, and a
// lawyer's own cases and coming key dates. One query each.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { addDays } from '../../lib/workdays.js';

const OPEN = ['applied', 'pending_materials', 'granted', 'appealed'] as const;

export async function managerCaseFigures(db: Kysely<DB>, on: string) {
  return db
    .selectFrom('cases')
    .select([
      sql<number>`count(*) filter (where status in ('applied','pending_materials'))::int`.as('review'),
      sql<number>`count(*) filter (where status in ('granted','appealed'))::int`.as('decided'),
      sql<number>`count(*) filter (where status = 'closed')::int`.as('toReview'),
      sql<number>`count(*) filter (where status in (${sql.join(OPEN.map((s) => sql.lit(s)))}) and due_on < ${on})::int`.as('overdue'),
      sql<number>`count(*) filter (where status in (${sql.join(OPEN.map((s) => sql.lit(s)))}) and due_on between ${on} and ${addDays(on, 3)})::int`.as('dueSoon'),
      sql<number>`count(*) filter (where status in (${sql.join(OPEN.map((s) => sql.lit(s)))}) and green_channel)::int`.as('green'),
      sql<number>`count(*) filter (where emergency and paperwork_received_on is null and paperwork_due_on < ${on} and status not in ('withdrawn','terminated','transferred'))::int`.as('paperworkOverdue'),
    ])
    .executeTakeFirstOrThrow();
}

export async function lawyerCaseFigures(db: Kysely<DB>, lawyerId: number, on: string) {
  const [counts, dates] = await Promise.all([
    db
      .selectFrom('cases')
      .select([
        sql<number>`count(*) filter (where status = 'assigned')::int`.as('toAccept'),
        sql<number>`count(*) filter (where status = 'accepted')::int`.as('inProgress'),
        sql<number>`count(*) filter (where status in ('closed','reviewed') and closed_on >= ${`${on.slice(0, 4)}-01-01`})::int`.as('closedThisYear'),
      ])
      .where('lawyer_id', '=', lawyerId)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom('case_dates as d')
      .innerJoin('cases as c', 'c.id', 'd.case_id')
      .select(['d.kind', 'd.on_date', 'd.at_time', 'd.place', 'c.id as case_id', 'c.number'])
      .where('c.lawyer_id', '=', lawyerId)
      .where('c.status', 'in', ['assigned', 'accepted'])
      .where('d.on_date', '>=', on)
      .where('d.on_date', '<=', addDays(on, 30))
      .orderBy('d.on_date')
      .orderBy('d.at_time')
      .limit(10)
      .execute(),
  ]);
  return { ...counts, dates };
}
