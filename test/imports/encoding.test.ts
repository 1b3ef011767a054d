// Files as offices save them from Excel: GB18030/GBK ("CSV (comma delimited)"
// on a Chinese Windows), UTF-8 with a BOM ("CSV UTF-8"), UTF-8 without one,
// and UTF-16 tab-separated ("Unicode text").
import t from 'tap';
import iconv from 'iconv-lite';
import { buildTestApp } from '../helpers/app.js';
import { decodeCsv } from '../../src/lib/csv.js';
import { BOM, checked, confirm, csv, licence, loggedIn, makeFirm, mobile } from './support.js';

const { app, db } = await buildTestApp(t);
await makeFirm(db, '四川巴山律师事务所');
const { client } = await loggedIn(app, db, 'manager');

const HEADER = ['姓名', '执业证号', '律所', '业务领域', '资质等级', '地区', '语言', '手机', '状态'];

t.test('decoding: a BOM decides, else strict UTF-8, else GB18030', async (t) => {
  const text = '姓名,地区\r\n张三,巴州区\r\n';
  t.same(decodeCsv(Buffer.from(BOM + text, 'utf8')), { text, encoding: 'utf-8' });
  t.same(decodeCsv(Buffer.from(text, 'utf8')), { text, encoding: 'utf-8' });
  t.same(decodeCsv(iconv.encode(text, 'gb18030')), { text, encoding: 'gb18030' });
  t.same(decodeCsv(iconv.encode(text, 'gbk')), { text, encoding: 'gb18030' }, 'GBK is a subset of GB18030');
  t.same(decodeCsv(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])), { text, encoding: 'utf-16le' });
});

t.test('a GB18030 file is read and written correctly', async (t) => {
  const no = licence();
  const rows = [HEADER, ['欧阳娜', no, '四川巴山律师事务所', '婚姻家庭、继承', '3', '通江县', '普通话、四川话', mobile(), '休假']];
  const { id, run, page } = await checked(client, db, 'lawyers', iconv.encode(csv(rows), 'gb18030'), { fileName: '律师名单.csv' });
  t.match(run, { status: 'checked', total: 1, created: 1, invalid: 0, file_name: '律师名单.csv' });
  t.match(page.body, '欧阳娜', 'the names come out right');
  t.match(page.body, 'Import: 律师名单.csv', 'a Chinese file name survives the upload');
  await confirm(client, db, id);
  const lawyer = await db.selectFrom('lawyers').selectAll().where('license_no', '=', no).executeTakeFirstOrThrow();
  t.match(lawyer, { name: '欧阳娜', practice_areas: ['family', 'inheritance'], level: 3, region_code: '511921', languages: ['普通话', '四川话'], status: 'on_leave' });
});

t.test('UTF-8 with a BOM, and without', async (t) => {
  const a = licence();
  const b = licence();
  const withBom = await checked(client, db, 'lawyers', BOM + csv([HEADER, ['林一', a, '', '刑事', '1', '511902', '', '', '在岗']]));
  t.match(withBom.run, { status: 'checked', created: 1, invalid: 0 });
  t.same(withBom.run.fields.slice(0, 2), ['name', 'licenseNo'], 'the BOM does not stick to the first header');
  const plain = await checked(client, db, 'lawyers', csv([HEADER, ['林二', b, '', '刑事', '1', '511902', '', '', '在岗']]));
  t.match(plain.run, { status: 'checked', created: 1, invalid: 0 });
});

t.test('English headers and codes; Excel "Unicode text" (UTF-16, tabs)', async (t) => {
  const english = await checked(
    client,
    db,
    'lawyers',
    csv([
      ['name', 'licenseNo', 'organization', 'practiceAreas', 'level', 'regionCode', 'languages', 'phone', 'email', 'maxOpenCases', 'status'],
      ['Li Lei', licence(), '四川巴山律师事务所', 'criminal; labor', '2', '511902', 'Mandarin', '', 'li@example.cn', '7', 'active'],
      ['Han Meimei', licence(), '', 'Traffic accidents', '1', 'Nanjiang County', '', '', '', '', 'On leave'],
    ]),
  );
  t.match(english.run, { status: 'checked', created: 2, invalid: 0 });
  const tabs = ['姓名\t执业证号\t业务领域\t地区', `韩梅\t${licence()}\t刑事\t恩阳区`].join('\r\n');
  const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(tabs, 'utf16le')]);
  const unicode = await checked(client, db, 'lawyers', utf16);
  t.match(unicode.run, { status: 'checked', created: 1, invalid: 0 });
});
