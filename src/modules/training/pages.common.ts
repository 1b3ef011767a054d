// Small pieces the training pages share: who counts as a manager here, the
// lawyer or volunteer behind an account, and loading a row by a path id (404
// for anything that is not one).
import type { FastifyRequest } from 'fastify';
import { ForbiddenError, NotFoundError } from '../../lib/errors.js';
import type { Person } from './training.rules.js';

/** Managers and admins run courses, sessions and attendance (as in the JSON API). */
export const isManager = (request: FastifyRequest) => request.user?.role === 'manager' || request.user?.role === 'admin';

interface Account {
  role: string;
  lawyerId?: number | null;
  volunteerId?: number | null;
}

/** The lawyer or volunteer an account belongs to; with `required`, an unlinked account is refused. */
export function trainingPersonOf(user: Account | null, required = false): Person | null {
  if (user?.role === 'lawyer' && user.lawyerId) return { kind: 'lawyer', id: user.lawyerId };
  if (user?.role === 'volunteer' && user.volunteerId) return { kind: 'volunteer', id: user.volunteerId };
  if (required) throw new ForbiddenError('This account is not linked to a lawyer or volunteer');
  return null;
}

export async function loadById<T>(id: string, load: (id: number) => Promise<T | undefined>, message: string): Promise<T> {
  const row = /^\d{1,10}$/.test(id) ? await load(Number(id)) : undefined;
  if (!row) throw new NotFoundError(message);
  return row;
}
