// Demo outreach events and training, through the real services (seats, waitlists,
// check-in hours, notifications, certificates and audit rows are what the app
// makes), dated around today in Asia/Shanghai so the demo stays fresh:
// - events: past ones the demo volunteer attended (hours credited) or missed, the
//   next six weeks across Bazhong (a weekly series, a full one with a waitlist, a
//   window not open yet), one cancelled with a reason (its people are notified);
// - training: four courses, past sessions with attendance (hours this year, some
//   short), juvenile certificates valid, expiring and expired, upcoming sessions.
// Runs once (app_meta 'demo_events_seeded'), never into a database that already
// has events or courses. Runs after the demo cases: a course required for the
// juvenile practice area only weighs on rotation decisions made after it.
import type { Kysely } from 'kysely';
import type { DB, EventKind, SixIntosTarget } from '../db/types.js';
import { RuleError } from '../lib/errors.js';
import { addDays, isWorkingDay, type Calendar } from '../lib/workdays.js';
import { audit, SYSTEM_ACTOR, type Actor } from '../plugins/audit.js';
import { loadCalendar } from '../modules/calendar/calendar.service.js';
import { today } from '../modules/cases/cases.service.js';
import { cancelEvent, createEvent, type Event } from '../modules/events/events.service.js';
import { cancelSignUp, signUp } from '../modules/events/signups.service.js';
import { checkIn, recordNoShows, selfCheckIn } from '../modules/events/checkin.service.js';
import type { Person as EventPerson } from '../modules/events/person.js';
import { createCourse, createSession, type Course } from '../modules/training/training.service.js';
import { enrol, recordAttendance } from '../modules/training/training.enrol.js';
import { addMonths, type Person } from '../modules/training/training.rules.js';
import { mulberry32, sample, type Rng } from './random.js';

const SEED = 20261127;
const KEY = 'demo_events_seeded';
const HOUR = 3_600_000;

/** Talks at schools, government bodies, enterprises and units fall on working days (the others may be at weekends). */
const OFFICE_HOURS: (SixIntosTarget | undefined)[] = ['schools', 'government_bodies', 'enterprises', 'units'];

/** A Shanghai wall-clock time on a day. */
const at = (day: string, hm: string) => new Date(`${day}T${hm}:00+08:00`);

interface EventPlan {
  day: number;
  from: string;
  to: string;
  kind: EventKind;
  target?: SixIntosTarget;
  region: string;
  title: string;
  location: string;
  capacity: number;
  skills?: string[];
  description?: string;
  /** share of the seats other volunteers take */
  fill?: number;
  repeat?: number;
  /** the sign-up window opens this many days from today */
  opensIn?: number;
  /** what happens to the demo volunteer here */
  demo?: 'confirmed' | 'waitlisted' | 'promoted' | 'cancelled';
  lawyer?: boolean;
}

