// Correcting an application before its decision through the edit page: the form
// comes filled with the application as it stands (and posts back unchanged), a
// corrected income re-runs the means test, a bad ID number is refused next to its
// field with nothing changed, and after the decision the page is refused (409 with
// the case page: the manager may see the case, only the edit is over).
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeAcceptedCase, makeCase, makeIdNumber, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyerUser } from '../helpers/people.js';
import { decide } from '../../src/modules/cases/cases.actions.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const m = new Client(app);
await m.login(manager.email);

const row = (id: number) => db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
const events = async (id: number) => (await db.selectFrom('case_events').select('kind').where('case_id', '=', id).execute()).length;
const unescape = (v: string) => v.replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** What a browser would submit from the page's main form: inputs, ticked boxes, selected options, textareas. */
function formData(html: string): Record<string, string[]> {
  const form = /<form method="post" action="[^"]*\/edit"[\s\S]*?<\/form>/.exec(html)?.[0] ?? '';
  const out: Record<string, string[]> = {};
  const add = (k: string, v: string) => (out[k] ??= []).push(unescape(v));
  for (const input of form.match(/<input[^>]*>/g) ?? []) {
    const name = /name="([^"]+)"/.exec(input)?.[1];
    if (!name || name === '_csrf' || (/type="(checkbox|radio)"/.test(input) && !/\schecked\b/.test(input))) continue;
    add(name, /\svalue="([^"]*)"/.exec(input)?.[1] ?? '');
  }
  for (const [, name, body] of form.matchAll(/<select[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/select>/g)) add(name, /<option value="([^"]*)" selected/.exec(body)?.[1] ?? '');
  for (const [, name, body] of form.matchAll(/<textarea[^>]*name="([^"]+)"[^>]*>([\s\S]*?)<\/textarea>/g)) add(name, body);
  return out;
}

void t.test('the edit form comes filled in, without the intake-only fields, and is audited as a view', async (t) => {
  const c = await makeCase(db, { applicantName: '陈原样', householdSize: 4, monthlyIncomeFen: 250_050, opposingParties: ['甲公司', '乙公司'], priorityGroups: ['elderly'] });
  const page = await m.get(`/cases/${c.id}`);
  t.match(page.body, `href="/cases/${c.id}/edit"`, 'the case page links to the edit page');
  t.match(text(page.body), 'Edit application');
  const res = await m.get(`/cases/${c.id}/edit`);
  t.equal(res.statusCode, 200);
  t.match(text(res.body), `Edit application: case ${c.number}`);
  t.equal(field(res.body, 'applicantName').value, '陈原样');
  t.equal(field(res.body, 'applicantIdNumber').value, c.applicant_id_number);
  t.equal(field(res.body, 'monthlyIncome').value, '2500.50', 'income in yuan as a clerk types it');
  t.equal(field(res.body, 'householdSize').value, '4');
  t.equal(field(res.body, 'regionCode').value, '511902');
  t.match(res.body, /<textarea[^>]*name="opposingParties"[^>]*>甲公司\n乙公司<\/textarea>/);
  t.match(res.body, /value="elderly" checked/, 'the priority group is ticked');
  t.notMatch(res.body, 'name="greenChannel" value="1" aria-describedby="f-green-hint" checked', 'green channel from the group is not ticked by hand');
  for (const intake of ['emergency', 'missingItems', 'consultationId']) t.notMatch(res.body, `name="${intake}"`, `no ${intake} field`);
  t.match(res.body, `action="/cases/${c.id}/edit"`);
  const views = (await auditEntries(db, 'case.viewed')).filter((a) => a.entity_id === String(c.id) && a.after?.document === 'edit_form');
  t.equal(views.length, 1, 'showing the full ID number in the form is an audited read');

  const before = await row(c.id);
  const same = await m.post(`/cases/${c.id}/edit`, formData(res.body));
  t.equal(same.statusCode, 303, 'the form posts back as it came');
  const after = await row(c.id);
  for (const k of ['applicant_id_number', 'monthly_income_fen', 'household_size', 'opposing_parties', 'priority_groups', 'green_channel', 'centre_id', 'source'] as const)
    t.same(after[k], before[k], `${k} unchanged by the round trip`);
  const updates = await db.selectFrom('case_events').select('id').where('case_id', '=', c.id).where('kind', '=', 'updated').execute();
  t.equal(updates.length, 0, 'saving without changes leaves no timeline entry');
  t.notMatch(text((await m.get(`/cases/${c.id}`)).body), /Application details changed/, 'and the page shows none');
});

