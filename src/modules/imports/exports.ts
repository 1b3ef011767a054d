// GET /lawyers.csv and /volunteers.csv: the filtered list, every row. The files
// carry phones and emails, so only admins and managers may take them, and each
// export is audited with its filter and row count.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { requireRole } from '../../plugins/auth.js';
import { audit } from '../../plugins/audit.js';
import { todayIn } from '../../lib/format.js';
import { lawyerFilter, type LawyerListQuery } from '../lawyers/index.js';
import { volunteerFilter, type VolunteerListQuery } from '../volunteers/index.js';
import { exportLawyers, exportVolunteers, type CsvFile } from './exports.service.js';

export function sendCsv(reply: FastifyReply, name: string, file: CsvFile | string) {
  return reply
    .header('Content-Type', 'text/csv; charset=utf-8')
    .header('Content-Disposition', `attachment; filename="${name}"`)
    .header('Cache-Control', 'no-store')
    .send(typeof file === 'string' ? file : file.body);
}

export default async function exportRoutes(app: FastifyInstance) {
  const staff = { preHandler: requireRole('admin', 'manager') };

  app.get<{ Querystring: LawyerListQuery }>('/lawyers.csv', staff, async (request, reply) => {
    const { page: _page, ...filter } = lawyerFilter(request.query);
    const file = await exportLawyers(app.db, filter, request.t, request.lang);
    await audit(app.db, request.actor(), { action: 'lawyers.exported', entity: 'lawyer', after: { filter, rows: file.rows } });
    return sendCsv(reply, `lawyers-${todayIn(app.config.tz)}.csv`, file);
  });

  app.get<{ Querystring: VolunteerListQuery }>('/volunteers.csv', staff, async (request, reply) => {
    const { page: _page, ...filter } = volunteerFilter(request.query);
    const file = await exportVolunteers(app.db, filter, request.t, request.lang);
    await audit(app.db, request.actor(), { action: 'volunteers.exported', entity: 'volunteer', after: { filter, rows: file.rows } });
    return sendCsv(reply, `volunteers-${todayIn(app.config.tz)}.csv`, file);
  });
}
