// The policies page: versions listed with their state, the admin adds time
// limits and means-test standards (checked, audited, money parsed as text),
// deletes only versions not yet started; managers read; others are out.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeLawyerUser } from '../helpers/people.js';
import { todayIn } from '../../src/lib/format.js';
import { addDays } from '../../src/lib/workdays.js';

// the app's own today: the rules compare against it, so the tests must too
const today = todayIn('Asia/Shanghai');
const future = addDays(today, 40);
const later = addDays(today, 80);
const limits = { reviewDays: '10', assignDaysCriminal: '3', assignDaysNotified: '3', assignDaysOther: '5', appealDays: '5', materialsDays: '15', emergencyPaperworkDays: '10' };

t.test('policies pages', async (t) => {
  const { app, db, config } = await buildTestApp(t);
  t.equal(config.tz, 'Asia/Shanghai');
  const admin = await makeUser(db, 'admin');
  const c = new Client(app);
  await c.login(admin.email);

  t.test('the seeded versions with their state and the threshold per head', async (t) => {
    const res = await c.get('/policies');
    t.equal(res.statusCode, 200);
    const page = text(res.body);
    t.match(page, '1 Jan 2022 In force 7 3 3 7 5 10 10');
    t.match(page, 'Bazhong City 511900 1 Jul 2025 In force ¥750.00 200% ¥1500.00');
    t.match(page, 'Bazhong City 511900 1 Jan 2024 Superseded ¥720.00 200% ¥1440.00');
    t.equal(field(res.body, 'reviewDays').value, '7', 'the new-version form starts from the limits in force');
  });

  t.test('a new version of the time limits', async (t) => {
    await c.get('/policies');
    const res = await c.post('/policies/time-limits', { effectiveFrom: future, ...limits, note: '市局通知' });
    t.equal(res.statusCode, 303);
    const row = await db.selectFrom('policies').selectAll().where('key', '=', 'time_limits').where('effective_from', '=', future).executeTakeFirstOrThrow();
    t.same(row.value, { reviewDays: 10, assignDaysCriminal: 3, assignDaysNotified: 3, assignDaysOther: 5, appealDays: 5, materialsDays: 15, emergencyPaperworkDays: 10 });
    t.equal(row.created_by, admin.id);
    const page = text((await c.get('/policies')).body);
    t.match(page, 'Time limits from');
    t.match(page, 'Scheduled 10 3 3 5 5 15 10 市局通知');
    const [log] = await auditEntries(db, 'policy.version_created');
    t.match(log, { entity: 'policy', entity_id: String(row.id), actor_id: admin.id, after: { effective_from: future } });

    const dup = await c.post('/policies/time-limits', { effectiveFrom: future, ...limits });
    t.equal(dup.statusCode, 422);
    t.match(field(dup.body, 'effectiveFrom').error, 'A version already starts on that date');
  });

  t.test('bad time limits: messages next to the fields, nothing saved', async (t) => {
    const count = async () => (await db.selectFrom('policies').select('id').execute()).length;
    const before = await count();
    await c.get('/policies');
    const cases: [Record<string, string>, string, string][] = [
      [{ reviewDays: '0' }, 'reviewDays', 'Enter a whole number from 1 to 60.'],
      [{ appealDays: '61' }, 'appealDays', 'Enter a whole number from 1 to 60.'],
      [{ materialsDays: '7.5' }, 'materialsDays', 'Enter a whole number from 1 to 60.'],
      [{ assignDaysOther: '' }, 'assignDaysOther', 'This field is required.'],
      [{ effectiveFrom: addDays(today, -1) }, 'effectiveFrom', 'The effective date cannot be before today: rules already applied are not changed after the fact.'],
      [{ effectiveFrom: '2027-13-01' }, 'effectiveFrom', 'Enter a valid date (YYYY-MM-DD).'],
    ];
    for (const [change, name, message] of cases) {
      const res = await c.post('/policies/time-limits', { effectiveFrom: later, ...limits, ...change });
      t.equal(res.statusCode, 422, `${name} refused`);
      t.equal(field(res.body, name).error, message, `${name}: message next to the field`);
      t.equal(field(res.body, 'materialsDays').value, change.materialsDays ?? '15', 'input kept');
    }
    t.equal(await count(), before, 'nothing saved');
  });

  t.test('a means-test standard: allowance parsed as text into fen', async (t) => {
    await c.get('/policies');
    const res = await c.post('/policies/means', { regionCode: '511902', meansFrom: future, allowance: '750.5', multiplierPct: '150', meansNote: '巴州区' });
    t.equal(res.statusCode, 303);
    const row = await db.selectFrom('means_standards').selectAll().where('region_code', '=', '511902').executeTakeFirstOrThrow();
    t.equal(row.allowance_fen, 75050);
    t.equal(row.multiplier_pct, 150);
    t.equal(row.effective_from, future);
    t.match(text((await c.get('/policies')).body), 'Bazhou District 511902');
    t.match(text((await c.get('/policies')).body), 'Scheduled ¥750.50 150% ¥1125.75 巴州区');
    const [log] = await auditEntries(db, 'means_standard.created');
    t.match(log, { entity: 'means_standard', entity_id: String(row.id), after: { allowance_fen: 75050 } });

    const before = (await db.selectFrom('means_standards').select('id').execute()).length;
    const cases: [Record<string, string>, string, string][] = [
      [{ allowance: '750.555' }, 'allowance', 'Enter an amount in yuan above 0, at most two decimals, e.g. 750.50.'],
      [{ allowance: '0' }, 'allowance', 'Enter an amount in yuan above 0, at most two decimals, e.g. 750.50.'],
      [{ allowance: 'abc' }, 'allowance', 'Enter an amount in yuan above 0, at most two decimals, e.g. 750.50.'],
      [{ multiplierPct: '0' }, 'multiplierPct', 'Enter a whole number from 1 to 1000.'],
      [{ regionCode: '999999' }, 'regionCode', 'Unknown region code.'],
      [{ meansFrom: future, regionCode: '511902' }, 'meansFrom', 'A version already starts on that date. Choose another date, or first delete the version that has not started.'],
    ];
    for (const [change, name, message] of cases) {
      const bad = await c.post('/policies/means', { regionCode: '511903', meansFrom: later, allowance: '800', multiplierPct: '200', ...change });
      t.equal(bad.statusCode, 422, `${name} refused`);
      t.equal(field(bad.body, name).error, message, `${name}: message next to the field`);
      t.equal(field(bad.body, 'allowance').value, change.allowance ?? '800', 'input kept');
    }
    t.equal((await db.selectFrom('means_standards').select('id').execute()).length, before, 'nothing saved');
  });

  t.test('a version in force cannot be deleted; one not yet started can', async (t) => {
    const seeded = await db.selectFrom('policies').select('id').where('effective_from', '=', '2022-01-01').executeTakeFirstOrThrow();
    await c.get('/policies');
    const res = await c.post(`/policies/time-limits/${seeded.id}/delete`);
    t.equal(res.statusCode, 303);
    t.ok(await db.selectFrom('policies').select('id').where('id', '=', seeded.id).executeTakeFirst(), 'still there');
    t.match(text((await c.get('/policies')).body), 'That version is already in force and cannot be deleted');
    const standard = await db.selectFrom('means_standards').select('id').where('effective_from', '=', '2025-07-01').executeTakeFirstOrThrow();
    await c.post(`/policies/means/${standard.id}/delete`);
    t.ok(await db.selectFrom('means_standards').select('id').where('id', '=', standard.id).executeTakeFirst(), 'the standard in force stays');
    t.equal((await auditEntries(db, 'policy.version_deleted')).length, 0, 'nothing audited');

    const scheduled = await db.selectFrom('policies').select('id').where('effective_from', '=', future).executeTakeFirstOrThrow();
    await c.get('/policies');
    t.match((await c.get('/policies')).body, `action="/policies/time-limits/${scheduled.id}/delete"`, 'a delete button for the scheduled one');
    t.notMatch((await c.get('/policies')).body, `action="/policies/time-limits/${seeded.id}/delete"`, 'none for the one in force');
    await c.post(`/policies/time-limits/${scheduled.id}/delete`);
    t.equal(await db.selectFrom('policies').select('id').where('id', '=', scheduled.id).executeTakeFirst(), undefined, 'deleted');
    const [log] = await auditEntries(db, 'policy.version_deleted');
    t.match(log, { entity_id: String(scheduled.id), before: { effective_from: future }, after: null });
    const mine = await db.selectFrom('means_standards').select('id').where('region_code', '=', '511902').executeTakeFirstOrThrow();
    await c.post(`/policies/means/${mine.id}/delete`);
    t.equal((await auditEntries(db, 'means_standard.deleted')).length, 1);
    for (const url of ['/policies/time-limits/999999/delete', '/policies/means/abc/delete', `/policies/time-limits/${scheduled.id}/delete`]) {
      t.equal((await c.post(url)).statusCode, 404, `${url}: 404`);
    }
  });

  t.test('a manager reads without forms; a lawyer is out', async (t) => {
    const manager = await makeUser(db, 'manager');
    const m = new Client(app);
    await m.login(manager.email);
    const page = await m.get('/policies');
    t.equal(page.statusCode, 200);
    t.match(text(page.body), 'In force');
    t.notMatch(page.body, '<form method="post" action="/policies', 'no forms');
    t.match(page.body, 'href="/policies"', 'in the navigation');
    t.equal((await m.post('/policies/time-limits', { effectiveFrom: later, ...limits })).statusCode, 403);
    t.equal((await m.post('/policies/means', { regionCode: '511902', meansFrom: later, allowance: '1', multiplierPct: '200' })).statusCode, 403);
    t.equal((await db.selectFrom('policies').select('id').where('effective_from', '=', later).execute()).length, 0, 'nothing saved');

    const { user } = await makeLawyerUser(db);
    const l = new Client(app);
    await l.login(user.email);
    t.equal((await l.get('/policies')).statusCode, 403);
    t.equal((await l.post('/policies/time-limits', { effectiveFrom: later, ...limits })).statusCode, 403);
  });
});