void t.test('a corrected income makes an ineligible application eligible', async (t) => {
  // 3 people, 6,000 yuan a month: 2,000 per head, over 2 x 750
  const c = await makeCase(db, { applicantName: '林收入', householdSize: 3, monthlyIncomeFen: 600_000 });
  t.match(text((await m.get(`/cases/${c.id}`)).body), '2,000.00 per head > 1,500.00: not eligible');
  const form = await m.get(`/cases/${c.id}/edit`);
  const res = await m.post(`/cases/${c.id}/edit`, { ...formData(form.body), monthlyIncome: '4,500' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/cases/${c.id}`);
  const body = text((await m.get(`/cases/${c.id}`)).body);
  t.match(body, 'Application updated; the means test was done again.');
  t.match(body, 'income 4,500.00 → 1,500.00 per head ≤ 1,500.00: eligible', 'the eligibility block shows the new computation');
  t.match(body, /Means test · eligible/);
  t.match(body, /Application details changed changed: Monthly household income \(yuan\) · Means test · eligible/, 'the timeline names the changed field, not its value');
  t.equal((await row(c.id)).monthly_income_fen, 450_000);
  const zh = new Client(app, { 'accept-language': 'zh-CN' });
  await zh.login(manager.email);
  t.match(text((await zh.get(`/cases/${c.id}`)).body), '修改申请信息 修改了：家庭月收入（元） · 经济困难审查 · 符合条件', 'and in Chinese');
  t.equal((await m.post(`/cases/${c.id}/decide`, { decision: 'grant' })).statusCode, 303, 'and it can now be granted');
  t.equal((await row(c.id)).status, 'granted');
});

void t.test('a bad ID number re-renders with the message and changes nothing', async (t) => {
  const c = await makeCase(db, { applicantName: '何号码', monthlyIncomeFen: 120_000 });
  const form = await m.get(`/cases/${c.id}/edit`);
  const good = makeIdNumber('19850606', '511921', '321');
  const bad = good.slice(0, 17) + (good.endsWith('1') ? '2' : '1');
  const [before, count] = [await row(c.id), await events(c.id)];
  const res = await m.post(`/cases/${c.id}/edit`, { ...formData(form.body), applicantIdNumber: bad, monthlyIncome: '1,999.5', applicantName: '何号码改' });
  t.equal(res.statusCode, 422);
  const f = field(res.body, 'applicantIdNumber');
  t.match(f.error, 'check digit', 'the message is next to the field');
  t.ok(f.invalid);
  t.equal(f.value, bad, 'the input is kept');
  t.equal(field(res.body, 'monthlyIncome').value, '1,999.5', 'the other fields as typed');
  t.equal(field(res.body, 'applicantName').value, '何号码改');
  t.match(text(res.body), 'Please correct the marked fields');
  t.match(res.body, `action="/cases/${c.id}/edit"`, 'still the edit form');
  t.notMatch(res.body, 'name="missingItems"');
  const after = await row(c.id);
  t.same([after.applicant_id_number, after.applicant_name, after.monthly_income_fen], [before.applicant_id_number, before.applicant_name, before.monthly_income_fen], 'nothing changed');
  t.equal(await events(c.id), count, 'no timeline entry');
  t.equal((await auditEntries(db, 'case.updated')).filter((a) => a.entity_id === String(c.id)).length, 0, 'no audit entry');
});

void t.test('after the decision the edit page is refused and the link is gone', async (t) => {
  const c = await makeCase(db, { applicantName: '邓已决' });
  await decide(db, TEST_ACTOR, c.id, { granted: false, reason: '不符合条件' });
  const page = await m.get(`/cases/${c.id}`);
  t.notMatch(page.body, `/cases/${c.id}/edit`, 'no edit link');
  t.notMatch(text(page.body), 'Edit application');
  const res = await m.get(`/cases/${c.id}/edit`);
  t.equal(res.statusCode, 409, '409, not 404: the manager may see the case, only the edit is over');
  t.match(res.body, /role="alert"[^>]*>An application can be changed only before it is decided\./);
  t.match(text(res.body), `Case ${c.number}`, 'shown on the case page');
  const count = await events(c.id);
  const post = await m.post(`/cases/${c.id}/edit`, { applicantName: '邓改', regionCode: '511902', kind: 'civil', category: 'labor', householdSize: '1', monthlyIncome: '100' });
  t.equal(post.statusCode, 409, 'a crafted post is refused too');
  const after = await row(c.id);
  t.same([after.applicant_name, after.status, after.household_size], ['邓已决', 'refused', c.household_size], 'nothing changed');
  t.equal(await events(c.id), count);
});

void t.test('a lawyer gets 404, even for their own case', async (t) => {
  const { lawyer, user } = await makeLawyerUser(db, { name: '曾律师' });
  const l = new Client(app);
  await l.login(user.email);
  const open = await makeCase(db);
  const own = await makeAcceptedCase(db, {}, lawyer.id);
  t.equal((await l.get(`/cases/${open.id}/edit`)).statusCode, 404);
  t.equal((await l.get(`/cases/${own.id}/edit`)).statusCode, 404);
  t.notMatch((await l.get(`/cases/${own.id}`)).body, `/cases/${own.id}/edit`, 'no link on their case page');
  t.equal((await l.post(`/cases/${open.id}/edit`, { applicantName: 'x', regionCode: '511902', kind: 'civil', category: 'labor' })).statusCode, 404);
  t.equal((await row(open.id)).applicant_name, open.applicant_name, 'nothing changed');
  t.equal((await m.get('/cases/99999999/edit')).statusCode, 404, 'an unknown case is 404 for a manager');
});
