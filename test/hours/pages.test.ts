// The hours pages as people see them: a lawyer logs hours and sees totals; bad
// input comes back next to its field with the input kept and nothing saved; a
// case not theirs is refused without a word about it; another lawyer's entry is
// 404; the manager approves, bulk-approves and rejects with a reason.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { field } from '../helpers/html.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeAcceptedCase, TEST_ACTOR } from '../helpers/cases.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { logHours } from '../../src/modules/hours/hours.service.js';

const { app, db } = await buildTestApp(t);
const a = await makeLawyerUser(db);
const b = await makeLawyerUser(db);
const managerUser = await makeUser(db, 'manager');
const lawyer = new Client(app);
await lawyer.login(a.user.email);
const on = today();
const count = async () => (await db.selectFrom('hour_entries').select('id').execute()).length;

void t.test('a lawyer logs hours and sees them with the totals', async (t) => {
  const mine = await makeAcceptedCase(db, {}, a.lawyer.id);
  const page = await lawyer.get('/hours');
  t.equal(page.statusCode, 200);
  t.match(text(page.body), 'My hours');
  t.ok(page.body.includes(`value="${mine.id}"`), 'their case is offered');
  const res = await lawyer.post('/hours', { date: on, hours: '2.5', kind: 'case', caseId: String(mine.id), description: '阅卷' });
  t.equal(res.statusCode, 303);
  const after = text((await lawyer.get('/hours')).body);
  t.match(after, 'Hours logged; they await approval.');
  t.match(after, /阅卷 Pending/);
  t.match(after, /2\.5 Pending this month/);
});

void t.test('errors next to the fields, 422, input kept, nothing saved', async (t) => {
  const theirs = await makeAcceptedCase(db, {}, b.lawyer.id);
  const before = await count();
  const res = await lawyer.post('/hours', { date: on, hours: '2.25', kind: 'case', caseId: String(theirs.id), description: '会见' });
  t.equal(res.statusCode, 422);
  t.match(field(res.body, 'hours'), { invalid: true, value: '2.25', error: /at most one decimal/ });
  t.match(field(res.body, 'caseId').error, 'Choose a case you handle.');
  t.notOk(res.body.includes(theirs.number), "the other lawyer's case is not named");
  t.match(field(res.body, 'description').html, '会见');
  const future = await lawyer.post('/hours', { date: '2999-01-01', hours: '1', kind: 'other', description: 'x' });
  t.match(field(future.body, 'date').error, 'future');
  const locked = await lawyer.post('/hours', { date: '2020-01-10', hours: '1', kind: 'other', description: 'x' });
  t.equal(locked.statusCode, 422);
  t.match(field(locked.body, 'date').error, /Hours for 2020-01 locked on 2020-02-05/);
  t.equal(await count(), before, 'nothing saved');
});

void t.test("edit and delete own pending entries; another lawyer's are 404", async (t) => {
  const mine = await logHours(db, TEST_ACTOR, { lawyerId: a.lawyer.id }, { date: on, hours: '1', kind: 'other', caseId: null, eventId: null, description: '普法' });
  const theirs = await logHours(db, TEST_ACTOR, { lawyerId: b.lawyer.id }, { date: on, hours: '1', kind: 'other', caseId: null, eventId: null, description: '他人' });
  t.equal((await lawyer.get(`/hours/${theirs.id}/edit`)).statusCode, 404);
  await lawyer.get('/hours');
  t.equal((await lawyer.post(`/hours/${theirs.id}/delete`)).statusCode, 404);
  t.equal((await lawyer.post(`/hours/${theirs.id}/approve`)).statusCode, 403, 'a lawyer decides nothing');
  const edit = await lawyer.get(`/hours/${mine.id}/edit`);
  t.match(field(edit.body, 'hours').value, '1');
  t.equal((await lawyer.post(`/hours/${mine.id}`, { date: on, hours: '1.5', kind: 'outreach', description: '普法进社区' })).statusCode, 303);
  t.match((await db.selectFrom('hour_entries').selectAll().where('id', '=', mine.id).executeTakeFirstOrThrow()).description, '普法进社区');
  await lawyer.get('/hours');
  t.equal((await lawyer.post(`/hours/${mine.id}/delete`)).statusCode, 303);
  t.notOk(await db.selectFrom('hour_entries').select('id').where('id', '=', mine.id).executeTakeFirst());
});

void t.test('the manager reviews: approve, bulk approve, reject with a required reason', async (t) => {
  const m = new Client(app);
  await m.login(managerUser.email);
  const mk = (d: string) => logHours(db, TEST_ACTOR, { lawyerId: b.lawyer.id }, { date: on, hours: '3', kind: 'duty_shift', caseId: null, eventId: null, description: d });
  const [x, y, z] = [await mk('值班甲'), await mk('值班乙'), await mk('值班丙')];
  t.equal((await m.get('/hours')).headers.location, '/hours/review');
  const queue = await m.get(`/hours/review?lawyer=${b.lawyer.id}&kind=duty_shift`);
  t.match(text(queue.body), /值班甲.*值班乙.*值班丙/);
  t.equal((await m.post(`/hours/${x.id}/approve`)).statusCode, 303);
  await m.get('/hours/review');
  const refused = await m.post(`/hours/${y.id}/reject`, { reason: '' });
  t.equal(refused.statusCode, 422);
  t.match(refused.body, /id="f-reason-\d+-err">A rejection needs a reason\./);
  t.equal((await m.post(`/hours/${y.id}/reject`, { reason: '无记录' })).statusCode, 303);
  await m.get('/hours/review');
  t.equal((await m.post('/hours/review/approve', { ids: [String(z.id), String(x.id)] })).statusCode, 303);
  t.match(text((await m.get('/hours/review?status=approved')).body), /值班丙/);
  const statuses = await db.selectFrom('hour_entries').select(['id', 'status', 'decision_reason']).where('id', 'in', [x.id, y.id, z.id]).orderBy('id').execute();
  t.same(statuses.map((s) => s.status), ['approved', 'rejected', 'approved']);
  const audits = await db.selectFrom('audit_log').select('action').where('entity', '=', 'hour_entry').where('entity_id', 'in', [x.id, y.id, z.id].map(String)).execute();
  t.equal(audits.filter((r) => r.action !== 'hours.logged').length, 3, 'each decision audited');
});