const UPCOMING = (year: string): EventPlan[] => [
  { day: 3, from: '14:30', to: '17:00', kind: 'consultation_day', region: '511902', title: '江北街道每周法律咨询日', location: '巴中市巴州区江北街道便民服务中心一楼法律援助工作站', capacity: 6, skills: ['consultation'], fill: 0.5, repeat: 4, description: '每周固定坐班，解答群众婚姻家庭、劳动争议、邻里纠纷等法律问题，符合条件的当场受理援助申请。' },
  { day: 5, from: '09:00', to: '16:00', kind: 'countryside', region: '511921', title: '送法下乡·通江县沙溪镇红岩村普法宣传', location: '巴中市通江县沙溪镇红岩村党群服务中心', capacity: 12, skills: ['publicity', 'dialect'], fill: 0.6, demo: 'confirmed', description: '发放法律援助宣传资料，现场讲解土地承包、赡养纠纷相关法律知识。请穿志愿者马甲，8:00在县法援中心集合乘车。' },
  { day: 7, from: '09:30', to: '15:30', kind: 'countryside', region: '511903', title: '送法下乡·恩阳区玉山镇赶集日法律咨询', location: '巴中市恩阳区玉山镇场镇农贸市场旁', capacity: 10, fill: 0.5, demo: 'cancelled' },
  { day: 9, from: '14:00', to: '16:30', kind: 'six_intos', target: 'schools', region: '511923', title: '法律进校园·平昌县江口镇初级中学未成年人保护专题课', location: '巴中市平昌县江口镇初级中学报告厅', capacity: 8, skills: ['publicity'], fill: 0.75 },
  { day: 12, from: '09:30', to: '11:30', kind: 'six_intos', target: 'enterprises', region: '511971', title: '法律进企业·经开区农民工工资支付权益宣讲', location: '巴中经济开发区创业路标准化厂房园区职工之家', capacity: 3, skills: ['consultation'], demo: 'waitlisted' },
  { day: 16, from: '09:00', to: '12:00', kind: 'six_intos', target: 'villages', region: '511922', title: '法律进乡村·南江县赤溪镇西厢村土地承包纠纷专场咨询', location: '巴中市南江县赤溪镇西厢村村委会', capacity: 10, skills: ['mediation', 'dialect'], fill: 0.4 },
  { day: 19, from: '14:00', to: '17:00', kind: 'six_intos', target: 'communities', region: '511902', title: '法律进社区·望王山社区反家庭暴力法宣传', location: '巴中市巴州区兴文街道望王山社区党群服务中心', capacity: 4, demo: 'promoted' },
  { day: 23, from: '09:00', to: '16:30', kind: 'consultation_day', region: '511900', title: '“法援惠民生”主题法律咨询日', location: '巴中市巴州区江北大道东段168号市公共法律服务中心广场', capacity: 30, skills: ['consultation', 'mediation', 'photography'], fill: 0.5, lawyer: true, description: '市、区两级法律援助中心联合律师事务所现场设点，律师与志愿者共同接待群众咨询。' },
  { day: 27, from: '15:00', to: '17:00', kind: 'six_intos', target: 'government_bodies', region: '511903', title: '法律进机关·恩阳区机关干部法律援助知识讲座', location: '巴中市恩阳区人民政府三楼会议室', capacity: 5, fill: 0.4 },
  { day: 33, from: '14:00', to: '17:30', kind: 'other', region: '511900', title: `${year}年度法律援助志愿者经验交流暨表彰会`, location: '巴中市公共法律服务中心二楼多功能厅', capacity: 30, opensIn: 14, description: '总结本年度志愿服务情况，表彰优秀志愿者。报名两周后开放。' },
  { day: 38, from: '09:00', to: '11:30', kind: 'six_intos', target: 'units', region: '511922', title: '法律进单位·南江县人民医院医疗纠纷预防与调解讲座', location: '巴中市南江县人民医院门诊楼五楼会议室', capacity: 6, skills: ['mediation'], fill: 0.5 },
  { day: 40, from: '09:00', to: '15:00', kind: 'countryside', region: '511923', title: '送法下乡·平昌县驷马镇返乡农民工维权服务', location: '巴中市平昌县驷马镇便民服务中心广场', capacity: 15, skills: ['consultation', 'dialect', 'first_aid'], fill: 0.4 },
];

/** Past events: the demo volunteer attended the first and third and missed the second. */
const PAST: (EventPlan & { others: number })[] = [
  { day: -17, from: '09:00', to: '15:00', kind: 'countryside', region: '511902', title: '送法下乡·巴州区曾口镇法治赶集', location: '巴中市巴州区曾口镇场镇文化广场', capacity: 10, others: 8 },
  { day: -6, from: '09:00', to: '11:30', kind: 'six_intos', target: 'schools', region: '511921', title: '法律进校园·通江县诺江镇中心小学防校园欺凌讲座', location: '巴中市通江县诺江镇中心小学多媒体教室', capacity: 6, others: 4 },
  { day: -3, from: '14:00', to: '17:00', kind: 'consultation_day', region: '511902', title: '兴文街道法律咨询日', location: '巴中市巴州区兴文街道司法所法律援助工作站', capacity: 5, others: 3 },
];

const CANCEL_REASON = '气象台发布暴雨橙色预警，为保障群众和志愿者安全取消本次活动，赶集日咨询另行安排。';

interface Ctx {
  db: Kysely<DB>;
  rng: Rng;
  on: string;
  staff: Actor;
  volunteer: { actor: Actor; id: number } | null;
  lawyer: { actor: Actor; id: number } | null;
  /** approved volunteers other than the demo one */
  others: number[];
  /** sign-ups of upcoming events are made over the last days, each a little after the one before */
  clock: () => Date;
  /** the plan's day from today; moved to a working day (past ones back, future ones on) where it needs one */
  dayOf: (p: EventPlan) => string;
}

function planDay(cal: Calendar, on: string) {
  return (p: EventPlan) => {
    let day = addDays(on, p.day);
    if (OFFICE_HOURS.includes(p.target)) while (!isWorkingDay(cal, day)) day = addDays(day, p.day < 0 ? -1 : 1);
    return day;
  };
}

