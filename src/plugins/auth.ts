// Route guards for the HTML side: who must be logged in, which roles may enter,
// and the forced password change after an admin reset.
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Role } from '../db/types.js';
import { ForbiddenError } from '../lib/errors.js';
import { isSessionless } from './session.js';

const OPEN_WHEN_MUST_CHANGE = ['/password', '/logout', '/lang', '/login'];

export function redirect(request: FastifyRequest, reply: FastifyReply, to: string) {
  // htmx follows a 303 inside the swap; a full navigation needs HX-Redirect
  if (request.isHtmx) return reply.header('HX-Redirect', to).code(204).send();
  return reply.redirect(to, 303);
}

function toLogin(request: FastifyRequest, reply: FastifyReply) {
  const next = request.method === 'GET' ? `?next=${encodeURIComponent(request.url)}` : '';
  return redirect(request, reply, `/login${next}`);
}

export function requireUser(): preHandlerAsyncHookHandler {
  return async function (request, reply) {
    if (!request.user) return toLogin(request, reply);
  };
}

export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  return async function (request, reply) {
    if (!request.user) return toLogin(request, reply);
    if (!roles.includes(request.user.role)) throw new ForbiddenError();
  };
}

/** A local path to go back to after login; anything else goes home. */
export function safeNext(next: unknown): string {
  if (typeof next !== 'string' || !next.startsWith('/') || next.startsWith('//') || next.startsWith('/\\')) return '/';
  return next;
}

export default fp(
  async function authPlugin(app: FastifyInstance) {
    app.addHook('preHandler', async (request, reply) => {
      const user = request.user;
      if (!user?.mustChangePassword || isSessionless(request.url)) return;
      const path = request.url.split('?')[0] ?? '';
      if (OPEN_WHEN_MUST_CHANGE.includes(path)) return;
      return redirect(request, reply, '/password');
    });
  },
  { name: 'auth', dependencies: ['session'] },
);
