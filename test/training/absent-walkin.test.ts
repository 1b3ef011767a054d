// The roster after a session starts: one tap marks a seated person absent (htmx
// swaps only their row; without htmx a 303 back to the page) and one tap takes
// it back; absent keeps the seat and gives no hours and no certificate; refused
// before the start, for the waitlisted and once attendance is recorded. The
// walk-in form records someone who never enrolled (picked from a list that a
// plain GET search narrows): hours capped at the course's, errors next to the
// fields with nothing written. Lawyers and volunteers may do neither (403).
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeLawyer, makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { enrol } from '../../src/modules/training/training.enrol.js';
import { createSession } from '../../src/modules/training/training.service.js';
import { makeCourse } from './helpers.js';

const { app, db } = await buildTestApp(t);

const m = new Client(app);
await m.login((await makeUser(db, 'manager')).email);
const vol = await makeVolunteerUser(db, { name: '张志愿' });
const lawB = await makeLawyerUser(db, { name: '乙律师' });
const lawC = await makeLawyerUser(db, { name: '丙律师' });
const walker = await makeLawyer(db, { name: '丁律师', licenseNo: '15119202411112222' });
const other = await makeLawyer(db, { name: '戊律师', licenseNo: '15119202433334444' });
const gone = await makeLawyer(db, { name: '己律师（停业）', status: 'inactive' });
const va = new Client(app);
await va.login(vol.user.email);
const lb = new Client(app);
await lb.login(lawB.user.email);

const course = await makeCourse(db, { title: '法律援助案件质量标准', creditHours: '3', grantsCertificate: true, certificateValidMonths: 12, requiredForRoles: ['lawyer', 'volunteer'] });
const hour = 3_600_000;
const session = await createSession(db, TEST_ACTOR, course.id, {
  startsAt: new Date(Date.now() - 60_000).toISOString(),
  endsAt: new Date(Date.now() + hour).toISOString(),
  location: '通江县司法局',
  capacity: 2,
});
const early = new Date(Date.now() - hour);
await enrol(db, TEST_ACTOR, session.id, { kind: 'volunteer', id: vol.volunteer.id }, early);
await enrol(db, TEST_ACTOR, session.id, { kind: 'lawyer', id: lawB.lawyer.id }, early);
await enrol(db, TEST_ACTOR, session.id, { kind: 'lawyer', id: lawC.lawyer.id }, early); // waitlisted
const future = await createSession(db, TEST_ACTOR, course.id, {
  startsAt: new Date(Date.now() + 48 * hour).toISOString(),
  endsAt: new Date(Date.now() + 50 * hour).toISOString(),
  location: '南江县司法局',
  capacity: 5,
});
await enrol(db, TEST_ACTOR, future.id, { kind: 'volunteer', id: vol.volunteer.id });

const statusOf = async (sessionId: number, column: 'volunteer_id' | 'lawyer_id', id: number) =>
  db.selectFrom('training_enrolments').select(['status', 'hours']).where('session_id', '=', sessionId).where(column, '=', id).where('status', '!=', 'cancelled').executeTakeFirst();
