// The assigned lawyer's side: the printable assignment notice, and declining
// (reason required; a conflict gives the turn back), after which the case is back
// in the manager's granted queue and the next preview counts them as
// "declined". Nobody else can decline, and a closed window is explained.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { field, auditEntries } from '../helpers/html.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyerUser } from '../helpers/people.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { assignByOverride, assignByRotation } from '../../src/modules/rotation/rotation.service.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const m = new Client(app);
await m.login(manager.email);
const firm = await makeOrganization(db, { kind: 'law_firm', name: '巴中正义律师事务所' });
const a = await makeLawyerUser(db, { name: '甲律师', practiceAreas: ['labor'], organizationId: firm.id });
const b = await makeLawyerUser(db, { name: '乙律师', practiceAreas: ['labor'] });
const la = new Client(app);
await la.login(a.user.email);
const lb = new Client(app);
await lb.login(b.user.email);

/** A granted case without opposing parties, assigned to lawyer A. */
async function assignedToA(applicantName: string) {
  const c = await makeCase(db, { applicantName, opposingParties: [] });
  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
  await assignByOverride(db, { id: manager.id, name: 'manager' }, c.id, { lawyerId: a.lawyer.id, reason: '测试' });
  return c;
}
const caseRow = (id: number) => db.selectFrom('cases').select(['status', 'lawyer_id']).where('id', '=', id).executeTakeFirstOrThrow();
const actionForm = (html: string, slug: string) => (html.match(/<details class="action"[\s\S]*?<\/details>/g) ?? []).find((d) => d.includes(`id="act-${slug}"`)) ?? '';

void t.test('the assignment notice names the lawyer and their firm, for the manager and the lawyer', async (t) => {
  const c = await assignedToA('赵受援');
  const res = await m.get(`/cases/${c.id}/assignment/notice`);
  t.equal(res.statusCode, 200);
  const body = text(res.body);
  t.match(body, 'Notice of assignment');
  t.match(body, 'To 甲律师, 巴中正义律师事务所:');
  t.match(body, '赵受援');
  t.match(body, c.number);
  t.match(body, /Civil·Labour disputes/);
  t.match(body, /Please accept or decline this assignment in the system by \d+ \w+ \d{4}\./, 'the deadline');
  t.match(res.body, 'class="notice assignment-notice"', 'printed like the other notices');
  const views = (await auditEntries(db, 'case.viewed')).filter((e) => e.entity_id === String(c.id) || Number(e.entity_id) === c.id);
  t.ok(views.some((e) => e.after?.document === 'assignment_notice'), 'audited as a view of the file');
  t.equal((await la.get(`/cases/${c.id}/assignment/notice`)).statusCode, 200, 'the lawyer prints it too');
  t.equal((await lb.get(`/cases/${c.id}/assignment/notice`)).statusCode, 404, 'another lawyer cannot');
  const granted = await makeCase(db, { applicantName: '未指派' });
  t.equal((await m.get(`/cases/${granted.id}/assignment/notice`)).statusCode, 404, 'no assignment, no notice');
});

void t.test('the lawyer declines for a conflict: back in the queue, passed over as declined next time', async (t) => {
  const c = await assignedToA('钱受援');
  const page = await la.get(`/cases/${c.id}`);
  const form = actionForm(page.body, 'decline');
  t.ok(actionForm(page.body, 'accept'), 'accept is offered');
  t.match(form, 'This is a conflict of interest', 'and decline, with the conflict box');
  t.match(text(form), /A decline is possible until/);

  t.equal((await lb.post(`/cases/${c.id}/decline`, { reason: '忙', conflict: '1' })).statusCode, 404, 'another lawyer cannot decline');
  t.equal((await m.post(`/cases/${c.id}/decline`, { reason: '忙' })).statusCode, 403, 'a manager does not decline for the lawyer');

  let res = await la.post(`/cases/${c.id}/decline`, { reason: '', conflict: '1' });
  t.equal(res.statusCode, 422);
  t.equal(field(res.body, 'reason').error, 'This field is required.', 'the message next to the reason');
  t.match(res.body, /name="conflict" value="1" checked/, 'the box stays ticked');
  t.same(await caseRow(c.id), { status: 'assigned', lawyer_id: a.lawyer.id }, 'nothing changed');

  res = await la.post(`/cases/${c.id}/decline`, { reason: '对方法定代表人是我的亲属', conflict: '1' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/cases', 'to the lawyer\'s list: the case is no longer theirs');
  t.match(text((await la.get('/cases')).body), 'You declined the assignment');
  t.same(await caseRow(c.id), { status: 'granted', lawyer_id: null });
  t.equal((await la.get(`/cases/${c.id}`)).statusCode, 404, 'the lawyer no longer sees the case');

  t.match(text((await m.get('/cases?status=granted')).body), c.number, "back in the manager's granted queue");
  const preview = await m.get(`/cases/${c.id}/assign`);
  // A is behind B in the rotation (two overrides, one turn given back), so A is
  // not a skip, only counted among those who may not take the case
  t.match(text(preview.body), 'Not eligible today, ahead in the rotation or not: declined this case 1', 'counted as declined');
  t.notMatch(text(/<table class="data candidates">([\s\S]*?)<\/table>/.exec(preview.body)?.[1] ?? ''), '甲律师', 'and not a candidate');
  t.match(text(/<strong class="chosen-name">([\s\S]*?)<\/strong>/.exec(preview.body)?.[1] ?? ''), '乙律师');

  const why = text(/<section class="why"[\s\S]*?<\/section>/.exec((await m.get(`/cases/${c.id}`)).body)?.[0] ?? '');
  t.match(why, 'Declined', 'the declined assignment stays in "why"');
  t.match(why, '对方法定代表人是我的亲属');
  t.match(why, 'conflict of interest: the turn was given back');
});

void t.test('outside the decline window the reason is shown and nothing changes', async (t) => {
  const c = await assignedToA('孙受援');
  await db.updateTable('cases').set({ assigned_on: '2020-01-02' }).where('id', '=', c.id).execute();
  const res = await la.post(`/cases/${c.id}/decline`, { reason: '太忙' });
  t.equal(res.statusCode, 409);
  t.ok(/role="alert"[^>]*>\s*\S/.test(res.body), 'with the message at the top');
  t.same(await caseRow(c.id), { status: 'assigned', lawyer_id: a.lawyer.id });
  t.equal((await la.post(`/cases/${c.id}/accept`)).statusCode, 303, 'accepting still works');
});

void t.test('the rotation gives a declined case to the next lawyer', async (t) => {
  const c = await makeCase(db, { applicantName: '李受援', opposingParties: [] });
  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
  const done = await assignByRotation(db, TEST_ACTOR, c.id);
  t.ok([a.lawyer.id, b.lawyer.id].includes(done.assignment.lawyer_id));
});
