// Consultations (咨询): recording one, the filtered list with counts per channel,
// and one consultation with the case it became. Checking input is pure (checkConsultation).
import { sql, type Kysely } from 'kysely';
import { CONSULTATION_CHANNELS, PRACTICE_AREAS, type ConsultationChannel, type DB } from '../../db/types.js';
import { ValidationError, type FieldError } from '../../lib/errors.js';
import { isRowId } from '../../lib/access.js';
import { PHONE_RE } from '../../lib/forms.js';
import { startOfDay } from '../../lib/format.js';
import { PAGE_SIZE, toPage } from '../../lib/paging.js';
import { audit, type Actor } from '../../plugins/audit.js';
import { isDate } from '../cases/cases.actions.js';
import { APP_TZ, today, type Db } from '../cases/cases.service.js';

/** Where a consultation can happen: not at a law firm (that is the lawyer's own business). */
export const CONSULTATION_PLACES = ['centre', 'workstation', 'liaison_point', 'partner_station', 'service_office'] as const;

export interface ConsultationInput {
  channel: string;
  organizationId: number | null;
  regionCode: string;
  topic: string;
  personName: string | null;
  phone: string | null;
  question: string;
  advice: string;
  becameApplication: boolean;
  /** the day it happened, 'YYYY-MM-DD' (today when recorded as it happens) */
  on: string;
}

const has = (list: readonly string[], v: string) => list.includes(v);

export function checkConsultation(input: ConsultationInput, regions: ReadonlySet<string>, now = today()): FieldError[] {
  const errors: FieldError[] = [];
  if (!has(CONSULTATION_CHANNELS, input.channel)) errors.push({ field: 'channel', key: 'err.choice' });
  if (!regions.has(input.regionCode)) errors.push({ field: 'regionCode', key: 'err.choice' });
  if (!has(PRACTICE_AREAS, input.topic)) errors.push({ field: 'topic', key: 'err.choice' });
  if (input.personName && input.personName.length > 100) errors.push({ field: 'personName', key: 'err.tooLong', params: { max: 100 } });
  if (input.phone && !PHONE_RE.test(input.phone)) errors.push({ field: 'phone', key: 'err.phone' });
  if (!input.question) errors.push({ field: 'question', key: 'err.required' });
  else if (input.question.length > 2000) errors.push({ field: 'question', key: 'err.tooLong', params: { max: 2000 } });
  if (input.advice.length > 4000) errors.push({ field: 'advice', key: 'err.tooLong', params: { max: 4000 } });
  if (!isDate(input.on)) errors.push({ field: 'on', key: 'consult.err.date' });
  else if (input.on > now) errors.push({ field: 'on', key: 'consult.err.future' });
  return errors;
}

/** The instant stored for a day: now when it is today, otherwise noon of that day (Asia/Shanghai). */
function instantOf(on: string, now: Date): Date {
  if (on === today()) return now;
  return new Date(startOfDay(on, APP_TZ).getTime() + 12 * 3600_000);
}

export async function createConsultation(db: Kysely<DB>, actor: Actor, input: ConsultationInput, at?: Date) {
  const [regions, org] = await Promise.all([
    db.selectFrom('regions').select('code').execute(),
    input.organizationId === null || !isRowId(input.organizationId)
      ? undefined
      : db.selectFrom('organizations').select(['id', 'kind']).where('id', '=', input.organizationId).executeTakeFirst(),
  ]);
  const errors = checkConsultation(input, new Set(regions.map((r) => r.code)));
  if (input.organizationId !== null && !(org && has(CONSULTATION_PLACES, org.kind))) errors.push({ field: 'organizationId', key: 'err.choice' });
  if (errors.length) throw new ValidationError(errors);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('consultations')
      .values({
        at: at ?? instantOf(input.on, new Date()),
        channel: input.channel as ConsultationChannel,
        organization_id: input.organizationId,
        region_code: input.regionCode,
        topic: input.topic,
        person_name: input.personName,
        phone: input.phone,
        question: input.question,
        advice: input.advice,
        became_application: input.becameApplication,
        created_by: actor.id,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    // the caller's phone is personal data: the log records that one was given, not the number
    await audit(trx, actor, { action: 'consultation.created', entity: 'consultation', entityId: row.id, after: { ...row, phone: row.phone ? '[set]' : null } });
    return row;
  });
}

