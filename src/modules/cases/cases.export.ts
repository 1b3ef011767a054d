// GET /cases.csv: the cases matching the /cases filters, every row, in the
// queue's order. The file names applicants, so only managers may take it
// (DOMAIN: exports with personal data), ID numbers are masked as in the lists,
// and each export is audited with its filter and row count.
import type { FastifyInstance } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Lang, MessageKey, Translate } from '../../i18n/index.js';
import { BOM, csvLines, safeCell } from '../../lib/csv.js';
import { maskIdNumber } from '../../lib/idnumber.js';
import { requireRole } from '../../plugins/auth.js';
import { audit } from '../../plugins/audit.js';
import { sendCsv } from '../imports/exports.js';
import type { CsvFile } from '../imports/exports.service.js';
import { filteredCases, type CaseFilter } from './cases.queries.js';
import { today } from './cases.service.js';

/** The query string of /cases, with the same names. */
export interface CaseListQuery {
  queue?: string;
  status?: string;
  q?: string;
  kind?: string;
  category?: string;
  region?: string;
  green?: string;
  overdue?: string;
  emergency?: string;
  page?: string;
}

/** A yes/no filter from the query string: the page's checkboxes send 1, links may say true/on/yes. */
export const flag = (v: string | undefined) => ['1', 'true', 'on', 'yes'].includes(v ?? '');

export function exportFilter(q: CaseListQuery): CaseFilter {
  const filter: CaseFilter = {};
  if (q.queue) filter.queue = q.queue;
  if (q.status) filter.status = q.status;
  if (q.q?.trim()) filter.q = q.q.trim();
  if (q.kind) filter.kind = q.kind;
  if (q.category) filter.category = q.category;
  if (q.region) filter.regionCode = q.region;
  if (flag(q.green)) filter.green = true;
  if (flag(q.overdue)) filter.overdue = true;
  if (flag(q.emergency)) filter.emergency = true;
  return filter;
}

const HEADERS: MessageKey[] = [
  'consult.csv.number',
  'consult.csv.status',
  'consult.csv.applicant',
  'consult.csv.idNumber',
  'consult.csv.kind',
  'consult.csv.category',
  'consult.csv.region',
  'consult.csv.green',
  'consult.csv.emergency',
  'cases.csv.lifeSentence',
  'consult.csv.appliedOn',
  'consult.csv.dueOn',
  'consult.csv.lawyer',
];

export async function exportCases(db: Kysely<DB>, filter: CaseFilter, t: Translate, lang: Lang, on = today()): Promise<CsvFile> {
  const rows = await filteredCases(db, filter, on)
    .select([
      'c.number',
      'c.status',
      'c.applicant_name',
      'c.applicant_id_number',
      'c.kind',
      'c.category',
      'r.name_zh',
      'r.name_en',
      'c.green_channel',
      'c.emergency',
      'c.possible_life_sentence',
      'c.applied_on',
      'c.due_on',
      'l.name as lawyer_name',
    ])
    .orderBy('c.green_channel', 'desc')
    .orderBy(sql`least(c.due_on, case when c.paperwork_received_on is null then c.paperwork_due_on end) asc nulls last`)
    .orderBy('c.id', 'desc')
    .execute();
  const yesNo = (v: boolean) => t(v ? 'common.yes' : 'common.no');
  const records = rows.map((c) => [
    c.number,
    t(`case.status.${c.status}` as MessageKey),
    safeCell(c.applicant_name),
    // never the full number: the file leaves the system
    maskIdNumber(c.applicant_id_number),
    t(`case.kind.${c.kind}` as MessageKey),
    t(`area.${c.category}` as MessageKey),
    lang === 'en' ? c.name_en : c.name_zh,
    yesNo(c.green_channel),
    yesNo(c.emergency),
    yesNo(c.possible_life_sentence),
    c.applied_on,
    c.due_on ?? '',
    safeCell(c.lawyer_name),
  ]);
  return { body: BOM + csvLines([HEADERS.map((h) => t(h)), ...records]), rows: rows.length };
}

export default async function caseExportRoutes(app: FastifyInstance) {
  app.get<{ Querystring: CaseListQuery }>('/cases.csv', { preHandler: requireRole('manager') }, async (request, reply) => {
    const filter = exportFilter(request.query);
    const file = await exportCases(app.db, filter, request.t, request.lang);
    await audit(app.db, request.actor(), { action: 'case.exported', entity: 'case', after: { filter, rows: file.rows } });
    return sendCsv(reply, `cases-${today()}.csv`, file);
  });
}
