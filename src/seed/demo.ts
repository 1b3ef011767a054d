// Demo data for Bazhong (巴中市): the legal-aid organisation tree, 60 lawyers, 40 volunteers
// and one login per role. Runs once (app_meta 'demo_seeded'), all in one transaction; then
// consultations and cases (demo-cases.ts), once (app_meta 'demo_cases_seeded').
// Every name, address and number below is invented; a seeded PRNG keeps runs identical.
import type { Kysely, Transaction } from 'kysely';
import type { DB, NewOrganization, Role } from '../db/types.js';
import { hashPassword } from '../lib/secrets.js';
import { audit, SYSTEM_ACTOR } from '../plugins/audit.js';
import { seedDemoCases } from './demo-cases.js';
import { seedDemoDuty } from './demo-duty.js';
import { seedDemoEvents } from './demo-events.js';
import { digits, int, mobile, mulberry32, personName, pick, sample, unique, type Rng } from './random.js';

export const DEMO_PASSWORD = 'fayuan-demo-2026';

export interface DemoAccount {
  email: string;
  role: Role;
  name: string;
}

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { email: 'admin@fayuan.demo', role: 'admin', name: '系统管理员' },
  { email: 'manager@fayuan.demo', role: 'manager', name: '市法援中心 王主任' },
  { email: 'lawyer@fayuan.demo', role: 'lawyer', name: '演示律师' },
  { email: 'volunteer@fayuan.demo', role: 'volunteer', name: '演示志愿者' },
  { email: 'auditor@fayuan.demo', role: 'auditor', name: '市财政局 审计员' },
];

const SEED = 20261125;
const CITY = '511900';
const HOURS_OFFICE = '周一至周五 9:00-12:00, 14:00-17:30';
const HOURS_DETENTION = '周一至周五 9:00-11:30, 14:30-17:00';
const HOURS_LIAISON = '每周三 9:00-12:00';
const HOURS_FIRM = '周一至周六 8:30-12:00, 13:30-18:00';

// ---- data tables -------------------------------------------------------------------------

interface Township { name: string; liaison: string[] }
interface County { code: string; name: string; tel: string; streets: string[]; townships: Township[] }

/** Districts, counties and the development zone; `tel` is the first digit of local landlines. */
const COUNTIES: County[] = [
  { code: '511902', name: '巴州区', tel: '5', streets: ['江北大道东段', '回风路', '巴州大道', '兴文路', '文昌路'], townships: [
    { name: '兴文街道', liaison: ['望王山社区'] }, { name: '江北街道', liaison: ['滨河社区'] }, { name: '曾口镇', liaison: [] }] },
  { code: '511903', name: '恩阳区', tel: '3', streets: ['恩阳大道', '登科大道', '义兴路'], townships: [
    { name: '柳林镇', liaison: ['新桥村'] }, { name: '玉山镇', liaison: [] }] },
  { code: '511921', name: '通江县', tel: '7', streets: ['壁州大道', '诺江路', '红军路'], townships: [
    { name: '诺江镇', liaison: [] }, { name: '沙溪镇', liaison: ['红岩村'] }] },
  { code: '511922', name: '南江县', tel: '8', streets: ['朝阳路', '南江大道', '光雾山大道'], townships: [
    { name: '南江镇', liaison: [] }, { name: '赤溪镇', liaison: ['西厢村'] }, { name: '长赤镇', liaison: [] }] },
  { code: '511923', name: '平昌县', tel: '6', streets: ['江口大道', '佛楼路', '同州大道'], townships: [
    { name: '江口镇', liaison: ['龙滩社区'] }, { name: '驷马镇', liaison: [] }, { name: '白衣镇', liaison: [] }] },
  { code: '511971', name: '巴中经济开发区', tel: '5', streets: ['经开大道', '创业路', '秦巴大道'], townships: [] },
];

/** Workstations at the city's court, procuratorate and detention centre. */
const JUSTICE_STATIONS: [name: string, hours: string][] = [
  ['巴中市中级人民法院法律援助工作站', HOURS_OFFICE],
  ['巴中市人民检察院法律援助工作站', HOURS_OFFICE],
  ['巴中市看守所法律援助工作站', HOURS_DETENTION],
];

