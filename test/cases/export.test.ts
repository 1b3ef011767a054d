// GET /cases.csv: the /cases filters, labels in the reader's language, a BOM for
// Excel, ID numbers masked (never the full one), managers only, audited.
import t from 'tap';
import { parse } from 'csv-parse/sync';
import { buildTestApp } from '../helpers/app.js';
import { Client } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries } from '../helpers/html.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeAcceptedCase, makeCase, makeIdNumber, TEST_ACTOR } from '../helpers/cases.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { maskIdNumber } from '../../src/lib/idnumber.js';

const BOM = '\uFEFF';
const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const en = new Client(app);
await en.login(manager.email);
const zh = new Client(app, { 'accept-language': 'zh-CN' });
await zh.login(manager.email);

const ids = [makeIdNumber('19750203', '511921', '417'), makeIdNumber('19900712', '511902', '088'), makeIdNumber('19601111', '511923', '231')];
const { lawyer } = await makeLawyerUser(db, { name: '承办律师甲' });
const green = await makeCase(db, { applicantName: '绿色通道申请人', applicantIdNumber: ids[0], priorityGroups: ['migrant_worker'], regionCode: '511921' });
const granted = await makeCase(db, { applicantName: '已批准申请人', applicantIdNumber: ids[1] });
await decide(db, TEST_ACTOR, granted.id, { granted: true, reason: null });
const accepted = await makeAcceptedCase(db, { applicantName: '=HYPERLINK("x")', applicantIdNumber: ids[2], kind: 'criminal', category: 'criminal' }, lawyer.id);

function records(body: string): string[][] {
  if (!body.startsWith(BOM)) throw new Error('no BOM');
  return parse(body.slice(1), { relax_column_count: true });
}

t.test('a manager gets every matching case, labelled, with the ID number masked', async (t) => {
  const res = await en.get('/cases.csv');
  t.equal(res.statusCode, 200);
  t.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
  t.match(res.headers['content-disposition'], /^attachment; filename="cases-\d{4}-\d{2}-\d{2}\.csv"$/);
  t.equal(res.headers['cache-control'], 'no-store');
  t.ok(res.body.startsWith(BOM), 'UTF-8 with a BOM');
  const rows = records(res.body);
  t.same(rows[0], ['Case number', 'Status', 'Applicant', 'ID number (masked)', 'Kind', 'Category', 'Region', 'Green channel', 'Emergency aid', 'Possible life or death sentence', 'Applied on', 'Due on', 'Lawyer']);
  t.equal(rows.length, 4, 'three cases');
  t.same(rows[1].slice(0, 4), [green.number, 'Under review', '绿色通道申请人', maskIdNumber(ids[0])], 'green channel first');
  t.equal(rows[1][7], 'Yes');
  for (const id of ids) {
    t.notMatch(res.body, id, 'never the full ID number');
    t.match(res.body, maskIdNumber(id), 'the masked one');
  }
  const crim = rows.find((r) => r[0] === accepted.number)!;
  t.equal(crim[2], `'=HYPERLINK("x")`, 'a formula-like name is defused');
  t.equal(crim[4], 'Criminal');
  t.equal(crim[9], 'No', 'not flagged as a possible life or death sentence');
  t.equal(crim[12], '承办律师甲');

  const zhRows = records((await zh.get('/cases.csv')).body);
  t.equal(zhRows[0][0], '案号', 'headers in the reader’s language');
  t.equal(zhRows.find((r) => r[0] === granted.number)![1], '已批准待指派');
  t.equal(zhRows[1][6], '通江县');
});

t.test('the /cases filters apply', async (t) => {
  const numbers = async (q: string) => records((await en.get(`/cases.csv?${q}`)).body).slice(1).map((r) => r[0]);
  t.same(await numbers('status=granted'), [granted.number]);
  t.same(await numbers('queue=handling'), [accepted.number]);
  t.same(await numbers('green=1'), [green.number]);
  t.same(await numbers('kind=criminal'), [accepted.number]);
  t.same(await numbers('region=511921'), [green.number]);
  t.same(await numbers('q=' + encodeURIComponent('已批准')), [granted.number]);
  t.same(await numbers('emergency=1'), []);
  const entries = await auditEntries(db, 'case.exported');
  const last = entries.at(-1)!;
  t.same(last.after, { filter: { emergency: true }, rows: 0 }, 'audited with the filter and row count');
  t.equal(last.actor_id, manager.id);
  t.same(entries[0].after, { filter: {}, rows: 3 });
});

t.test('lawyers, auditors and admins are refused', async (t) => {
  const before = (await auditEntries(db, 'case.exported')).length;
  const { user } = await makeLawyerUser(db);
  for (const u of [user, await makeUser(db, 'auditor'), await makeUser(db, 'admin')]) {
    const c = new Client(app);
    await c.login(u.email);
    const res = await c.get('/cases.csv');
    t.equal(res.statusCode, 403, u.role);
    t.notMatch(res.body, '绿色通道申请人');
  }
  t.equal((await new Client(app).get('/cases.csv')).statusCode, 303, 'anonymous: to the login');
  t.equal((await auditEntries(db, 'case.exported')).length, before, 'a refused export is no export');
});

t.test('the queue links to the export of what it shows; a lawyer has no such link', async (t) => {
  const page = (await en.get('/cases?queue=decided&green=1')).body;
  t.match(page, /href="\/cases\.csv\?green=1&amp;queue=decided"/, 'the export carries the filters and the queue');
  const { user } = await makeLawyerUser(db);
  const l = new Client(app);
  await l.login(user.email);
  t.notMatch((await l.get('/cases')).body, /cases\.csv/, 'no export link for a lawyer');
});
