// Attendance on the manager's session page (hours capped at the course's, 422
// next to the row's field), each person's record page (only one's own for a
// lawyer or volunteer), the short-of-hours and expiring-certificate lists, and
// hostile names shown as text.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries } from '../helpers/html.js';
import { makeLawyer, makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { enrol, recordAttendance } from '../../src/modules/training/training.enrol.js';
import { createSession } from '../../src/modules/training/training.service.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { addDays } from '../../src/lib/workdays.js';
import { makeCourse } from './helpers.js';

const { app, db } = await buildTestApp(t);
const HOSTILE = '<script>alert("x")</script>';

const m = new Client(app);
await m.login((await makeUser(db, 'manager')).email);
const vol = await makeVolunteerUser(db, { name: '张志愿' });
const lawA = await makeLawyerUser(db, { name: '甲律师' });
const lawB = await makeLawyerUser(db, { name: '乙律师' });
const hostile = await makeLawyerUser(db, { name: HOSTILE });
const inactive = await makeLawyer(db, { name: '丙律师（停业）', status: 'inactive' });
const va = new Client(app);
await va.login(vol.user.email);
const la = new Client(app);
await la.login(lawA.user.email);

// a session that started a minute ago (so attendance can be recorded), enrolled in before it began
const now = Date.now();
const course = await makeCourse(db, { title: '法律援助案件质量标准', creditHours: '3', grantsCertificate: true, certificateValidMonths: 12, requiredForRoles: ['lawyer', 'volunteer'] });
const session = await createSession(db, TEST_ACTOR, course.id, {
  startsAt: new Date(now - 60_000).toISOString(),
  endsAt: new Date(now + 3_600_000).toISOString(),
  location: '通江县司法局',
  capacity: 1,
});
await enrol(db, TEST_ACTOR, session.id, { kind: 'volunteer', id: vol.volunteer.id }, new Date(now - 3_600_000));
await enrol(db, TEST_ACTOR, session.id, { kind: 'lawyer', id: hostile.lawyer.id }, new Date(now - 3_600_000));
const attended = () => db.selectFrom('training_enrolments').select(['status', 'hours']).where('session_id', '=', session.id).where('volunteer_id', '=', vol.volunteer.id).executeTakeFirstOrThrow();

await t.test("the manager's session page: who is enrolled, who waits, an attendance form per person", async (t) => {
  const res = await m.get(`/training/sessions/${session.id}`);
  t.equal(res.statusCode, 200);
  const page = text(res.body);
  t.match(page, /Enrolled \(1\) 张志愿 Volunteer Enrolled Hours Mark attended/);
  t.match(page, /Waitlist \(1\) <script>alert\("x"\)<\/script> Lawyer Waitlisted, position 1/);
  t.match(res.body, /<input id="h-v-\d+" name="hours" value="3"/, "the course's hours are offered");
});

await t.test('hours above the course are refused next to the field; then attendance credits the hours', async (t) => {
  await m.get(`/training/sessions/${session.id}`);
  const bad = await m.post(`/training/sessions/${session.id}/attendance`, { person: `v:${vol.volunteer.id}`, hours: '5' });
  t.equal(bad.statusCode, 422);
  const id = `h-v-${vol.volunteer.id}`;
  t.match(bad.body, new RegExp(`<input id="${id}" name="hours" value="5"[^>]*aria-invalid="true" aria-describedby="${id}-err"`), 'the typed value kept, the field marked');
  t.match(bad.body, new RegExp(`<p class="error" id="${id}-err">Credited hours must be more than 0 and at most the course(&#39;|')s 3 hours`));
  t.same(await attended(), { status: 'enrolled', hours: null }, 'nothing recorded');

  const ok = await m.post(`/training/sessions/${session.id}/attendance`, { person: `v:${vol.volunteer.id}`, hours: '2.5' });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, `/training/sessions/${session.id}`);
  const page = text((await m.get(`/training/sessions/${session.id}`)).body);
  t.match(page, 'Attendance of 张志愿 recorded: 2.5 h.');
  t.match(page, '张志愿 Volunteer Attended, 2.5 h');
  t.match(String((await attended()).hours), /^2\.5/);
  t.equal((await auditEntries(db, 'training.attendance_recorded')).length, 1, 'audited');

  const again = await m.post(`/training/sessions/${session.id}/attendance`, { person: `v:${vol.volunteer.id}`, hours: '1' });
  t.equal(again.statusCode, 409);
  t.match(text(again.body), "This person's attendance at this session has already been recorded.");
  t.equal((await auditEntries(db, 'training.attendance_recorded')).length, 1, 'credited once');
  t.equal((await m.post(`/training/sessions/${session.id}/attendance`, { person: 'x:1', hours: '1' })).statusCode, 404);
});

