// The rotation, quota and hours-lock policies on /policies/rotation: versions
// listed with their state, the admin adds one from a date and its readers
// (rotationPolicyAt, quotaPolicyFor, lockDayAt) follow it from that date; bad
// input is refused next to the field with nothing written; only versions not yet
// started can be deleted; managers read; both languages render.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeLawyerUser } from '../helpers/people.js';
import { todayIn } from '../../src/lib/format.js';
import { addDays } from '../../src/lib/workdays.js';
import { rotationPolicyAt } from '../../src/modules/rotation/rotation.facts.js';
import { quotaPolicyFor } from '../../src/modules/quotas/quotas.service.js';
import { quotaPolicyOf } from '../../src/modules/quotas/quotas.rules.js';
import { lockDayAt } from '../../src/modules/hours/hours.service.js';

// the app's own today: the rules compare against it, so the tests must too
const today = todayIn('Asia/Shanghai');
const future = addDays(today, 40);
const year = Number(today.slice(0, 4));
const month = Number(today.slice(5, 7));
const firstOf = (y: number, m: number) => `${y + Math.floor((m - 1) / 12)}-${String(((m - 1) % 12) + 1).padStart(2, '0')}-01`;
const nextMonth = firstOf(year, month + 1);
const nextYear = `${year + 1}-01-01`;

const rotation = {
  'minLevel-criminal': '2',
  'minLevel-civil': '1',
  'minLevel-administrative': '1',
  'minLevel-non_litigation': '2',
  seriousCriminalLevel: '3',
  regionMode: 'own',
  'nb-511902': ['511903'],
  'nb-511903': ['511902', '511922'],
  declineDays: '5',
  returnTurn: 'no',
};
const quota = {
  cases: '3',
  hours: '25.5',
  newlyLicensedYears: '2',
  newlyLicensedFactor: '0.75',
  longLeaveDays: '60',
  longLeaveFactor: '0.25',
  'levelFactor-1': '0.5',
  'levelFactor-2': '1',
  'levelFactor-3': '1',
};

