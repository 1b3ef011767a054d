// The whole flow through the case page's forms, as the manager and the lawyer
// click it: materials requested (notice printable), supplied, granted (decision
// notice), assigned, accepted, dated, noted, closed, reviewed, followed up; and
// forbidden actions refused with their message and no change.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { field } from '../helpers/html.js';
import { makeCase } from '../helpers/cases.js';
import { makeLawyerUser } from '../helpers/people.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const { lawyer, user: lawyerUser } = await makeLawyerUser(db, { name: '周律师', practiceAreas: ['labor'] });
const m = new Client(app);
await m.login(manager.email);
const l = new Client(app);
await l.login(lawyerUser.email);

const statusOf = async (id: number) => (await db.selectFrom('cases').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
/** The part of a case page holding one action form. */
const actionForm = (html: string, slug: string) => (html.match(/<details class="action"[\s\S]*?<\/details>/g) ?? []).find((d) => d.includes(`id="act-${slug}"`)) ?? '';

void t.test('the full walk through the forms', async (t) => {
  const c = await makeCase(db, { applicantName: '吴受援' });
  const url = `/cases/${c.id}`;
  let page = await m.get(url);
  t.ok(actionForm(page.body, 'decide'), 'a new application offers the decision form');
  t.notOk(actionForm(page.body, 'close'), 'but no closing');

  let res = await m.post(`${url}/request-materials`, { items: '户口簿\n\n收入证明', note: '请带原件' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, url);
  page = await m.get(url);
  t.match(text(page.body), 'Materials requested; the review clock is paused.');
  t.match(text(page.body), 'Waiting for materials');
  const req = await db.selectFrom('case_material_requests').selectAll().where('case_id', '=', c.id).executeTakeFirstOrThrow();
  t.match(page.body, `/cases/${c.id}/materials/${req.id}/notice`, 'the notice is linked');
  const notice = await m.get(`/cases/${c.id}/materials/${req.id}/notice`);
  t.equal(notice.statusCode, 200);
  const nt = text(notice.body);
  t.match(nt, 'Notice of missing materials');
  t.match(nt, '户口簿');
  t.match(nt, '收入证明');
  t.match(nt, 'treated as withdrawn');
  t.match(nt, '吴受援');

  t.equal((await m.post(`${url}/supply-materials`)).statusCode, 303);
  t.equal(await statusOf(c.id), 'applied');

  res = await m.post(`${url}/decide`, { decision: 'grant', reason: '' });
  t.equal(res.statusCode, 303);
  t.equal(await statusOf(c.id), 'granted');
  const decision = text((await m.get(`${url}/decision/notice`)).body);
  t.match(decision, 'Decision to grant legal aid');

  // assignment is the rotation's page now (test/rotation/pages*.test.ts): the case page links to it
  page = await m.get(url);
  t.match(page.body, `href="${url}/assign"`, 'the case page links to the rotation');
  res = await m.get(`${url}/assign`);
  t.match(text(res.body), 'Confirm: assign 周律师', 'the only eligible labour lawyer is the pick');
  const expectedLawyerId = /name="expectedLawyerId" value="(\d+)"/.exec(res.body)?.[1] ?? '';
  t.equal(expectedLawyerId, String(lawyer.id));
  t.equal((await m.post(`${url}/assign`, { expectedLawyerId })).statusCode, 303);

  t.equal((await m.post(`${url}/accept`)).statusCode, 409, 'a manager cannot accept for the lawyer');
  t.match(text(m.lastHtml), 'Only the handling lawyer can do this.');

  const mine = text((await l.get('/cases')).body);
  t.match(mine, c.number, "the lawyer's list has the case");
  page = await l.get(url);
  t.ok(actionForm(page.body, 'accept'), 'the lawyer is offered to accept');
  t.notOk(actionForm(page.body, 'review'), 'but not manager actions');
  t.equal((await l.post(`${url}/accept`)).statusCode, 303);
  t.equal((await l.post(`${url}/key-date`, { kind: 'hearing', onDate: '2026-13-01' })).statusCode, 422);
  t.equal(field(actionForm(l.lastHtml, 'key-date'), 'onDate').error, 'Enter a valid date (YYYY-MM-DD).');
  t.equal((await l.post(`${url}/key-date`, { kind: 'hearing', onDate: '2026-12-15', atTime: '09:30', place: '巴州区人民法院' })).statusCode, 303);
  t.equal((await l.post(`${url}/note`, { text: '已会见当事人' })).statusCode, 303);
  t.equal((await l.post(`${url}/review`, { score: '100' })).statusCode, 403, 'a lawyer cannot review');
  t.equal((await l.post(`${url}/close`, { outcome: '调解结案', hours: '6.5' })).statusCode, 303);

  t.equal((await m.post(`${url}/review`, { score: '101' })).statusCode, 422);
  t.equal((await m.post(`${url}/review`, { score: '92', findings: '卷宗完整' })).statusCode, 303);
  res = await m.post(`${url}/review`, { score: '10' });
  t.equal(res.statusCode, 409, 'reviewing twice is refused');
  t.match(res.body, /role="alert"[^>]*>Only a closed case waiting for review can be reviewed/, 'with its message at the top of the case page');
  const row = await db.selectFrom('cases').selectAll().where('id', '=', c.id).executeTakeFirstOrThrow();
  t.equal(row.review_score, 92, 'and no change');

  t.equal((await m.post(`${url}/follow-up`, { on: '2026-11-20', satisfied: 'yes', complaint: '' })).statusCode, 303);
  page = await m.get(url);
  const body = text(page.body);
  t.match(body, 'Reviewed');
  t.match(body, 'score 92');
  t.match(body, '周律师');
  t.match(body, 'Hearing');
  t.match(body, '巴州区人民法院');
  t.match(body, '已会见当事人', 'the note is in the timeline');
  t.match(body, '调解结案');
  t.match(body, 'satisfied');
  for (const what of ['Materials', 'Assign', 'accept', 'Closed', 'review', 'Follow-up']) t.match(body, new RegExp(what, 'i'));
  t.notOk(actionForm(page.body, 'follow-up'), 'no second follow-up form');
});

void t.test('forbidden actions by crafted posts change nothing', async (t) => {
  const c = await makeCase(db, { applicantName: '郑未指派' });
  const res = await m.post(`/cases/${c.id}/close`, { outcome: '结案', hours: '1' });
  t.equal(res.statusCode, 409);
  t.match(text(res.body), 'Only a case its lawyer has accepted can be closed');
  t.equal(await statusOf(c.id), 'applied');
  t.equal((await m.post(`/cases/${c.id}/unknown-action`)).statusCode, 404);

  const refuse = await m.post(`/cases/${c.id}/decide`, { decision: 'refuse', reason: '' });
  t.equal(refuse.statusCode, 422, 'a refusal needs a reason');
  t.equal(field(actionForm(refuse.body, 'decide'), 'reason').error, 'This field is required.');
  t.equal(await statusOf(c.id), 'applied');
  t.equal((await m.post(`/cases/${c.id}/decide`, { decision: 'refuse', reason: '人均收入超过标准' })).statusCode, 303);
  const notice = text((await m.get(`/cases/${c.id}/decision/notice`)).body);
  t.match(notice, 'Decision to refuse legal aid');
  t.match(notice, '人均收入超过标准');
  t.match(notice, 'raise an objection with the justice bureau');
  const withdrawn = await makeCase(db);
  await m.post(`/cases/${withdrawn.id}/withdraw`, { reason: '' });
  const grant = await m.post(`/cases/${withdrawn.id}/decide`, { decision: 'grant' });
  t.equal(grant.statusCode, 409, 'granting a withdrawn application is refused');
  t.equal(await statusOf(withdrawn.id), 'withdrawn');
});
