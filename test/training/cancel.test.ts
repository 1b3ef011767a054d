// A manager cancels a training session before it starts, with a reason: 422 next
// to the field (the typed reason kept, nothing changed) when it is empty or too
// long; the page and the course's session list then say "Cancelled" and why;
// everyone enrolled or waitlisted is told in the app (with a link), in both
// languages; nobody can enrol any more; cancelling twice, or after the start, is
// refused (409); lawyers and volunteers cannot cancel (403). The same on the API.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { enrol } from '../../src/modules/training/training.enrol.js';
import { createSession } from '../../src/modules/training/training.service.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { makeCourse } from './helpers.js';

const { app, db } = await buildTestApp(t);

const m = new Client(app);
const managerUser = await makeUser(db, 'manager');
await m.login(managerUser.email);
const vol = await makeVolunteerUser(db, { name: '张志愿' });
const law = await makeLawyerUser(db, { name: '甲律师' });
const late = await makeVolunteerUser(db, { name: '晚到志愿' });
const va = new Client(app);
await va.login(vol.user.email);
const la = new Client(app);
await la.login(law.user.email);
const vl = new Client(app);
await vl.login(late.user.email);

const course = await makeCourse(db, { title: '刑事辩护实务', creditHours: '3', requiredForRoles: ['lawyer', 'volunteer'] });
const hour = 3_600_000;
const future = await createSession(db, TEST_ACTOR, course.id, {
  startsAt: new Date(Date.now() + 48 * hour).toISOString(),
  endsAt: new Date(Date.now() + 51 * hour).toISOString(),
  location: '巴中市法律援助中心',
  capacity: 1,
});
await enrol(db, TEST_ACTOR, future.id, { kind: 'volunteer', id: vol.volunteer.id });
await enrol(db, TEST_ACTOR, future.id, { kind: 'lawyer', id: law.lawyer.id }); // waitlisted
const started = await createSession(db, TEST_ACTOR, course.id, {
  startsAt: new Date(Date.now() - 60_000).toISOString(),
  endsAt: new Date(Date.now() + hour).toISOString(),
  location: '通江县司法局',
  capacity: 5,
});

const sessionRow = (id: number) => db.selectFrom('training_sessions').select(['status', 'cancel_reason']).where('id', '=', id).executeTakeFirstOrThrow();
const notes = () => db.selectFrom('notifications').selectAll().where('kind', '=', 'training.cancelled').execute();
const textarea = (html: string) => /<textarea[^>]*name="reason"[^>]*>([\s\S]*?)<\/textarea>/.exec(html)?.[1] ?? null;

await t.test('lawyers and volunteers cannot cancel a session, and nothing changes', async (t) => {
  t.match(text((await va.get(`/training/volunteers/${vol.volunteer.id}`)).body), /Enrolled sessions 刑事辩护实务/, 'the volunteer sees the session among theirs');
  await la.get('/training');
  t.equal((await la.post(`/training/sessions/${future.id}/cancellation`, { reason: '不想去' })).statusCode, 403);
  await va.get('/training');
  t.equal((await va.post(`/training/sessions/${future.id}/cancellation`, { reason: '不想去' })).statusCode, 403);
  t.same(await sessionRow(future.id), { status: 'scheduled', cancel_reason: null });
  t.equal((await notes()).length, 0);
});

await t.test('a reason that is empty or too long: 422 next to the field, the text kept, nothing changed', async (t) => {
  const page = await m.get(`/training/sessions/${future.id}`);
  t.match(page.body, `action="/training/sessions/${future.id}/cancellation"`, 'the cancel form is on the session page');
  t.match(text(page.body), 'Cancel this session');
  const blank = await m.post(`/training/sessions/${future.id}/cancellation`, { reason: '   ' });
  t.equal(blank.statusCode, 422);
  t.equal(field(blank.body, 'reason').error, 'This field is required.');
  const long = 'x'.repeat(501);
  const tooLong = await m.post(`/training/sessions/${future.id}/cancellation`, { reason: long });
  t.equal(tooLong.statusCode, 422);
  t.equal(field(tooLong.body, 'reason').error, 'At most 500 characters.');
  t.equal(textarea(tooLong.body), long, 'what was typed is kept');
  t.same(await sessionRow(future.id), { status: 'scheduled', cancel_reason: null }, 'nothing changed');
  t.equal((await notes()).length, 0, 'nobody told');
  t.equal((await auditEntries(db, 'training_session.cancelled')).length, 0, 'nothing audited');
});

