// The manager's assignment pages as a manager clicks them: the rotation's pick
// with its explanation (passed-over lawyers with the reason in words), confirm,
// the case page's "why this lawyer", an override that needs a written reason, and
// a confirm after the rotation moved, which shows the new pick and assigns nothing.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { field } from '../helpers/html.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer, makeLawyerUser } from '../helpers/people.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { assignByRotation } from '../../src/modules/rotation/rotation.service.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager', { name: '王主任' });
const m = new Client(app);
await m.login(manager.email);

// three labour lawyers passed over, each for a reason, made first so that they
// are ahead in the rotation (everybody joins level; the lowest id goes first);
// then two eligible labour lawyers; then two who practise other areas and so are
// not in line for a labour case at all
const onLeave = await makeLawyer(db, { name: '丙律师', practiceAreas: ['labor'] });
await db.insertInto('lawyer_leaves').values({ lawyer_id: onLeave.id, starts_on: '2020-01-01', ends_on: '2099-12-31', reason: '产假' }).execute();
const conflicted = await makeLawyer(db, { name: '丁律师', practiceAreas: ['labor'] });
await db.insertInto('lawyer_conflicts').values({ lawyer_id: conflicted.id, party: '某建筑公司', note: '曾为其顾问' }).execute();
const full = await makeLawyer(db, { name: '戊律师', practiceAreas: ['labor'] });
await db.updateTable('lawyers').set({ max_open_cases: 0 }).where('id', '=', full.id).execute();
const a = await makeLawyer(db, { name: '甲律师', practiceAreas: ['labor'] });
const b = await makeLawyer(db, { name: '乙律师', practiceAreas: ['labor'] });
const otherArea = await makeLawyer(db, { name: '己律师', practiceAreas: ['criminal'] });
const { user: lawyerUser } = await makeLawyerUser(db, { name: '庚律师', practiceAreas: ['family'] });

async function grantedCase(applicantName: string) {
  const c = await makeCase(db, { applicantName });
  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
  return c;
}
const statusOf = async (id: number) => (await db.selectFrom('cases').select(['status', 'lawyer_id']).where('id', '=', id).executeTakeFirstOrThrow());
const chosenName = (html: string) => text(/<strong class="chosen-name">([\s\S]*?)<\/strong>/.exec(html)?.[1] ?? '');
const passedOver = (html: string) => [...(/<ul class="plain passed-over">([\s\S]*?)<\/ul>/.exec(html)?.[1] ?? '').matchAll(/<li>([\s\S]*?)<\/li>/g)].map((x) => text(x[1]).replace(' :', ':'));
const expected = (html: string) => /name="expectedLawyerId" value="(\d+)"/.exec(html)?.[1];

void t.test('the manager sees the pick with its reasons, confirms, and the case page says why', async (t) => {
  const c = await grantedCase('赵受援');
  let page = await m.get(`/cases/${c.id}`);
  t.match(page.body, `href="/cases/${c.id}/assign"`, 'the case page links to the rotation');
  t.match(text(page.body), 'Assign (rotation)');
  t.notMatch(page.body, 'name="lawyerId"', 'no manual assignment form any more');

  page = await m.get(`/cases/${c.id}/assign`);
  t.equal(page.statusCode, 200);
  t.equal(chosenName(page.body), '甲律师', 'the lowest id wins among equals who qualify');
  const table = text(/<table class="data candidates">([\s\S]*?)<\/table>/.exec(page.body)?.[1] ?? '');
  t.match(table, /1 甲律师 Next .* 0 \(0 turns, weight 1\)/, 'the candidates in order with their weighted turns');
  t.match(table, /2 乙律师/);
  t.same(passedOver(page.body), ['丙律师: On leave today', '丁律师: Conflict with an opposing party', '戊律师: Open cases at the cap (0)'], 'those ahead who do not qualify, in rotation order');
  t.match(text(page.body), '5 lawyers are in line for cases of Labour disputes in this region.', 'the pool: labour lawyers only');
  t.match(text(page.body), 'Not eligible today, ahead in the rotation or not: on leave 1; conflict of interest 1; at the open-case cap 1');
  t.notMatch(page.body, '己律师', 'a lawyer of another practice area is not in line');
  t.match(page.body, /<option value="\d+">乙律师/, 'the override offers the other eligible lawyer');
  t.notMatch(page.body, /<option value="\d+">丙律师/, 'never an ineligible one');

  const res = await m.post(`/cases/${c.id}/assign`, { expectedLawyerId: expected(page.body)! });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, `/cases/${c.id}`);
  t.same(await statusOf(c.id), { status: 'assigned', lawyer_id: a.id });
  page = await m.get(`/cases/${c.id}`);
  const body = text(page.body);
  t.match(body, '甲律师 assigned by the rotation.', 'the flash');
  const why = text(/<section class="why"[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? '').replace(/ :/g, ':');
  t.match(why, 'Why this lawyer');
  t.match(why, /甲律师 · Assigned by the rotation · assigned by 王主任/);
  t.match(why, 'Candidates considered (2)');
  t.match(why, '1. 甲律师');
  t.match(why, '2. 乙律师');
  t.match(why, 'Passed over (3)');
  t.match(why, '丙律师: On leave today');
  t.match(why, '戊律师: Open cases at the cap (0)');
  t.match(page.body, `/cases/${c.id}/assignment/notice`, 'the notice is linked');
  t.notMatch(page.body, `href="/cases/${c.id}/assign"`, 'an assigned case offers no assignment');
});

