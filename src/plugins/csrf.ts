// CSRF: a token bound to the session (or, before login, to a random cookie),
// required on every state-changing request outside the bearer-token API.
import { createHmac } from 'node:crypto';
import fp from 'fastify-plugin';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { randomToken, safeEqual } from '../lib/secrets.js';
import { HttpError } from '../lib/errors.js';

const ANON_COOKIE = 'fy_anon';
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export class CsrfError extends HttpError {
  constructor() {
    super(403, 'csrf', 'Missing or wrong CSRF token');
  }
}

/**
 * A file upload (multipart/form-data) is read by its handler as a stream, after
 * this hook has run, so a `_csrf` field in that body is out of reach here.
 * htmx sends the header; a plain form (no JavaScript) carries the token in its
 * action URL instead: `/imports?kind=lawyers&_csrf=...`. That is accepted for
 * multipart POSTs only, everything else stays body-or-header. The token is no
 * session secret (an HMAC of the session id), the URL stays on this origin
 * (Referrer-Policy: same-origin), and it is only as valid as the session.
 */
function multipartQueryToken(request: FastifyRequest): string | undefined {
  if (request.method !== 'POST') return undefined;
  const type = request.headers['content-type'];
  if (typeof type !== 'string' || !type.toLowerCase().startsWith('multipart/form-data')) return undefined;
  const token = (request.query as Record<string, unknown> | undefined)?._csrf;
  return typeof token === 'string' ? token : undefined;
}

export default fp(
  async function csrfPlugin(app: FastifyInstance) {
    const secret = app.config.sessionSecret;
    const sign = (subject: string) => createHmac('sha256', secret).update(subject).digest('base64url');
    // a new anonymous subject is sent back as a cookie with the response
    const pendingAnon = new WeakMap<FastifyRequest, string>();

    function expected(request: FastifyRequest, create: boolean): string | undefined {
      if (request.session) return sign(`s:${request.session.id}`);
      let anon = request.cookies[ANON_COOKIE];
      if (!anon) {
        if (!create) return undefined;
        anon = randomToken(18);
        request.cookies[ANON_COOKIE] = anon;
        pendingAnon.set(request, anon);
      }
      return sign(`a:${anon}`);
    }

    app.decorateRequest('csrfToken', function csrfToken(this: FastifyRequest) {
      return expected(this, true) ?? '';
    });

    app.addHook('onSend', async (request, reply) => {
      const anon = pendingAnon.get(request);
      if (anon) {
        reply.setCookie(ANON_COOKIE, anon, { path: '/', httpOnly: true, sameSite: 'lax', secure: app.config.secureCookies });
      }
    });

    app.addHook('preHandler', async (request) => {
      if (SAFE_METHODS.has(request.method) || request.url.startsWith('/api/')) return;
      const body = request.body as Record<string, unknown> | undefined;
      const sent = (typeof body?._csrf === 'string' ? body._csrf : undefined) ?? request.headers['x-csrf-token'] ?? multipartQueryToken(request);
      const want = expected(request, false);
      if (typeof sent !== 'string' || !want || !safeEqual(sent, want)) {
        request.log.warn({ url: request.url }, 'csrf token missing or wrong');
        throw new CsrfError();
      }
    });
  },
  { name: 'csrf', dependencies: ['session'] },
);