t.test('rotation, quota and hours-lock policies', async (t) => {
  const { app, db } = await buildTestApp(t);
  const admin = await makeUser(db, 'admin', { name: 'Admin Policy' });
  const c = new Client(app);
  await c.login(admin.email);
  const counts = async () => ({
    policies: (await db.selectFrom('policies').select('id').execute()).length,
    audit: (await db.selectFrom('audit_log').select('id').execute()).length,
  });

  t.test('the seeded versions, linked from the policies page; the forms start from what is in force', async (t) => {
    t.match((await c.get('/policies')).body, 'href="/policies/rotation"', 'linked from /policies');
    const res = await c.get('/policies/rotation');
    t.equal(res.statusCode, 200);
    const page = text(res.body);
    t.match(page, 'Assignment rotation');
    t.match(
      page,
      '1 Jan 2022 In force Criminal 1 Civil 1 Administrative 1 Non-litigation 1 3 Own region and neighbours Bazhou District: Enyang District, Bazhong Economic Development Zone, Tongjiang County, Pingchang County',
    );
    t.match(page, 'Bazhong Economic Development Zone: Bazhou District 3 days Yes');
    t.match(page, '1 Jan 2022 In force 2 20 Licensed within 1 yr: × 0.5 90 days of leave or more: × 0.5 Level 1 × 1 Level 2 × 1 Level 3 × 1');
    t.match(page, '1 Jan 2022 In force Day 5 of the next month');
    t.equal(field(res.body, 'declineDays').value, '3');
    t.equal(field(res.body, 'regionMode').value, 'own_or_neighbours');
    t.equal(field(res.body, 'returnTurn').value, 'yes');
    t.equal(field(res.body, 'seriousCriminalLevel').value, '3');
    const bazhou = field(res.body, 'nb-511902').html;
    for (const code of ['511903', '511971', '511921', '511923']) t.match(bazhou, `value="${code}" checked`, `Bazhou serves ${code}`);
    t.notMatch(bazhou, 'value="511922" checked', 'but not Nanjiang');
    t.notMatch(bazhou, 'value="511902"', 'no box for the region itself');
    t.equal(field(res.body, 'hours').value, '20');
    t.equal(field(res.body, 'levelFactor-2').value, '1');
    t.equal(field(res.body, 'lockDay').value, '5');
  });

  t.test('a new rotation version applies from its date', async (t) => {
    await c.get('/policies/rotation');
    const res = await c.post('/policies/rotation', { rotationFrom: future, ...rotation, rotationNote: '市局通知' });
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/policies/rotation#rotation');
    const row = await db.selectFrom('policies').selectAll().where('key', '=', 'rotation').where('effective_from', '=', future).executeTakeFirstOrThrow();
    const value = {
      minLevel: { criminal: 2, civil: 1, administrative: 1, non_litigation: 2 },
      seriousCriminalLevel: 3,
      regionMode: 'own',
      neighbours: { '511902': ['511903'], '511903': ['511902', '511922'] },
      declineDays: 5,
      returnTurnOnConflictDecline: false,
    };
    t.same(row.value, value);
    t.equal(row.created_by, admin.id);
    const [log] = await auditEntries(db, 'policy.version_created');
    t.match(log, { entity: 'policy', entity_id: String(row.id), actor_id: admin.id, after: { key: 'rotation', effective_from: future, value } });

    const after = await c.get('/policies/rotation');
    const page = text(after.body);
    t.match(page, `Rotation from`, 'the flash says so');
    t.match(page, 'Scheduled Criminal 2 Civil 1 Administrative 1 Non-litigation 2 3 Own region only Bazhou District: Enyang District Enyang District: Bazhou District, Nanjiang County 5 days No 市局通知 (Admin Policy)');
    t.match(page, '1 Jan 2022 In force', 'the seeded version is still in force');

    t.same(await rotationPolicyAt(db, future), value, 'from its date: the new values');
    const before = await rotationPolicyAt(db, addDays(future, -1));
    t.equal(before.regionMode, 'own_or_neighbours', 'the day before: the old ones');
    t.equal(before.declineDays, 3);
    t.equal(before.returnTurnOnConflictDecline, true);
    t.same(before.minLevel, { criminal: 1, civil: 1, administrative: 1, non_litigation: 1 });
  });

  t.test('bad rotation input: a message next to the field, input kept, nothing written', async (t) => {
    await c.get('/policies/rotation');
    const start = await counts();
    const cases: [Record<string, string | string[]>, string, string][] = [
      [{ 'minLevel-criminal': '4' }, 'minLevel-criminal', 'Choose a level from 1 to 3.'],
      [{ 'minLevel-civil': '' }, 'minLevel-civil', 'This field is required.'],
      [{ seriousCriminalLevel: '0' }, 'seriousCriminalLevel', 'Choose a level from 1 to 3.'],
      [{ seriousCriminalLevel: '1' }, 'seriousCriminalLevel', 'Serious criminal cases cannot need a lower level than the minimum for criminal cases.'],
      [{ regionMode: 'galaxy' }, 'regionMode', 'Choose one from the list.'],
      [{ 'nb-511902': ['511903', '999999'] }, 'nb-511902', 'Unknown region code.'],
      [{ 'nb-511902': ['511902'] }, 'nb-511902', 'A region’s own lawyers already serve it: do not tick the region itself.'],
      [{ declineDays: '-1' }, 'declineDays', 'Enter a whole number from 0 to 30.'],
      [{ declineDays: 'abc' }, 'declineDays', 'Enter a whole number from 0 to 30.'],
      [{ declineDays: '31' }, 'declineDays', 'Enter a whole number from 0 to 30.'],
      [{ declineDays: '2.5' }, 'declineDays', 'Enter a whole number from 0 to 30.'],
      [{ declineDays: '' }, 'declineDays', 'This field is required.'],
      [{ returnTurn: 'maybe' }, 'returnTurn', 'Choose one from the list.'],
      [{ rotationFrom: addDays(today, -1) }, 'rotationFrom', 'The effective date cannot be before today: rules already applied are not changed after the fact.'],
      [{ rotationFrom: '2027-02-30' }, 'rotationFrom', 'Enter a valid date (YYYY-MM-DD).'],
      [{ rotationFrom: '' }, 'rotationFrom', 'This field is required.'],
      [{ rotationFrom: future }, 'rotationFrom', 'A version already starts on that date. Choose another date, or first delete the version that has not started.'],
      [{ rotationNote: 'x'.repeat(501) }, 'rotationNote', 'At most 500 characters.'],
    ];
    for (const [change, name, message] of cases) {
      const res = await c.post('/policies/rotation', { rotationFrom: addDays(future, 10), ...rotation, ...change });
      t.equal(res.statusCode, 422, `${name} refused`);
      t.equal(field(res.body, name).error, message, `${name}: message next to the field`);
      t.match(text(res.body), 'Please correct the marked fields');
      t.equal(field(res.body, 'declineDays').value, (change.declineDays as string | undefined) ?? '5', 'input kept');
      t.match(field(res.body, 'nb-511903').html, 'value="511922" checked', 'ticked boxes kept');
      t.equal(field(res.body, 'lockDay').value, '5', 'the other forms untouched');
    }
    const unknownRegion = await c.post('/policies/rotation', { rotationFrom: addDays(future, 10), ...rotation, 'nb-999999': ['511902'] });
    t.equal(unknownRegion.statusCode, 422, 'a neighbours row for an unknown region');
    t.match(text(unknownRegion.body), 'Neighbouring regions Tick the other regions whose cases each region’s lawyers may also take. Used when the regions served are “Own region and neighbours”. Unknown region code.');
    t.same(await counts(), start, 'no policy and no audit entry written');
  });

  t.test('a new quota version changes the quota of its year', async (t) => {
    await c.get('/policies/rotation');
    const res = await c.post('/policies/quota', { quotaFrom: nextYear, ...quota, quotaNote: '2 cases more' });
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/policies/rotation#quota');
    const row = await db.selectFrom('policies').selectAll().where('key', '=', 'quota').where('effective_from', '=', nextYear).executeTakeFirstOrThrow();
    const value = { cases: 3, hours: 25.5, newlyLicensedYears: 2, newlyLicensedFactor: 0.75, longLeaveDays: 60, longLeaveFactor: 0.25, levelFactor: { '1': 0.5, '2': 1, '3': 1 } };
    t.same(row.value, value);
    t.same(quotaPolicyOf(row.value), value, 'stored as quotaPolicyOf takes it: no figure falls back to a default');
    const next = await quotaPolicyFor(db, year + 1);
    t.equal(next.id, row.id);
    t.same(next.value, value, 'next year follows the new version');
    const current = await quotaPolicyFor(db, year);
    t.equal(current.effectiveFrom, '2022-01-01', 'this year keeps the old one');
    t.equal(current.value.cases, 2);
    t.equal(current.value.hours, 20);
    const page = text((await c.get('/policies/rotation')).body);
    t.match(page, 'Quota from');
    t.match(page, 'Scheduled 3 25.5 Licensed within 2 yr: × 0.75 60 days of leave or more: × 0.25 Level 1 × 0.5 Level 2 × 1 Level 3 × 1 2 cases more');
    const [log] = (await auditEntries(db, 'policy.version_created')).filter((l) => l.entity_id === String(row.id));
    t.match(log, { entity: 'policy', actor_id: admin.id, after: { key: 'quota', value } });
  });

  t.test('bad quota input: a message next to the field, nothing written', async (t) => {
    await c.get('/policies/rotation');
    const start = await counts();
    const cases: [Record<string, string>, string, string][] = [
      [{ cases: '-1' }, 'cases', 'Enter a whole number from 0 to 100.'],
      [{ cases: 'abc' }, 'cases', 'Enter a whole number from 0 to 100.'],
      [{ cases: '2.5' }, 'cases', 'Enter a whole number from 0 to 100.'],
      [{ hours: '20.25' }, 'hours', 'Enter hours from 0 to 2000, at most one decimal, e.g. 20 or 20.5.'],
      [{ hours: '-5' }, 'hours', 'Enter hours from 0 to 2000, at most one decimal, e.g. 20 or 20.5.'],
      [{ newlyLicensedYears: '' }, 'newlyLicensedYears', 'This field is required.'],
      [{ newlyLicensedFactor: '1.5' }, 'newlyLicensedFactor', 'Enter a factor from 0 to 1, at most two decimals, e.g. 0.5.'],
      [{ newlyLicensedFactor: 'NaN' }, 'newlyLicensedFactor', 'Enter a factor from 0 to 1, at most two decimals, e.g. 0.5.'],
      [{ longLeaveDays: '0' }, 'longLeaveDays', 'Enter a whole number from 1 to 366.'],
      [{ longLeaveFactor: '-0.5' }, 'longLeaveFactor', 'Enter a factor from 0 to 1, at most two decimals, e.g. 0.5.'],
      [{ 'levelFactor-3': '0.125' }, 'levelFactor-3', 'Enter a factor from 0 to 1, at most two decimals, e.g. 0.5.'],
      [{ 'levelFactor-2': '' }, 'levelFactor-2', 'This field is required.'],
      [{ quotaFrom: `${year + 1}-03-01` }, 'quotaFrom', 'The quota is yearly: the effective date must be 1 January of a year.'],
      [{ quotaFrom: `${year - 1}-01-01` }, 'quotaFrom', 'The effective date cannot be before today: rules already applied are not changed after the fact.'],
      [{ quotaFrom: nextYear }, 'quotaFrom', 'A version already starts on that date. Choose another date, or first delete the version that has not started.'],
    ];
    for (const [change, name, message] of cases) {
      const res = await c.post('/policies/quota', { quotaFrom: `${year + 2}-01-01`, ...quota, ...change });
      t.equal(res.statusCode, 422, `${name} refused`);
      t.equal(field(res.body, name).error, message, `${name}: message next to the field`);
      t.equal(field(res.body, 'hours').value, change.hours ?? '25.5', 'input kept');
    }
    t.same(await counts(), start, 'no policy and no audit entry written');
  });

  t.test('a new hours lock applies to the months from its date', async (t) => {
    await c.get('/policies/rotation');
    const start = await counts();
    const cases: [Record<string, string>, string, string][] = [
      [{ lockDay: '0' }, 'lockDay', 'Enter a whole number from 1 to 28.'],
      [{ lockDay: '29' }, 'lockDay', 'Enter a whole number from 1 to 28.'],
      [{ lockDay: 'abc' }, 'lockDay', 'Enter a whole number from 1 to 28.'],
      [{ lockFrom: addDays(nextMonth, 1) }, 'lockFrom', 'The effective date must be the first of a month: a month’s hours follow one lock day.'],
      [{ lockFrom: `${year - 1}-06-01` }, 'lockFrom', 'The effective date cannot be before today: rules already applied are not changed after the fact.'],
    ];
    for (const [change, name, message] of cases) {
      const res = await c.post('/policies/hours-lock', { lockFrom: nextMonth, lockDay: '10', ...change });
      t.equal(res.statusCode, 422, `${name} refused`);
      t.equal(field(res.body, name).error, message, `${name}: message next to the field`);
      t.equal(field(res.body, 'lockDay').value, change.lockDay ?? '10', 'input kept');
    }
    t.same(await counts(), start, 'nothing written');

    const res = await c.post('/policies/hours-lock', { lockFrom: nextMonth, lockDay: '10', lockNote: '' });
    t.equal(res.statusCode, 303);
    const row = await db.selectFrom('policies').selectAll().where('key', '=', 'hours_lock').where('effective_from', '=', nextMonth).executeTakeFirstOrThrow();
    t.same(row.value, { lockDay: 10 });
    t.equal(await lockDayAt(db, nextMonth), 10, 'the month from its date locks on the 10th');
    t.equal(await lockDayAt(db, addDays(nextMonth, -1)), 5, 'the month before still on the 5th');
    t.match(text((await c.get('/policies/rotation')).body), 'Scheduled Day 10 of the next month');
    t.equal((await counts()).audit, start.audit + 1, 'audited');
  });

  t.test('a version in force cannot be deleted; one not yet started can', async (t) => {
    const seeded = await db.selectFrom('policies').select(['id', 'key']).where('effective_from', '=', '2022-01-01').where('key', 'in', ['rotation', 'quota', 'hours_lock']).execute();
    const slug = (key: string) => (key === 'hours_lock' ? 'hours-lock' : key);
    const html = (await c.get('/policies/rotation')).body;
    for (const s of seeded) {
      t.notMatch(html, `action="/policies/${slug(s.key)}/${s.id}/delete"`, `no delete button for the ${s.key} in force`);
      const res = await c.post(`/policies/${slug(s.key)}/${s.id}/delete`);
      t.equal(res.statusCode, 303);
      t.ok(await db.selectFrom('policies').select('id').where('id', '=', s.id).executeTakeFirst(), `the ${s.key} in force stays`);
      t.match(text((await c.get('/policies/rotation')).body), 'That version is already in force and cannot be deleted');
    }
    t.equal((await auditEntries(db, 'policy.version_deleted')).length, 0, 'nothing audited');

    const scheduled = await db.selectFrom('policies').select(['id', 'key', 'effective_from']).where('effective_from', '>', today).where('key', 'in', ['rotation', 'quota', 'hours_lock']).orderBy('id').execute();
    t.equal(scheduled.length, 3);
    const page = (await c.get('/policies/rotation')).body;
    for (const s of scheduled) t.match(page, `action="/policies/${slug(s.key)}/${s.id}/delete"`, `a delete button for the scheduled ${s.key}`);

    const rotationRow = scheduled.find((s) => s.key === 'rotation')!;
    t.equal((await c.post(`/policies/quota/${rotationRow.id}/delete`)).statusCode, 404, 'another policy’s id: 404');
    for (const url of ['/policies/rotation/999999/delete', '/policies/hours-lock/abc/delete']) t.equal((await c.post(url)).statusCode, 404, `${url}: 404`);
    t.equal((await auditEntries(db, 'policy.version_deleted')).length, 0, 'still nothing deleted');

    for (const s of scheduled) {
      const res = await c.post(`/policies/${slug(s.key)}/${s.id}/delete`);
      t.equal(res.statusCode, 303);
      t.equal(res.headers.location, `/policies/rotation#${slug(s.key)}`);
      t.equal(await db.selectFrom('policies').select('id').where('id', '=', s.id).executeTakeFirst(), undefined, `the scheduled ${s.key} is deleted`);
    }
    const logs = await auditEntries(db, 'policy.version_deleted');
    t.same(
      logs.map((l) => [l.entity_id, (l.before as { key: string }).key, l.after]),
      scheduled.map((s) => [String(s.id), s.key, null]),
      'each deletion audited with what was deleted',
    );
    t.match(text((await c.get('/policies/rotation')).body), 'The version that had not started is deleted.');
    t.equal((await rotationPolicyAt(db, future)).regionMode, 'own_or_neighbours', 'the old rotation applies again');
    t.equal((await quotaPolicyFor(db, year + 1)).value.cases, 2, 'and the old quota');
    t.equal(await lockDayAt(db, nextMonth), 5, 'and the old lock day');
  });

  t.test('a manager reads without forms and may not write; a lawyer is out', async (t) => {
    const manager = await makeUser(db, 'manager');
    const m = new Client(app);
    await m.login(manager.email);
    const page = await m.get('/policies/rotation');
    t.equal(page.statusCode, 200);
    t.match(text(page.body), '1 Jan 2022 In force Day 5 of the next month');
    t.notMatch(page.body, '<form method="post" action="/policies', 'no forms');
    t.match((await m.get('/policies')).body, 'href="/policies/rotation"', 'the link is there for managers too');
    const scheduled = await db
      .insertInto('policies')
      .values({ key: 'rotation', effective_from: future, value: JSON.stringify({ declineDays: 4 }) })
      .returning('id')
      .executeTakeFirstOrThrow();
    const start = await counts();
    t.equal((await m.post('/policies/rotation', { rotationFrom: addDays(future, 1), ...rotation })).statusCode, 403);
    t.equal((await m.post('/policies/quota', { quotaFrom: nextYear, ...quota })).statusCode, 403);
    t.equal((await m.post('/policies/hours-lock', { lockFrom: nextMonth, lockDay: '10' })).statusCode, 403);
    t.equal((await m.post(`/policies/rotation/${scheduled.id}/delete`)).statusCode, 403);
    t.same(await counts(), start, 'nothing written or deleted');

    const { user } = await makeLawyerUser(db);
    const l = new Client(app);
    await l.login(user.email);
    t.equal((await l.get('/policies/rotation')).statusCode, 403);
    t.equal((await l.post('/policies/quota', { quotaFrom: nextYear, ...quota })).statusCode, 403);
  });

  t.test('both languages render, with no message key showing', async (t) => {
    const rawKey = /\b(?:policyAdmin|policy|case\.kind|lawyer\.level|common)\.[a-zA-Z_]/;
    const en = text((await c.get('/policies/rotation')).body);
    t.notMatch(en, rawKey, 'English: no raw keys');
    const zh = new Client(app, { 'accept-language': 'zh-CN,zh;q=0.9' });
    await zh.login(admin.email);
    const res = await zh.get('/policies/rotation');
    const page = text(res.body);
    t.notMatch(page, rawKey, 'Chinese: no raw keys');
    for (const s of ['指派轮换、义务配额与工时锁定', '指派轮换', '年度义务配额', '工时锁定', '现行', '刑事 1', '本地区及相邻地区', '巴州区：恩阳区、巴中经济开发区、通江县、平昌县', '3 天', '执业 1 年内：× 0.5', '次月 5 日', '添加新版本轮换规则']) {
      t.match(page, s);
    }
    t.notMatch(page, 'Assignment rotation');
    const bad = await zh.post('/policies/rotation', { rotationFrom: addDays(future, 3), ...rotation, declineDays: 'abc' });
    t.equal(bad.statusCode, 422);
    t.equal(field(bad.body, 'declineDays').error, '请输入 0 到 30 之间的整数。');
    const badQuota = await zh.post('/policies/quota', { quotaFrom: `${year + 1}-06-01`, ...quota });
    t.equal(field(badQuota.body, 'quotaFrom').error, '配额按年度计算，生效日期须为某年的 1 月 1 日。');
  });
});
