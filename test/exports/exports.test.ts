// CSV exports: what Excel needs (BOM, CRLF, numbers kept as text), the list's
// filters and order, every row, an audit entry, only for admins and managers,
// and a file that imports back with every row unchanged.
import t from 'tap';
import { sql } from 'kysely';
import { parse } from 'csv-parse/sync';
import { buildTestApp } from '../helpers/app.js';
import { auditEntries } from '../helpers/html.js';
import { todayIn } from '../../src/lib/format.js';
import { BOM, checked, licence, loggedIn, makeFirm, mobile } from '../imports/support.js';

const { app, db } = await buildTestApp(t);
const firm = await makeFirm(db, '巴中=法援律师事务所');
const { client: zh } = await loggedIn(app, db, 'manager', 'zh-CN');
const { client: en } = await loggedIn(app, db, 'admin', 'en');

/** Records of a CSV export, the BOM checked and removed. */
function records(body: string): string[][] {
  if (!body.startsWith(BOM)) throw new Error('no BOM');
  return parse(body.slice(1), { relax_column_count: true });
}

const L1 = licence();
const L2 = licence();
const L3 = licence();
await db
  .insertInto('lawyers')
  .values([
    { name: '何一', license_no: L1, organization_id: firm.id, practice_areas: ['labor', 'criminal'], level: 2, region_code: '511902', languages: ['普通话', '四川话'], phone: '0827-5261234', email: 'he1@example.cn', max_open_cases: 4, status: 'on_leave' },
    { name: '=HYPERLINK("http://evil.example")', license_no: L2, practice_areas: ['family'], level: 3, region_code: '511921', phone: '13800001111' },
    { name: '何三', license_no: L3, organization_id: firm.id, practice_areas: ['labor'], level: 1, region_code: '511902', status: 'active' },
  ])
  .execute();
await db
  .insertInto('volunteers')
  .values([
    { name: '吕一', phone: mobile(), email: 'lv1@example.cn', region_code: '511902', skills: ['mediation', 'it'], languages: ['普通话'], status: 'approved', consent_at: new Date() },
    { name: '吕二', phone: null, email: 'lv2@example.cn', region_code: '511922', skills: [], status: 'pending', consent_at: new Date() },
  ])
  .execute();

t.test('the lawyers file opens in Excel as it should', async (t) => {
  const res = await zh.get('/lawyers.csv');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  t.equal(res.headers['content-disposition'], `attachment; filename="lawyers-${todayIn('Asia/Shanghai')}.csv"`);
  t.equal(res.headers['cache-control'], 'no-store', 'personal data is not cached');
  t.ok(res.body.startsWith(BOM), 'UTF-8 with a BOM, so Excel reads Chinese');
  t.notMatch(res.body, /[^\r]\n/, 'CRLF line ends only');
  t.ok(res.body.startsWith(`${BOM}姓名,执业证号,律所,业务领域,资质等级,地区,语言,手机,邮箱,最多承办,状态\r\n`), 'Chinese headers for a Chinese reader');
  t.match(res.body, `"=""${L1}"""`, 'the licence number as ="…", text to Excel');
  t.match(res.body, '"=""0827-5261234"""', 'the phone number too');
  const rows = records(res.body);
  const he1 = rows.find((r) => r[0] === '何一');
  t.same(he1, ['何一', `="${L1}"`, '巴中=法援律师事务所', '劳动争议、刑事', '2', '巴州区', '普通话、四川话', '="0827-5261234"', 'he1@example.cn', '4', '休假']);
  t.ok(rows.some((r) => r[0] === '\'=HYPERLINK("http://evil.example")'), 'a name that looks like a formula is defused with an apostrophe');

  const english = await en.get('/lawyers.csv');
  t.ok(english.body.startsWith(`${BOM}Name,Licence number,Law firm,Practice areas,Level,Region,Languages,Mobile,Email,Max open cases,Status\r\n`), 'English headers for an English reader');
  t.ok(records(english.body).some((r) => r[0] === '何一' && r[3] === 'Labour disputes、Criminal' && r[5] === 'Bazhou District' && r[10] === 'On leave'));

  const entries = await auditEntries(db, 'lawyers.exported');
  t.equal(entries.length, 2, 'each export is audited');
  t.match(entries[0].after, { rows: 3, filter: { q: '', status: '', sort: 'name' } });
});

