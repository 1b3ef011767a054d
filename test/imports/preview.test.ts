// The preview: every row with its problems next to it, counts, and nothing
// written while the file has a problem. File-level errors re-render the form.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { text } from '../helpers/client.js';
import { auditEntries } from '../helpers/html.js';
import { checked, count, csv, licence, loggedIn, makeFirm, mobile, upload } from './support.js';

const { app, db } = await buildTestApp(t);
const firm = await makeFirm(db, '巴中明理律师事务所');
const { client: mc } = await loggedIn(app, db, 'manager');

const HEADER = ['姓名', '执业证号', '律所', '业务领域', '资质等级', '地区', '语言', '手机', '邮箱', '最多承办', '状态'];

t.test('bad rows are listed with their messages and nothing is written', async (t) => {
  const stored = await db
    .insertInto('lawyers')
    .values({ name: '陈静', license_no: licence(), organization_id: firm.id, practice_areas: ['labor'], level: 1, region_code: '511902', phone: '13800000000' })
    .returningAll()
    .executeTakeFirstOrThrow();
  const good = licence();
  const rows = [
    HEADER,
    ['张三', good, '巴中明理律师事务所', '刑事、劳动争议', '2', '巴州区', '普通话、四川话', mobile(), 'zhang@example.cn', '5', '在岗'],
    ['', licence(), '巴中明理律师事务所', '刑事', '1', '511902', '', '', '', '', ''],
    ['李四', '12345', '巴中明理律师事务所', '刑事', '1', '511902', '', '', '', '', ''],
    ['王五', licence(), '巴中明理律师事务所', '刑事', '1', '火星区', '', '', '', '', ''],
    ['赵六', good, '', 'criminal', '3', '511921', '', '', '', '', 'active'],
    ['陈静', stored.license_no, '巴中明理律师事务所', '劳动争议', '1', '巴州区', '', '13900000000', '', '5', '在岗'],
    ['钱七', '1.51192E+16', '', '刑事', '1', '511902', '', '', '', '', ''],
    ['孙八', licence(), '不存在的律所', '星际法', '9', '511902', '', '12', 'not-an-email', 'many', '退休'],
  ];
  const lawyersBefore = await count(db, 'lawyers');
  const { id, run, page } = await checked(mc, db, 'lawyers', csv(rows));

  t.equal(run.status, 'checked');
  t.equal(run.total, 8);
  t.equal(run.processed, 8, 'progress reached the end');
  t.match(run, { created: 1, updated: 1, unchanged: 0, invalid: 6 });

  const body = text(page.body);
  t.match(body, /8 Rows 1 New 1 Updated 0 Unchanged 6 With problems/, 'the counts');
  t.match(body, '6 rows have problems; nothing was written.');
  t.match(body, /3 Problem \d{17} 巴中明理律师事务所 刑事 1 511902 Name: This field is required\./, 'row 3: missing name, with its row number');
  t.match(body, /4 Problem 李四 12345 .*Licence number: A licence number has 17 digits\./, 'row 4: the licence format');
  t.match(body, /5 Problem 王五 .*Region: Unknown region: 火星区\./, 'row 5: an unknown region');
  t.match(body, /6 Problem 赵六 .*Licence number: Same as row 2\./, 'row 6: the later of two rows with one licence');
  t.match(body, /7 Update 陈静 .*Changes: Mobile/, 'row 7: an update of a stored lawyer, not an error');
  t.match(body, /8 Problem 钱七 .*Licence number: Excel turned this number into scientific notation/, 'row 8: Excel ate the digits');
  for (const m of [
    'Law firm: No law firm or legal-service office is called 不存在的律所.',
    'Practice areas: Not recognised: 星际法.',
    'Level: Choose level 1 to 3.',
    'Mobile: Enter a valid phone number.',
    'Email: Enter a valid email address.',
    'Max open cases: Enter a whole number from 0 to 50.',
    'Status: Not recognised: 退休.',
  ]) {
    t.match(body, new RegExp(`9 Problem 孙八 .*${m.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`), `row 9: ${m}`);
  }
  t.match(page.body, /<td class="has-error">火星区<\/td>/, 'the cell with the problem is marked');
  t.notMatch(body, 'Confirm import', 'no way to confirm a file with problems');

  const problems = await mc.get(`/imports/${id}`);
  t.notMatch(text(problems.body), '张三', 'by default only the rows with problems');
  t.match(text(problems.body), '李四');

  const confirmed = await mc.post(`/imports/${id}/confirm`);
  t.equal(confirmed.statusCode, 303, 'a forced confirm is turned away');
  t.match(text((await mc.get(`/imports/${id}`)).body), 'This import cannot be confirmed now.');
  await new Promise((resolve) => setTimeout(resolve, 100));
  t.equal(await count(db, 'lawyers'), lawyersBefore, 'no lawyer added');
  const after = await db.selectFrom('lawyers').select('phone').where('id', '=', stored.id).executeTakeFirstOrThrow();
  t.equal(after.phone, '13800000000', 'the stored lawyer is untouched');
  t.equal((await db.selectFrom('import_runs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'checked');
  t.same(await auditEntries(db, 'lawyers.imported'), [], 'nothing audited as imported');
});

t.test('the preview in Chinese', async (t) => {
  const { client } = await loggedIn(app, db, 'manager', 'zh-CN');
  const { page } = await checked(client, db, 'lawyers', csv([HEADER, ['', '123', '', '刑事', '1', '511902', '', '', '', '', '']]));
  const body = text(page.body);
  t.match(body, '姓名：此项必填。');
  t.match(body, '执业证号：执业证号应为 17 位数字。');
  t.match(body, '有 1 行有问题，没有写入任何数据。');
});

t.test('the run fragment polls while checking and stops when settled', async (t) => {
  const { user, client } = await loggedIn(app, db, 'manager');
  const run = await db
    .insertInto('import_runs')
    .values({ kind: 'lawyers', status: 'checking', file_name: 'big.csv', total: 5000, processed: 1250, rows: '[]', created_by: user.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const frag = await client.get(`/imports/${run.id}`, { 'hx-request': 'true' });
  t.equal(frag.statusCode, 200);
  t.match(frag.body.trim(), /^<div id="run"/, 'only the fragment');
  t.match(frag.body, `hx-get="/imports/${run.id}" hx-trigger="every 1s"`, 'polls every second');
  t.match(frag.body, '<progress id="run-progress" max="5000" value="1250">');
  t.match(text(frag.body), '1,250 of 5,000 rows processed');
  t.match(frag.body, `<a href="/imports/${run.id}">Refresh</a>`, 'a link for browsers without JavaScript');

  const full = await client.get(`/imports/${run.id}`);
  t.match(full.body, '<html', 'the whole page without htmx');
  t.match(full.body, '<progress');

  // the process doing the check died: after two quiet minutes the run is failed
  await db.updateTable('import_runs').set({ updated_at: new Date(Date.now() - 3 * 60_000) }).where('id', '=', run.id).execute();
  const stale = await client.get(`/imports/${run.id}`, { 'hx-request': 'true' });
  t.notMatch(stale.body, 'hx-trigger', 'polling stops');
  t.match(text(stale.body), 'Failed');
  t.match(text(stale.body), 'The work was interrupted; nothing was written.');
});

t.test('problems with the file itself re-render the form', async (t) => {
  const cases: [string, string | Buffer, string][] = [
    ['no name column', csv([['执业证号', '地区'], [licence(), '511902']]), 'Required columns are missing: Name.'],
    ['no key column', csv([['姓名', '地区'], ['张三', '511902']]), 'Required columns are missing: Licence number.'],
    ['only a header', csv([HEADER]), 'The file is empty, or has column names but no data.'],
    ['an empty file', '', 'The file is empty'],
    ['a broken quote', '姓名,执业证号\r\n"张三,123\r\n', 'The file cannot be read as CSV'],
    ['a column twice', csv([['姓名', 'name', '执业证号'], ['a', 'b', licence()]]), 'The column "name" appears more than once.'],
  ];
  const runsBefore = await count(db, 'import_runs');
  for (const [label, content, message] of cases) {
    const res = await upload(mc, 'lawyers', content);
    t.equal(res.statusCode, 422, `${label}: 422`);
    t.match(text(res.body), message, `${label}: says why`);
    t.match(res.body, 'type="file"', `${label}: the form again`);
  }
  const none = await upload(mc, 'lawyers', '', { fileName: '' });
  t.equal(none.statusCode, 422);
  t.match(text(none.body), 'Choose the CSV file to upload.', 'no file chosen');

  const big = Buffer.alloc(5 * 1024 * 1024 + 10, 'a');
  const tooBig = await upload(mc, 'lawyers', big);
  t.equal(tooBig.statusCode, 422);
  t.match(text(tooBig.body), 'The file is larger than 5 MB');
  t.equal(await count(db, 'import_runs'), runsBefore, 'no run stored');
});

t.test('unknown columns are ignored and named; cancelling keeps nothing', async (t) => {
  const rows = [['序号', '姓名', '执业证号', '业务领域', '地区', '备注'], ['1', '周九', licence(), '刑事', '511902', 'x']];
  const { id, run, page } = await checked(mc, db, 'lawyers', csv(rows));
  t.same(run.ignored, ['序号', '备注']);
  t.match(text(page.body), 'These columns are not imported and were ignored: 序号、备注');
  t.match(text(page.body), 'Confirm import');
  const res = await mc.post(`/imports/${id}/cancel`);
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/lawyers');
  const list = await mc.get('/lawyers');
  t.match(text(list.body), 'Import cancelled; nothing was written.');
  const after = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  t.equal(after.status, 'cancelled');
  t.same(after.rows, [], 'the uploaded rows are not kept');
  t.equal((await mc.post(`/imports/${id}/confirm`)).statusCode, 303);
  t.equal((await db.selectFrom('import_runs').select('status').where('id', '=', id).executeTakeFirstOrThrow()).status, 'cancelled', 'a cancelled run cannot be confirmed');
});

t.test('the list pages link to the import', async (t) => {
  const lawyers = await mc.get('/lawyers');
  t.match(lawyers.body, 'href="/imports/new?kind=lawyers"');
  const volunteers = await mc.get('/volunteers');
  t.match(volunteers.body, 'href="/imports/new?kind=volunteers"');
  const form = await mc.get('/imports/new?kind=lawyers');
  t.equal(form.statusCode, 200);
  t.match(form.body, /action="\/imports\?kind=lawyers&amp;_csrf=[^"]+" enctype="multipart\/form-data"/, 'a real form that works without JavaScript');
  t.match(form.body, 'href="/imports/template.csv?kind=lawyers"');
  const template = await mc.get('/imports/template.csv?kind=lawyers');
  t.equal(template.statusCode, 200);
  t.match(String(template.headers['content-disposition']), 'attachment; filename="lawyers-template.csv"');
  t.equal(template.body, '\uFEFFName,Licence number,Law firm,Practice areas,Level,Region,Languages,Mobile,Email,Max open cases,Status\r\n');
  t.equal((await mc.get('/imports/new?kind=cases')).statusCode, 404, 'an unknown kind');
});
