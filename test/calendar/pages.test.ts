// The calendar page: the admin adds, changes and removes days (audited, checked
// against the weekday), the calculator follows, managers only read, others are out.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeLawyerUser } from '../helpers/people.js';

t.test('calendar pages', async (t) => {
  const { app, db } = await buildTestApp(t);
  const admin = await makeUser(db, 'admin');
  const c = new Client(app);
  await c.login(admin.email);
  const dayRow = (day: string) => db.selectFrom('calendar_days').selectAll().where('day', '=', day).executeTakeFirst();

  t.test('the year: its days, working-day count and navigation', async (t) => {
    const res = await c.get('/calendar?year=2026');
    t.equal(res.statusCode, 200);
    const page = text(res.body);
    t.match(page, '248 working days in 2026');
    t.match(page, '28 Feb 2026 Saturday Make-up workday 春节补班 State Council schedule');
    t.match(page, '1 Oct 2026 Thursday Holiday 国庆节');
    t.match(res.body, 'href="/calendar?year=2027"');
    t.match(res.body, 'href="/calendar?year=2025"');
    t.match(res.body, 'href="/calendar"', 'in the navigation');
    t.match(res.body, 'href="/policies"');
    const next = text((await c.get('/calendar?year=2027')).body);
    t.match(next, '5 Feb 2027 Friday Holiday 春节 Statutory holiday');
    const empty = text((await c.get('/calendar?year=2030')).body);
    t.match(empty, 'No holidays entered for 2030');
    t.match(empty, '261 working days in 2030');
    t.equal((await c.get('/calendar?year=abc')).statusCode, 200, 'a bad year shows the current one');
  });

  t.test('the calculator, with and without htmx, and an admin’s holiday moving its answer', async (t) => {
    const plain = await c.get('/calendar?year=2026&from=2026-11-02&n=3');
    t.match(plain.body, '<html', 'a whole page without JavaScript');
    t.match(text(plain.body), '3 working days after 2 Nov 2026 (Monday) is 5 Nov 2026 (Thursday).');
    const frag = await c.get('/calendar?year=2026&from=2026-09-28&n=7', { 'hx-request': 'true' });
    t.notMatch(frag.body, '<html', 'htmx gets the calculator only');
    t.match(frag.body, 'id="calc"');
    t.match(text(frag.body), '7 working days after 28 Sept 2026 (Monday) is 13 Oct 2026 (Tuesday).');
    const bad = await c.get('/calendar?year=2026&from=2026-02-30&n=x');
    t.equal(bad.statusCode, 422);
    t.equal(field(bad.body, 'from').error, 'Enter a valid date (YYYY-MM-DD).');
    t.equal(field(bad.body, 'n').error, 'Enter a whole number from 0 to 250.');
    const late = await c.get('/calendar?from=2027-12-20&n=20');
    t.match(text(late.body), 'No holidays are entered for 2028', 'a year nobody entered is flagged');

    await c.get('/calendar?year=2026');
    const res = await c.post('/calendar/days', { day: '2026-11-04', kind: 'holiday', name: '地方假日' });
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/calendar?year=2026');
    t.match(text((await c.get('/calendar?year=2026')).body), '4 Nov 2026 is now a holiday.');
    const after = await c.get('/calendar?year=2026&from=2026-11-02&n=3');
    t.match(text(after.body), '3 working days after 2 Nov 2026 (Monday) is 6 Nov 2026 (Friday).', 'the answer moved by a day');
    t.match(text(after.body), '247 working days in 2026');
    t.match(await dayRow('2026-11-04'), { kind: 'holiday', name: '地方假日', source: 'admin' });
    const [log] = await auditEntries(db, 'calendar.day_set');
    t.match(log, { entity: 'calendar', entity_id: '2026-11-04', before: null, after: { day: '2026-11-04', kind: 'holiday', name: '地方假日' } });
  });

  t.test('refused: a holiday on a Saturday, a workday on a weekday, a date that does not exist', async (t) => {
    const before = await db.selectFrom('calendar_days').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const audits = (await auditEntries(db, 'calendar.day_set')).length;
    await c.get('/calendar?year=2026');
    const sat = await c.post('/calendar/days', { day: '2026-11-07', kind: 'holiday', name: '周六' });
    t.equal(sat.statusCode, 422);
    const f = field(sat.body, 'day');
    t.equal(f.error, 'That day is a Saturday or Sunday, already a day off: only a weekday (Monday to Friday) can be a holiday.');
    t.ok(f.invalid);
    t.equal(f.value, '2026-11-07', 'the input is kept');
    t.equal(field(sat.body, 'name').value, '周六');
    t.match(text(sat.body), 'Please correct the marked fields');
    const wed = await c.post('/calendar/days', { day: '2026-11-11', kind: 'workday' });
    t.equal(wed.statusCode, 422);
    t.match(field(wed.body, 'day').error, 'only a Saturday or Sunday can be a make-up workday');
    t.equal(field(wed.body, 'kind').value, 'workday');
    const feb = await c.post('/calendar/days', { day: '2026-02-30', kind: 'holiday' });
    t.equal(field(feb.body, 'day').error, 'Enter a valid date (YYYY-MM-DD).');
    const kind = await c.post('/calendar/days', { day: '2026-11-12', kind: 'party' });
    t.equal(field(kind.body, 'kind').error, 'Choose one from the list.');
    const after = await db.selectFrom('calendar_days').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    t.equal(Number(after.n), Number(before.n), 'nothing saved');
    t.equal((await auditEntries(db, 'calendar.day_set')).length, audits, 'nothing audited');
  });

  t.test('change a seeded day, then remove it', async (t) => {
    const edit = await c.get('/calendar?year=2026&edit=2026-10-07');
    t.equal(field(edit.body, 'day').value, '2026-10-07', 'the edit link fills the form');
    t.equal(field(edit.body, 'name').value, '国庆节');
    await c.post('/calendar/days', { day: '2026-10-07', kind: 'holiday', name: '国庆节（本地调整）' });
    t.match(await dayRow('2026-10-07'), { name: '国庆节（本地调整）', source: 'admin' });
    const set = (await auditEntries(db, 'calendar.day_set')).at(-1)!;
    t.match(set.before, { kind: 'holiday', name: '国庆节', source: 'official' }, 'before recorded');
    t.match(set.after, { name: '国庆节（本地调整）', source: 'admin' }, 'after recorded');

    await c.get('/calendar?year=2026');
    const del = await c.post('/calendar/days/2026-10-07/delete');
    t.equal(del.statusCode, 303);
    t.equal(await dayRow('2026-10-07'), undefined);
    t.match(text((await c.get('/calendar?year=2026')).body), '7 Oct 2026 removed: it is a working day again.');
    const [removed] = await auditEntries(db, 'calendar.day_deleted');
    t.match(removed, { entity_id: '2026-10-07', before: { kind: 'holiday' }, after: null });
    t.equal((await c.post('/calendar/days/2026-10-07/delete')).statusCode, 404, 'gone already');
    t.equal((await c.post('/calendar/days/not-a-day/delete')).statusCode, 404);
  });

  t.test('a manager reads and calculates, without forms; a POST is refused', async (t) => {
    const manager = await makeUser(db, 'manager');
    const m = new Client(app);
    await m.login(manager.email);
    const page = await m.get('/calendar?year=2026');
    t.equal(page.statusCode, 200);
    t.match(text(page.body), '国庆节');
    t.notMatch(page.body, 'action="/calendar/days"', 'no form to add a day');
    t.notMatch(page.body, '/delete"', 'no delete buttons');
    t.match(page.body, 'id="calc"', 'the calculator is there');
    t.match(text((await m.get('/calendar?from=2026-02-12&n=7')).body), 'is 28 Feb 2026', 'across the Spring Festival to the make-up Saturday');
    const res = await m.post('/calendar/days', { day: '2026-12-01', kind: 'holiday' });
    t.equal(res.statusCode, 403);
    t.equal((await m.post('/calendar/days/2026-10-01/delete')).statusCode, 403);
    t.equal(await dayRow('2026-12-01'), undefined, 'nothing saved');
    t.ok(await dayRow('2026-10-01'), 'nothing removed');
  });

  t.test('a lawyer cannot see the calendar', async (t) => {
    const { user } = await makeLawyerUser(db);
    const l = new Client(app);
    await l.login(user.email);
    t.equal((await l.get('/calendar')).statusCode, 403);
    t.equal((await l.post('/calendar/days', { day: '2026-12-01', kind: 'holiday' })).statusCode, 403);
    t.notMatch((await l.get('/')).body, 'href="/calendar"', 'not in the navigation');
  });

  t.test('Chinese page', async (t) => {
    const zh = new Client(app, { 'accept-language': 'zh-CN' });
    await zh.login(admin.email);
    const page = text((await zh.get('/calendar?year=2026&from=2026-02-12&n=7')).body);
    t.match(page, '节假日与调休');
    t.match(page, '248 个工作日（2026 年）');
    t.match(page, '星期六 调休上班 春节补班 国务院放假安排');
    t.match(page, '2026年2月12日（星期四）起 7 个工作日后是 2026年2月28日（星期六）');
  });
});
