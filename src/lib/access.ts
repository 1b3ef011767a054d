// Object-level authorization: every route that takes an id loads the row through
// here. What a user may not see does not exist for them: 404, never 403.
import type { Role } from '../db/types.js';
import { NotFoundError } from './errors.js';

export interface Subject {
  id: number;
  role: Role;
  lawyerId?: number | null;
  volunteerId?: number | null;
}

/** An id that can name a row (a positive int4); anything else cannot exist. */
export function isRowId(id: number): boolean {
  return Number.isInteger(id) && id >= 1 && id <= 2147483647;
}

type Rule<T> = (user: Subject, row: T) => boolean;

const anyOf =
  (...roles: Role[]): Rule<unknown> =>
  (user) =>
    roles.includes(user.role);

/** Who may read or write each kind of object. Later modules add their entities here. */
export const policies = {
  organization: { read: anyOf('admin', 'manager', 'auditor'), write: anyOf('admin', 'manager') },
  user: { read: anyOf('admin'), write: anyOf('admin') },
  lawyer: {
    read: (user: Subject, row: { id: number }) => ['admin', 'manager', 'auditor'].includes(user.role) || (user.role === 'lawyer' && user.lawyerId === row.id),
    write: anyOf('admin', 'manager'),
  },
  volunteer: {
    read: (user: Subject, row: { id: number }) => ['admin', 'manager'].includes(user.role) || (user.role === 'volunteer' && user.volunteerId === row.id),
    write: anyOf('admin', 'manager'),
  },
  // an import run holds a whole uploaded file: only the one who uploaded it, or an admin
  import_run: {
    read: (user: Subject, row: { created_by: number }) => user.role === 'admin' || (user.role === 'manager' && row.created_by === user.id),
    write: (user: Subject, row: { created_by: number }) => user.role === 'admin' || (user.role === 'manager' && row.created_by === user.id),
  },
  // a case file: managers, and the lawyer it is assigned to (nobody else, not admin or auditor)
  case: {
    read: (user: Subject, row: { lawyer_id: number | null }) =>
      user.role === 'manager' || (user.role === 'lawyer' && !!user.lawyerId && row.lawyer_id === user.lawyerId),
    write: anyOf('manager'),
  },
  consultation: { read: anyOf('manager'), write: anyOf('manager') },
  // a lawyer's yearly obligation (row: the lawyer): managers and auditors, and the lawyer themself
  quota: {
    read: (user: Subject, row: { id: number }) => ['manager', 'auditor'].includes(user.role) || (user.role === 'lawyer' && user.lawyerId === row.id),
    write: anyOf(),
  },
  // logged hours: managers and their owner read; the owner changes them while pending and the month is open
  // (`locked` is computed by the caller from the hours_lock policy); only a manager decides
  hour_entry: {
    read: (user: Subject, row: { lawyer_id: number | null; volunteer_id: number | null }) =>
      user.role === 'manager' ||
      (user.role === 'lawyer' && !!user.lawyerId && row.lawyer_id === user.lawyerId) ||
      (user.role === 'volunteer' && !!user.volunteerId && row.volunteer_id === user.volunteerId),
    write: (user: Subject, row: { lawyer_id: number | null; volunteer_id: number | null; status: string; locked?: boolean }) =>
      row.status === 'pending' && !row.locked && (user.role === 'lawyer' ? !!user.lawyerId && row.lawyer_id === user.lawyerId : user.role === 'volunteer' && !!user.volunteerId && row.volunteer_id === user.volunteerId),
    decide: anyOf('manager'),
  },
  api_token: {
    read: (user: Subject, row: { user_id: number }) => row.user_id === user.id,
    write: (user: Subject, row: { user_id: number }) => row.user_id === user.id,
  },
} satisfies Record<string, { read: Rule<never>; write: Rule<never>; decide?: Rule<never> }>;

export type Entity = keyof typeof policies;
type RowOf<E extends Entity> = Parameters<(typeof policies)[E]['read']>[1];

/** Loads a row and returns it only if the user may act on it; otherwise NotFound. */
export async function authorize<E extends Entity, T extends RowOf<E>>(
  user: Subject | null,
  entity: E,
  action: 'read' | 'write',
  load: () => Promise<T | undefined>,
): Promise<T> {
  if (!user) throw new NotFoundError();
  const rule = policies[entity][action] as Rule<T>;
  const row = await load();
  if (!row || !rule(user, row)) throw new NotFoundError();
  return row;
}

export function may(user: Subject | null, entity: Entity, action: 'read' | 'write'): boolean {
  if (!user) return false;
  const rule = policies[entity][action] as Rule<unknown>;
  return rule.length < 2 ? rule(user, undefined) : true;
}
