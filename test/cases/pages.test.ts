// The case list and the application form as a manager sees them: queue counts,
// green channel first, overdue marked in words, masked ID numbers, the htmx
// fragment; a bad ID number refused next to its field; a good application
// landing on its case page with the means-test computation.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { field } from '../helpers/html.js';
import { makeCase, makeIdNumber } from '../helpers/cases.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const c = new Client(app);
await c.login(manager.email);

const count = async () => Number((await db.selectFrom('cases').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

void t.test('the queue: counts, green channel first, overdue marked, ID numbers masked', async (t) => {
  const late = await makeCase(db, { applicantName: '王逾期' }, '2026-03-02');
  const green = await makeCase(db, { applicantName: '李绿色', priorityGroups: ['elderly'] });
  const plain = await makeCase(db, { applicantName: '张普通' });
  const pending = await makeCase(db, { applicantName: '赵待补', missingItems: ['身份证复印件'] });
  const res = await c.get('/cases?queue=review');
  t.equal(res.statusCode, 200);
  const body = text(res.body);
  t.match(body, 'Review 4', 'the review queue counts its four cases');
  t.match(body, 'All 4');
  t.ok(body.indexOf('李绿色') < body.indexOf('王逾期') && body.indexOf('王逾期') < body.indexOf('张普通'), 'green channel first, then due first');
  const lateRow = /<tr class="overdue[^"]*">[\s\S]*?<\/tr>/.exec(res.body)?.[0] ?? '';
  t.match(text(lateRow), '王逾期', 'the overdue row is marked with a class');
  t.match(text(lateRow), /Overdue .*overdue by \d+ working days?/, 'and says so in words');
  t.match(body, /Green channel/);
  t.match(body, /\d+ working days? left/);
  for (const k of [late, green, plain, pending]) {
    t.notOk(res.body.includes(k.applicant_id_number!), 'no full ID number in the list');
    t.ok(res.body.includes(`${k.applicant_id_number!.slice(0, 6)}********${k.applicant_id_number!.slice(-4)}`), 'the masked one is shown');
  }

  const waiting = text((await c.get('/cases?queue=review&status=pending_materials')).body);
  t.match(waiting, '赵待补');
  t.notMatch(waiting, '张普通', 'the status sub-filter narrows the queue');

  const frag = await c.get('/cases?q=%E6%9D%8E%E7%BB%BF', { 'hx-request': 'true' });
  t.notMatch(frag.body, '<html', 'htmx gets only the fragment');
  t.match(frag.body, /^<div id="results"/);
  t.match(text(frag.body), '李绿色');
  t.notMatch(text(frag.body), '张普通', 'search by applicant name');
  t.match(text((await c.get(`/cases?q=${plain.number}`)).body), '张普通', 'search by case number');
  const overdueOnly = text((await c.get('/cases?overdue=1')).body);
  t.match(overdueOnly, '王逾期');
  t.notMatch(overdueOnly, '李绿色', 'overdue only');
  t.match(text((await c.get('/cases?green=1')).body), 'All 1', 'counts follow the filters');
});

void t.test('the application form: a bad ID number is refused next to its field', async (t) => {
  const form = await c.get('/cases/new');
  t.equal(form.statusCode, 200);
  t.match(text(form.body), 'Emergency aid (accept first, paperwork later)');
  const before = await count();
  const bad = makeIdNumber('19800101').slice(0, 17) + (makeIdNumber('19800101').endsWith('1') ? '2' : '1');
  const res = await c.post('/cases', { applicantName: '钱错号', applicantIdNumber: bad, regionCode: '511902', kind: 'civil', category: 'labor', householdSize: '3', monthlyIncome: '3,000', source: 'walk_in' });
  t.equal(res.statusCode, 422);
  const f = field(res.body, 'applicantIdNumber');
  t.match(f.error, 'check digit', 'the message is next to the field');
  t.ok(f.invalid);
  t.equal(f.value, bad, 'input kept');
  t.equal(field(res.body, 'monthlyIncome').value, '3,000', 'income kept as typed');
  t.equal(await count(), before, 'nothing created');

  const income = await c.post('/cases', { applicantName: '钱错号', regionCode: '511902', kind: 'civil', category: 'labor', monthlyIncome: '3000.123' });
  t.equal(income.statusCode, 422);
  t.ok(field(income.body, 'monthlyIncome').error, 'a bad income is refused next to its field');
});

void t.test('a good application lands on its case page with the computation', async (t) => {
  const centre = await makeOrganization(db, { kind: 'centre', name: '巴州区法律援助中心' });
  await c.get('/cases/new');
  const id = makeIdNumber('19750505', '511902', '777');
  const res = await c.post('/cases', {
    applicantName: '孙申请',
    applicantIdNumber: id,
    applicantPhone: '138 0000 1111',
    regionCode: '511902',
    householdSize: '3',
    monthlyIncome: '3,000.00',
    kind: 'civil',
    category: 'labor',
    summary: '被拖欠工资',
    opposingParties: '某公司\n某包工头',
    priorityGroups: ['woman'],
    source: 'walk_in',
    centreId: String(centre.id),
  });
  t.equal(res.statusCode, 303, text(res.body).slice(0, 500));
  const row = await db.selectFrom('cases').selectAll().where('applicant_name', '=', '孙申请').executeTakeFirstOrThrow();
  t.equal(res.headers.location, `/cases/${row.id}`);
  t.equal(row.monthly_income_fen, 300000);
  t.same(row.opposing_parties, ['某公司', '某包工头']);
  t.ok(row.green_channel, 'green channel from the priority group');
  const page = await c.get(`/cases/${row.id}`);
  const body = text(page.body);
  t.match(body, `Application taken: case ${row.number}.`);
  t.match(body, '2 x 750.00 = 1,500.00 yuan per head; household 3, income 3,000.00 → 1,000.00 per head ≤ 1,500.00: eligible');
  t.match(body, id, 'the full ID number on the case file itself');
  t.match(body, /Review and decision.*7 working days left|working days left/);
  t.match(body, 'Timeline');
  t.match(body, /Timeline .*· Application taken/, 'the timeline says who did what');
});

void t.test('from a consultation, and an emergency case with its paperwork deadline', async (t) => {
  const consult = await db
    .insertInto('consultations')
    .values({ channel: 'hotline', region_code: '511921', topic: 'work_injury', person_name: '冯咨询', phone: '13900001111', question: '工伤赔偿怎么申请' })
    .returningAll()
    .executeTakeFirstOrThrow();
  const form = await c.get(`/cases/new?consultation=${consult.id}`);
  t.equal(field(form.body, 'applicantName').value, '冯咨询');
  t.equal(field(form.body, 'applicantPhone').value, '13900001111');
  t.equal(field(form.body, 'regionCode').value, '511921');
  t.equal(field(form.body, 'category').value, 'work_injury');
  t.equal((await c.get('/cases/new?consultation=999999')).statusCode, 404);
  const res = await c.post('/cases', {
    consultationId: String(consult.id),
    applicantName: '冯咨询',
    regionCode: '511921',
    kind: 'civil',
    category: 'work_injury',
    priorityGroups: 'migrant_worker',
    emergency: '1',
  });
  t.equal(res.statusCode, 303);
  const row = await db.selectFrom('cases').selectAll().where('consultation_id', '=', consult.id).executeTakeFirstOrThrow();
  t.equal(row.status, 'granted', 'emergency aid is granted at once');
  const back = await db.selectFrom('consultations').select('became_application').where('id', '=', consult.id).executeTakeFirstOrThrow();
  t.ok(back.became_application);
  const page = text((await c.get(`/cases/${row.id}`)).body);
  t.match(page, /Emergency paperwork.*working days? left/, 'the paperwork deadline is shown');
  t.match(page, 'follows from the case', 'the migrant-wages exemption derived');
  t.equal((await c.post(`/cases/${row.id}/paperwork`)).statusCode, 303);
  t.match(text((await c.get(`/cases/${row.id}`)).body), 'received on');

  const zh = new Client(app, { 'accept-language': 'zh-CN' });
  await zh.login(manager.email);
  const list = text((await zh.get('/cases?queue=review')).body);
  t.match(list, /还剩 \d+ 个工作日/);
  t.match(list, /逾期 .*已逾期 \d+ 个工作日/);
});