t.test('the list’s filters and order; every matching row, not one page', async (t) => {
  const onLeave = records((await zh.get('/lawyers.csv?status=on_leave')).body);
  t.same(onLeave.slice(1).map((r) => r[0]), ['何一']);
  const labor = records((await zh.get('/lawyers.csv?area=labor&region=511902&sort=level')).body);
  t.same(labor.slice(1).map((r) => r[0]), ['何一', '何三'], 'area and region, level first');
  const search = records((await zh.get(`/lawyers.csv?q=${L3.slice(-6)}`)).body);
  t.same(search.slice(1).map((r) => r[0]), ['何三'], 'the search box');
  t.match((await auditEntries(db, 'lawyers.exported')).at(-1)!.after, { rows: 1, filter: { q: L3.slice(-6) } }, 'the filter is audited');

  await sql`insert into lawyers (name, license_no, practice_areas, region_code)
    select '分页' || lpad(g::text, 3, '0'), (15119000000000000 + g)::text, '{other}', '511903' from generate_series(1, 120) g`.execute(db);
  const many = records((await zh.get('/lawyers.csv?region=511903&page=2')).body);
  t.equal(many.length - 1, 120, 'all 120, though the list shows 50 a page');
  t.equal(many[1][0], '分页001');
});

t.test('volunteers', async (t) => {
  const res = await zh.get('/volunteers.csv?region=511902');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-disposition'], `attachment; filename="volunteers-${todayIn('Asia/Shanghai')}.csv"`);
  const rows = records(res.body);
  t.same(rows[0], ['姓名', '手机', '邮箱', '地区', '特长', '语言', '状态']);
  t.same(rows.slice(1).map((r) => r[0]), ['吕一'], 'filtered by region');
  t.match(rows[1][1], /^="1\d{10}"$/);
  t.equal(rows[1][4], '调解、信息技术');
  t.match((await auditEntries(db, 'volunteers.exported')).at(-1)!.after, { rows: 1, filter: { regionCode: '511902' } });
});

t.test('round trip: an export imports back with every row unchanged', async (t) => {
  for (const [label, client] of [['Chinese', zh], ['English', en]] as const) {
    const lawyers = await client.get('/lawyers.csv');
    const total = records(lawyers.body).length - 1;
    const run = await checked(client, db, 'lawyers', lawyers.body);
    t.match(run.run, { status: 'checked', total, unchanged: total, created: 0, updated: 0, invalid: 0 }, `${label} lawyers: ${total} unchanged`);

    const volunteers = await client.get('/volunteers.csv');
    const vrun = await checked(client, db, 'volunteers', volunteers.body);
    t.match(vrun.run, { status: 'checked', total: 2, unchanged: 2, created: 0, updated: 0, invalid: 0 }, `${label} volunteers: unchanged`);
    t.same(vrun.run.ignored, [label === 'Chinese' ? '状态' : 'Status'], 'the status column is for reading only');
  }
});

t.test('only admins and managers may export', async (t) => {
  for (const role of ['auditor', 'lawyer', 'volunteer'] as const) {
    const { client } = await loggedIn(app, db, role);
    t.equal((await client.get('/lawyers.csv')).statusCode, 403, `${role}: no lawyers export`);
    t.equal((await client.get('/volunteers.csv')).statusCode, 403, `${role}: no volunteers export`);
  }
  const { client: auditor } = await loggedIn(app, db, 'auditor');
  const list = await auditor.get('/lawyers');
  t.equal(list.statusCode, 200, 'an auditor reads the list');
  t.notMatch(list.body, 'href="/lawyers.csv', 'but is offered no export link');
  t.equal((await app.inject({ url: '/lawyers.csv' })).statusCode, 303, 'anonymous: to the login');
  const exportsBefore = (await auditEntries(db, 'lawyers.exported')).length;
  await auditor.get('/lawyers.csv');
  t.equal((await auditEntries(db, 'lawyers.exported')).length, exportsBefore, 'a refused export is not audited as one');
});

t.test('10,000 rows export, and import back unchanged', async (t) => {
  const big = await buildTestApp(t);
  const { client } = await loggedIn(big.app, big.db, 'manager', 'zh-CN');
  await sql`insert into lawyers (name, license_no, practice_areas, level, region_code, phone, email)
    select '万' || g, (15119100000000000 + g)::text, '{criminal,labor}', 1 + g % 3, '511902', '138' || lpad(g::text, 8, '0'), 'w' || g || '@example.cn'
    from generate_series(1, 10000) g`.execute(big.db);
  let started = Date.now();
  const res = await client.get('/lawyers.csv');
  t.comment(`export of 10,000 rows: ${Date.now() - started} ms, ${(Buffer.byteLength(res.body) / 1024).toFixed(0)} KiB`);
  t.equal(res.statusCode, 200);
  const rows = records(res.body);
  t.equal(rows.length, 10_001);
  started = Date.now();
  const run = await checked(client, big.db, 'lawyers', res.body);
  t.comment(`check of 10,000 rows: ${Date.now() - started} ms`);
  t.match(run.run, { status: 'checked', total: 10_000, unchanged: 10_000, invalid: 0 });
});