await t.test("the person's record: hours this year against the policy, the session, the certificate", async (t) => {
  const me = await va.get('/training/me');
  t.equal(me.statusCode, 303);
  const own = `/training/volunteers/${vol.volunteer.id}`;
  t.equal(me.headers.location, own);
  const res = await va.get(own);
  t.equal(res.statusCode, 200);
  const page = text(res.body);
  const year = today().slice(0, 4);
  t.match(page, 'Training record of 张志愿');
  t.match(page, `${year}: 2.5 of 6 required hours. 3.5 hours short`, "the volunteer's requirement from the seeded policy");
  t.match(page, /法律援助案件质量标准 .* Valid/, 'the certificate, valid');
  t.match(page, /Sessions attended .*法律援助案件质量标准 2\.5/);
  const zh = new Client(app, { 'accept-language': 'zh-CN' });
  await zh.login(vol.user.email);
  t.match(text((await zh.get(own)).body), `${year} 年已获 2.5 学时，要求 6 学时。 还差 3.5 学时`);
});

await t.test("a lawyer or volunteer sees only their own record", async (t) => {
  t.equal((await la.get(`/training/lawyers/${lawA.lawyer.id}`)).statusCode, 200);
  t.equal((await la.get(`/training/lawyers/${lawB.lawyer.id}`)).statusCode, 404, "another lawyer's record does not exist for them");
  t.equal((await la.get(`/training/volunteers/${vol.volunteer.id}`)).statusCode, 404);
  t.equal((await va.get(`/training/lawyers/${lawA.lawyer.id}`)).statusCode, 404);
  t.equal((await la.get('/training/lawyers/99999999')).statusCode, 404);
  t.equal((await m.get(`/training/lawyers/${lawB.lawyer.id}`)).statusCode, 200, 'a manager reads anyone');
  t.equal((await m.get('/training/lawyers/abc')).statusCode, 404);
  t.equal((await m.get('/training/me')).statusCode, 403, 'a manager has no record of their own');
});

await t.test('who is short of hours this year, by role, sortable', async (t) => {
  // 甲 met the 12 hours; 乙 has 2; the hostile name none; the inactive lawyer is not counted
  const big = await makeCourse(db, { creditHours: '12' });
  const small = await makeCourse(db, { creditHours: '2' });
  const start = new Date(now - 120_000).toISOString();
  const end = new Date(now + 3_600_000).toISOString();
  const s1 = await createSession(db, TEST_ACTOR, big.id, { startsAt: start, endsAt: end, location: '中心', capacity: 5 });
  const s2 = await createSession(db, TEST_ACTOR, small.id, { startsAt: start, endsAt: end, location: '中心', capacity: 5 });
  await recordAttendance(db, TEST_ACTOR, s1.id, { kind: 'lawyer', id: lawA.lawyer.id }, '12');
  await recordAttendance(db, TEST_ACTOR, s2.id, { kind: 'lawyer', id: lawB.lawyer.id }, '2');

  const res = await m.get('/training/short');
  t.equal(res.statusCode, 200);
  const lawyers = text(/<section aria-labelledby="h-short-lawyer"[\s\S]*?<\/section>/.exec(res.body)![0]);
  const volunteers = text(/<section aria-labelledby="h-short-volunteer"[\s\S]*?<\/section>/.exec(res.body)![0]);
  t.match(lawyers, 'Lawyers (12 hours required;');
  t.match(lawyers, /<script>alert\("x"\)<\/script> 0 12 12 .*乙律师 2 10 12/, 'the largest shortfall first, with the shortfall');
  t.notMatch(lawyers, '甲律师', 'who met the requirement is not listed');
  t.notMatch(lawyers, '丙律师', 'nor an inactive lawyer');
  t.match(volunteers, '张志愿 2.5 3.5 6');
  t.match(res.body, `href="/training/lawyers/${lawB.lawyer.id}"`, 'each name opens the record');
  t.notOk(inactive.status === 'active');

  const byHours = text((await m.get('/training/short?sort=hours')).body);
  t.match(byHours, /<script>alert\("x"\)<\/script> 0 12 12 .*乙律师 2 10 12/);
  const byName = await m.get('/training/short?sort=name');
  t.match(byName.body, /<th scope="col" aria-sort="ascending"><a href="[^"]*sort=name">Name<\/a><\/th>/);
  const names = text(/<section aria-labelledby="h-short-lawyer"[\s\S]*?<\/section>/.exec(byName.body)![0]);
  t.ok(names.indexOf(HOSTILE) < names.indexOf('乙律师'), 'by name: < sorts before a Chinese name');
  const lastYear = Number(today().slice(0, 4)) - 1;
  const old = text((await m.get(`/training/short?year=${lastYear}`)).body);
  t.match(old, /甲律师 0 12 12/, "last year 甲 had no hours: this year's session does not count");
});

