// Consultation pages: recording one (and the messages when the input is wrong),
// the list with its filters and counts per channel, the link to the case it
// became, and who may see any of it.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeCase } from '../helpers/cases.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { addDays } from '../../src/lib/workdays.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const station = await makeOrganization(db, { kind: 'workstation', name: '曾口镇司法所法律援助工作站' });
const c = new Client(app);
await c.login(manager.email);

const valid = {
  on: today(),
  channel: 'hotline',
  organizationId: '',
  regionCode: '511902',
  topic: 'labor',
  personName: '',
  phone: '',
  question: '工地老板拖欠三个月工资，怎么办？',
  advice: '可申请劳动仲裁，符合条件可申请法律援助。',
};
const count = async () => (await db.selectFrom('consultations').select('id').execute()).length;

t.test('a manager records a consultation and sees it listed with counts per channel', async (t) => {
  await c.get('/consultations/new');
  const res = await c.post('/consultations', valid);
  t.equal(res.statusCode, 303, text(res.body).slice(0, 1000));
  const row = await db.selectFrom('consultations').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
  t.equal(res.headers.location, `/consultations/${row.id}`);
  t.equal(row.person_name, null, 'an anonymous caller');
  t.equal(row.became_application, false);
  const page = text((await c.get(`/consultations/${row.id}`)).body);
  t.match(page, 'Consultation recorded.');
  t.match(page, '12348 hotline');
  t.match(page, 'anonymous');
  t.match(page, 'No case yet');
  t.equal((await auditEntries(db, 'consultation.created')).length, 1, 'audited');

  await c.get('/consultations/new');
  t.equal((await c.post('/consultations', { ...valid, channel: 'workstation', organizationId: String(station.id), personName: '李四', phone: '138 0000 1111' })).statusCode, 303);
  await c.get('/consultations/new');
  t.equal((await c.post('/consultations', { ...valid, channel: 'hotline', topic: 'family' })).statusCode, 303);

  const list = await c.get('/consultations');
  t.equal(list.statusCode, 200);
  const counts = /<ul class="stats channel-counts">([\s\S]*?)<\/ul>/.exec(list.body)?.[1] ?? '';
  t.match(text(counts), '2 12348 hotline');
  t.match(text(counts), '1 Workstation');
  t.match(text(counts), '0 Walk-in');
  t.match(text(list.body), '3 consultations');
  t.match(text(list.body), '曾口镇司法所法律援助工作站');
  t.match(text(list.body), '李四');

  // filters: the list narrows; the counts keep every channel of the filtered period
  const byChannel = text((await c.get('/consultations?channel=workstation')).body);
  t.match(byChannel, /\b1 consultation(?!s)/);
  t.match(byChannel, '2 12348 hotline', 'counts stay across channels');
  t.match(text((await c.get('/consultations?topic=family')).body), /\b1 consultation(?!s)/);
  t.match(text((await c.get(`/consultations?from=${addDays(today(), 1)}`)).body), 'No consultations match.');
  t.match(text((await c.get(`/consultations?from=${today()}&to=${today()}`)).body), '3 consultations');
  t.match(text((await c.get('/consultations?became=1')).body), 'No consultations match.');

  const fragment = await c.get('/consultations?channel=hotline', { 'hx-request': 'true' });
  t.notMatch(fragment.body, '<html', 'htmx gets the fragment only');
  t.match(fragment.body, 'id="results"');
  t.equal(fragment.headers.vary, 'HX-Request');
});

t.test('bad input: messages next to the fields, input kept, nothing saved', async (t) => {
  const before = await count();
  await c.get('/consultations/new');
  const res = await c.post('/consultations', { ...valid, channel: 'fax', question: '', phone: '12345', topic: 'astrology', on: addDays(today(), 2), personName: '王五' });
  t.equal(res.statusCode, 422);
  t.equal(field(res.body, 'channel').error, 'Choose one from the list.');
  t.equal(field(res.body, 'topic').error, 'Choose one from the list.');
  t.equal(field(res.body, 'phone').error, 'Enter a valid phone number.');
  t.equal(field(res.body, 'on').error, 'The date cannot be after today.');
  t.ok(field(res.body, 'phone').invalid);
  t.equal(field(res.body, 'personName').value, '王五', 'what was typed is kept');
  t.match(res.body, /<textarea id="f-question"[^>]*aria-invalid="true"/);
  t.match(text(res.body), 'This field is required.');
  t.equal(await count(), before, 'nothing saved');
  t.equal((await auditEntries(db, 'consultation.created')).length, 3, 'nothing audited');
});

t.test('"became an application" goes on to the case form, and the case shows on the consultation', async (t) => {
  await c.get('/consultations/new');
  const res = await c.post('/consultations', { ...valid, becameApplication: '1', personName: '赵六' });
  t.equal(res.statusCode, 303);
  const row = await db.selectFrom('consultations').selectAll().orderBy('id', 'desc').executeTakeFirstOrThrow();
  t.equal(res.headers.location, `/cases/new?consultation=${row.id}`);
  t.equal(row.became_application, true);

  const kase = await makeCase(db, { consultationId: row.id, applicantName: '赵六' });
  const page = await c.get(`/consultations/${row.id}`);
  t.match(page.body, `<a href="/cases/${kase.id}">${kase.number}</a>`, 'links the case by number');
  t.match(text((await c.get('/consultations?became=1')).body), kase.number);
});

t.test('only managers: lawyers and auditors are refused, unknown ids are 404', async (t) => {
  const { user: lawyer } = await makeLawyerUser(db);
  const auditor = await makeUser(db, 'auditor');
  const admin = await makeUser(db, 'admin');
  const id = (await db.selectFrom('consultations').select('id').executeTakeFirstOrThrow()).id;
  for (const u of [lawyer, auditor, admin]) {
    const other = new Client(app);
    await other.login(u.email);
    for (const url of ['/consultations', '/consultations/new', `/consultations/${id}`]) t.equal((await other.get(url)).statusCode, 403, `${u.role} ${url}`);
    t.notMatch((await other.get('/')).body, 'href="/consultations"', `no menu entry for ${u.role}`);
  }
  t.match((await c.get('/')).body, 'href="/consultations"', 'the manager has the menu entry');
  t.equal((await c.get('/consultations/999999')).statusCode, 404);
  t.equal((await c.get('/consultations/abc')).statusCode, 404);
  t.equal((await new Client(app).get('/consultations')).statusCode, 303, 'anonymous: to the login');
});