const input = (p: EventPlan, day: string, on: string) => ({
  title: p.title, description: p.description ?? null, kind: p.kind, sixIntosTarget: p.target ?? null,
  startsAt: `${day}T${p.from}`, endsAt: `${day}T${p.to}`, regionCode: p.region, location: p.location, capacity: p.capacity,
  skillsWanted: p.skills ?? [], signupOpensAt: p.opensIn ? `${addDays(on, p.opensIn)}T09:00` : null,
  repeat: p.repeat ? { every: 'week', count: p.repeat } : null,
});

async function seedPast(c: Ctx) {
  for (const [i, p] of PAST.entries()) {
    const day = c.dayOf(p);
    const start = at(day, p.from);
    const [event] = await createEvent(c.db, c.staff, input(p, day, c.on), new Date(start.getTime() - 20 * 24 * HOUR));
    const people: EventPerson[] = sample(c.rng, c.others, p.others).map((id) => ({ volunteerId: id }));
    if (c.volunteer) people.splice(1, 0, { volunteerId: c.volunteer.id });
    for (const [k, person] of people.entries()) await signUp(c.db, c.staff, person, event.id, new Date(start.getTime() - (10 * 24 - k * 3) * HOUR));
    const end = at(day, p.to);
    for (const [k, person] of people.entries()) {
      const demo = person.volunteerId === c.volunteer?.id;
      if (demo && i === 1) continue; // missed: the no-show run below records it
      if (!demo && i === 0 && k === people.length - 1) continue; // one of the others did not come either
      if (demo) await selfCheckIn(c.db, c.volunteer!.actor, person, event.id, event.checkin_code, new Date(start.getTime() + 10 * 60_000));
      else await checkIn(c.db, c.staff, event.id, person, 'attended', end);
    }
    await recordNoShows(c.db, SYSTEM_ACTOR, event.id, new Date(end.getTime() + 13 * HOUR));
  }
}

/** Signs up `n` other volunteers (the manager registers them), passing over anyone already on an overlapping event. */
async function seatOthers(c: Ctx, event: Event, n: number, skip: number[] = []) {
  const seated: number[] = [];
  for (const id of sample(c.rng, c.others.filter((v) => !skip.includes(v)), c.others.length)) {
    if (seated.length >= n) break;
    try {
      await signUp(c.db, c.staff, { volunteerId: id }, event.id, c.clock());
      seated.push(id);
    } catch (err) {
      if (!(err instanceof RuleError && err.code === 'overlap')) throw err;
    }
  }
  return seated;
}

async function seedUpcoming(c: Ctx) {
  const created = new Date(Date.now() - 7 * 24 * HOUR);
  const later: (() => Promise<unknown>)[] = [];
  for (const p of UPCOMING(c.on.slice(0, 4))) {
    const events = await createEvent(c.db, c.staff, input(p, c.dayOf(p), c.on), created);
    for (const event of events) await seatOthers(c, event, Math.round(p.capacity * (p.fill ?? 0)));
    const event = events[0];
    const me = c.volunteer;
    if (p.lawyer && c.lawyer) await signUp(c.db, c.lawyer.actor, { lawyerId: c.lawyer.id }, event.id, c.clock());
    if (!me || !p.demo) continue;
    const person = { volunteerId: me.id };
    if (p.demo === 'confirmed') await signUp(c.db, me.actor, person, event.id, c.clock());
    if (p.demo === 'waitlisted') {
      // full: three seats taken and one already waiting, so the demo volunteer is second in line
      await seatOthers(c, event, p.capacity + 1);
      await signUp(c.db, me.actor, person, event.id, c.clock());
    }
    if (p.demo === 'promoted') {
      const seated = await seatOthers(c, event, p.capacity);
      await signUp(c.db, me.actor, person, event.id, c.clock());
      // two days ago someone withdrew: the seat went to the demo volunteer (who is told), and a newcomer waits
      later.push(async () => {
        await cancelSignUp(c.db, c.staff, { volunteerId: seated[0] }, event.id, new Date(Date.now() - 2 * 24 * HOUR));
        await seatOthers(c, event, 1, seated);
      });
    }
    if (p.demo === 'cancelled') {
      await signUp(c.db, me.actor, person, event.id, c.clock());
      later.push(() => cancelEvent(c.db, c.staff, event.id, CANCEL_REASON, new Date(Date.now() - 24 * HOUR)));
    }
  }
  for (const step of later) await step();
}

// ---- training ----------------------------------------------------------------

const PLACE = '巴中市公共法律服务中心二楼培训室';

