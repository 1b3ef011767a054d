// The training pages as people use them: a manager creates a course and a session
// through the forms (bad input: 422 next to the field, nothing created); a
// volunteer enrols in one click and sees "enrolled", a full session gives
// "waitlisted, position 1"; refusals are said at the top and change nothing.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';

const { app, db } = await buildTestApp(t);
const count = async (table: 'training_courses' | 'training_sessions' | 'training_enrolments') =>
  Number((await db.selectFrom(table).select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
const enrolments = (sessionId: number) => db.selectFrom('training_enrolments').select(['volunteer_id', 'lawyer_id', 'status']).where('session_id', '=', sessionId).orderBy('id').execute();

const manager = new Client(app);
await manager.login((await makeUser(db, 'manager', { name: '王主任' })).email);
const a = await makeVolunteerUser(db, { name: '张志愿' });
const b = await makeVolunteerUser(db, { name: '李志愿' });
const va = new Client(app);
await va.login(a.user.email);
const vb = new Client(app);
await vb.login(b.user.email);

let courseId = 0;
let sessionId = 0;

await t.test('the manager creates a course through the form', async (t) => {
  const form = await manager.get('/training/new');
  t.equal(form.statusCode, 200);
  t.match(text(form.body), 'New course');
  const res = await manager.post('/training', {
    title: '未成年人案件办理实务',
    code: 'juvenile',
    creditHours: '3',
    requiredForRoles: ['lawyer', 'volunteer'],
    requiredForPracticeArea: 'juvenile',
    grantsCertificate: '1',
    certificateValidMonths: '24',
    description: '少年司法基础',
  });
  t.equal(res.statusCode, 303);
  const m = /^\/training\/(\d+)$/.exec(String(res.headers.location));
  t.ok(m, 'to the new course page');
  courseId = Number(m![1]);
  const page = text((await manager.get(`/training/${courseId}`)).body);
  t.match(page, 'Course “未成年人案件办理实务” created.');
  t.match(page, /Course code juvenile Credit hours 3 h Required for Lawyer、Volunteer Practice area it gates Juvenile/);
  t.match(page, 'Certificate, valid 24 months');
  t.equal((await auditEntries(db, 'training_course.created')).length, 1, 'audited');
});

await t.test('a bad course: 422, the messages next to the fields, the input kept, nothing created', async (t) => {
  const before = await count('training_courses');
  const res = await manager.post('/training', { title: '  ', code: 'Bad Code', creditHours: '0', certificateValidMonths: '12', requiredForRoles: ['lawyer'] });
  t.equal(res.statusCode, 422);
  t.equal(field(res.body, 'title').error, 'This field is required.');
  t.ok(field(res.body, 'title').invalid);
  t.match(field(res.body, 'code').error ?? '', /lower-case letter/);
  t.equal(field(res.body, 'code').value, 'Bad Code', 'what was typed is kept');
  t.match(field(res.body, 'creditHours').error ?? '', /more than 0/);
  t.match(field(res.body, 'certificateValidMonths').error ?? '', /grants no certificate/);
  t.match(res.body, /<input type="checkbox" name="requiredForRoles" value="lawyer" checked>/, 'the ticked role stays ticked');
  const taken = await manager.post('/training', { title: '另一门课', code: 'juvenile', creditHours: '2' });
  t.equal(taken.statusCode, 422);
  t.match(field(taken.body, 'code').error ?? '', 'Another course already uses this code.');
  t.equal(await count('training_courses'), before, 'nothing created');
  t.equal((await auditEntries(db, 'training_course.created')).length, 1, 'nothing audited');
});

await t.test('the manager adds a session on the course page; a bad one is refused on its fields', async (t) => {
  const before = await count('training_sessions');
  const bad = await manager.post(`/training/${courseId}/sessions`, { startsAt: '2031-05-10T09:00', endsAt: '2031-05-10T08:00', location: '', capacity: '0' });
  t.equal(bad.statusCode, 422);
  t.equal(field(bad.body, 'endsAt').error, 'The end must be after the start.');
  t.equal(field(bad.body, 'location').error, 'This field is required.');
  t.match(field(bad.body, 'capacity').error ?? '', /whole number/);
  t.equal(field(bad.body, 'startsAt').value, '2031-05-10T09:00', 'kept');
  const garbled = await manager.post(`/training/${courseId}/sessions`, { startsAt: 'tomorrow', endsAt: '', location: '中心', capacity: '5' });
  t.equal(field(garbled.body, 'startsAt').error, 'Choose a date and a time.', 'a form asks for a date and time, not a zone');
  t.equal(await count('training_sessions'), before, 'nothing created');

  const res = await manager.post(`/training/${courseId}/sessions`, { startsAt: '2031-05-10T09:00', endsAt: '2031-05-10T12:00', location: '巴中市法律援助中心三楼', capacity: '1' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/training/${courseId}`);
  const session = await db.selectFrom('training_sessions').selectAll().where('course_id', '=', courseId).executeTakeFirstOrThrow();
  sessionId = session.id;
  t.equal(session.starts_at.toISOString(), '2031-05-10T01:00:00.000Z', 'the form time is Beijing time');
  const page = text((await manager.get(`/training/${courseId}`)).body);
  t.match(page, 'Session added.');
  t.match(page, /巴中市法律援助中心三楼 1 of 1 seats left/);
  t.match((await manager.get(`/training/${courseId}`)).body, `href="/training/sessions/${sessionId}"`, 'the session page is linked');
  t.equal((await auditEntries(db, 'training_session.created')).length, 1);
});

await t.test('the list: each course with its facts and upcoming sessions, a Training link in the navigation', async (t) => {
  const res = await va.get('/training');
  t.equal(res.statusCode, 200);
  t.match(res.body, /<a href="\/training" aria-current="page">Training<\/a>/);
  const page = text(res.body);
  t.match(page, /未成年人案件办理实务 Course code juvenile Credit hours 3 h/);
  t.match(page, '1 of 1 seats left');
  t.equal((res.body.match(new RegExp(`action="/training/sessions/${sessionId}/enrol"`, 'g')) ?? []).length, 1, 'one Enrol button');
  t.notMatch(res.body, 'href="/training/new"', 'no manager links for a volunteer');
  const zh = new Client(app, { 'accept-language': 'zh-CN' });
  await zh.login(a.user.email);
  const zhPage = text((await zh.get('/training')).body);
  t.match(zhPage, '培训课程');
  t.match(zhPage, '剩余 1 个名额（共 1 个）');
  t.match(zhPage, '必修人员 律师、志愿者');
});

await t.test('enrol in one click: enrolled; a full session: waitlisted, position 1', async (t) => {
  await va.get('/training');
  const res = await va.post(`/training/sessions/${sessionId}/enrol`, { next: 'list' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/training');
  const page = text((await va.get('/training')).body);
  t.match(page, 'Enrolled in “未成年人案件办理实务”.');
  t.match(page, /0 of 1 seats left|Full/);
  t.match(page, /Enrolled Cancel enrolment/, 'the status and the way out');

  await vb.get(`/training/${courseId}`);
  const full = await vb.post(`/training/sessions/${sessionId}/enrol`, { next: 'course' });
  t.equal(full.headers.location, `/training/${courseId}`, 'back to the page it came from');
  const waiting = text((await vb.get(`/training/${courseId}`)).body);
  t.match(waiting, 'The session is full: waitlisted for “未成年人案件办理实务”, position 1.');
  t.match(waiting, /Waitlisted, position 1 Cancel enrolment/);
  t.same(await enrolments(sessionId), [
    { volunteer_id: a.volunteer.id, lawyer_id: null, status: 'enrolled' },
    { volunteer_id: b.volunteer.id, lawyer_id: null, status: 'waitlisted' },
  ]);
  t.equal((await auditEntries(db, 'training.enrolled')).length, 2, 'both audited');
});

await t.test('a refusal is said at the top of the page, with its status, and changes nothing', async (t) => {
  await va.get('/training');
  const twice = await va.post(`/training/sessions/${sessionId}/enrol`, { next: 'list' });
  t.equal(twice.statusCode, 409);
  t.match(twice.body, /<p class="flash error" role="alert">Already enrolled in this session.<\/p>/);
  t.match(text(twice.body), '未成年人案件办理实务', 'on the list page');
  t.equal((await enrolments(sessionId)).length, 2, 'no second row');
  const pending = await makeVolunteerUser(db, { name: '待审志愿者', status: 'pending' });
  const p = new Client(app);
  await p.login(pending.user.email);
  await p.get('/training');
  const refused = await p.post(`/training/sessions/${sessionId}/enrol`, { next: 'course' });
  t.equal(refused.statusCode, 422);
  t.match(refused.body, /<p class="flash error" role="alert">Only registered lawyers and approved volunteers can enrol.<\/p>/, 'a volunteer not yet approved is told why');
  t.match(text(refused.body), 'Course code juvenile', 'on the course page it came from');
  t.equal((await enrolments(sessionId)).length, 2, 'nothing written');
  t.equal((await va.post('/training/sessions/99999999/enrol', {})).statusCode, 404, 'an unknown session');
  t.equal((await va.post('/training/sessions/abc/cancel', {})).statusCode, 404);
});

await t.test('cancelling frees the seat for the first on the waitlist', async (t) => {
  await va.get('/training');
  const res = await va.post(`/training/sessions/${sessionId}/cancel`, { next: 'list' });
  t.equal(res.statusCode, 303);
  const page = text((await va.get('/training')).body);
  t.match(page, 'Enrolment in “未成年人案件办理实务” cancelled.');
  t.match(page, /seats left Enrol|Full Join the waitlist/, 'the button to enrol again');
  t.match(text((await vb.get('/training')).body), /Enrolled Cancel enrolment/, 'b has the seat now');
  t.equal((await auditEntries(db, 'training.promoted')).length, 1);
  t.equal((await va.post(`/training/sessions/${sessionId}/cancel`, {})).statusCode, 404, 'nothing left to cancel');
});

await t.test('manager pages are refused to others, and change nothing', async (t) => {
  const before = await count('training_courses');
  t.equal((await va.get('/training/new')).statusCode, 403);
  t.equal((await va.post('/training', { title: '偷偷建课', creditHours: '1' })).statusCode, 403);
  t.equal((await va.post(`/training/${courseId}/sessions`, { startsAt: '2031-06-01T09:00', endsAt: '2031-06-01T10:00', location: 'x', capacity: '3' })).statusCode, 403);
  t.equal((await va.get(`/training/sessions/${sessionId}`)).statusCode, 403);
  t.equal((await va.get('/training/short')).statusCode, 403);
  t.equal((await va.get('/training/expiring')).statusCode, 403);
  t.equal(await count('training_courses'), before);
  t.equal((await manager.post(`/training/sessions/${sessionId}/enrol`, {})).statusCode, 403, 'a manager has no seat to take');
  const lawyer = await makeLawyerUser(db, { name: '赵律师' });
  const l = new Client(app);
  await l.login(lawyer.user.email);
  const page = await l.get(`/training/${courseId}`);
  t.equal(page.statusCode, 200, 'a lawyer sees the course');
  t.match(page.body, `action="/training/sessions/${sessionId}/enrol"`, 'and may enrol too');
  t.notMatch(page.body, 'action="/training/' + courseId + '/sessions"', 'but gets no session form');
  t.equal((await l.get('/training/99999999')).statusCode, 404);
  t.equal((await l.get('/training/nope')).statusCode, 404);
  const auditor = new Client(app);
  await auditor.login((await makeUser(db, 'auditor')).email);
  const read = await auditor.get('/training');
  t.equal(read.statusCode, 200, 'an auditor reads the list');
  t.notMatch(read.body, '/enrol"', 'with no buttons');
});
