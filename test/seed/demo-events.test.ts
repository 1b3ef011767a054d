// The demo's outreach events and training, as the demo accounts see them: the
// volunteer's seats, waitlist place, service record and the notice of a cancelled
// event; the manager's expiring certificates and who is short of hours; the
// lawyer's enrolment. Everything went through the services (audited), and a
// second seed adds nothing.
import t from 'tap';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { DEMO_PASSWORD, seedDemo } from '../../src/seed/demo.js';
import { seedDemoEvents } from '../../src/seed/demo-events.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { addDays, isWorkingDay } from '../../src/lib/workdays.js';
import { loadCalendar } from '../../src/modules/calendar/calendar.service.js';
import { dayOf } from '../../src/modules/events/events.rules.js';
import { loadFacts } from '../../src/modules/rotation/rotation.facts.js';
import { checkEligibility } from '../../src/modules/rotation/eligibility.js';

t.setTimeout(300_000);

async function counts(db: Kysely<DB>) {
  const n = async (table: 'events' | 'event_signups' | 'training_courses' | 'training_sessions' | 'training_enrolments' | 'training_certificates' | 'notifications' | 'hour_entries' | 'audit_log') =>
    Number((await db.selectFrom(table).select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
  return {
    events: await n('events'), signups: await n('event_signups'), courses: await n('training_courses'), sessions: await n('training_sessions'),
    enrolments: await n('training_enrolments'), certificates: await n('training_certificates'), notifications: await n('notifications'),
    hours: await n('hour_entries'), audit: await n('audit_log'),
  };
}

/** The list card of the event with this title, as text. */
function card(html: string, title: string): string {
  const found = html.split('<li class="event-card">').find((c) => c.includes(`>${title}<`));
  return found ? text(found.split('</li>')[0]) : '';
}

t.test('demo events and training', async (t) => {
  const { app, db } = await buildTestApp(t);
  await seedDemo(db);
  const on = today();
  const seeded = await counts(db);

  t.test('the events went through the services, dated around today', async (t) => {
    const events = await db.selectFrom('events').selectAll().orderBy('starts_at').execute();
    const upcoming = events.filter((e) => e.status === 'scheduled' && e.starts_at.getTime() > Date.now());
    t.ok(upcoming.length >= 12, `upcoming events (${upcoming.length})`);
    // six weeks, and a talk at a school or office moved past a holiday
    t.ok(upcoming.every((e) => e.starts_at.getTime() < Date.now() + 50 * 86_400_000), 'within the next weeks');
    const cal = await loadCalendar(db, addDays(on, -30), addDays(on, 60));
    const office = events.filter((e) => ['schools', 'government_bodies', 'enterprises', 'units'].includes(e.six_intos_target ?? ''));
    t.ok(office.length >= 4 && office.every((e) => isWorkingDay(cal, dayOf(e.starts_at))), 'talks at schools and offices on working days');
    t.same([...new Set(upcoming.map((e) => e.kind))].sort(), ['consultation_day', 'countryside', 'other', 'six_intos']);
    t.ok(new Set(upcoming.filter((e) => e.kind === 'six_intos').map((e) => e.six_intos_target)).size >= 4, 'six intos with different targets');
    t.ok(new Set(upcoming.map((e) => e.region_code)).size >= 5, 'across the regions');
    const series = new Map<number, number>();
    for (const e of events) if (e.series_id) series.set(e.series_id, (series.get(e.series_id) ?? 0) + 1);
    t.same([...series.values()], [4], 'one weekly series of four');
    t.ok(upcoming.every((e) => e.capacity >= 3 && e.capacity <= 30));
    t.ok(upcoming.some((e) => e.skills_wanted.length > 0), 'some want skills');
    t.ok(upcoming.some((e) => e.signup_opens_at && e.signup_opens_at.getTime() > Date.now()), 'a sign-up window not open yet');
    const audits = await db.selectFrom('audit_log').select('action').where('entity', 'in', ['event', 'event_signup']).execute();
    t.equal(audits.filter((a) => a.action === 'event.created').length, events.length, 'every event created through the service, audited');
    t.equal(audits.filter((a) => a.action === 'event.signed_up').length, seeded.signups, 'every sign-up audited');
  });

  t.test('the volunteer sees their seats, waitlist place, record and a notice', async (t) => {
    const client = new Client(app);
    await client.login('volunteer@fayuan.demo', DEMO_PASSWORD);
    const list = await client.get('/events');
    t.equal(list.statusCode, 200);
    t.match(card(list.body, '送法下乡·通江县沙溪镇红岩村普法宣传'), 'Confirmed');
    t.match(card(list.body, '法律进社区·望王山社区反家庭暴力法宣传'), 'Confirmed', 'promoted from the waitlist');
    t.match(card(list.body, '法律进企业·经开区农民工工资支付权益宣讲'), /Waitlisted Waitlist position 2/);
    t.equal(card(list.body, '送法下乡·恩阳区玉山镇赶集日法律咨询'), '', 'the cancelled event is not listed');
    t.notMatch(card(list.body, '江北街道每周法律咨询日'), /Confirmed|Waitlisted/, 'not signed up for everything');
    t.match(text(list.body), 'Notifications (2)', 'the header counts the unread notifications');

    const notes = text((await client.get('/notifications')).body);
    t.match(notes, '暴雨橙色预警', 'the cancellation with its reason');
    t.match(notes, '法律进社区·望王山社区反家庭暴力法宣传', 'the promotion');

    const mine = text((await client.get('/events/mine')).body);
    t.match(mine, '2 events attended, 9 hours in all.');
    t.match(mine, /兴文街道法律咨询日 .*Attended 3/);
    t.match(mine, /法律进校园·通江县诺江镇中心小学防校园欺凌讲座 .*No-show —/);
    t.match(mine, /送法下乡·巴州区曾口镇法治赶集 .*Attended 6/);
    const certificate = await client.get('/events/mine/certificate');
    t.equal(certificate.statusCode, 200);
    t.match(text(certificate.body), /took part in 2 legal-aid outreach events as a volunteer, serving 9 hours/);

    // the window of the year-end meeting is not open: a sign-up is refused and nothing changes
    const closed = await db.selectFrom('events').select('id').where('signup_opens_at', '>', new Date()).executeTakeFirstOrThrow();
    const refused = await client.post(`/events/${closed.id}/signup`, { next: 'list' });
    t.equal(refused.statusCode, 422);
    t.match(text(refused.body), 'not open');
    t.equal((await counts(db)).signups, seeded.signups, 'no sign-up added');

    const training = await client.get('/training/me');
    const record = text((await client.get(String(training.headers.location))).body);
    t.match(record, /3 of 6 required hours/, 'their training hours this year');
    t.match(record, /Enrolled sessions .*志愿者服务规范/, 'and the session they are enrolled in');
  });

  t.test('the manager sees expiring and expired certificates and who is short of hours', async (t) => {
    const client = new Client(app);
    await client.login('manager@fayuan.demo', DEMO_PASSWORD);
    const page = await client.get('/training/expiring');
    t.equal(page.statusCode, 200);
    const [soon, expired] = text(page.body).split('Expired');
    t.match(soon, /Expiring within 60 days \(1\)/);
    t.match(soon, /未成年人案件办理 .* \d+ days left/);
    t.ok(expired && expired.includes('未成年人案件办理'), 'an expired juvenile certificate');
    const certs = await db.selectFrom('training_certificates as c').innerJoin('lawyers as l', 'l.id', 'c.lawyer_id').select(['l.name', 'c.expires_on']).execute();
    const expiring = certs.filter((c) => c.expires_on && c.expires_on >= on && c.expires_on <= addDays(on, 60));
    t.ok(expiring.some((c) => soon.includes(c.name)), 'the holder is named');

    const short = text((await client.get('/training/short')).body);
    const lawyer = await db.selectFrom('users').select('name').where('email', '=', 'lawyer@fayuan.demo').executeTakeFirstOrThrow();
    t.match(short, /Lawyers \(12 hours required; \d+ short\)/);
    t.match(short, lawyer.name, 'the demo lawyer is short of hours');
    const met = await sql<{ n: number }>`select count(*)::int as n from (select e.lawyer_id from training_enrolments e join training_sessions s on s.id = e.session_id
      where e.status = 'attended' and e.lawyer_id is not null and s.starts_at >= ${new Date(`${on.slice(0, 4)}-01-01T00:00:00+08:00`)}
      group by e.lawyer_id having sum(e.hours) >= 12) x`.execute(db);
    t.ok(met.rows[0].n >= 10, `lawyers who met the requirement (${met.rows[0].n})`);
  });

  t.test('the lawyer is enrolled in an upcoming session', async (t) => {
    const client = new Client(app);
    await client.login('lawyer@fayuan.demo', DEMO_PASSWORD);
    const to = await client.get('/training/me');
    const record = text((await client.get(String(to.headers.location))).body);
    t.match(record, /6 of 12 required hours/);
    t.match(record, /Enrolled sessions .*刑事辩护实务/);
  });

  t.test('holders of a valid juvenile certificate can take juvenile cases; a lapsed one cannot', async (t) => {
    const holders = await db
      .selectFrom('training_certificates as c').innerJoin('training_courses as k', 'k.id', 'c.course_id').innerJoin('lawyers as l', 'l.id', 'c.lawyer_id')
      .select(['l.id', 'l.region_code', 'l.practice_areas', 'l.status', 'c.expires_on'])
      .where('k.code', '=', 'juvenile').where('k.required_for_practice_area', '=', 'juvenile').execute();
    const valid = holders.filter((h) => h.expires_on! >= on && h.practice_areas.includes('juvenile') && h.status === 'active');
    t.ok(valid.length >= 3, `juvenile lawyers with a valid certificate (${valid.length})`);
    const region = valid[0].region_code;
    const facts = await loadFacts(db, { id: 0, kind: 'criminal', category: 'juvenile', region_code: region, min_level: 1, possible_life_sentence: false, required_training: null, opposing_parties: [] }, on);
    t.same(facts.needs.trainings, ['juvenile'], 'the course gates juvenile cases');
    const eligible = facts.lawyers.filter((l) => checkEligibility(l, facts.needs) === null).map((l) => l.id);
    t.ok(valid.filter((h) => h.region_code === region).every((h) => eligible.includes(h.id)), 'the certificate holders there are in line');
    const lapsed = holders.find((h) => h.expires_on! < on && h.practice_areas.includes('juvenile') && !holders.some((o) => o.id === h.id && o.expires_on! >= on));
    t.ok(lapsed, 'a juvenile lawyer let the certificate lapse');
    const there = await loadFacts(db, { id: 0, kind: 'criminal', category: 'juvenile', region_code: lapsed!.region_code, min_level: 1, possible_life_sentence: false, required_training: null, opposing_parties: [] }, on);
    const theirs = there.lawyers.find((l) => l.id === lapsed!.id);
    t.ok(theirs, 'in the pool of their region');
    t.equal(theirs && checkEligibility(theirs, there.needs), 'training', 'passed over for the training');
  });

  t.test('the same seed makes the same events and training', async (t) => {
    const shape = async (db: Kysely<DB>) => ({
      signups: await db.selectFrom('event_signups as s').innerJoin('events as e', 'e.id', 's.event_id')
        .select(['e.title', 'e.capacity', 'e.status', 's.volunteer_id', 's.lawyer_id', 's.status as signup', 's.seq']).orderBy('s.id').execute(),
      enrolments: await db.selectFrom('training_enrolments as e').innerJoin('training_sessions as s', 's.id', 'e.session_id')
        .select(['s.course_id', 's.capacity', 'e.lawyer_id', 'e.volunteer_id', 'e.status', 'e.hours']).orderBy('e.id').execute(),
      certificates: await db.selectFrom('training_certificates').select(['lawyer_id', 'volunteer_id', 'course_id', 'issued_on', 'expires_on']).orderBy('id').execute(),
    });
    const other = await buildTestApp(t);
    await seedDemo(other.db);
    t.same(await shape(other.db), await shape(db));
  });

  t.test('seeding again changes nothing', async (t) => {
    t.equal(await seedDemoEvents(db), null);
    await seedDemo(db);
    const again = await counts(db);
    t.same({ ...again, audit: 0 }, { ...seeded, audit: 0 }, 'the same events, sign-ups, enrolments and certificates');
    t.ok(again.audit >= seeded.audit, 'audit rows only from the page reads above');
  });
});
