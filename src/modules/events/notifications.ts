// In-app notifications: written inside the transaction that caused them (a
// promotion, a cancelled event), read by the person's pages. Addressed to a
// person, so a volunteer without an account yet finds them once they have one.
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { isRowId } from '../../lib/access.js';
import { personColumns, type Person } from './person.js';

type Db = Kysely<DB> | Transaction<DB>;

export const NOTIFICATION_KINDS = ['event.promoted', 'event.cancelled', 'duty.assigned', 'duty.cancelled', 'duty.swap_approved', 'duty.swap_received', 'duty.swap_rejected', 'training.cancelled'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** What a notification carries; pages render it with events.notify.<kind> or duty.notify.<kind> messages, linking to the event or the duty shift. */
export interface EventNotice {
  eventId?: number;
  shiftId?: number;
  /** a training session, shown on its course's page */
  sessionId?: number;
  courseId?: number;
  title: string;
  startsAt: string;
  reason?: string;
}

export async function notify(db: Db, to: Person | { userId: number }, kind: NotificationKind, payload: EventNotice): Promise<void> {
  const target = 'userId' in to ? { user_id: to.userId, volunteer_id: null, lawyer_id: null } : { user_id: null, ...personColumns(to) };
  await db.insertInto('notifications').values({ ...target, kind, payload: JSON.stringify(payload) }).execute();
}

export async function notifyMany(db: Db, to: Person[], kind: NotificationKind, payload: EventNotice): Promise<void> {
  if (to.length === 0) return;
  const json = JSON.stringify(payload);
  await db
    .insertInto('notifications')
    .values(to.map((p) => ({ user_id: null, ...personColumns(p), kind, payload: json })))
    .execute();
}

export interface Reader {
  id: number;
  volunteerId?: number | null;
  lawyerId?: number | null;
}

/**
 * A user's own notifications and those of the person their account is. Only the
 * columns that can match are named, so each branch is one partial index's lookup.
 */
function mine(reader: Reader) {
  const branches = [sql<boolean>`user_id = ${reader.id}`];
  if (reader.volunteerId) branches.push(sql<boolean>`volunteer_id = ${reader.volunteerId}`);
  if (reader.lawyerId) branches.push(sql<boolean>`lawyer_id = ${reader.lawyerId}`);
  return sql<boolean>`(${sql.join(branches, sql` or `)})`;
}

export async function listNotifications(db: Db, reader: Reader, options: { limit?: number; unreadOnly?: boolean } = {}) {
  let q = db.selectFrom('notifications').selectAll().where(mine(reader));
  if (options.unreadOnly) q = q.where('read_at', 'is', null);
  const rows = await q.orderBy('id', 'desc').limit(options.limit ?? 50).execute();
  return rows.map((r) => ({ ...r, payload: r.payload as EventNotice }));
}

/**
 * The unread count of the user row `u` (a query on users as u, such as the
 * session lookup): the user's own and their person's, one partial index lookup
 * per column (a notification names exactly one of them).
 */
export const unreadOfUser = sql<number>`((select count(*) from notifications n where n.user_id = u.id and n.read_at is null)
  + (select count(*) from notifications n where n.lawyer_id = u.lawyer_id and n.read_at is null)
  + (select count(*) from notifications n where n.volunteer_id = u.volunteer_id and n.read_at is null))::int`;

export async function unreadCount(db: Db, reader: Reader): Promise<number> {
  const row = await db.selectFrom('notifications').select(sql<number>`count(*)::int`.as('n')).where(mine(reader)).where('read_at', 'is', null).executeTakeFirstOrThrow();
  return row.n;
}

/** Marks one (or, without an id, all) of the reader's notifications read; returns how many changed. */
export async function markRead(db: Db, reader: Reader, id?: number): Promise<number> {
  if (id !== undefined && !isRowId(id)) return 0;
  let q = db.updateTable('notifications').set({ read_at: new Date() }).where(mine(reader)).where('read_at', 'is', null);
  if (id !== undefined) q = q.where('id', '=', id);
  const result = await q.executeTakeFirst();
  return Number(result.numUpdatedRows);
}
