// Demo consultations and cases: about 30 consultations and 41 cases over the last
// three months, taken through the real service and actions with explicit dates
// so every deadline is what the app computes (some overdue, some pending). The
// steps of all cases run in the order of their days, so the rotation decides each
// assignment on the standings the earlier ones left. Runs after the main demo
// seed, once (app_meta 'demo_cases_seeded').
import { sql, type Kysely } from 'kysely';
import type { CaseKind, CaseSource, ConsultationChannel, DB, PriorityGroup } from '../db/types.js';
import { idCheckChar } from '../lib/idnumber.js';
import { addDays, isWorkingDay } from '../lib/workdays.js';
import { audit, type Actor } from '../plugins/audit.js';
import { loadCalendar } from '../modules/calendar/calendar.service.js';
import { createCase, today } from '../modules/cases/cases.service.js';
import type { CaseInput } from '../modules/cases/cases.rules.js';
import { rotationPolicyAt, servingRegions } from '../modules/rotation/rotation.facts.js';
import { OFF_TIMELINE, runStep, SCENARIOS, type CaseState, type Scenario, type StepContext } from './demo-scenarios.js';
import { digits, int, mobile, mulberry32, personName, pick, type Rng } from './random.js';

const SEED = 20261126;
const REGIONS = ['511902', '511902', '511903', '511921', '511922', '511923', '511971'];
const CIVIL = ['labor', 'work_injury', 'family', 'inheritance', 'land', 'medical', 'traffic', 'consumer'];
const ADMIN = ['administrative', 'social_security', 'demolition'];
const CATEGORIES: Record<CaseKind, string[]> = { criminal: ['criminal'], civil: CIVIL, administrative: ADMIN, non_litigation: CIVIL };
/** A case the rotation assigns goes where at least this many lawyers are in line for it. */
const MIN_POOL = 3;
const CHANNELS: ConsultationChannel[] = ['walk_in', 'walk_in', 'phone', 'hotline', 'hotline', 'online', 'workstation', 'outreach'];
const SUMMARY: Record<string, string> = {
  labor: '在建筑工地务工，包工头拖欠工资八个月未付。',
  work_injury: '在厂内操作机器受伤，单位拒绝申报工伤。',
  family: '离婚纠纷，涉及子女抚养和共同财产分割。',
  inheritance: '父母去世后房屋继承发生争议。',
  land: '承包地被邻组占用，协商不成。',
  medical: '在医院手术后出现并发症，认为存在过错。',
  traffic: '骑电动车被货车撞伤，对方拒绝赔偿医疗费。',
  consumer: '购买的农用机械有质量问题，商家拒绝退换。',
  administrative: '对乡镇政府作出的行政处罚不服。',
  social_security: '单位未缴纳养老保险，退休后无法领取养老金。',
  demolition: '房屋征收补偿标准争议。',
  criminal: '涉嫌盗窃罪被刑事拘留，家庭经济困难无力委托辩护人。',
};

/** A valid 18-digit resident ID number for a region and birth date. */
function idNumber(rng: Rng, region: string, birth: string): string {
  const first17 = `${region}${birth.replace(/-/g, '')}${digits(rng, 3)}`;
  return first17 + idCheckChar(first17);
}

function birthFor(rng: Rng, groups: PriorityGroup[]): string {
  const year = groups.includes('elderly') ? int(rng, 1940, 1960) : groups.includes('minor') ? int(rng, 2009, 2013) : int(rng, 1965, 2000);
  return `${year}-${String(int(rng, 1, 12)).padStart(2, '0')}-${String(int(rng, 1, 28)).padStart(2, '0')}`;
}

/** The active lawyers in line for each matter and region ('category|region'): the rotation's pool, as rotation.facts.ts draws it. */
async function poolsOf(db: Kysely<DB>, on: string): Promise<Map<string, number[]>> {
  const [policy, lawyers] = await Promise.all([
    rotationPolicyAt(db, on),
    db.selectFrom('lawyers').select(['id', 'practice_areas', 'region_code']).where('status', '=', 'active').orderBy('id').execute(),
  ]);
  const pools = new Map<string, number[]>();
  for (const region of new Set(REGIONS)) {
    const serving = servingRegions(policy, region);
    for (const l of lawyers)
      if (!serving || serving.includes(l.region_code))
        for (const area of l.practice_areas) pools.set(`${area}|${region}`, [...(pools.get(`${area}|${region}`) ?? []), l.id]);
  }
  return pools;
}

type Placer = (rng: Rng, s: Scenario, kind: CaseKind) => { category: string; region: string };

/**
 * Where a case is. One that gets assigned: a matter and region with lawyers in
 * line for it. One in the demo lawyer's line: among the lines they are in, those
 * with the fewest other lawyers (at least one: it is still a rotation), so the
 * rotation has a fair chance to bring it to them; it still decides.
 */