const COURSES = [
  { code: 'legal_aid_basics', title: '法律援助业务基础', description: '《法律援助法》与办案规程：受理、审查、指派、结案归档与补贴申领，每位承办律师每年须参加。', creditHours: '6', requiredForRoles: ['lawyer'], requiredForPracticeArea: null, grantsCertificate: false, certificateValidMonths: null },
  { code: 'juvenile', title: '未成年人案件办理', description: '未成年人刑事案件的特别程序、合适成年人到场、社会调查与心理疏导。持有效合格证的律师方可承办未成年人案件。', creditHours: '4', requiredForRoles: [], requiredForPracticeArea: 'juvenile', grantsCertificate: true, certificateValidMonths: 24 },
  { code: 'volunteer_service', title: '志愿者服务规范', description: '法律援助志愿者的服务礼仪、咨询边界、个人信息保护与活动安全。', creditHours: '3', requiredForRoles: ['volunteer'], requiredForPracticeArea: null, grantsCertificate: true, certificateValidMonths: 36 },
  { code: 'criminal_defence', title: '刑事辩护实务', description: '值班律师与法律援助辩护：会见、阅卷、认罪认罚案件的量刑协商与庭审辩护技巧。', creditHours: '6', requiredForRoles: [], requiredForPracticeArea: null, grantsCertificate: false, certificateValidMonths: null },
];

interface SessionPlan {
  course: string;
  day: string;
  from: string;
  to: string;
  capacity: number;
  people: Person[];
  location?: string;
  /** a past session: the hours each person is credited (default the course's) */
  hours?: (i: number) => string | undefined;
}

async function seedSession(c: Ctx, courses: Map<string, Course>, s: SessionPlan) {
  const course = courses.get(s.course)!;
  const start = at(s.day, s.from);
  const session = await createSession(c.db, c.staff, course.id, { startsAt: start.toISOString(), endsAt: at(s.day, s.to).toISOString(), location: s.location ?? PLACE, capacity: s.capacity });
  const past = start.getTime() < Date.now();
  for (const [i, person] of s.people.entries()) {
    const self = person.kind === 'lawyer' ? c.lawyer : c.volunteer;
    const actor = self && self.id === person.id ? self.actor : c.staff;
    await enrol(c.db, actor, session.id, person, past ? new Date(start.getTime() - (14 * 24 - i) * HOUR) : c.clock());
    if (past) await recordAttendance(c.db, c.staff, session.id, person, s.hours?.(i) ?? course.credit_hours, at(s.day, s.to));
  }
}

async function seedTraining(c: Ctx) {
  const courses = new Map<string, Course>();
  for (const course of COURSES) courses.set(course.code, await createCourse(c.db, c.staff, course));
  const lawyers = await c.db.selectFrom('lawyers').select(['id', 'practice_areas']).where('status', '!=', 'inactive').orderBy('id').execute();
  const demoLawyer = c.lawyer?.id;
  const ids = (rows: typeof lawyers) => rows.map((l) => l.id).filter((id) => id !== demoLawyer);
  const has = (area: string) => lawyers.filter((l) => l.practice_areas.includes(area));
  // each person once per session
  const L = (list: number[]): Person[] => [...new Set(list)].map((id) => ({ kind: 'lawyer', id }));
  const V = (list: number[]): Person[] => list.map((id) => ({ kind: 'volunteer', id }));
  const everyone = ids(lawyers);
  const criminal = sample(c.rng, ids(has('criminal')), 16);
  // j[0], j[2] renewed this year; j[1] let the certificate lapse, j[3]'s runs out within the 60 days
  const juvenile = sample(c.rng, ids(has('juvenile')), 99);
  const j = [...juvenile, ...sample(c.rng, everyone.filter((id) => !juvenile.includes(id)), 4)].slice(0, 4);
  const renewed = [...juvenile.filter((id) => id !== j[1] && id !== j[3]), ...sample(c.rng, criminal, 3)];
  const basicsA = sample(c.rng, everyone, 27);
  const basicsB = [...sample(c.rng, basicsA, 12), ...sample(c.rng, everyone.filter((id) => !basicsA.includes(id)), 6)];
  const trained = new Set([...basicsA, ...basicsB, ...criminal]);
  const short = everyone.filter((id) => !trained.has(id));
  const me = c.volunteer ? [c.volunteer.id] : [];
  const ago = (n: number) => addDays(c.on, -n);
  const juvenileDay = (months: number, days: number) => addDays(addMonths(c.on, months), days);
  const plans: SessionPlan[] = [
    { course: 'juvenile', day: juvenileDay(-24, -45), from: '14:00', to: '18:00', capacity: 20, people: L([j[0], j[1]]) },
    { course: 'juvenile', day: juvenileDay(-24, 25), from: '14:00', to: '18:00', capacity: 20, people: L([j[2], j[3]]) },
    { course: 'legal_aid_basics', day: ago(220), from: '09:00', to: '16:00', capacity: 40, people: L([...(demoLawyer ? [demoLawyer] : []), ...basicsA]) },
    { course: 'criminal_defence', day: ago(160), from: '09:00', to: '16:00', capacity: 30, people: L(criminal), hours: (i) => (i === 2 ? '4.5' : undefined) },
    { course: 'juvenile', day: ago(130), from: '14:00', to: '18:00', capacity: 30, people: L(renewed), location: '共青团巴中市委青少年法律援助工作站会议室' },
    { course: 'legal_aid_basics', day: ago(95), from: '09:00', to: '16:00', capacity: 40, people: L(basicsB) },
    { course: 'volunteer_service', day: ago(75), from: '09:00', to: '12:00', capacity: 30, people: V([...me, ...sample(c.rng, c.others, 15)]) },
    { course: 'volunteer_service', day: addDays(c.on, 10), from: '09:00', to: '12:00', capacity: 25, people: V([...me, ...sample(c.rng, c.others, 7)]) },
    { course: 'legal_aid_basics', day: addDays(c.on, 15), from: '09:00', to: '16:00', capacity: 40, people: L(sample(c.rng, short, 10)) },
    // full: the demo lawyer has a seat, two more wait
    { course: 'criminal_defence', day: addDays(c.on, 21), from: '09:00', to: '16:00', capacity: 12, people: L([...(demoLawyer ? [demoLawyer] : []), ...sample(c.rng, short, demoLawyer ? 13 : 14)]) },
    { course: 'juvenile', day: addDays(c.on, 28), from: '14:00', to: '18:00', capacity: 20, people: L([j[1], j[3], ...sample(c.rng, short, 4)]), location: '共青团巴中市委青少年法律援助工作站会议室' },
  ];
  for (const s of plans) await seedSession(c, courses, s);
}

