// The append-only audit log: who did what to which entity, with before and after.
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../db/types.js';

export interface Actor {
  id: number | null;
  name: string;
  ip?: string | null;
  requestId?: string | null;
}

export const SYSTEM_ACTOR: Actor = { id: null, name: 'system' };

export interface AuditEntry {
  action: string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_FIELDS = new Set(['password', 'password_hash', 'passwordHash', 'token', 'token_hash', 'tokenHash']);

/** Drops secrets from a snapshot so the log never holds a password or token hash. */
function scrub(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map(scrub);
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!SECRET_FIELDS.has(k)) out[k] = scrub(v);
    return out;
  }
  return value;
}

/** The audit_log row of an entry (secrets scrubbed): for a statement that writes it along with other rows. */
export function auditValues(actor: Actor, entry: AuditEntry) {
  const before = scrub(entry.before);
  const after = scrub(entry.after);
  return {
    actor_id: actor.id,
    actor_name: actor.name,
    action: entry.action,
    entity: entry.entity,
    entity_id: entry.entityId === undefined || entry.entityId === null ? null : String(entry.entityId),
    before: before === null ? null : JSON.stringify(before),
    after: after === null ? null : JSON.stringify(after),
    ip: actor.ip ?? null,
    request_id: actor.requestId ?? null,
  };
}

export async function audit(db: Kysely<DB> | Transaction<DB>, actor: Actor, entry: AuditEntry): Promise<void> {
  await db.insertInto('audit_log').values(auditValues(actor, entry)).execute();
}

/** Only the fields that changed, for compact before/after records. */
export function changedFields<T extends Record<string, unknown>>(before: T, after: Partial<T>): { before: Partial<T>; after: Partial<T> } {
  const b: Partial<T> = {};
  const a: Partial<T> = {};
  for (const key of Object.keys(after) as (keyof T)[]) {
    const was = before[key];
    const now = after[key];
    if (JSON.stringify(scrub(was)) !== JSON.stringify(scrub(now))) {
      b[key] = was;
      a[key] = now;
    }
  }
  return { before: b, after: a };
}
