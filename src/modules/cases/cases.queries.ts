// Reading cases: the queues (manager), a lawyer's own list, counts per status,
// and one case with everything its page shows.
import { sql } from 'kysely';
import { CASE_KINDS, CASE_STATUSES, PRACTICE_AREAS, type Case, type CaseStatus } from '../../db/types.js';
import { PAGE_SIZE, toPage } from '../../lib/paging.js';
import { maskIdNumber } from '../../lib/idnumber.js';
import { calendarForCases, deadlinesOf, today, type Db, type Deadline } from './cases.service.js';

/** The manager's queues: each a stage of the flow. */
export const QUEUES = {
  review: ['applied', 'pending_materials'],
  decided: ['granted', 'appealed'],
  handling: ['assigned', 'accepted'],
  quality: ['closed', 'reviewed'],
  finished: ['refused', 'withdrawn', 'terminated', 'transferred'],
} as const satisfies Record<string, readonly CaseStatus[]>;
export type QueueName = keyof typeof QUEUES;
export const QUEUE_NAMES = Object.keys(QUEUES) as QueueName[];

export interface CaseFilter {
  queue?: string;
  status?: string;
  q?: string;
  kind?: string;
  category?: string;
  regionCode?: string;
  green?: boolean;
  overdue?: boolean;
  emergency?: boolean;
  /** a lawyer's view: only the cases assigned to them */
  lawyerId?: number;
}

const has = (list: readonly string[], v: string | undefined): v is string => !!v && list.includes(v);

export function filteredCases(db: Db, filter: CaseFilter, on: string) {
  let q = db.selectFrom('cases as c').innerJoin('regions as r', 'r.code', 'c.region_code').leftJoin('lawyers as l', 'l.id', 'c.lawyer_id');
  if (filter.lawyerId !== undefined) q = q.where('c.lawyer_id', '=', filter.lawyerId);
  if (has(CASE_STATUSES, filter.status)) q = q.where('c.status', '=', filter.status as CaseStatus);
  else if (filter.queue && filter.queue in QUEUES) q = q.where('c.status', 'in', QUEUES[filter.queue as QueueName]);
  if (filter.q) {
    const like = `%${filter.q.replace(/[\\%_]/g, '\\$&')}%`;
    q = q.where((eb) => eb.or([eb('c.applicant_name', 'ilike', like), eb('c.number', 'like', like)]));
  }
  if (has(CASE_KINDS, filter.kind)) q = q.where('c.kind', '=', filter.kind as Case['kind']);
  if (has(PRACTICE_AREAS, filter.category)) q = q.where('c.category', '=', filter.category);
  if (filter.regionCode) q = q.where('c.region_code', '=', filter.regionCode);
  if (filter.green) q = q.where('c.green_channel', '=', true);
  if (filter.emergency) q = q.where('c.emergency', '=', true);
  if (filter.overdue)
    q = q.where((eb) =>
      eb.or([
        eb.and([eb('c.status', 'in', ['applied', 'pending_materials', 'granted', 'appealed']), eb('c.due_on', '<', on)]),
        // as deadlinesOf: a withdrawn, terminated or transferred case owes no paperwork
        eb.and([
          eb('c.emergency', '=', true),
          eb('c.paperwork_received_on', 'is', null),
          eb('c.paperwork_due_on', '<', on),
          eb('c.status', 'not in', ['withdrawn', 'terminated', 'transferred']),
        ]),
      ]),
    );
  return q;
}

export interface CaseListRow {
  id: number;
  number: string;
  status: CaseStatus;
  applicant_name: string;
  applicant_id_masked: string;
  kind: Case['kind'];
  category: string;
  region_zh: string;
  region_en: string;
  green_channel: boolean;
  emergency: boolean;
  applied_on: string;
  due_on: string | null;
  paperwork_due_on: string | null;
  lawyer_name: string | null;
  deadlines: Deadline[];
  overdue: boolean;
}