const PARTNER_STATIONS = [
  '共青团巴中市委青少年法律援助工作站',
  '巴中市妇联法律援助工作站',
  '巴中市残联法律援助工作站',
  '巴中市总工会职工法律援助工作站',
];

const LAW_FIRMS: [name: string, region: string][] = [
  ['四川秦巴衡信律师事务所', '511900'], ['四川巴中守正律师事务所', '511900'],
  ['四川巴州明理律师事务所', '511902'], ['四川江北正衡律师事务所', '511902'], ['四川巴州承信律师事务所', '511902'],
  ['四川恩阳笃行律师事务所', '511903'],
  ['四川通江诺水明德律师事务所', '511921'], ['四川壁州衡平律师事务所', '511921'],
  ['四川南江光雾正言律师事务所', '511922'],
  ['四川平昌巴灵律师事务所', '511923'], ['四川平昌驷方律师事务所', '511923'],
  ['四川经开秉公律师事务所', '511971'],
];

const SERVICE_OFFICES: [name: string, region: string][] = [
  ['巴州区江北法律服务所', '511902'], ['恩阳区柳林法律服务所', '511903'],
  ['通江县诺江法律服务所', '511921'], ['南江县长赤法律服务所', '511922'],
];

const PRACTICE_AREAS = ['criminal', 'labor', 'work_injury', 'family', 'inheritance', 'land', 'demolition', 'medical',
  'traffic', 'social_security', 'consumer', 'environment', 'administrative', 'juvenile', 'state_compensation', 'other'];
const SKILLS = ['consultation', 'mediation', 'publicity', 'translation', 'sign_language', 'dialect', 'photography', 'first_aid', 'it'];
const DAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

// ---- organisations -------------------------------------------------------------------------

const countyOf = (code: string) => COUNTIES.find((c) => c.code === code) ?? COUNTIES[0]; // city bodies sit in 巴州区
const landline = (rng: Rng, code: string) => `0827-${countyOf(code).tel}${digits(rng, 6)}`;
const streetAddress = (rng: Rng, code: string) => {
  const county = countyOf(code);
  return `巴中市${county.name}${pick(rng, county.streets)}${int(rng, 1, 288)}号`;
};

function org(rng: Rng, kind: NewOrganization['kind'], name: string, region: string, parentId: number | null,
  address = streetAddress(rng, region), hours = HOURS_OFFICE): NewOrganization {
  return { name, kind, region_code: region, parent_id: parentId, address, phone: landline(rng, region), opening_hours: hours };
}

/** Inserts one tier of the tree in a single statement; returns name -> id. */
async function insertOrgs(trx: Transaction<DB>, rows: NewOrganization[]): Promise<Map<string, number>> {
  const out = await trx.insertInto('organizations').values(rows).returning(['id', 'name']).execute();
  return new Map(out.map((r) => [r.name, r.id]));
}

/** The tree goes in by tier (each tier needs its parents' ids): four batched inserts. */
async function seedOrganizations(trx: Transaction<DB>, rng: Rng) {
  const top = await insertOrgs(trx, [
    org(rng, 'centre', '巴中市法律援助中心', CITY, null, '巴中市巴州区江北大道东段168号市公共法律服务中心一楼'),
    ...LAW_FIRMS.map(([name, region]) => org(rng, 'law_firm', name, region, null, undefined, HOURS_FIRM)),
    ...SERVICE_OFFICES.map(([name, region]) => org(rng, 'service_office', name, region, null)),
  ]);
  const cityId = top.get('巴中市法律援助中心')!;
  const second = await insertOrgs(trx, [
    ...COUNTIES.map((c) => org(rng, 'centre', `${c.name}法律援助中心`, c.code, cityId)),
    ...JUSTICE_STATIONS.map(([name, hours]) => org(rng, 'workstation', name, CITY, cityId, undefined, hours)),
    ...PARTNER_STATIONS.map((name) => org(rng, 'partner_station', name, CITY, cityId)),
  ]);
  const towns = COUNTIES.flatMap((c) => c.townships.map((t) => ({ county: c, town: t, name: `${c.name}${t.name}司法所法律援助工作站` })));
  const third = await insertOrgs(trx, towns.map(({ county, town, name }) => org(rng, 'workstation', name, county.code,
    second.get(`${county.name}法律援助中心`)!, `巴中市${county.name}${town.name}便民服务中心${int(rng, 1, 3)}楼`)));
  const fourth = await insertOrgs(trx, towns.flatMap(({ county, town, name }) => town.liaison.map((place) =>
    org(rng, 'liaison_point', `${county.name}${place}法律援助联系点`, county.code, third.get(name)!,
      `巴中市${county.name}${town.name}${place}党群服务中心`, HOURS_LIAISON))));
  const firms = LAW_FIRMS.map(([name, region]) => ({ id: top.get(name)!, region }));
  const offices = SERVICE_OFFICES.map(([name, region]) => ({ id: top.get(name)!, region }));
  return { count: top.size + second.size + third.size + fourth.size, firms, offices };
}

