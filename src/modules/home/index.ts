// The home page per role (later issues fill each with its own work), and health checks.
import { sql } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { requireUser } from '../../plugins/auth.js';
import { today } from '../cases/cases.service.js';
import { lawyerCaseFigures, managerCaseFigures } from './home.cases.js';
import { lawyerQuota } from '../quotas/quotas.service.js';

export default async function homeRoutes(app: FastifyInstance) {
  app.get('/', { preHandler: requireUser() }, async (request, reply) => {
    const role = request.user!.role;
    let stats: Record<string, number> | null = null;
    if (role === 'admin' || role === 'manager' || role === 'auditor') {
      const row = await app.db
        .selectNoFrom([
          sql<number>`(select count(*) from organizations)::int`.as('organizations'),
          sql<number>`(select count(*) from lawyers)::int`.as('lawyers'),
          sql<number>`(select count(*) from volunteers)::int`.as('volunteers'),
          sql<number>`(select count(*) from users where disabled_at is null)::int`.as('users'),
        ])
        .executeTakeFirstOrThrow();
      stats = row;
    }
    const lawyerId = request.user!.lawyerId;
    const cases =
      role === 'manager' ? await managerCaseFigures(app.db, today()) : role === 'lawyer' && lawyerId ? await lawyerCaseFigures(app.db, lawyerId, today()) : null;
    // a lawyer's own obligation for this year
    const quota = role === 'lawyer' && lawyerId ? await lawyerQuota(app.db, lawyerId, Number(today().slice(0, 4)), today()) : null;
    return reply.page(`home/${role}`, { stats, cases, quota });
  });

  // "my profile": the person record behind the account
  app.get('/profile', { preHandler: requireUser() }, async (request, reply) => {
    const user = request.user!;
    if (user.role === 'lawyer' && user.lawyerId) return reply.redirect(`/lawyers/${user.lawyerId}`, 303);
    if (user.role === 'volunteer' && user.volunteerId) return reply.redirect(`/volunteers/${user.volunteerId}`, 303);
    return reply.redirect('/password', 303);
  });

  app.get('/healthz', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  app.get('/readyz', { schema: { hide: true } }, async (_request, reply) => {
    try {
      await sql`select 1`.execute(app.db);
      app.dbHealth.markUp();
      return { status: 'ok', database: 'ok' };
    } catch (err) {
      app.dbHealth.markDown(err);
      return reply.code(503).send({ status: 'unavailable', database: 'unreachable' });
    }
  });
}
