// The case-page actions that only had service tests: the appeal of a refusal and
// its decision (overturned or upheld), termination, transfer, materials lapsed and
// withdrawal. Each checks the page the user sees afterwards, and that a refused
// action leaves the status and the timeline as they were.
import t, { type Test } from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { field } from '../helpers/html.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { decide } from '../../src/modules/cases/cases.actions.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const m = new Client(app);
await m.login(manager.email);

const statusOf = async (id: number) => (await db.selectFrom('cases').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status;
const eventCount = async (id: number) => (await db.selectFrom('case_events').select('id').where('case_id', '=', id).execute()).length;
/** The part of a case page holding one action form. */
const actionForm = (html: string, slug: string) => (html.match(/<details class="action"[\s\S]*?<\/details>/g) ?? []).find((d) => d.includes(`id="act-${slug}"`)) ?? '';
/** The timeline entries as the user reads them, oldest first. */
const timeline = (html: string) => [...(/<ol class="timeline">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g)].map((x) => text(x[1]));
/** The status badge. */
const badge = (html: string) => text(/<span class="badge status">([\s\S]*?)<\/span>/.exec(html)?.[1] ?? '');
/** The deadline lines of the case page. */
const deadlines = (html: string) => text(/<ul class="plain deadlines">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '');

/** Posts an action that must be refused, and checks that the case is as it was, on the page and in the database. */
async function refusedUnchanged(t: Test, id: number, slug: string, form: Record<string, string>, code: number, message: string | RegExp) {
  const [status, count] = [await statusOf(id), await eventCount(id)];
  const res = await m.post(`/cases/${id}/${slug}`, form);
  t.equal(res.statusCode, code, `${slug} refused with ${code}`);
  if (code === 409) t.match(text(/role="alert"[^>]*>([\s\S]*?)<\/div>/.exec(res.body)?.[1] ?? ''), message, 'the reason at the top of the case page');
  t.equal(await statusOf(id), status, 'status unchanged');
  t.equal(await eventCount(id), count, 'no timeline entry');
  t.equal(timeline(res.body).length, count, 'the page shows the same timeline');
  return res;
}

void t.test('appeal of a refusal, overturned: granted with an assignment deadline', async (t) => {
  const c = await makeCase(db, { applicantName: '罗异议' });
  const url = `/cases/${c.id}`;
  t.notOk(actionForm((await m.get(url)).body, 'appeal'), 'no appeal before a refusal');
  t.equal((await m.post(`${url}/decide`, { decision: 'refuse', reason: '案件不属于援助范围' })).statusCode, 303);
  let page = await m.get(url);
  t.equal(badge(page.body), 'Refused');
  t.ok(actionForm(page.body, 'appeal'), 'a refusal offers the appeal form');

  const empty = await m.post(`${url}/appeal`, { reason: '' });
  t.equal(empty.statusCode, 422);
  t.equal(field(actionForm(empty.body, 'appeal'), 'reason').error, 'This field is required.', 'the message is next to the reason');
  t.equal(await statusOf(c.id), 'refused');

  t.equal((await m.post(`${url}/appeal`, { reason: '属于劳动报酬争议' })).statusCode, 303);
  page = await m.get(url);
  t.match(text(page.body), 'Objection recorded.');
  t.equal(badge(page.body), 'Appeal under review');
  t.match(deadlines(page.body), /^Appeal decision ?: .* · 5 working days left$/, 'the appeal clock: 5 working days');
  t.match(timeline(page.body).at(-1), /Applicant appealed 属于劳动报酬争议 · due /);
  t.notOk(actionForm(page.body, 'appeal'), 'no second appeal while one is open');

  const noResult = await m.post(`${url}/decide-appeal`, { reason: '理由' });
  t.equal(noResult.statusCode, 422);
  t.equal(await statusOf(c.id), 'appealed');
  t.equal((await m.post(`${url}/decide-appeal`, { result: 'overturn', reason: '符合援助范围' })).statusCode, 303);
  page = await m.get(url);
  t.equal(badge(page.body), 'Granted, to assign');
  t.match(deadlines(page.body), /^Assignment ?: .* · 7 working days left$/, 'the assignment deadline runs (7 working days for a civil walk-in)');
  t.match(timeline(page.body).at(-1), 'Appeal decided refusal overturned, aid granted · 符合援助范围');
  t.match(text(page.body), 'refusal overturned, aid granted', 'the objection line of the record says so');
  t.match(page.body, `href="/cases/${c.id}/assign"`, 'the case can now be assigned (by the rotation)');
});

void t.test('appeal upheld: refused for good, a second appeal is not offered and refused when crafted', async (t) => {
  const c = await makeCase(db, { applicantName: '秦维持' });
  await decide(db, TEST_ACTOR, c.id, { granted: false, reason: '收入超标' });
  const url = `/cases/${c.id}`;
  await m.get(url);
  t.equal((await m.post(`${url}/appeal`, { reason: '收入计算有误' })).statusCode, 303);
  t.equal((await m.post(`${url}/decide-appeal`, { result: 'uphold', reason: '收入确实超标' })).statusCode, 303);
  const page = await m.get(url);
  t.equal(badge(page.body), 'Refused');
  t.match(timeline(page.body).at(-1), 'Appeal decided refusal upheld · 收入确实超标');
  t.match(text(page.body), 'No statutory deadline is running at this stage.');
  t.notOk(actionForm(page.body, 'appeal'), 'no second appeal form');
  t.notOk(actionForm(page.body, 'decide-appeal'));
  await refusedUnchanged(t, c.id, 'appeal', { reason: '再次申诉' }, 409, 'This refusal has already been appealed once.');
  await refusedUnchanged(t, c.id, 'decide-appeal', { result: 'overturn', reason: 'x' }, 409, 'This case has no appeal to decide.');
});

void t.test('termination with a reason from the list, and a note when the reason is "other"', async (t) => {
  const c = await makeCase(db, { applicantName: '蒋终止' });
  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
  const url = `/cases/${c.id}`;
  const page = await m.get(url);
  const form = actionForm(page.body, 'terminate');
  t.match(form, '<option value="hired_own_lawyer">Client hired their own lawyer</option>', 'the reasons are a select');

  const count = await eventCount(c.id);
  let res = await m.post(`${url}/terminate`, { reason: 'other', note: '' });
  t.equal(res.statusCode, 422);
  const failed = actionForm(res.body, 'terminate');
  t.match(failed, ' open', 'the failed form is open');
  t.equal(field(failed, 'note').error, 'This field is required.', '"other" needs a note, said next to it');
  t.equal(field(failed, 'reason').value, 'other', 'the choice is kept');
  res = await m.post(`${url}/terminate`, { reason: 'bored', note: '' });
  t.equal(field(actionForm(res.body, 'terminate'), 'reason').error, 'Choose one from the list.');
  t.equal(await statusOf(c.id), 'granted', 'nothing changed');
  t.equal(await eventCount(c.id), count);

  t.equal((await m.post(`${url}/terminate`, { reason: 'other', note: '当事人已出国' })).statusCode, 303);
  const after = await m.get(url);
  const body = text(after.body);
  t.equal(badge(after.body), 'Terminated');
  t.match(body, 'Legal aid terminated.');
  t.match(body, 'Termination reason Other reason');
  t.match(timeline(after.body).at(-1), 'Legal aid terminated Other reason · 当事人已出国');
  t.notOk(actionForm(after.body, 'terminate'), 'no second termination');
  t.notMatch(after.body, 'class="case-actions', 'a terminated case offers no actions');
  await refusedUnchanged(t, c.id, 'terminate', { reason: 'case_ended' }, 409, 'Only a granted, assigned or in-progress case can be terminated.');
});

void t.test('transfer to another centre; the same centre is refused', async (t) => {
  const here = await makeOrganization(db, { kind: 'centre', name: '巴州区法律援助中心' });
  const there = await makeOrganization(db, { kind: 'centre', name: '通江县法律援助中心', regionCode: '511921' });
  const c = await makeCase(db, { applicantName: '韩转出', centreId: here.id });
  const url = `/cases/${c.id}`;
  const form = actionForm((await m.get(url)).body, 'transfer');
  t.match(form, `<option value="${there.id}">通江县法律援助中心</option>`);
  t.notMatch(form, `<option value="${here.id}"`, 'the current centre is not offered');

  const count = await eventCount(c.id);
  const res = await m.post(`${url}/transfer`, { centreId: String(here.id), note: '' });
  t.equal(res.statusCode, 422, 'a crafted post naming the same centre');
  t.equal(field(actionForm(res.body, 'transfer'), 'centreId').error, 'Choose another legal-aid centre.');
  t.equal(await statusOf(c.id), 'applied');
  t.equal(await eventCount(c.id), count);

  t.equal((await m.post(`${url}/transfer`, { centreId: String(there.id), note: '申请人户籍在通江' })).statusCode, 303);
  const page = await m.get(url);
  t.equal(badge(page.body), 'Transferred');
  t.match(text(page.body), 'Transferred to 通江县法律援助中心');
  t.match(timeline(page.body).at(-1), 'Transferred to another centre 通江县法律援助中心 · 申请人户籍在通江');
  t.match(text(page.body), 'No statutory deadline is running at this stage.', 'the review clock stopped');
  await refusedUnchanged(t, c.id, 'transfer', { centreId: String(here.id) }, 409, 'Only a case not yet assigned can be transferred.');
});

void t.test('materials lapsed: refused before the deadline, accepted after it', async (t) => {
  const fresh = await makeCase(db, { applicantName: '曹未到期', missingItems: ['户口簿'] });
  t.notOk(actionForm((await m.get(`/cases/${fresh.id}`)).body, 'lapse'), 'not offered before the deadline');
  await refusedUnchanged(t, fresh.id, 'lapse', {}, 409, `The deadline for the materials (${fresh.due_on}) has not passed yet.`);

  const old = await makeCase(db, { applicantName: '袁逾期', missingItems: ['收入证明', '户口簿'] }, '2026-09-01');
  const url = `/cases/${old.id}`;
  let page = await m.get(url);
  t.match(deadlines(page.body), /^Overdue Missing materials ?: .* · overdue by \d+ working days$/);
  t.ok(actionForm(page.body, 'lapse'), 'offered once the deadline has passed');
  t.notOk(actionForm(page.body, 'supply-materials'), 'too late to supply');
  t.equal((await m.post(`${url}/lapse`)).statusCode, 303);
  page = await m.get(url);
  const body = text(page.body);
  t.equal(badge(page.body), 'Withdrawn');
  t.match(body, 'The application is treated as withdrawn.');
  t.match(body, 'Withdrawal reason Materials not supplied in time: withdrawn');
  t.match(body, /收入证明、户口簿 .* not supplied/, 'the materials request is closed as not supplied');
  t.match(timeline(page.body).at(-1), /· Materials not supplied in time: withdrawn$/, 'the timeline says why');
  t.notMatch(page.body, 'class="case-actions', 'nothing more to do');
  t.notMatch(page.body, `/cases/${old.id}/edit`, 'and nothing to edit');
});

void t.test('withdrawal before the decision, and not twice', async (t) => {
  const c = await makeCase(db, { applicantName: '许撤回' });
  const url = `/cases/${c.id}`;
  t.equal((await m.post(`${url}/withdraw`, { reason: '已与对方和解' })).statusCode, 303);
  const page = await m.get(url);
  t.equal(badge(page.body), 'Withdrawn');
  t.match(text(page.body), 'The application was withdrawn.');
  t.match(text(page.body), 'Withdrawal reason Client withdrew');
  t.match(timeline(page.body).at(-1), 'Applicant withdrew 已与对方和解');
  t.match(text(page.body), 'No statutory deadline is running at this stage.');
  await refusedUnchanged(t, c.id, 'withdraw', { reason: '' }, 409, 'Only an application not yet decided can be withdrawn.');
});