// ---- people ----------------------------------------------------------------------------

type Employer = { id: number; region: string };
type LawyerStatus = 'active' | 'on_leave' | 'inactive';
const ON_LEAVE = [13, 29, 47];
const INACTIVE = 55;
const PENDING_VOLUNTEERS = [5, 12, 19, 26, 33, 39]; // the other 34 are approved
/**
 * The demo login's lawyer (the first one): at a Bazhou District firm, which serves the districts
 * around it, practising the matters legal aid sees most, with the policy weight of a lawyer who
 * asked for a double share (two turns for every one of the others; the fairness report expects
 * it), so the rotation brings them cases of their own: it still decides which. Set after the
 * draws: every other row stays as it was.
 */
const DEMO_LAWYER = { region: '511902', practiceAreas: ['labor', 'work_injury', 'family', 'traffic', 'criminal'], maxOpenCases: 8, weight: '2' };
/** The lawyers were on the register before the demo's months of cases (the fairness report counts their days from it). */
const REGISTERED_DAYS_AGO = 400;

function lawyerRows(rng: Rng, names: Set<string>, phones: Set<string>, firms: Employer[], offices: Employer[]) {
  // 24 / 21 / 15 of 60 = 40% / 35% / 25% by level, shuffled
  const levels = sample<number>(rng, [...Array(24).fill(1), ...Array(21).fill(2), ...Array(15).fill(3)], 60);
  const licences = new Set<string>();
  const status = (i: number): LawyerStatus => (ON_LEAVE.includes(i) ? 'on_leave' : i === INACTIVE ? 'inactive' : 'active');
  const registered = new Date(Date.now() - REGISTERED_DAYS_AGO * 86_400_000);
  const rows = levels.map((level, i) => {
    // every tenth is a grassroots legal-service worker
    const employer = i % 10 === 9 ? offices[Math.floor(i / 10) % offices.length] : pick(rng, firms);
    const languages = ['zh', ...(rng() < 0.3 ? ['四川话'] : []), ...(rng() < 0.08 ? ['en'] : [])];
    return {
      name: unique(names, () => personName(rng)),
      // 1 + region prefix 5119 + 2-digit year + 10 digits = 17 digits
      license_no: unique(licences, () => `15119${String(int(rng, 5, 24)).padStart(2, '0')}${digits(rng, 10)}`),
      organization_id: employer.id,
      practice_areas: sample(rng, PRACTICE_AREAS, int(rng, 1, 4)),
      level,
      region_code: employer.region,
      languages,
      phone: unique(phones, () => mobile(rng)),
      email: `lawyer${i + 1}@example.cn`,
      max_open_cases: int(rng, 3, 8),
      weight: '1',
      status: status(i),
      created_at: registered,
    };
  });
  const demoFirm = firms.find((f) => f.region === DEMO_LAWYER.region);
  if (demoFirm)
    rows[0] = { ...rows[0], organization_id: demoFirm.id, region_code: demoFirm.region, practice_areas: DEMO_LAWYER.practiceAreas, max_open_cases: DEMO_LAWYER.maxOpenCases, weight: DEMO_LAWYER.weight };
  return rows;
}

const volunteerStatus = (i: number): 'pending' | 'approved' => (PENDING_VOLUNTEERS.includes(i) ? 'pending' : 'approved');