export async function seedDemoEvents(db: Kysely<DB>): Promise<{ events: number; sessions: number } | null> {
  const [done, anyEvent, anyCourse] = await Promise.all([
    db.selectFrom('app_meta').select('key').where('key', '=', KEY).executeTakeFirst(),
    db.selectFrom('events').select('id').limit(1).executeTakeFirst(),
    db.selectFrom('training_courses').select('id').limit(1).executeTakeFirst(),
  ]);
  // never mix demo events or training into a database that has real ones
  if (done || anyEvent || anyCourse) return null;
  const [manager, logins, others] = await Promise.all([
    db.selectFrom('users').select(['id', 'name']).where('email', '=', 'manager@fayuan.demo').executeTakeFirst(),
    db.selectFrom('users').select(['id', 'name', 'email', 'lawyer_id', 'volunteer_id']).where('email', 'in', ['lawyer@fayuan.demo', 'volunteer@fayuan.demo']).execute(),
    db.selectFrom('volunteers').select('id').where('status', '=', 'approved').orderBy('id').execute(),
  ]);
  const login = (email: string, id: number | null | undefined) => {
    const u = logins.find((x) => x.email === email);
    return u && id ? { actor: { id: u.id, name: u.name }, id } : null;
  };
  const volunteer = login('volunteer@fayuan.demo', logins.find((x) => x.email === 'volunteer@fayuan.demo')?.volunteer_id);
  const lawyer = login('lawyer@fayuan.demo', logins.find((x) => x.email === 'lawyer@fayuan.demo')?.lawyer_id);
  let tick = Date.now() - 6 * 24 * HOUR;
  const on = today();
  const cal = await loadCalendar(db, addDays(on, -40), addDays(on, 60));
  const c: Ctx = {
    db, rng: mulberry32(SEED), on, dayOf: planDay(cal, on),
    staff: manager ? { id: manager.id, name: manager.name } : SYSTEM_ACTOR,
    volunteer, lawyer,
    others: others.map((v) => v.id).filter((id) => id !== volunteer?.id),
    clock: () => new Date((tick += 37 * 60_000)),
  };
  await seedPast(c);
  await seedUpcoming(c);
  await seedTraining(c);
  const [events, sessions] = await Promise.all([
    db.selectFrom('events').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    db.selectFrom('training_sessions').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
  ]);
  const result = { events: Number(events.n), sessions: Number(sessions.n) };
  await audit(db, SYSTEM_ACTOR, { action: 'demo.events_seeded', entity: 'system', after: result });
  await db.insertInto('app_meta').values({ key: KEY, value: JSON.stringify({ at: new Date().toISOString() }) }).execute();
  return result;
}
