// Writing: all or nothing, one audit entry per import, and importing the same
// file again updates (or leaves unchanged) instead of adding duplicates.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { text } from '../helpers/client.js';
import { auditEntries } from '../helpers/html.js';
import { checked, confirm, count, csv, licence, loggedIn, makeFirm, mobile } from './support.js';

const { app, db } = await buildTestApp(t);
await makeFirm(db, '巴中正义律师事务所');
const { user, client } = await loggedIn(app, db, 'manager');

const HEADER = ['姓名', '执业证号', '律所', '业务领域', '资质等级', '地区', '语言', '手机', '邮箱', '最多承办', '状态'];

t.test('lawyers: import, the same file again, then a changed file', async (t) => {
  const [a, b, c] = [licence(), licence(), licence()];
  const rows = [
    HEADER,
    ['郑一', a, '巴中正义律师事务所', '刑事、工伤', '2', '巴州区', '普通话', mobile(), 'zheng@example.cn', '6', '在岗'],
    ['郑二', b, '', '劳动争议', '1', '511903', '', '', '', '', ''],
    ['郑三', c, '巴中正义律师事务所', '交通事故', '3', '平昌县', '普通话、英语', '0827-5261234', '', '3', '停用'],
  ];
  const before = await count(db, 'lawyers');
  const first = await checked(client, db, 'lawyers', csv(rows), { fileName: 'first.csv' });
  t.match(first.run, { status: 'checked', created: 3, updated: 0, unchanged: 0, invalid: 0 });
  t.match(text(first.page.body), 'Confirming adds 3, updates 0 and leaves 0 unchanged');
  t.equal(await count(db, 'lawyers'), before, 'nothing is written before the confirm');

  const done = await confirm(client, db, first.id);
  t.match(done.run, { status: 'done', created: 3, updated: 0, unchanged: 0 });
  t.same(done.run.rows, [], 'the uploaded rows are not kept once written');
  t.match(text(done.page.body), 'Import finished: 3 added, 0 updated, 0 unchanged.');
  t.notMatch(done.page.body, 'hx-trigger', 'the finished run does not poll');
  t.equal(await count(db, 'lawyers'), before + 3);
  const zheng3 = await db.selectFrom('lawyers').selectAll().where('license_no', '=', c).executeTakeFirstOrThrow();
  t.match(zheng3, { phone: '0827-5261234', status: 'inactive', level: 3, region_code: '511923', max_open_cases: 3, languages: ['普通话', '英语'] });
  const zheng2 = await db.selectFrom('lawyers').selectAll().where('license_no', '=', b).executeTakeFirstOrThrow();
  t.match(zheng2, { organization_id: null, max_open_cases: 5, status: 'active', level: 1 }, 'empty cells of a new row take the defaults');

  const entries = await auditEntries(db, 'lawyers.imported');
  t.equal(entries.length, 1, 'one audit entry for the whole import');
  t.match(entries[0], { actor_id: user.id, entity: 'import_run', entity_id: String(first.id) });
  t.same(entries[0].after, { file: 'first.csv', total: 3, created: 3, updated: 0, unchanged: 0 }, 'counts and the file name, no row data');

  const again = await checked(client, db, 'lawyers', csv(rows));
  t.match(again.run, { created: 0, updated: 0, unchanged: 3, invalid: 0 }, 'the same file again: all unchanged');
  await confirm(client, db, again.id);
  t.equal(await count(db, 'lawyers'), before + 3, 'no duplicates');

  const changed = [...rows.slice(0, 3), ['郑三', c, '巴中正义律师事务所', '交通事故', '3', '平昌县', '普通话、英语', '13700000001', '', '3', '在岗'], ['郑四', licence(), '', '其他', '1', '511902', '', '', '', '', '']];
  const third = await checked(client, db, 'lawyers', csv(changed));
  t.match(third.run, { created: 1, updated: 1, unchanged: 2 });
  t.match(text(third.page.body), /Update 郑三 .*Changes: Mobile、Status/);
  const written = await confirm(client, db, third.id);
  t.match(written.run, { status: 'done', created: 1, updated: 1, unchanged: 2 });
  const after = await db.selectFrom('lawyers').selectAll().where('license_no', '=', c).executeTakeFirstOrThrow();
  t.match(after, { phone: '13700000001', status: 'active' });
  t.ok(after.updated_at > zheng3.updated_at, 'updated_at moves');
  t.equal(await count(db, 'lawyers'), before + 4);
});

t.test('a file with fewer columns changes only those columns', async (t) => {
  const no = licence();
  await db.insertInto('lawyers').values({ name: '冯五', license_no: no, practice_areas: ['medical'], level: 2, region_code: '511922', email: 'feng@example.cn' }).execute();
  const run = await checked(client, db, 'lawyers', csv([['执业证号', '姓名', '手机'], [no, '冯五', '13600000000']]));
  t.match(run.run, { updated: 1, created: 0, invalid: 0 });
  await confirm(client, db, run.id);
  const row = await db.selectFrom('lawyers').selectAll().where('license_no', '=', no).executeTakeFirstOrThrow();
  t.match(row, { phone: '13600000000', email: 'feng@example.cn', practice_areas: ['medical'], level: 2, region_code: '511922' });
});