void t.test('an override needs a written reason, and then shows as an override', async (t) => {
  const c = await grantedCase('钱受援');
  const page = await m.get(`/cases/${c.id}/assign`);
  t.equal(chosenName(page.body), '乙律师', 'the one without a turn is next');
  t.equal(expected(page.body), String(b.id));
  let res = await m.post(`/cases/${c.id}/assign/override`, { lawyerId: String(a.id), reason: '  ' });
  t.equal(res.statusCode, 422);
  t.equal(field(res.body, 'reason').error, 'This field is required.', 'the message is next to the reason');
  t.equal(field(res.body, 'lawyerId').value, String(a.id), 'the choice is kept');
  t.equal(chosenName(res.body), '乙律师', 'the pick is shown again');
  t.equal((await statusOf(c.id)).status, 'granted', 'nothing assigned');

  res = await m.post(`/cases/${c.id}/assign/override`, { lawyerId: String(onLeave.id), reason: '熟悉案情' });
  t.equal(res.statusCode, 422, 'an ineligible lawyer is refused');
  t.ok(field(res.body, 'lawyerId').error, 'with a message next to the choice');
  res = await m.post(`/cases/${c.id}/assign/override`, { lawyerId: String(otherArea.id), reason: '熟悉案情' });
  t.equal(res.statusCode, 422, 'a lawyer outside the pool is refused too');
  t.equal(field(res.body, 'lawyerId').error, "This lawyer's practice areas do not include the case's category.", 'with the reason');
  t.equal((await statusOf(c.id)).status, 'granted', 'nothing assigned');

  res = await m.post(`/cases/${c.id}/assign/override`, { lawyerId: String(a.id), reason: '曾代理该当事人的关联案件，熟悉案情' });
  t.equal(res.statusCode, 303);
  t.same(await statusOf(c.id), { status: 'assigned', lawyer_id: a.id });
  const body = text((await m.get(`/cases/${c.id}`)).body);
  t.match(body, '甲律师 assigned (override).');
  t.match(body, /甲律师 · Override by a manager/);
  t.match(body, 'Reason: 曾代理该当事人的关联案件，熟悉案情');
  const row = await db.selectFrom('assignments').select(['method', 'reason']).where('case_id', '=', c.id).executeTakeFirstOrThrow();
  t.same(row, { method: 'override', reason: '曾代理该当事人的关联案件，熟悉案情' });
});

void t.test('confirming after the rotation moved shows the new pick and assigns nothing', async (t) => {
  const c = await grantedCase('孙受援');
  const page = await m.get(`/cases/${c.id}/assign`);
  t.equal(chosenName(page.body), '乙律师', 'A has two turns, B none');
  const stale = expected(page.body)!;
  // meanwhile another manager assigns two cases: B catches up and has the newer last turn
  for (const name of ['另案一', '另案二']) await assignByRotation(db, { id: manager.id, name: '李主任' }, (await grantedCase(name)).id, {}, today());
  const res = await m.post(`/cases/${c.id}/assign`, { expectedLawyerId: stale });
  t.equal(res.statusCode, 409);
  t.match(text(res.body), 'The rotation moved since you opened this page');
  t.equal(chosenName(res.body), '甲律师', 'the new pick');
  t.equal(expected(res.body), String(a.id), 'to confirm again');
  t.same(await statusOf(c.id), { status: 'granted', lawyer_id: null }, 'nothing assigned');
  t.equal((await db.selectFrom('assignments').select('id').where('case_id', '=', c.id).execute()).length, 0);
  t.equal((await m.post(`/cases/${c.id}/assign`, { expectedLawyerId: String(a.id) })).statusCode, 303, 'confirming the new pick works');
});

void t.test('only a granted case, and only a manager', async (t) => {
  const applied = await makeCase(db, { applicantName: '周未决定' });
  const res = await m.get(`/cases/${applied.id}/assign`);
  t.equal(res.statusCode, 409);
  t.match(text(res.body), 'Only a granted case not yet assigned can be assigned a lawyer. This case is: ');
  t.notMatch(res.body, 'expectedLawyerId', 'no confirm button');

  const granted = await grantedCase('吴待指派');
  const l = new Client(app);
  await l.login(lawyerUser.email);
  t.equal((await l.get(`/cases/${granted.id}/assign`)).statusCode, 404, 'a lawyer cannot open the assign page');
  t.equal((await l.post(`/cases/${granted.id}/assign`, { expectedLawyerId: String(a.id) })).statusCode, 404, 'nor post it');
  t.equal((await l.post(`/cases/${granted.id}/assign/override`, { lawyerId: String(a.id), reason: 'x' })).statusCode, 404);
  t.equal((await statusOf(granted.id)).status, 'granted');
  t.equal((await m.get('/cases/999999/assign')).statusCode, 404, 'an unknown case');
});
