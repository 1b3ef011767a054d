// Each user's own API tokens.
import type { FastifyInstance } from 'fastify';
import { requireUser, redirect } from '../../plugins/auth.js';
import { authorize } from '../../lib/access.js';
import { ValidationError } from '../../lib/errors.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import { createToken, getToken, listTokens, revokeToken } from './tokens.service.js';

export default async function tokenRoutes(app: FastifyInstance) {
  const guard = { preHandler: requireUser() };

  app.get('/tokens', guard, async (request, reply) => {
    const tokens = await listTokens(app.db, request.user!.id);
    return reply.page('tokens/index', { tokens, newToken: null, errors: {}, name: '' });
  });

  app.post<{ Body: FormBody }>('/tokens', guard, async (request, reply) => {
    const name = str(request.body, 'name');
    try {
      const { token } = await createToken(app.db, request.actor(), request.user!.id, name);
      const tokens = await listTokens(app.db, request.user!.id);
      // shown in this answer only: the database keeps just its hash
      return reply.page('tokens/index', { tokens, newToken: token, errors: {}, name: '' }, { status: 201 });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      const tokens = await listTokens(app.db, request.user!.id);
      return reply.page('tokens/index', { tokens, newToken: null, errors: messages(err.fields, request.t), name }, { status: 422 });
    }
  });

  app.post<{ Params: { id: string } }>('/tokens/:id/revoke', guard, async (request, reply) => {
    const token = await authorize(request.user, 'api_token', 'write', () => getToken(app.db, Number(request.params.id)));
    await revokeToken(app.db, request.actor(), token.id);
    await reply.flash('ok', request.t('tokens.revokedDone'));
    return redirect(request, reply, '/tokens');
  });
}