await t.test('cancelling: the page says cancelled and why, everyone on it is notified, audited', async (t) => {
  await m.get(`/training/sessions/${future.id}`);
  const res = await m.post(`/training/sessions/${future.id}/cancellation`, { reason: '讲师临时生病' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/training/sessions/${future.id}`);
  const page = await m.get(`/training/sessions/${future.id}`);
  const words = text(page.body);
  t.match(words, 'Session cancelled; 2 people notified.');
  t.match(words, /Status Cancelled Reason for cancelling 讲师临时生病/);
  t.notMatch(page.body, '/cancellation"', 'no cancel form on a cancelled session');
  t.same(await sessionRow(future.id), { status: 'cancelled', cancel_reason: '讲师临时生病' });
  const audit = await auditEntries(db, 'training_session.cancelled');
  t.equal(audit.length, 1);
  t.match(audit[0].after, { status: 'cancelled', cancel_reason: '讲师临时生病', notified: 2 });
  t.equal(audit[0].actor_id, managerUser.id, 'by the manager');

  const list = text((await m.get(`/training/${course.id}`)).body);
  t.match(list, /巴中市法律援助中心 .*Cancelled Reason: 讲师临时生病/, "the course's session list says it");
  const theirs = (await va.get(`/training/${course.id}`)).body;
  t.match(text(theirs), /Cancelled Reason: 讲师临时生病/, 'people see it on the course page too');
  t.match(theirs, `id="session-${future.id}"`);
  t.notMatch(theirs, `action="/training/sessions/${future.id}/enrol"`, 'with no way to enrol');

  t.notMatch(text((await va.get(`/training/volunteers/${vol.volunteer.id}`)).body), 'Enrolled sessions', 'no longer among their enrolled sessions');
  const sent = await notes();
  t.equal(sent.length, 2, 'the enrolled volunteer and the waitlisted lawyer');
  for (const [client, who] of [
    [va, '张志愿'],
    [la, '甲律师'],
  ] as const) {
    const inbox = await client.get('/notifications');
    t.match(text(inbox.body), /Training session cancelled: 刑事辩护实务 \(.+\)\. Reason: 讲师临时生病/, `${who} is told`);
    t.match(inbox.body, `href="/training/${course.id}#session-${future.id}"`, 'with a link to the session');
  }
  const zh = new Client(app, { 'accept-language': 'zh-CN' });
  await zh.login(vol.user.email);
  t.match(text((await zh.get('/notifications')).body), /培训已取消：刑事辩护实务（.+）。原因：讲师临时生病/);
  t.notMatch(text((await vl.get('/notifications')).body), '刑事辩护实务', 'someone not on it is not told');
});

await t.test('a cancelled session takes no enrolment and cannot be cancelled again', async (t) => {
  await vl.get(`/training/${course.id}`);
  const refused = await vl.post(`/training/sessions/${future.id}/enrol`, { next: 'course' });
  t.equal(refused.statusCode, 409);
  t.match(text(refused.body), 'This session has been cancelled.');
  t.equal((await db.selectFrom('training_enrolments').select('id').where('session_id', '=', future.id).where('volunteer_id', '=', late.volunteer.id).execute()).length, 0, 'no enrolment');

  await m.get(`/training/sessions/${future.id}`);
  const again = await m.post(`/training/sessions/${future.id}/cancellation`, { reason: '再取消一次' });
  t.equal(again.statusCode, 409);
  t.match(again.body, /<p class="flash error" role="alert">This session has been cancelled.<\/p>/);
  t.same(await sessionRow(future.id), { status: 'cancelled', cancel_reason: '讲师临时生病' }, 'the first reason stays');
  t.equal((await notes()).length, 2, 'nobody told twice');
});

await t.test('a session that has started cannot be cancelled', async (t) => {
  const page = await m.get(`/training/sessions/${started.id}`);
  t.notMatch(page.body, '/cancellation"', 'no cancel form');
  const res = await m.post(`/training/sessions/${started.id}/cancellation`, { reason: '太晚了' });
  t.equal(res.statusCode, 409);
  t.match(text(res.body), 'This session has started: it can no longer be cancelled.');
  t.same(await sessionRow(started.id), { status: 'scheduled', cancel_reason: null });
  t.equal((await m.post('/training/sessions/99999999/cancellation', { reason: 'x' })).statusCode, 404);
});

await t.test('the API: POST /api/v1/trainings/sessions/:id/cancel', async (t) => {
  const api = async (token: string, id: number, body: object) =>
    app.inject({ method: 'POST', url: `/api/v1/trainings/sessions/${id}/cancel`, headers: { authorization: `Bearer ${token}`, 'accept-language': 'en' }, payload: body });
  const tokenOf = async (id: number) => (await createToken(db, { id, name: 't' }, id, 'test')).token;
  const another = await createSession(db, TEST_ACTOR, course.id, {
    startsAt: new Date(Date.now() + 72 * hour).toISOString(),
    endsAt: new Date(Date.now() + 75 * hour).toISOString(),
    location: '平昌县司法局',
    capacity: 3,
  });
  await enrol(db, TEST_ACTOR, another.id, { kind: 'volunteer', id: late.volunteer.id });
  const managerToken = await tokenOf(managerUser.id);
  const lawyerToken = await tokenOf(law.user.id);
  t.equal((await api(lawyerToken, another.id, { reason: '律师取消' })).statusCode, 403, 'a lawyer cannot');
  const blank = await api(managerToken, another.id, { reason: ' ' });
  t.equal(blank.statusCode, 400, 'bad input is a 400 on the API, as everywhere in it');
  t.match(blank.json(), { error: { code: 'invalid_input', field: 'reason', message: 'reason: This field is required.' } });
  t.equal((await api(managerToken, another.id, { reason: 'y'.repeat(501) })).statusCode, 400);
  t.same(await sessionRow(another.id), { status: 'scheduled', cancel_reason: null }, 'nothing changed');
  const ok = await api(managerToken, another.id, { reason: '场地停电' });
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { id: another.id, status: 'cancelled', cancelReason: '场地停电', enrolled: 1 });
  const again = await api(managerToken, another.id, { reason: '再来' });
  t.equal(again.statusCode, 409);
  t.match(again.json(), { error: { code: 'session_cancelled' } });
  t.match((await api(managerToken, started.id, { reason: '晚了' })).json(), { error: { code: 'session_started' } });
  t.equal((await notes()).filter((n) => n.volunteer_id === late.volunteer.id).length, 1, 'the enrolled volunteer is told');

  const doc = (await app.inject({ url: '/api/openapi.json' })).json<{ paths: Record<string, { post?: { summary?: string; requestBody?: unknown; responses: Record<string, unknown> } }> }>();
  const op = doc.paths['/api/v1/trainings/sessions/{id}/cancel']?.post;
  t.match(op?.summary, /Cancel a session/, 'documented like its neighbours');
  t.ok(op?.requestBody, 'with its body');
  t.ok(op?.responses['200'] && op.responses['409'] && op.responses['400'], 'and its answers');
});
