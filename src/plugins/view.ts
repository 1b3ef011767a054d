// Eta views. One URL, two renderings: the whole page, or only its fragment when
// htmx asks (HX-Request, not a history restore). Pages include their fragment.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fp from 'fastify-plugin';
import { Eta } from 'eta';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Role } from '../db/types.js';
import type { MessageKey } from '../i18n/index.js';
import { unreadCount } from '../modules/events/notifications.js';

export const viewsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'views');

export interface PageOptions {
  /** template rendered alone for htmx requests */
  fragment?: string;
  status?: number;
}

interface NavItem {
  href: string;
  label: MessageKey;
}

const NAV: Record<Role, NavItem[]> = {
  admin: [
    { href: '/', label: 'nav.home' },
    { href: '/organizations', label: 'nav.organizations' },
    { href: '/lawyers', label: 'nav.lawyers' },
    { href: '/volunteers', label: 'nav.volunteers' },
    { href: '/users', label: 'nav.users' },
    { href: '/audit', label: 'nav.audit' },
    { href: '/calendar', label: 'nav.calendar' },
    { href: '/policies', label: 'nav.policies' },
  ],
  manager: [
    { href: '/', label: 'nav.home' },
    { href: '/cases', label: 'nav.cases' },
    { href: '/organizations', label: 'nav.organizations' },
    { href: '/lawyers', label: 'nav.lawyers' },
    { href: '/volunteers', label: 'nav.volunteers' },
    { href: '/consultations', label: 'nav.consultations' },
    { href: '/hours', label: 'nav.hours' },
    { href: '/reports/fairness', label: 'nav.fairness' },
    { href: '/quotas', label: 'nav.quotas' },
    { href: '/calendar', label: 'nav.calendar' },
    { href: '/policies', label: 'nav.policies' },
  ],
  lawyer: [
    { href: '/', label: 'nav.home' },
    { href: '/cases', label: 'nav.myCases' },
    { href: '/hours', label: 'nav.hours' },
    { href: '/profile', label: 'nav.profile' },
  ],
  volunteer: [
    { href: '/', label: 'nav.home' },
    { href: '/profile', label: 'nav.profile' },
  ],
  auditor: [
    { href: '/', label: 'nav.home' },
    { href: '/organizations', label: 'nav.organizations' },
    { href: '/lawyers', label: 'nav.lawyers' },
    { href: '/audit', label: 'nav.audit' },
    { href: '/reports/fairness', label: 'nav.fairness' },
    { href: '/quotas', label: 'nav.quotas' },
  ],
};

export function navFor(role: Role | undefined): NavItem[] {
  return role ? NAV[role] : [];
}

export function baseLocals(request: FastifyRequest, flash: unknown) {
  const path = request.url.split('?')[0] ?? '/';
  return {
    t: request.t,
    lang: request.lang,
    fmt: request.fmt,
    user: request.user,
    csrf: request.csrfToken(),
    path,
    url: request.url,
    flash,
    nav: navFor(request.user?.role),
    assets: request.server.assetUrls,
  };
}

export default fp(
  async function viewPlugin(app: FastifyInstance) {
    const eta = new Eta({ views: viewsDir, cache: true, autoEscape: true, autoTrim: [false, 'nl'], varName: 'it' });
    app.decorate('renderView', (view: string, data: Record<string, unknown>) => eta.render(view, data));

    app.decorateReply(
      'page',
      async function page(this: FastifyReply, view: string, data: Record<string, unknown> = {}, options: PageOptions = {}) {
        const request = this.request;
        const session = request.session;
        const flash = session?.flash ?? null;
        if (flash && session) {
          session.flash = null;
          await app.db.updateTable('sessions').set({ flash: null }).where('id', '=', session.id).execute();
        }
        const template = request.isHtmx && options.fragment ? options.fragment : view;
        // the navigation's "Notifications (n)", only when the layout is drawn: read with the session (plugins/session.ts)
        const user = request.user;
        const unreadNotes = user && template === view ? (session?.unreadNotes ?? (await unreadCount(app.db, { id: user.id, volunteerId: user.volunteerId, lawyerId: user.lawyerId }))) : 0;
        const locals = { ...baseLocals(request, flash), unreadNotes, ...data };
        const html = eta.render(template, locals);
        this.header('Vary', 'HX-Request');
        this.type('text/html; charset=utf-8');
        if (options.status) this.code(options.status);
        return this.send(html);
      } as unknown as FastifyReply['page'],
    );
  },
  { name: 'view', dependencies: ['session', 'csrf', 'assets'] },
);
