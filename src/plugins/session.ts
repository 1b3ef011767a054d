// Server-side sessions in PostgreSQL: revocable, shared by every instance. The
// cookie holds a random id; the table holds only its hash. Touched at most once
// a minute so reads stay reads.
import fp from 'fastify-plugin';
import { sql, type Kysely } from 'kysely';
import { unreadOfUser } from '../modules/events/notifications.js';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { DB, Role } from '../db/types.js';
import { randomToken, sha256 } from '../lib/secrets.js';
import { formatters } from '../lib/format.js';
import { pickLang, translator } from '../i18n/index.js';
import type { Actor } from './audit.js';

export const SESSION_COOKIE = 'fy_session';
export const LANG_COOKIE = 'fy_lang';
const IDLE_HOURS = 12;
const ABSOLUTE_DAYS = 7;
const TOUCH_AFTER_MS = 60_000;

export interface SessionUser {
  id: number;
  email: string;
  name: string;
  role: Role;
  mustChangePassword: boolean;
  lawyerId: number | null;
  volunteerId: number | null;
}

export interface Flash {
  kind: 'ok' | 'error';
  text: string;
}

export interface CurrentSession {
  id: string;
  flash: Flash | null;
  /** the user's unread notifications when the session was read (the navigation shows it) */
  unreadNotes: number;
}

/** Paths that never need the session: static files, health, and the token-authenticated API. */
export function isSessionless(url: string): boolean {
  return url.startsWith('/assets/') || url.startsWith('/api/') || url === '/healthz' || url === '/readyz';
}

export async function startSession(app: FastifyInstance, request: FastifyRequest, reply: FastifyReply, userId: number): Promise<void> {
  const raw = randomToken();
  await app.db
    .insertInto('sessions')
    .values({
      id: sha256(raw),
      user_id: userId,
      expires_at: new Date(Date.now() + IDLE_HOURS * 3600_000),
      ip: request.ip,
      user_agent: (request.headers['user-agent'] ?? '').slice(0, 300),
    })
    .execute();
  reply.setCookie(SESSION_COOKIE, raw, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: app.config.secureCookies,
  });
}

export async function endSession(db: Kysely<DB>, sessionId: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', sessionId).execute();
}

/** Ends every session of a user (disable, password change), optionally keeping one. */
export async function endUserSessions(db: Kysely<DB>, userId: number, keep?: string): Promise<void> {
  let q = db.deleteFrom('sessions').where('user_id', '=', userId);
  if (keep) q = q.where('id', '!=', keep);
  await q.execute();
}

export default fp(
  async function sessionPlugin(app: FastifyInstance) {
    const tz = app.config.tz;
    app.decorateRequest('user', null);
    app.decorateRequest('session', null);
    app.decorateRequest('lang', 'zh-CN');
    app.decorateRequest('t', translator('zh-CN'));
    app.decorateRequest('fmt', null as unknown as ReturnType<typeof formatters>);
    app.decorateRequest('isHtmx', false);
    app.decorateRequest('actor', function actor(this: FastifyRequest): Actor {
      return { id: this.user?.id ?? null, name: this.user?.email ?? 'anonymous', ip: this.ip, requestId: this.id };
    });
    app.decorateReply('flash', async function flash(this: FastifyReply, kind: 'ok' | 'error', text: string) {
      const session = this.request.session;
      if (!session) return;
      await app.db
        .updateTable('sessions')
        .set({ flash: JSON.stringify({ kind, text }) })
        .where('id', '=', session.id)
        .execute();
    });

    app.addHook('onRequest', async (request, reply) => {
      const lang = pickLang(request.cookies[LANG_COOKIE], request.headers['accept-language']);
      request.lang = lang;
      request.t = translator(lang);
      request.fmt = formatters(lang, tz);
      // a fragment is wanted only by targeted htmx requests; boosted navigation and
      // history restores want the whole page
      const h = request.headers;
      request.isHtmx = h['hx-request'] === 'true' && h['hx-boosted'] !== 'true' && h['hx-history-restore-request'] !== 'true';
      if (isSessionless(request.url)) return;
      const raw = request.cookies[SESSION_COOKIE];
      if (!raw) return;
      const id = sha256(raw);
      const row = await app.db
        .selectFrom('sessions as s')
        .innerJoin('users as u', 'u.id', 's.user_id')
        .select([
          's.id',
          's.last_seen_at',
          's.flash',
          'u.id as user_id',
          'u.email',
          'u.name',
          'u.role',
          'u.must_change_password',
          'u.lawyer_id',
          'u.volunteer_id',
          // in the same round trip: every page's navigation shows it
          unreadOfUser.as('unread_notes'),
        ])
        .where('s.id', '=', id)
        .where('s.expires_at', '>', sql<Date>`now()`)
        .where('u.disabled_at', 'is', null)
        .executeTakeFirst();
      app.dbHealth.markUp();
      if (!row) {
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return;
      }
      request.session = { id: row.id, flash: (row.flash as Flash | null) ?? null, unreadNotes: row.unread_notes };
      request.user = {
        id: row.user_id,
        email: row.email,
        name: row.name,
        role: row.role,
        mustChangePassword: row.must_change_password,
        lawyerId: row.lawyer_id,
        volunteerId: row.volunteer_id,
      };
      if (Date.now() - new Date(row.last_seen_at).getTime() > TOUCH_AFTER_MS) {
        await app.db
          .updateTable('sessions')
          .set({
            last_seen_at: sql<Date>`now()`,
            expires_at: sql<Date>`least(created_at + make_interval(days => ${ABSOLUTE_DAYS}), now() + make_interval(hours => ${IDLE_HOURS}))`,
          })
          .where('id', '=', id)
          .execute();
      }
    });
  },
  { name: 'session', dependencies: ['db'] },
);
