// Admin's user pages: list with search, create, edit, disable/enable, reset password.
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, redirect } from '../../plugins/auth.js';
import { authorize } from '../../lib/access.js';
import { ValidationError } from '../../lib/errors.js';
import { messages, optional, str, type FormBody } from '../../lib/forms.js';
import { pageNumber } from '../../lib/paging.js';
import { ROLES, type Role } from '../../db/types.js';
import { createUser, getUser, listUsers, resetPassword, setDisabled, updateUser, type UserInput } from './users.service.js';

function readForm(body: FormBody | undefined): UserInput {
  return {
    email: str(body, 'email'),
    name: str(body, 'name'),
    role: str(body, 'role') as Role,
    password: optional(body, 'password'),
  };
}

export default async function userRoutes(app: FastifyInstance) {
  const admin = { preHandler: requireRole('admin') };
  const load = (request: FastifyRequest<{ Params: { id: string } }>) =>
    authorize(request.user, 'user', 'write', () => getUser(app.db, Number(request.params.id)));

  app.get<{ Querystring: { q?: string; role?: string; page?: string } }>('/users', admin, async (request, reply) => {
    const filter = { q: request.query.q?.trim() ?? '', role: request.query.role ?? '', page: pageNumber(request.query.page) };
    const result = await listUsers(app.db, filter);
    return reply.page('users/index', { result, filter, roles: ROLES }, { fragment: 'users/_table' });
  });

  const form = (reply: FastifyReply, data: Record<string, unknown>, status?: number) =>
    reply.page('users/form', { roles: ROLES, errors: {}, ...data }, { status });

  app.get('/users/new', admin, async (_request, reply) => form(reply, { target: null, values: { role: 'manager' } }));

  app.post<{ Body: FormBody }>('/users', admin, async (request, reply) => {
    const input = readForm(request.body);
    try {
      const { user, password } = await createUser(app.db, request.actor(), input);
      // secrets are rendered once in this answer, never stored for a later page
      const secret = input.password ? null : request.t('users.created', { password });
      return form(reply, { target: user, values: user, secret, notice: request.t('users.saved') }, 201);
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(reply, { target: null, values: input, errors: messages(err.fields, request.t) }, 422);
    }
  });

  app.get<{ Params: { id: string } }>('/users/:id/edit', admin, async (request, reply) => {
    const target = await load(request);
    return form(reply, { target, values: target });
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/users/:id', admin, async (request, reply) => {
    const target = await load(request);
    const input = readForm(request.body);
    try {
      await updateUser(app.db, request.actor(), target.id, input);
      await reply.flash('ok', request.t('users.saved'));
      return redirect(request, reply, '/users');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      return form(reply, { target, values: input, errors: messages(err.fields, request.t) }, 422);
    }
  });

  app.post<{ Params: { id: string }; Body: FormBody }>('/users/:id/disabled', admin, async (request, reply) => {
    const target = await load(request);
    const disable = str(request.body, 'disabled') === '1';
    try {
      await setDisabled(app.db, request.actor(), target.id, disable);
      await reply.flash('ok', request.t(disable ? 'users.disabledDone' : 'users.enabledDone'));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      await reply.flash('error', request.t(err.fields[0].key));
    }
    return redirect(request, reply, `/users/${target.id}/edit`);
  });

  app.post<{ Params: { id: string } }>('/users/:id/password', admin, async (request, reply) => {
    const target = await load(request);
    const password = await resetPassword(app.db, request.actor(), target.id);
    return form(reply, { target, values: target, secret: request.t('users.reset', { password }) });
  });
}