function placer(pools: Map<string, number[]>, demo: { id: number; region: string } | undefined): Placer {
  return (rng, s, kind) => {
    const categories = CATEGORIES[kind];
    if (!s.steps.some(([, step]) => step === 'assign' || step === 'override')) return { category: pick(rng, categories), region: pick(rng, REGIONS) };
    const lines = [...pools].filter(([key]) => categories.includes(key.split('|')[0]));
    const mine = s.demo && demo ? lines.filter(([, ids]) => ids.includes(demo.id) && ids.length >= 2).sort((x, y) => x[1].length - y[1].length).slice(0, 3) : [];
    const full = lines.filter(([, ids]) => ids.length >= MIN_POOL);
    const [category, region] = pick(rng, mine.length ? mine : full.length ? full : lines)[0].split('|');
    return { category, region };
  };
}

function inputFor(rng: Rng, s: Scenario, centres: Map<string, number>, place: Placer): CaseInput {
  // the demo lawyer's matters are civil or criminal
  const kind: CaseKind = s.criminal ? 'criminal' : pick(rng, s.demo ? (['civil', 'civil', 'non_litigation'] as const) : (['civil', 'civil', 'civil', 'administrative', 'non_litigation'] as const));
  const { category, region } = place(rng, s, kind);
  const groups: PriorityGroup[] = [...(s.groups ?? [])];
  if (!s.groups && category === 'labor' && rng() < 0.6) groups.push('migrant_worker');
  else if (!s.groups && rng() < 0.25) groups.push(pick(rng, ['elderly', 'disabled', 'woman', 'veteran', 'low_income'] as const));
  const size = int(rng, 1, 5);
  const source: CaseSource = s.source ?? (kind === 'criminal' ? 'police' : pick(rng, ['walk_in', 'walk_in', 'workstation', 'hotline', 'online'] as const));
  return {
    applicantName: personName(rng),
    applicantIdNumber: idNumber(rng, region, birthFor(rng, groups)),
    applicantPhone: rng() < 0.85 ? mobile(rng) : null,
    applicantAddress: `巴中市${int(rng, 1, 200)}号`,
    regionCode: region,
    householdSize: size,
    // eligible: at most 2x the 750-yuan allowance a head; "rich" applicants are well above it
    monthlyIncomeFen: s.rich ? size * 400_000 : size * int(rng, 40_000, 140_000),
    kind,
    category,
    summary: SUMMARY[category] ?? '',
    opposingParties: kind === 'criminal' ? [] : [pick(rng, ['巴中某建筑劳务公司', '某村民委员会', '某汽车运输公司', '某医院', '某商贸公司'])],
    priorityGroups: groups,
    exemptions: [],
    source,
    emergency: !!s.emergency,
    greenChannel: null,
    centreId: centres.get(region) ?? null,
    consultationId: null,
    missingItems: s.missing ? ['户口簿复印件', '家庭经济状况证明'] : [],
  };
}

/** Working days before today, newest first: ago(0) is today (or the last working day). */
async function workingDaysBack(db: Kysely<DB>, on: string): Promise<(n: number) => string> {
  const from = addDays(on, -140);
  const cal = await loadCalendar(db, from, on);
  const days: string[] = [];
  for (let d = on; d >= from; d = addDays(d, -1)) if (isWorkingDay(cal, d)) days.push(d);
  return (n) => days[Math.min(Math.max(n, 0), days.length - 1)];
}

