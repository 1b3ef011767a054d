// A 5,000-row file is checked and written in the background while the run page
// reports progress; the write is one transaction.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { auditEntries } from '../helpers/html.js';
import { count, csv, licence, loggedIn, makeFirm, runIdOf, settled, upload } from './support.js';

const ROWS = 5000;
const { app, db } = await buildTestApp(t);
await makeFirm(db, '巴中大成律师事务所');
const { client } = await loggedIn(app, db, 'manager');

t.test(`${ROWS} rows: checked, confirmed, written`, async (t) => {
  const areas = ['刑事', '劳动争议', '工伤、交通事故', 'family', '社会保障'];
  const regions = ['巴州区', '恩阳区', '511921', '南江县', '平昌县'];
  const rows = [['姓名', '执业证号', '律所', '业务领域', '资质等级', '地区', '语言', '手机', '邮箱', '最多承办', '状态']];
  for (let i = 0; i < ROWS; i++) {
    rows.push([`批量律师${i}`, licence(), i % 3 ? '巴中大成律师事务所' : '', areas[i % 5], String((i % 3) + 1), regions[i % 5], '普通话', `13${String(100000000 + i)}`, `bulk${i}@example.cn`, String(i % 10), i % 7 ? '在岗' : '休假']);
  }
  const file = csv(rows);
  t.comment(`file: ${(Buffer.byteLength(file) / 1024).toFixed(0)} KiB`);
  const before = await count(db, 'lawyers');

  const started = Date.now();
  const res = await upload(client, 'lawyers', file, { fileName: 'bulk.csv' });
  const id = runIdOf(res);
  const uploaded = Date.now();
  t.comment(`upload answered in ${uploaded - started} ms`);
  const seen: number[] = [];
  let page = await client.get(`/imports/${id}`, { 'hx-request': 'true' });
  while (page.body.includes('hx-trigger="every 1s"')) {
    const m = /<progress id="run-progress" max="(\d+)" value="(\d+)">/.exec(page.body);
    if (m) seen.push(Number(m[2]));
    await new Promise((resolve) => setTimeout(resolve, 25));
    page = await client.get(`/imports/${id}`, { 'hx-request': 'true' });
  }
  const checkedAt = Date.now();
  t.comment(`checked in ${checkedAt - uploaded} ms; progress seen: ${seen.join(', ')}`);
  t.same(seen, [...seen].sort((a, b) => a - b), 'progress only goes forward');
  const run = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  t.match(run, { status: 'checked', total: ROWS, processed: ROWS, created: ROWS, invalid: 0 });
  t.equal(await count(db, 'lawyers'), before, 'nothing written yet');

  const c = await client.post(`/imports/${id}/confirm`);
  t.equal(c.statusCode, 303);
  // on PostgreSQL progress shows while the transaction runs; PGlite has one connection, held by it
  const writing: number[] = [];
  for (;;) {
    const frag = await client.get(`/imports/${id}`, { 'hx-request': 'true' });
    const m = /<progress id="run-progress" max="\d+" value="(\d+)">/.exec(frag.body);
    if (!m) break;
    writing.push(Number(m[1]));
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  t.same(writing, [...writing].sort((a, b) => a - b), 'write progress only goes forward');
  const done = await settled(client, db, id, 60_000);
  const writtenAt = Date.now();
  t.comment(`written in ${writtenAt - checkedAt} ms; total ${writtenAt - started} ms; write progress seen: ${writing.join(', ')}`);
  t.match(done.run, { status: 'done', created: ROWS, updated: 0, unchanged: 0 });
  t.equal(await count(db, 'lawyers'), before + ROWS, 'every row written');
  const sample = await db.selectFrom('lawyers').selectAll().where('name', '=', '批量律师4322').executeTakeFirstOrThrow();
  t.match(sample, { practice_areas: ['work_injury', 'traffic'], level: 3, region_code: '511921', phone: '13100004322', max_open_cases: 2, status: 'active' });
  t.same((await auditEntries(db, 'lawyers.imported')).map((e) => e.after), [{ file: 'bulk.csv', total: ROWS, created: ROWS, updated: 0, unchanged: 0 }]);
  t.ok(writtenAt - started < 30_000, 'under 30 seconds');
});
