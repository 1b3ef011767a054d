// The quota pages a manager and an auditor see: every lawyer with figures and
// status words, filters, the firm roll-up adding up, and the year-end CSV.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { makeLawyer, makeLawyerUser } from '../helpers/people.js';
import { handCase, hours, rotationCase } from './support.js';

/** The visible text of the table row naming someone. */
const rowOf = (html: string, name: string) => text(html.slice(html.indexOf('<tbody')).split('<tr').find((r) => r.includes(name)) ?? '');

void t.test('quota pages for 2025, a finished year', async (t) => {
  const { app, db } = await buildTestApp(t);
  const firmA = await makeOrganization(db, { kind: 'law_firm', name: '甲律师事务所', regionCode: '511902' });
  const firmB = await makeOrganization(db, { kind: 'law_firm', name: '乙律师事务所', regionCode: '511921' });
  const zhao = await makeLawyer(db, { name: '赵一', organizationId: firmA.id });
  const qian = await makeLawyer(db, { name: '钱二', organizationId: firmA.id });
  const sun = await makeLawyer(db, { name: '孙三', organizationId: firmB.id, regionCode: '511921' });
  await db.updateTable('lawyers').set({ licensed_on: '2024-08-01' }).where('id', '=', sun.id).execute();
  // no longer practising: owes nothing, so listed nowhere (the counts and sums below leave them out)
  const li = await makeLawyer(db, { name: '李停用', organizationId: firmA.id });
  await db.updateTable('lawyers').set({ status: 'inactive' }).where('id', '=', li.id).execute();

  await rotationCase(db, zhao.id, '2025-02-01');
  await rotationCase(db, zhao.id, '2025-05-01', 'ended');
  await hours(db, zhao.id, '2025-03-03', '12.0');
  await hours(db, zhao.id, '2025-12-31', '8.0');
  await handCase(db, qian.id, '2025-03-01');
  await rotationCase(db, qian.id, '2025-04-01', 'declined');
  await rotationCase(db, qian.id, '2024-12-31');
  await hours(db, qian.id, '2025-06-01', '5.0', 'pending');
  await hours(db, qian.id, '2025-06-02', '3.0', 'rejected');
  await rotationCase(db, sun.id, '2025-06-01');
  await hours(db, sun.id, '2025-06-01', '10.0');

  const manager = await makeUser(db, 'manager');
  const m = new Client(app);
  await m.login(manager.email);

  t.test('every lawyer with figures and status in words', async (t) => {
    const res = await m.get('/quotas?year=2025');
    t.equal(res.statusCode, 200);
    t.match(text(res.body), /3 lawyers/);
    t.notMatch(res.body, '李停用', 'an inactive lawyer is not listed');
    t.match(rowOf(res.body, '赵一'), /赵一 甲律师事务所 2 2 \/ 2 20 \/ 20 .* Met/);
    t.match(rowOf(res.body, '钱二'), /钱二 甲律师事务所 2 1 \/ 2 0 \/ 20 .* Behind/, 'declined, last year and unapproved work do not count');
    t.match(rowOf(res.body, '孙三'), /孙三 Reduced: newly licensed 乙律师事务所 2 1 \/ 1 10 \/ 10 .* Met/);
    t.match(res.body, /<tr class="quota-behind">[\s\S]*?钱二/, 'the behind row is marked');
    t.match(res.body, /<span class="badge quota-behind">Behind<\/span>/, 'a red badge that says so');
    t.ok(res.body.indexOf('钱二') < res.body.indexOf('赵一'), 'those behind come first');
    t.match(text(res.body), /100% of the year has gone/);
  });

  t.test('filters through htmx render the fragment only', async (t) => {
    const res = await m.get('/quotas?year=2025&status=behind', { 'hx-request': 'true' });
    t.notMatch(res.body, /<html/);
    t.match(res.body, /id="results"/);
    t.match(res.body, '钱二');
    t.notMatch(res.body, '赵一');
    const region = await m.get('/quotas?year=2025&region=511921');
    t.match(region.body, '孙三');
    t.notMatch(rowOf(region.body, '钱二'), '钱二');
    const firm = await m.get(`/quotas?year=2025&firm=${firmA.id}&sort=name`);
    t.match(text(firm.body), /2 lawyers/);
  });

  t.test('the firm roll-up adds up', async (t) => {
    const res = await m.get('/quotas?year=2025&view=firms');
    t.match(rowOf(res.body, '甲律师事务所'), /甲律师事务所 2 3 \/ 4 20 \/ 40 1 1/);
    t.match(rowOf(res.body, '乙律师事务所'), /乙律师事务所 1 1 \/ 1 10 \/ 10 0 1/);
    t.match(rowOf(res.body, 'class="total"'), /Total 3 4 \/ 5 30 \/ 50 1 2/);
    t.ok(res.body.indexOf('甲律师事务所</td>') < res.body.indexOf('乙律师事务所</td>'), 'the firm with lawyers behind first');
  });

  t.test('the year-end CSV: BOM, figures, audited', async (t) => {
    const res = await m.get('/quotas.csv?year=2025');
    t.equal(res.statusCode, 200);
    t.match(res.headers['content-type'], /text\/csv; charset=utf-8/);
    t.match(res.headers['content-disposition'], /quotas-2025\.csv/);
    t.equal(res.body.charCodeAt(0), 0xfeff, 'starts with a BOM');
    const lines = res.body.slice(1).trim().split('\r\n');
    t.equal(lines[0], 'Year,Name,Licence no.,Firm,Region,Level,Licensed on,Leave days in year,Reductions,Cases required,Cases done,Hours required,Hours done,Fulfilled,Progress');
    t.equal(lines.length, 4);
    const cells = (name: string) => lines.find((l) => l.includes(name))!.split(',');
    t.same(cells('钱二').slice(9), ['2', '1', '20', '0', 'No', 'Behind']);
    t.same(cells('赵一').slice(9), ['2', '2', '20', '20', 'Yes', 'Met']);
    t.same([cells('孙三')[6], ...cells('孙三').slice(8)], ['2024-08-01', 'newly licensed', '1', '1', '10', '10', 'Yes', 'Met']);
    t.match(cells('钱二')[2], /^"=""\d+"""$/, 'the licence number stays text');
    const logged = await db.selectFrom('audit_log').selectAll().where('action', '=', 'quotas.exported').execute();
    t.equal(logged.length, 1);
    t.match(logged[0]?.after, { filter: { year: 2025 }, rows: 3 });
  });

  t.test('who may see it', async (t) => {
    const auditor = new Client(app);
    await auditor.login((await makeUser(db, 'auditor')).email);
    t.equal((await auditor.get('/quotas?year=2025')).statusCode, 200);
    t.equal((await auditor.get('/quotas.csv?year=2025')).statusCode, 200, 'auditors take the report too');
    t.match((await auditor.get('/')).body, 'href="/quotas"', 'in the auditor menu');
    const { user } = await makeLawyerUser(db);
    const lawyer = new Client(app);
    await lawyer.login(user.email);
    t.equal((await lawyer.get('/quotas')).statusCode, 403);
    t.equal((await lawyer.get('/quotas.csv')).statusCode, 403);
    const admin = new Client(app);
    await admin.login((await makeUser(db, 'admin')).email);
    t.equal((await admin.get('/quotas')).statusCode, 403);
  });
});
