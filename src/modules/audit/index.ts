// The audit log page for admins and auditors.
import type { FastifyInstance } from 'fastify';
import { requireRole } from '../../plugins/auth.js';
import { pageNumber } from '../../lib/paging.js';
import { auditFilterOptions, listAudit } from './audit.service.js';

interface Query {
  user?: string;
  entity?: string;
  entityId?: string;
  from?: string;
  to?: string;
  page?: string;
}

export default async function auditRoutes(app: FastifyInstance) {
  app.get<{ Querystring: Query }>('/audit', { preHandler: requireRole('admin', 'auditor') }, async (request, reply) => {
    const q = request.query;
    const filter = {
      actorId: Number(q.user) || undefined,
      entity: q.entity || undefined,
      entityId: q.entityId || undefined,
      from: q.from || undefined,
      to: q.to || undefined,
      page: pageNumber(q.page),
    };
    const [result, options] = await Promise.all([listAudit(app.db, filter, app.config.tz), request.isHtmx ? null : auditFilterOptions(app.db)]);
    return reply.page('audit/index', { result, filter, options }, { fragment: 'audit/_table' });
  });
}