function volunteerRows(rng: Rng, names: Set<string>, phones: Set<string>) {
  const regions = COUNTIES.map((c) => c.code);
  const consentAt = new Date();
  return Array.from({ length: 40 }, (_, i) => {
    const availability: Record<string, string[]> = {};
    for (const day of sample(rng, DAYS, int(rng, 1, 3)).sort((a, b) => DAYS.indexOf(a) - DAYS.indexOf(b))) {
      availability[day] = pick(rng, [['am'], ['pm'], ['am', 'pm']]);
    }
    return {
      name: unique(names, () => personName(rng)),
      phone: unique(phones, () => mobile(rng)),
      email: rng() < 0.5 ? `volunteer${i + 1}@example.cn` : null,
      region_code: regions[i % regions.length],
      skills: sample(rng, SKILLS, int(rng, 1, 3)),
      availability: JSON.stringify(availability),
      status: volunteerStatus(i),
      consent_at: consentAt,
    };
  });
}

// ---- entry point ----------------------------------------------------------------------------

export async function seedDemo(db: Kysely<DB>): Promise<{ seeded: boolean; accounts: DemoAccount[] }> {
  const done = await db.selectFrom('app_meta').select('key').where('key', '=', 'demo_seeded').executeTakeFirst();
  const base = done ? { seeded: false, accounts: [...DEMO_ACCOUNTS] } : await seedPeople(db);
  // cases go through the case service, which opens its own transactions: after the people are committed
  const cases = await seedDemoCases(db);
  await seedDemoDuty(db);
  await seedDemoEvents(db);
  return { ...base, seeded: base.seeded || cases !== null };
}

async function seedPeople(db: Kysely<DB>): Promise<{ seeded: boolean; accounts: DemoAccount[] }> {

  const passwordHash = await hashPassword(DEMO_PASSWORD); // once, outside the transaction: argon2 is slow
  const rng = mulberry32(SEED);

  return db.transaction().execute(async (trx) => {
    const orgs = await seedOrganizations(trx, rng);
    const names = new Set<string>();
    const phones = new Set<string>();

    const lawyers = lawyerRows(rng, names, phones, orgs.firms, orgs.offices);
    const lawyerIds = await trx.insertInto('lawyers').values(lawyers).returning(['id', 'license_no']).execute();
    const firstLawyer = lawyers.find((l) => l.status === 'active')!;
    const lawyerId = lawyerIds.find((r) => r.license_no === firstLawyer.license_no)!.id;

    const volunteers = volunteerRows(rng, names, phones);
    const volunteerIds = await trx.insertInto('volunteers').values(volunteers).returning(['id', 'phone']).execute();
    const firstVolunteer = volunteers.find((v) => v.status === 'approved')!;
    const volunteerId = volunteerIds.find((r) => r.phone === firstVolunteer.phone)!.id;

    const accounts = DEMO_ACCOUNTS.map((a) =>
      a.role === 'lawyer' ? { ...a, name: firstLawyer.name } : a.role === 'volunteer' ? { ...a, name: firstVolunteer.name } : { ...a });
    const existing = await trx.selectFrom('users').select('email')
      .where((eb) => eb(eb.fn('lower', ['email']), 'in', accounts.map((a) => a.email))).execute();
    const taken = new Set(existing.map((u) => u.email.toLowerCase()));
    const newUsers = accounts.filter((a) => !taken.has(a.email)).map((a) => ({
      email: a.email,
      name: a.name,
      role: a.role,
      password_hash: passwordHash,
      must_change_password: false,
      lawyer_id: a.role === 'lawyer' ? lawyerId : null,
      volunteer_id: a.role === 'volunteer' ? volunteerId : null,
    }));
    if (newUsers.length) await trx.insertInto('users').values(newUsers).execute();

    await audit(trx, SYSTEM_ACTOR, {
      action: 'demo.seeded',
      entity: 'system',
      after: { organizations: orgs.count, lawyers: lawyers.length, volunteers: volunteers.length, users: newUsers.length },
    });
    await trx.insertInto('app_meta').values({ key: 'demo_seeded', value: JSON.stringify({ at: new Date().toISOString() }) }).execute();
    // accounts that already existed keep their stored names; report the static ones for them
    return { seeded: true, accounts: accounts.map((a) => (taken.has(a.email) ? DEMO_ACCOUNTS.find((d) => d.email === a.email)! : a)) };
  });
}
