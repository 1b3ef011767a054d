import t from 'tap';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { runJob } from '../../src/jobs/index.js';

const log = { info: () => {}, error: () => {} };

t.test('housekeeping removes what has expired, once per slot', async (t) => {
  const { db } = await buildTestApp(t);
  const user = await makeUser(db, 'manager');
  await db.insertInto('sessions').values([
    { id: 'expired', user_id: user.id, expires_at: new Date(Date.now() - 60_000) },
    { id: 'live', user_id: user.id, expires_at: new Date(Date.now() + 3600_000) },
  ]).execute();
  await db.insertInto('login_attempts').values({ email: 'x@y.z', ip: '1.2.3.4', success: false }).execute();
  await sql`update login_attempts set at = now() - interval '2 days'`.execute(db);
  const stale = await db.insertInto('import_runs').values({ kind: 'lawyers', status: 'checked', file_name: 'a.csv', rows: JSON.stringify([{ name: '张三' }]), created_by: user.id }).returning('id').executeTakeFirstOrThrow();
  const fresh = await db.insertInto('import_runs').values({ kind: 'lawyers', status: 'checked', file_name: 'b.csv', rows: JSON.stringify([{ name: '李四' }]), created_by: user.id }).returning('id').executeTakeFirstOrThrow();
  await sql`update import_runs set updated_at = now() - interval '8 days' where id = ${stale.id}`.execute(db);

  const first = await runJob(db, 'housekeeping', { log }, { slot: 'test-slot' });
  t.ok(first.ran);
  t.match(first.detail, 'sessions removed: 1');
  t.same((await db.selectFrom('sessions').select('id').execute()).map((s) => s.id), ['live']);
  t.equal((await db.selectFrom('login_attempts').select('id').execute()).length, 0);
  const runs = await db.selectFrom('import_runs').select(['id', 'status', 'rows']).orderBy('id').execute();
  t.same(runs.map((r) => [r.id, r.status, (r.rows as unknown[]).length]), [[stale.id, 'cancelled', 0], [fresh.id, 'checked', 1]], 'personal data of a stale upload is dropped');

  const second = await runJob(db, 'housekeeping', { log }, { slot: 'test-slot' });
  t.notOk(second.ran, 'the same slot does not run twice');
  const ledger = await db.selectFrom('job_runs').selectAll().where('job', '=', 'housekeeping').execute();
  t.equal(ledger.length, 1);
  t.equal(ledger[0].status, 'ok');
});
