// Request, reply and instance decorations shared by the plugins.
import type { Kysely } from 'kysely';
import type { Config } from './config.js';
import type { DB } from './db/types.js';
import type { Lang, Translate } from './i18n/index.js';
import type { SessionUser, CurrentSession } from './plugins/session.js';
import type { PageOptions } from './plugins/view.js';
import type { DbHealth } from './plugins/db.js';
import type { Actor } from './plugins/audit.js';
import type { Formatters } from './lib/format.js';

declare module 'fastify' {
  interface FastifyInstance {
    db: Kysely<DB>;
    dbKind: 'pg' | 'pglite';
    config: Config;
    dbHealth: DbHealth;
    renderView(view: string, data: Record<string, unknown>): string;
  }
  interface FastifyRequest {
    lang: Lang;
    t: Translate;
    fmt: Formatters;
    user: SessionUser | null;
    session: CurrentSession | null;
    csrfToken(): string;
    actor(): Actor;
    isHtmx: boolean;
  }
  interface FastifyReply {
    page(view: string, data?: Record<string, unknown>, options?: PageOptions): FastifyReply;
    flash(kind: 'ok' | 'error', text: string): Promise<void>;
  }
}
