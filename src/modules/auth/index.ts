// Login, logout, own password, language switch.
import type { FastifyInstance } from 'fastify';
import { login, changePassword } from './auth.service.js';
import { startSession, endSession, LANG_COOKIE } from '../../plugins/session.js';
import { redirect, requireUser, safeNext } from '../../plugins/auth.js';
import { isLang } from '../../i18n/index.js';
import { messages, str, type FormBody } from '../../lib/forms.js';
import { audit } from '../../plugins/audit.js';

export default async function authRoutes(app: FastifyInstance) {
  app.get<{ Querystring: { next?: string; out?: string } }>('/login', async (request, reply) => {
    if (request.user) return redirect(request, reply, '/');
    return reply.page('auth/login', {
      next: safeNext(request.query.next),
      email: '',
      error: null,
      notice: request.query.out ? request.t('login.loggedOut') : null,
    });
  });

  app.post<{ Body: FormBody }>('/login', async (request, reply) => {
    const email = str(request.body, 'email');
    const password = typeof request.body?.password === 'string' ? request.body.password : '';
    const next = safeNext(str(request.body, 'next'));
    const result = await login(app.db, email, password, request.ip);
    if (!result.ok) {
      const error =
        result.reason === 'locked'
          ? request.t('login.locked', { minutes: result.minutes })
          : result.reason === 'disabled'
            ? request.t('login.disabled')
            : request.t('login.failed');
      return reply.page('auth/login', { next, email, error, notice: null }, { status: result.reason === 'locked' ? 429 : 422 });
    }
    // a fresh session id at every login: a planted cookie is worth nothing
    if (request.session) await endSession(app.db, request.session.id);
    await startSession(app, request, reply, result.user.id);
    return redirect(request, reply, result.user.must_change_password ? '/password' : next);
  });

  app.post('/logout', async (request, reply) => {
    if (request.session && request.user) {
      await endSession(app.db, request.session.id);
      await audit(app.db, request.actor(), { action: 'logout', entity: 'user', entityId: request.user.id });
    }
    reply.clearCookie('fy_session', { path: '/' });
    return redirect(request, reply, '/login?out=1');
  });

  app.get('/password', { preHandler: requireUser() }, async (request, reply) => {
    return reply.page('auth/password', { errors: {}, mustChange: request.user?.mustChangePassword ?? false });
  });

  app.post<{ Body: FormBody }>('/password', { preHandler: requireUser() }, async (request, reply) => {
    const user = request.user!;
    const body = request.body ?? {};
    const input = {
      current: typeof body.current === 'string' ? body.current : '',
      next: typeof body.next === 'string' ? body.next : '',
      confirm: typeof body.confirm === 'string' ? body.confirm : '',
    };
    const errors = await changePassword(app.db, { ...request.actor(), id: user.id }, input, request.session?.id);
    if (errors.length) {
      return reply.page('auth/password', { errors: messages(errors, request.t), mustChange: user.mustChangePassword }, { status: 422 });
    }
    await reply.flash('ok', request.t('password.changed'));
    return redirect(request, reply, '/');
  });

  app.post<{ Body: FormBody }>('/lang', async (request, reply) => {
    const lang = str(request.body, 'lang');
    if (isLang(lang)) {
      reply.setCookie(LANG_COOKIE, lang, { path: '/', maxAge: 365 * 24 * 3600, sameSite: 'lax', httpOnly: true, secure: app.config.secureCookies });
    }
    return redirect(request, reply, safeNext(str(request.body, 'next')));
  });
}