export async function seedDemoCases(db: Kysely<DB>): Promise<{ cases: number; consultations: number } | null> {
  const done = await db.selectFrom('app_meta').select('key').where('key', '=', 'demo_cases_seeded').executeTakeFirst();
  const any = await db.selectFrom('cases').select('id').limit(1).executeTakeFirst();
  // never mix demo cases into a database that has real ones
  if (done || any) return null;
  const rng = mulberry32(SEED);
  const on = today();
  const ago = await workingDaysBack(db, on);
  const [manager, demoLawyer, lawyers, logins, pools, orgs] = await Promise.all([
    db.selectFrom('users').select(['id', 'name']).where('email', '=', 'manager@fayuan.demo').executeTakeFirst(),
    db.selectFrom('users as u').innerJoin('lawyers as l', 'l.id', 'u.lawyer_id').select(['l.id', 'l.region_code as region']).where('u.email', '=', 'lawyer@fayuan.demo').executeTakeFirst(),
    db.selectFrom('lawyers').select(['id', 'name']).execute(),
    db.selectFrom('users').select(['id', 'lawyer_id']).where('lawyer_id', 'is not', null).orderBy('id').execute(),
    poolsOf(db, on),
    db.selectFrom('organizations').select(['id', 'kind', 'region_code']).where('kind', 'in', ['centre', 'workstation']).orderBy('id').execute(),
  ]);
  const centres = new Map<string, number>();
  for (const o of orgs) if (o.kind === 'centre' && !centres.has(o.region_code)) centres.set(o.region_code, o.id);
  const stations = orgs.filter((o) => o.kind === 'workstation');
  const staff: Actor = manager ? { id: manager.id, name: manager.name } : { id: null, name: '市法援中心' };
  const noon = (day: string, minute: number) => new Date(`${day}T${String(9 + Math.floor(minute / 60) % 8).padStart(2, '0')}:${String(minute % 60).padStart(2, '0')}:00+08:00`);

  // every case's input first, then the consultations (some of them the first contact of a case)
  const place = placer(pools, demoLawyer);
  const plans = SCENARIOS.map((s) => ({ s, input: inputFor(rng, s, centres, place), applied: ago(s.age) }));
  const consultations = [
    ...plans.filter((p) => p.s.fromConsultation).map((p) => ({ plan: p, day: p.applied, channel: pick(rng, CHANNELS), region: p.input.regionCode, topic: p.input.category, name: p.input.applicantName })),
    ...Array.from({ length: 22 }, () => {
      const region = pick(rng, REGIONS);
      return { plan: null, day: ago(int(rng, 0, 62)), channel: pick(rng, CHANNELS), region, topic: pick(rng, [...CIVIL, ...ADMIN, 'criminal']), name: rng() < 0.4 ? null : personName(rng) };
    }),
  ];
  const consultationRows = await db
    .insertInto('consultations')
    .values(consultations.map((c) => ({
      at: noon(c.day, int(rng, 0, 420)),
      channel: c.channel,
      organization_id: c.channel === 'workstation' && stations.length ? pick(rng, stations).id : null,
      region_code: c.region,
      topic: c.topic,
      person_name: c.name,
      phone: c.name && c.channel !== 'online' ? mobile(rng) : null,
      question: SUMMARY[c.topic] ? `${SUMMARY[c.topic]}请问该怎么办？` : '咨询法律援助的申请条件和所需材料。',
      advice: c.plan ? '符合法律援助条件，告知所需材料，当场受理援助申请。' : '告知相关法律规定和维权途径，建议先行协商或申请调解。',
      became_application: false,
      created_by: staff.id,
    })))
    .returning('id')
    .execute();
  consultations.forEach((c, i) => c.plan && (c.plan.input.consultationId = consultationRows[i].id));

  const states: CaseState[] = [];
  const stamps: { id: number; dates: string[] }[] = [];
  for (const plan of plans) {
    const c = await createCase(db, staff, plan.input, plan.applied);
    states.push({ id: c.id, lawyer: null });
    stamps.push({ id: c.id, dates: [plan.applied] });
  }
  // every case's steps in the order of their days (n: working days ago), so each rotation
  // decision comes after the ones before it in time; within a day, in the scenarios' order
  const ctx: StepContext = {
    db, rng, staff, on, ago, centres: [...centres.values()],
    names: new Map(lawyers.map((l) => [l.id, l.name])),
    users: new Map(logins.map((u) => [u.lawyer_id!, u.id])),
  };
  const steps = plans
    .flatMap((plan, i) => plan.s.steps.map(([offset, step], j) => ({ i, j, n: plan.s.age - offset, step })))
    .sort((a, b) => b.n - a.n || a.i - b.i || a.j - b.j);
  for (const { i, n, step } of steps) {
    await runStep(ctx, states[i], step, n);
    if (!OFF_TIMELINE.includes(step)) stamps[i].dates.push(ago(n));
  }
  // the timeline shows when each thing happened, not when the seed ran: the n-th event of a case
  // is its n-th step on the timeline (the application first), stamped in one statement for every case
  const rows = stamps.flatMap(({ id, dates }) => dates.map((d, i) => sql`(${id}::int, ${i + 1}::int, ${noon(d, 30 + i * 7).toISOString()}::timestamptz)`));
  await sql`update case_events e set at = v.at
    from (select id, row_number() over (partition by case_id order by id) as n from case_events) o,
         (values ${sql.join(rows)}) as v(case_id, n, at)
    where e.id = o.id and e.case_id = v.case_id and o.n = v.n`.execute(db);
  await sql`update cases c set created_at = v.created, updated_at = v.updated
    from (values ${sql.join(stamps.map(({ id, dates }) => sql`(${id}::int, ${noon(dates[0], 0).toISOString()}::timestamptz, ${noon(dates.at(-1)!, 60).toISOString()}::timestamptz)`))}) as v(id, created, updated)
    where c.id = v.id`.execute(db);
  // an assignment and a decline happened when the timeline says (the fairness report counts by these)
  await sql`update assignments a set assigned_at = e.at from case_events e
    where e.case_id = a.case_id and e.kind = 'assign' and (e.detail->>'seq')::bigint = a.seq`.execute(db);
  await sql`update assignments a set declined_at = e.at from case_events e
    where e.case_id = a.case_id and e.kind = 'decline' and (e.detail->>'seq')::bigint = a.decline_seq`.execute(db);
  await audit(db, { id: null, name: 'system' }, { action: 'demo.cases_seeded', entity: 'system', after: { cases: plans.length, consultations: consultations.length } });
  await db.insertInto('app_meta').values({ key: 'demo_cases_seeded', value: JSON.stringify({ at: new Date().toISOString() }) }).execute();
  return { cases: plans.length, consultations: consultations.length };
}