t.test('the write checks again: a firm renamed after the check stops it', async (t) => {
  const firm = await makeFirm(db, '将要改名的律所');
  const no = licence();
  const run = await checked(client, db, 'lawyers', csv([HEADER, ['褚六', no, '将要改名的律所', '刑事', '1', '511902', '', '', '', '', '']]));
  t.match(run.run, { created: 1, invalid: 0 });
  await db.updateTable('organizations').set({ name: '已改名的律所' }).where('id', '=', firm.id).execute();
  const res = await confirm(client, db, run.id);
  t.match(res.run, { status: 'checked', invalid: 1, error: 'imports.err.stale' });
  t.match(text(res.page.body), 'The data changed after the check, and checking again found problems; nothing was written.');
  t.match(text(res.page.body), 'Law firm: No law firm or legal-service office is called 将要改名的律所.');
  t.notOk(await db.selectFrom('lawyers').select('id').where('license_no', '=', no).executeTakeFirst(), 'nothing written');
});

t.test('the write checks again: a lawyer added after the check becomes an update', async (t) => {
  const no = licence();
  const run = await checked(client, db, 'lawyers', csv([HEADER, ['卫七', no, '', '刑事', '2', '511902', '', '', '', '', '']]));
  t.match(run.run, { created: 1 });
  await db.insertInto('lawyers').values({ name: '卫七', license_no: no, practice_areas: ['labor'], level: 1, region_code: '511902' }).execute();
  const res = await confirm(client, db, run.id);
  t.match(res.run, { status: 'done', created: 0, updated: 1 });
  t.match(await db.selectFrom('lawyers').selectAll().where('license_no', '=', no).execute(), [{ practice_areas: ['criminal'], level: 2 }]);
});

t.test('volunteers: keyed by phone, or by email without one', async (t) => {
  const phone = mobile();
  const pending = await db
    .insertInto('volunteers')
    .values({ name: '蒋八', phone, region_code: '511902', status: 'pending', availability: JSON.stringify({ mon: ['am'] }), consent_at: new Date() })
    .returningAll()
    .executeTakeFirstOrThrow();
  const rows = [
    ['姓名', '手机', '邮箱', '地区', '特长', '语言'],
    ['蒋八', phone, 'jiang@example.cn', '巴州区', '法律咨询、调解', '普通话'],
    ['沈九', '', 'Shen@Example.cn', '511921', 'mediation', ''],
    ['韩十', mobile(), '', '南江县', '', '四川话'],
  ];
  const before = await count(db, 'volunteers');
  const first = await checked(client, db, 'volunteers', csv(rows));
  t.match(first.run, { created: 2, updated: 1, invalid: 0 });
  const done = await confirm(client, db, first.id);
  t.match(done.run, { status: 'done', created: 2, updated: 1 });
  t.equal(await count(db, 'volunteers'), before + 2);
  const jiang = await db.selectFrom('volunteers').selectAll().where('id', '=', pending.id).executeTakeFirstOrThrow();
  t.match(jiang, { email: 'jiang@example.cn', skills: ['consultation', 'mediation'], status: 'pending', availability: { mon: ['am'] } }, 'an update leaves status and availability alone');
  const shen = await db.selectFrom('volunteers').selectAll().where('name', '=', '沈九').executeTakeFirstOrThrow();
  t.match(shen, { phone: null, email: 'Shen@Example.cn', status: 'approved', skills: ['mediation'] });
  t.ok(shen.consent_at, 'registered by staff, like the form');
  t.equal((await auditEntries(db, 'volunteers.imported')).length, 1);

  const lower = rows.map((r) => (r[0] === '沈九' ? ['沈九', '', 'shen@example.cn', '511921', 'mediation', ''] : r));
  const again = await checked(client, db, 'volunteers', csv(lower));
  t.match(again.run, { created: 0, updated: 1, unchanged: 2, invalid: 0 }, 'matched by email regardless of case');
  await confirm(client, db, again.id);
  t.equal(await count(db, 'volunteers'), before + 2, 'no duplicates');

  const dup = await checked(client, db, 'volunteers', csv([rows[0], ['甲', phone, '', '511902', '', ''], ['乙', ` ${phone.slice(0, 3)} ${phone.slice(3)}`, '', '511902', '', ''], ['丙', '', '', '511902', '', '']]));
  t.match(dup.run, { invalid: 2 });
  t.match(text(dup.page.body), /3 Problem 乙 .*Mobile: Same as row 2\./, 'the same phone, however it is typed');
  t.match(text(dup.page.body), /4 Problem 丙 .*Give a mobile number or an email address/);
});
