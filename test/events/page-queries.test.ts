// What a list page costs in round trips: the session lookup brings the
// navigation's unread count with it, and the regions (reference data that only
// migrations write) are read once per database handle, not on every page.
import t from 'tap';
import { Kysely } from 'kysely';
import { PGliteDialect } from 'kysely-pglite-dialect';
import { buildTestApp, freshDatabase, onPostgres } from '../helpers/app.js';
import { Client } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import type { DB } from '../../src/db/types.js';
import { listRegions } from '../../src/modules/organizations/organizations.service.js';

t.test('regions: read once per handle, afresh inside a transaction', async (t) => {
  const test = await freshDatabase();
  t.teardown(async () => {
    await test.database.close();
    await test.drop();
  });
  const { db } = test.database;
  const first = await listRegions(db);
  t.ok(first.length > 0, 'the seeded regions');
  t.equal(await listRegions(db), first, 'the same list the second time');
  await db.transaction().execute(async (trx) => {
    const inside = await listRegions(trx);
    t.not(inside, first, 'a transaction reads them itself');
    t.same(inside, first);
  });
});

t.test('a list page: two statements, the unread count with the session', { skip: onPostgres && 'counts statements on the embedded database (its one client can be watched)' }, async (t) => {
  const test = await freshDatabase();
  const statements: string[] = [];
  let watching = false;
  // the same embedded database, through a handle that records what it is asked
  const watched = new Kysely<DB>({
    dialect: new PGliteDialect(test.database.pglite!),
    log: (e) => {
      if (watching) statements.push(e.query.sql);
    },
  });
  const { app, db } = await buildTestApp(t, { database: { ...test, database: { ...test.database, db: watched } } });
  const manager = await makeUser(db, 'manager');
  const { user, lawyer } = await makeLawyerUser(db);
  await db
    .insertInto('notifications')
    .values([
      { user_id: user.id, kind: 'test.note', payload: '{}' },
      { lawyer_id: lawyer.id, kind: 'test.note', payload: '{}' },
      { lawyer_id: lawyer.id, kind: 'test.note', payload: '{}', read_at: new Date() },
      { user_id: manager.id, kind: 'test.note', payload: '{}' },
    ])
    .execute();
  const lc = new Client(app, { 'accept-language': 'en' });
  await lc.login(user.email);
  t.match((await lc.get('/')).body, /href="\/notifications"[^>]*>Notifications \(2\)</, "a lawyer: their own and their person's unread, not the read one nor the manager's");
  const c = new Client(app, { 'accept-language': 'en' });
  await c.login(manager.email);
  await c.get('/organizations');
  await c.get('/organizations');
  watching = true;
  const page = await c.get('/organizations');
  watching = false;
  t.equal(page.statusCode, 200);
  t.match(page.body, /href="\/notifications"[^>]*>Notifications \(1\)</, 'the manager: their own');
  t.equal(statements.length, 2, `the session with its count, then the list (${statements.map((s) => s.slice(0, 40)).join(' | ')})`);
  t.notOk(statements.some((s) => /from "regions"/.test(s) && !/join/.test(s)), 'no read of the regions');
  t.notOk(statements.some((s) => /^select count\(\*\)::int as "n" from "notifications"/.test(s)), 'no separate count of notifications');
});