const certificates = () => db.selectFrom('training_certificates').select(['lawyer_id', 'volunteer_id']).execute();
const rows = async () => Number((await db.selectFrom('training_enrolments').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const v = `v:${vol.volunteer.id}`;
/** the walk-in section of the session page (the roster rows have hours fields too) */
const walkIn = (html: string) => html.slice(html.indexOf('id="walk-in"'));
const hx = { 'hx-request': 'true', 'hx-current-url': 'http://localhost/' };

await t.test('lawyers and volunteers may not mark anyone absent or record a walk-in', async (t) => {
  await va.get('/training');
  t.equal((await va.post(`/training/sessions/${session.id}/absence`, { person: v, absent: '1' })).statusCode, 403);
  t.equal((await va.post(`/training/sessions/${session.id}/walk-in`, { person: v, hours: '3' })).statusCode, 403);
  await lb.get('/training');
  t.equal((await lb.post(`/training/sessions/${session.id}/absence`, { person: v, absent: '1' })).statusCode, 403);
  t.equal((await lb.post(`/training/sessions/${session.id}/walk-in`, { person: `l:${walker.id}`, hours: '3' })).statusCode, 403);
  t.same(await statusOf(session.id, 'volunteer_id', vol.volunteer.id), { status: 'enrolled', hours: null });
  t.equal(await statusOf(session.id, 'lawyer_id', walker.id), undefined);
  t.equal((await auditEntries(db, 'training.marked_absent')).length, 0);
});

await t.test('before the session starts nobody can be marked absent, and there is no button', async (t) => {
  const page = await m.get(`/training/sessions/${future.id}`);
  t.notMatch(page.body, '/absence"', 'no absent button');
  t.notMatch(page.body, '/walk-in"', 'no walk-in form');
  const res = await m.post(`/training/sessions/${future.id}/absence`, { person: v, absent: '1' });
  t.equal(res.statusCode, 409);
  t.match(text(res.body), 'This session has not started yet: nobody can be marked absent.');
  const walk = await m.post(`/training/sessions/${future.id}/walk-in`, { person: `l:${walker.id}`, hours: '3' });
  t.equal(walk.statusCode, 409);
  t.match(text(walk.body), 'This session has not started yet: attendance cannot be recorded.');
  t.same(await statusOf(future.id, 'volunteer_id', vol.volunteer.id), { status: 'enrolled', hours: null });
  t.equal(await statusOf(future.id, 'lawyer_id', walker.id), undefined);
});

await t.test('one tap marks a seated person absent: htmx gets only the row; the seat is kept', async (t) => {
  const page = await m.get(`/training/sessions/${session.id}`);
  t.equal((page.body.match(/class="inline absence-form"/g) ?? []).length, 2, 'an absent button for each seated person, none for the waitlist');
  t.match(page.body, /hx-post="\/training\/sessions\/\d+\/absence" hx-target="closest li" hx-swap="outerHTML"/);
  const res = await m.post(`/training/sessions/${session.id}/absence`, { person: v, absent: '1' }, hx);
  t.equal(res.statusCode, 200);
  t.match(res.body, /^<li class="roster-row enrol-absent">/, 'the row alone');
  t.notMatch(res.body, '<html');
  t.match(text(res.body), /张志愿 Volunteer Absent Hours Mark attended Undo absent/);
  t.same(await statusOf(session.id, 'volunteer_id', vol.volunteer.id), { status: 'absent', hours: null });
  const audit = await auditEntries(db, 'training.marked_absent');
  t.equal(audit.length, 1);
  t.match(audit[0], { entity: 'training_enrolment', before: { status: 'enrolled' }, after: { status: 'absent' } });

  const after = text((await m.get(`/training/sessions/${session.id}`)).body);
  t.match(after, '0 of 2 seats left', 'the absent person keeps the seat');
  t.match(after, /Waitlist \(1\) 丙律师 Lawyer Waitlisted, position 1/, 'nobody is promoted');
  t.same(await statusOf(session.id, 'lawyer_id', lawC.lawyer.id), { status: 'waitlisted', hours: null });

  const twice = await m.post(`/training/sessions/${session.id}/absence`, { person: v, absent: '1' });
  t.equal(twice.statusCode, 409);
  t.match(text(twice.body), 'This person is already marked absent.');
  const hxTwice = await m.post(`/training/sessions/${session.id}/absence`, { person: v, absent: '1' }, hx);
  t.equal(hxTwice.statusCode, 409);
  t.equal(hxTwice.headers['hx-retarget'], '#messages', 'under htmx the refusal goes to the messages, not into the row');
  t.match(text(hxTwice.body), 'This person is already marked absent.');
  const waiting = await m.post(`/training/sessions/${session.id}/absence`, { person: `l:${lawC.lawyer.id}`, absent: '1' });
  t.equal(waiting.statusCode, 409);
  t.match(text(waiting.body), 'on the waitlist');
  t.same(await statusOf(session.id, 'lawyer_id', lawC.lawyer.id), { status: 'waitlisted', hours: null });
  t.equal((await m.post(`/training/sessions/${session.id}/absence`, { person: `l:${walker.id}`, absent: '1' })).statusCode, 404, 'not on the roster');
  t.equal((await m.post(`/training/sessions/${session.id}/absence`, { person: 'x', absent: '1' })).statusCode, 404);
  t.equal((await auditEntries(db, 'training.marked_absent')).length, 1, 'refusals audit nothing');
});

await t.test('absent gives no hours and no certificate', async (t) => {
  t.same(await statusOf(session.id, 'volunteer_id', vol.volunteer.id), { status: 'absent', hours: null }, 'absent, no hours');
  t.match(text((await m.get(`/training/sessions/${session.id}`)).body), /张志愿 Volunteer Absent Hours/, 'the roster says absent, with no hours credited');
  const record = text((await va.get(`/training/volunteers/${vol.volunteer.id}`)).body);
  t.match(record, 'No sessions attended yet.');
  t.match(record, 'No certificates.');
  t.equal((await certificates()).length, 0);
});

await t.test('undo without htmx: back to enrolled with a 303; marking again works too', async (t) => {
  await m.get(`/training/sessions/${session.id}`);
  const undo = await m.post(`/training/sessions/${session.id}/absence`, { person: v, absent: '0' });
  t.equal(undo.statusCode, 303);
  t.equal(undo.headers.location, `/training/sessions/${session.id}`);
  t.match(text((await m.get(`/training/sessions/${session.id}`)).body), '张志愿 is no longer marked absent.');
  t.same(await statusOf(session.id, 'volunteer_id', vol.volunteer.id), { status: 'enrolled', hours: null });
  t.equal((await auditEntries(db, 'training.absence_undone')).length, 1);
  const notAbsent = await m.post(`/training/sessions/${session.id}/absence`, { person: v, absent: '0' });
  t.equal(notAbsent.statusCode, 409);
  t.match(text(notAbsent.body), 'This person is not marked absent.');

  t.equal((await m.post(`/training/sessions/${session.id}/absence`, { person: v, absent: '1' })).statusCode, 303);
  t.match(text((await m.get(`/training/sessions/${session.id}`)).body), '张志愿 marked absent.');
});

await t.test('once attendance is recorded, absent cannot be set or undone', async (t) => {
  await m.get(`/training/sessions/${session.id}`);
  t.equal((await m.post(`/training/sessions/${session.id}/attendance`, { person: `l:${lawB.lawyer.id}`, hours: '3' })).statusCode, 303);
  for (const absent of ['1', '0']) {
    const res = await m.post(`/training/sessions/${session.id}/absence`, { person: `l:${lawB.lawyer.id}`, absent });
    t.equal(res.statusCode, 409);
    t.match(text(res.body), "This person's attendance at this session has already been recorded.");
  }
  t.match(String((await statusOf(session.id, 'lawyer_id', lawB.lawyer.id))?.hours), /^3/, 'the hours stay');
});

await t.test('the walk-in form lists people not on the roster; a GET search narrows it', async (t) => {
  const page = await m.get(`/training/sessions/${session.id}`);
  t.match(page.body, `action="/training/sessions/${session.id}/walk-in"`);
  const select = field(page.body, 'person').html;
  t.match(select, `<option value="l:${walker.id}">丁律师 · Lawyer 15119202411112222</option>`);
  t.match(select, `value="l:${other.id}"`);
  t.notMatch(select, `value="l:${lawB.lawyer.id}"`, 'someone on the roster is not offered');
  t.notMatch(select, `value="l:${gone.id}"`, 'an inactive lawyer is not offered');
  t.equal(field(walkIn(page.body), 'hours').value, '3', "the course's hours are offered");
  const found = await m.get(`/training/sessions/${session.id}?q=11112222`);
  t.equal(found.statusCode, 200);
  const narrowed = field(found.body, 'person').html;
  t.match(narrowed, `value="l:${walker.id}"`, 'found by licence number');
  t.notMatch(narrowed, `value="l:${other.id}"`);
  t.equal(field(found.body, 'q').value, '11112222', 'the search is kept');
  t.match(field((await m.get(`/training/sessions/${session.id}?q=${encodeURIComponent('戊')}`)).body, 'person').html, `value="l:${other.id}"`, 'found by name');
});

await t.test('a bad walk-in: 422 next to the field, the input kept, nothing written', async (t) => {
  const before = await rows();
  await m.get(`/training/sessions/${session.id}`);
  const none = await m.post(`/training/sessions/${session.id}/walk-in`, { person: '', hours: '3' });
  t.equal(none.statusCode, 422);
  t.equal(field(none.body, 'person').error, 'Choose a registered lawyer or an approved volunteer.');
  t.ok(field(none.body, 'person').invalid);
  const tooMany = await m.post(`/training/sessions/${session.id}/walk-in`, { person: `l:${walker.id}`, hours: '4', q: '11112222' });
  t.equal(tooMany.statusCode, 422);
  t.match(field(walkIn(tooMany.body), 'hours').error ?? '', /at most the course('|&#39;)s 3 hours/);
  t.equal(field(walkIn(tooMany.body), 'hours').value, '4', 'the typed hours kept');
  t.equal(field(tooMany.body, 'person').value, `l:${walker.id}`, 'the chosen person kept');
  t.notMatch(field(tooMany.body, 'person').html, `value="l:${other.id}"`, 'the list stays as the search left it');
  const inactive = await m.post(`/training/sessions/${session.id}/walk-in`, { person: `l:${gone.id}`, hours: '3' });
  t.equal(inactive.statusCode, 422);
  t.equal(field(inactive.body, 'person').error, 'Choose a registered lawyer or an approved volunteer.');
  t.equal(await rows(), before, 'nothing written');
  t.equal((await auditEntries(db, 'training.attendance_recorded')).length, 1, 'only the earlier attendance');
});

await t.test('a walk-in is recorded: attended with the hours and the certificate', async (t) => {
  await m.get(`/training/sessions/${session.id}`);
  const res = await m.post(`/training/sessions/${session.id}/walk-in`, { person: `l:${walker.id}`, hours: '2' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/training/sessions/${session.id}`);
  const page = text((await m.get(`/training/sessions/${session.id}`)).body);
  t.match(page, 'Attendance of 丁律师 recorded: 2 h.');
  t.match(page, '丁律师 Lawyer Attended, 2 h');
  t.match(String((await statusOf(session.id, 'lawyer_id', walker.id))?.hours), /^2/);
  t.same((await certificates()).filter((c) => c.lawyer_id === walker.id).length, 1, 'the certificate is issued');
  const audit = await auditEntries(db, 'training.attendance_recorded');
  t.equal(audit.length, 2);
  t.match(audit[1], { before: null, after: { status: 'attended' } });
  const again = await m.post(`/training/sessions/${session.id}/walk-in`, { person: `l:${walker.id}`, hours: '2' });
  t.equal(again.statusCode, 409, 'not twice');
  t.equal(field((await m.get(`/training/sessions/${session.id}`)).body, 'person').html.includes(`value="l:${walker.id}"`), false, 'no longer offered');
});