export interface ConsultationFilter {
  channel: string;
  topic: string;
  regionCode: string;
  from: string;
  to: string;
  /** '1' became an application, '0' did not, '' either */
  became: string;
}

export function filteredConsultations(db: Db, f: ConsultationFilter) {
  let q = db.selectFrom('consultations as c').innerJoin('regions as r', 'r.code', 'c.region_code');
  if (has(CONSULTATION_CHANNELS, f.channel)) q = q.where('c.channel', '=', f.channel as ConsultationChannel);
  if (has(PRACTICE_AREAS, f.topic)) q = q.where('c.topic', '=', f.topic);
  if (f.regionCode) q = q.where('c.region_code', '=', f.regionCode);
  // whole days in Asia/Shanghai, as instants so the index on `at` serves the range
  if (isDate(f.from)) q = q.where('c.at', '>=', startOfDay(f.from, APP_TZ));
  if (isDate(f.to)) q = q.where('c.at', '<', new Date(startOfDay(f.to, APP_TZ).getTime() + 24 * 3600_000));
  if (f.became === '1' || f.became === '0') q = q.where('c.became_application', '=', f.became === '1');
  return q;
}

/** One page, newest first. */
export async function listConsultations(db: Db, f: ConsultationFilter & { page: number }) {
  const rows = await filteredConsultations(db, f)
    .leftJoin('organizations as o', 'o.id', 'c.organization_id')
    .leftJoin('cases as k', 'k.id', 'c.case_id')
    .select([
      'c.id',
      'c.at',
      'c.channel',
      'c.topic',
      'c.person_name',
      'c.question',
      'c.became_application',
      'c.case_id',
      'k.number as case_number',
      'o.name as organization_name',
      'r.name_zh as region_zh',
      'r.name_en as region_en',
      sql<number>`(count(*) over ())::int`.as('total_count'),
    ])
    .orderBy('c.at', 'desc')
    .orderBy('c.id', 'desc')
    .limit(PAGE_SIZE)
    .offset((f.page - 1) * PAGE_SIZE)
    .execute();
  return toPage(rows, f.page);
}

/** How many consultations each channel had, within the filter but across every channel. */
export async function channelCounts(db: Db, f: ConsultationFilter): Promise<Record<ConsultationChannel, number>> {
  const rows = await filteredConsultations(db, { ...f, channel: '' })
    .select(['c.channel', sql<number>`count(*)::int`.as('n')])
    .groupBy('c.channel')
    .execute();
  const out = Object.fromEntries(CONSULTATION_CHANNELS.map((c) => [c, 0])) as Record<ConsultationChannel, number>;
  for (const r of rows) out[r.channel] = r.n;
  return out;
}

export async function getConsultation(db: Db, id: number) {
  if (!isRowId(id)) return undefined;
  return db
    .selectFrom('consultations as c')
    .innerJoin('regions as r', 'r.code', 'c.region_code')
    .leftJoin('organizations as o', 'o.id', 'c.organization_id')
    .leftJoin('cases as k', 'k.id', 'c.case_id')
    .selectAll('c')
    .select(['r.name_zh as region_zh', 'r.name_en as region_en', 'o.name as organization_name', 'k.number as case_number'])
    .where('c.id', '=', id)
    .executeTakeFirst();
}

/** The places a consultation can be recorded at, for the form's select. */
export function placeChoices(db: Db) {
  return db
    .selectFrom('organizations')
    .select(['id', 'name'])
    .where('kind', 'in', [...CONSULTATION_PLACES])
    .where('active', '=', true)
    .orderBy('name')
    .execute();
}