/** One page of a queue: green channel first, then what is due first. */
export async function listCases(db: Db, filter: CaseFilter & { page: number }, on = today()) {
  const rows = await filteredCases(db, filter, on)
    .select([
      'c.id',
      'c.number',
      'c.status',
      'c.applicant_name',
      'c.applicant_id_number',
      'c.kind',
      'c.category',
      'r.name_zh as region_zh',
      'r.name_en as region_en',
      'c.green_channel',
      'c.emergency',
      'c.applied_on',
      'c.due_on',
      'c.paperwork_due_on',
      'c.paperwork_received_on',
      'l.name as lawyer_name',
      sql<number>`(count(*) over ())::int`.as('total_count'),
    ])
    .orderBy('c.green_channel', 'desc')
    .orderBy(sql`least(c.due_on, case when c.paperwork_received_on is null then c.paperwork_due_on end) asc nulls last`)
    .orderBy('c.id', 'desc')
    .limit(PAGE_SIZE)
    .offset((filter.page - 1) * PAGE_SIZE)
    .execute();
  const cal = await calendarForCases(db, rows, on);
  const items: (CaseListRow & { total_count: number })[] = rows.map(({ applicant_id_number, paperwork_received_on, ...r }) => {
    const deadlines = deadlinesOf({ ...r, paperwork_received_on }, cal, on);
    return { ...r, applicant_id_masked: maskIdNumber(applicant_id_number), deadlines, overdue: deadlines.some((d) => d.overdue) };
  });
  return toPage(items, filter.page);
}

/** How many cases each status holds, within the filter but across every status (for the queue tabs). */
export async function statusCounts(db: Db, filter: CaseFilter, on = today()): Promise<Record<CaseStatus, number>> {
  const rows = await filteredCases(db, { ...filter, status: undefined, queue: undefined }, on)
    .select(['c.status', sql<number>`count(*)::int`.as('n')])
    .groupBy('c.status')
    .execute();
  const out = Object.fromEntries(CASE_STATUSES.map((s) => [s, 0])) as Record<CaseStatus, number>;
  for (const r of rows) out[r.status] = r.n;
  return out;
}

export function queueCounts(counts: Record<CaseStatus, number>): Record<QueueName, number> {
  return Object.fromEntries(QUEUE_NAMES.map((q) => [q, QUEUES[q].reduce((n, s) => n + counts[s], 0)])) as Record<QueueName, number>;
}

/** Everything the case page shows, in one round of parallel queries. */
export async function caseDetail(db: Db, c: Case, on = today()) {
  const [region, centre, transferredTo, lawyer, events, materials, dates, cal] = await Promise.all([
    db.selectFrom('regions').select(['code', 'name_zh', 'name_en']).where('code', '=', c.region_code).executeTakeFirst(),
    c.centre_id ? db.selectFrom('organizations').select(['id', 'name']).where('id', '=', c.centre_id).executeTakeFirst() : undefined,
    c.transferred_to ? db.selectFrom('organizations').select(['id', 'name']).where('id', '=', c.transferred_to).executeTakeFirst() : undefined,
    c.lawyer_id ? db.selectFrom('lawyers').select(['id', 'name', 'phone', 'license_no']).where('id', '=', c.lawyer_id).executeTakeFirst() : undefined,
    db.selectFrom('case_events').selectAll().where('case_id', '=', c.id).orderBy('at').orderBy('id').execute(),
    db.selectFrom('case_material_requests').selectAll().where('case_id', '=', c.id).orderBy('id').execute(),
    db.selectFrom('case_dates').selectAll().where('case_id', '=', c.id).orderBy('on_date').orderBy('at_time').execute(),
    calendarForCases(db, [c], on),
  ]);
  return { region, centre, transferredTo, lawyer, events, materials, dates, deadlines: deadlinesOf(c, cal, on) };
}
