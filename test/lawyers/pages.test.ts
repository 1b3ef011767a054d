import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { field } from '../helpers/html.js';
import { makeLawyer, makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';

t.test('lawyer pages', async (t) => {
  const { app, db } = await buildTestApp(t);
  const manager = await makeUser(db, 'manager');
  const firm = await makeOrganization(db, { kind: 'law_firm', name: '四川测试律师事务所' });
  const c = new Client(app);
  await c.login(manager.email);

  const valid = {
    name: '张明',
    licenseNo: '15119 2020 1000 0012',
    organizationId: String(firm.id),
    practiceAreas: ['criminal', 'juvenile'],
    level: '3',
    regionCode: '511902',
    languages: '普通话，四川话',
    phone: '138 1234 5678',
    email: 'zhang@example.cn',
    maxOpenCases: '6',
    status: 'active',
  };

  t.test('create: normalised input is stored and audited', async (t) => {
    await c.get('/lawyers/new');
    const res = await c.post('/lawyers', valid);
    t.equal(res.statusCode, 303, text(res.body).slice(0, 2000));
    const row = await db.selectFrom('lawyers').selectAll().where('license_no', '=', '15119202010000012').executeTakeFirst();
    t.ok(row, 'licence number stored without spaces');
    t.same(row!.practice_areas, ['criminal', 'juvenile']);
    t.same(row!.languages, ['普通话', '四川话'], 'full-width comma splits languages');
    t.equal(row!.phone, '13812345678');
    t.equal(res.headers.location, `/lawyers/${row!.id}`);
    const page = await c.get(res.headers.location as string);
    t.match(text(page.body), 'Lawyer added.');
    t.match(text(page.body), 'Criminal、Juveniles');
    const log = await db.selectFrom('audit_log').selectAll().where('action', '=', 'lawyer.created').where('entity_id', '=', String(row!.id)).executeTakeFirst();
    t.ok(log, 'audited');
  });

  t.test('validation: messages next to the fields, input kept, nothing written', async (t) => {
    await makeLawyer(db, { licenseNo: '15119202099999999' });
    const before = await db.selectFrom('lawyers').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    await c.get('/lawyers/new');
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ licenseNo: '15119202099999999' }, 'licenseNo', 'That licence number is already registered.'],
      [{ licenseNo: '1234' }, 'licenseNo', 'A licence number has 17 digits.'],
      [{ phone: '12345' }, 'phone', 'Enter a valid phone number.'],
      [{ regionCode: '999999' }, 'regionCode', 'Unknown region code.'],
      [{ email: 'not-an-email' }, 'email', 'Enter a valid email address.'],
      [{ maxOpenCases: '-3' }, 'maxOpenCases', 'Enter a whole number from 0 to 50.'],
      [{ name: '' }, 'name', 'This field is required.'],
    ];
    for (const [change, name, message] of cases) {
      const res = await c.post('/lawyers', { ...valid, licenseNo: '15119202011111111', ...change });
      t.equal(res.statusCode, 422, `${name} refused`);
      const f = field(res.body, name);
      t.equal(f.error, message, `${name}: message next to the field`);
      t.ok(f.invalid, `${name}: marked invalid`);
      t.equal(field(res.body, 'email').value, change.email ?? valid.email, 'input kept');
    }
    const after = await db.selectFrom('lawyers').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    t.equal(Number(after.n), Number(before.n), 'nothing created');
  });

  t.test('edit, leave and conflicts', async (t) => {
    const lawyer = await makeLawyer(db, { name: '李华', organizationId: firm.id });
    await c.get(`/lawyers/${lawyer.id}/edit`);
    const res = await c.post(`/lawyers/${lawyer.id}`, { ...valid, name: '李华', licenseNo: lawyer.license_no, level: '1', status: 'on_leave' });
    t.equal(res.statusCode, 303);
    const row = await db.selectFrom('lawyers').selectAll().where('id', '=', lawyer.id).executeTakeFirstOrThrow();
    t.equal(row.level, 1);
    t.equal(row.status, 'on_leave');
    const log = await db.selectFrom('audit_log').selectAll().where('action', '=', 'lawyer.updated').where('entity_id', '=', String(lawyer.id)).executeTakeFirstOrThrow();
    t.match(log.before, { level: 2, status: 'active' }, 'before recorded');
    t.match(log.after, { level: 1, status: 'on_leave' }, 'after recorded');

    await c.get(`/lawyers/${lawyer.id}`);
    const bad = await c.post(`/lawyers/${lawyer.id}/leaves`, { startsOn: '2026-12-10', endsOn: '2026-12-01' });
    t.equal(bad.statusCode, 422);
    t.equal(field(bad.body, 'endsOn').error, 'The end date cannot be before the start date.');
    t.equal(await db.selectFrom('lawyer_leaves').select('id').where('lawyer_id', '=', lawyer.id).execute().then((r) => r.length), 0);
    const ok = await c.post(`/lawyers/${lawyer.id}/leaves`, { startsOn: '2026-12-01', endsOn: '2026-12-10', reason: '病假' });
    t.equal(ok.statusCode, 303);
    const page = await c.get(`/lawyers/${lawyer.id}`);
    t.match(text(page.body), '1 Dec 2026');
    t.match(text(page.body), '病假');

    const conflict = await c.post(`/lawyers/${lawyer.id}/conflicts`, { party: '巴中某建筑公司', partyKind: 'organization' });
    t.equal(conflict.statusCode, 303);
    const stored = await db.selectFrom('lawyer_conflicts').selectAll().where('lawyer_id', '=', lawyer.id).execute();
    t.same(stored.map((x) => [x.party, x.party_kind]), [['巴中某建筑公司', 'organization']]);
    await c.get(`/lawyers/${lawyer.id}`);
    await c.post(`/lawyers/${lawyer.id}/conflicts/${stored[0].id}/delete`);
    t.equal(await db.selectFrom('lawyer_conflicts').select('id').where('lawyer_id', '=', lawyer.id).execute().then((r) => r.length), 0, 'removed');
  });

  t.test('list: search, filters, sort, paging, and the htmx fragment', async (t) => {
    const other = await makeOrganization(db, { kind: 'law_firm', regionCode: '511923' });
    for (let i = 0; i < 55; i++) await makeLawyer(db, { name: `赵${String(i).padStart(2, '0')}`, organizationId: other.id, regionCode: '511923', practiceAreas: i % 2 ? ['labor'] : ['family'] });
    const page = await c.get('/lawyers?q=%E8%B5%B5');
    t.equal(page.statusCode, 200);
    t.match(page.body, '<html', 'full page without htmx');
    t.match(text(page.body), '55 lawyers');
    t.match(page.body, 'rel="next"', 'a second page');
    const frag = await c.get('/lawyers?q=%E8%B5%B5&area=labor', { 'hx-request': 'true' });
    t.notMatch(frag.body, '<html', 'fragment only');
    t.match(frag.body, 'id="results"');
    t.equal(frag.headers.vary, 'HX-Request');
    t.match(text(frag.body), '27 lawyers');
    const sorted = await c.get('/lawyers?q=%E8%B5%B5&sort=name&page=2');
    t.match(text(sorted.body), '赵50');
    t.notMatch(text(sorted.body), '赵00', 'page 2 starts after the first 50');
    const region = await c.get('/lawyers?region=511923&status=on_leave');
    t.match(text(region.body), 'No lawyers match.');
  });

  t.test('who may do what', async (t) => {
    const { lawyer: own, user: lawyerUser } = await makeLawyerUser(db, { name: '自己', organizationId: firm.id });
    const otherLawyer = await makeLawyer(db, { name: '别人', organizationId: firm.id });
    const l = new Client(app);
    await l.login(lawyerUser.email);
    t.equal((await l.get('/lawyers')).statusCode, 403, 'a lawyer cannot list lawyers');
    t.equal((await l.get(`/lawyers/${otherLawyer.id}`)).statusCode, 404, 'nor see another lawyer');
    t.equal((await l.get(`/lawyers/${otherLawyer.id}/edit`)).statusCode, 403);
    t.equal((await l.get('/volunteers')).statusCode, 403, 'nor the volunteer list');
    const mine = await l.get('/profile');
    t.equal(mine.headers.location, `/lawyers/${own.id}`);
    await l.get(`/lawyers/${own.id}`);
    const edit = await l.post(`/lawyers/${otherLawyer.id}`, { ...valid, name: 'hacked', licenseNo: otherLawyer.license_no });
    t.equal(edit.statusCode, 403);
    const self = await l.post('/profile/lawyer', { phone: '13900001111', email: 'me@example.cn', languages: '普通话', name: 'renamed', level: '3' });
    t.equal(self.statusCode, 303);
    const row = await db.selectFrom('lawyers').selectAll().where('id', '=', own.id).executeTakeFirstOrThrow();
    t.equal(row.phone, '13900001111', 'own contact details changed');
    t.equal(row.name, '自己', 'but not the name');
    t.equal(row.level, 2, 'nor the level');
    t.equal((await db.selectFrom('lawyers').select('name').where('id', '=', otherLawyer.id).executeTakeFirstOrThrow()).name, '别人');

    const { user: volunteerUser } = await makeVolunteerUser(db);
    const v = new Client(app);
    await v.login(volunteerUser.email);
    t.equal((await v.get('/lawyers')).statusCode, 403, 'a volunteer cannot see the lawyer list');
    t.equal((await v.get(`/lawyers/${own.id}`)).statusCode, 403);

    const auditor = await makeUser(db, 'auditor');
    const a = new Client(app);
    await a.login(auditor.email);
    t.equal((await a.get('/lawyers')).statusCode, 200, 'an auditor reads the list');
    await a.get(`/lawyers/${own.id}`);
    const write = await a.post(`/lawyers/${own.id}`, { ...valid, name: 'x', licenseNo: own.license_no });
    t.equal(write.statusCode, 403, 'but cannot write');
    const leave = await a.post(`/lawyers/${own.id}/leaves`, { startsOn: '2026-12-01', endsOn: '2026-12-02' });
    t.equal(leave.statusCode, 403);
    t.equal(await db.selectFrom('lawyer_leaves').select('id').where('lawyer_id', '=', own.id).execute().then((r) => r.length), 0);
  });
});
