// Reading the audit log: filters by user, entity and date range, newest first.
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import { PAGE_SIZE, toPage } from '../../lib/paging.js';
import { startOfDay } from '../../lib/format.js';

export interface AuditFilter {
  actorId?: number;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
  page: number;
}

const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export async function listAudit(db: Kysely<DB>, filter: AuditFilter, tz: string) {
  let q = db
    .selectFrom('audit_log as a')
    .leftJoin('users as u', 'u.id', 'a.actor_id')
    .select([
      'a.id',
      'a.at',
      'a.actor_id',
      'a.actor_name',
      'u.name as actor_display',
      'a.action',
      'a.entity',
      'a.entity_id',
      'a.before',
      'a.after',
      'a.ip',
      sql<number>`(count(*) over ())::int`.as('total_count'),
    ]);
  if (filter.actorId) q = q.where('a.actor_id', '=', filter.actorId);
  if (filter.entity) q = q.where('a.entity', '=', filter.entity);
  if (filter.entityId) q = q.where('a.entity_id', '=', filter.entityId);
  if (filter.from && DATE_RE.test(filter.from)) q = q.where('a.at', '>=', startOfDay(filter.from, tz));
  if (filter.to && DATE_RE.test(filter.to)) {
    const next = new Date(startOfDay(filter.to, tz).getTime() + 24 * 3600_000);
    q = q.where('a.at', '<', next);
  }
  const rows = await q
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  return toPage(rows, filter.page);
}

export async function auditFilterOptions(db: Kysely<DB>) {
  const [users, entities] = await Promise.all([
    db.selectFrom('users').select(['id', 'name', 'email']).orderBy('name').execute(),
    db.selectFrom('audit_log').select('entity').distinct().orderBy('entity').execute(),
  ]);
  return { users, entities: entities.map((e) => e.entity) };
}