await t.test('certificates expiring within 60 days, and expired ones flagged', async (t) => {
  const on = today();
  const cert = async (lawyerId: number, expiresOn: string) => {
    const c = await makeCourse(db, { creditHours: '1', grantsCertificate: true, certificateValidMonths: 12 });
    const s = await createSession(db, TEST_ACTOR, c.id, { startsAt: new Date(now - 180_000).toISOString(), endsAt: new Date(now + 60_000).toISOString(), location: '中心', capacity: 5 });
    const { certificate } = await recordAttendance(db, TEST_ACTOR, s.id, { kind: 'lawyer', id: lawyerId }, '1');
    await db.updateTable('training_certificates').set({ issued_on: addDays(expiresOn, -365), expires_on: expiresOn }).where('id', '=', certificate!.id).execute();
    return c;
  };
  const soon = await makeLawyer(db, { name: '丁律师' });
  const later = await makeLawyer(db, { name: '戊律师' });
  const gone = await makeLawyer(db, { name: '己律师' });
  await cert(soon.id, addDays(on, 30));
  await cert(later.id, addDays(on, 90));
  await cert(gone.id, addDays(on, -10));

  const res = await m.get('/training/expiring');
  t.equal(res.statusCode, 200);
  const expiring = text(/<section aria-labelledby="h-expiring"[\s\S]*?<\/section>/.exec(res.body)![0]);
  const expired = text(/<section aria-labelledby="h-expired"[\s\S]*?<\/section>/.exec(res.body)![0]);
  t.match(expiring, /丁律师 Lawyer .* 30 days left/);
  t.notMatch(expiring, '戊律师', '90 days ahead: not yet');
  t.notMatch(expiring, '己律师');
  t.match(expired, /己律师 Lawyer .* Expired/);
  t.notMatch(expired, '丁律师');
  t.match(res.body, `href="/training/lawyers/${soon.id}"`);
  const record = text((await m.get(`/training/lawyers/${soon.id}`)).body);
  t.match(record, 'Expiring within 60 days', 'the record page says so too');
  t.match(text((await m.get(`/training/lawyers/${gone.id}`)).body), /Certificates .* Expired/);
});

await t.test('hostile names and titles are shown as text, never markup', async (t) => {
  const evil = await makeCourse(db, { title: '<img src=x onerror=alert(1)>' });
  await createSession(db, TEST_ACTOR, evil.id, { startsAt: '2031-09-01T09:00:00+08:00', endsAt: '2031-09-01T10:00:00+08:00', location: '<b>礼堂</b>', capacity: 3 });
  for (const url of ['/training', `/training/${evil.id}`, `/training/sessions/${session.id}`, '/training/short', `/training/lawyers/${hostile.lawyer.id}`]) {
    const body = (await m.get(url)).body;
    t.notMatch(body, '<script>alert', `${url}: no script from data`);
    t.notMatch(body, '<img src=x', `${url}: no image from data`);
    t.notMatch(body, '<b>礼堂', `${url}: no markup from data`);
  }
  t.match((await m.get(`/training/${evil.id}`)).body, '&lt;img src=x onerror=alert(1)&gt;');
  t.match((await m.get(`/training/sessions/${session.id}`)).body, '&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;');
});
