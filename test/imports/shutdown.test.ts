// Stopping the server while an import runs: the job stops between chunks before
// the database closes; a check is marked failed, a write is rolled back and can
// be confirmed again. The upload's CSRF token never reaches the log.
import t, { type Test } from 'tap';
import { Writable } from 'node:stream';
import { buildTestApp, freshDatabase } from '../helpers/app.js';
import { loggerOptions } from '../../src/app.js';
import { count, csv, licence, loggedIn, runIdOf, settled, upload } from './support.js';

async function appWithKeptDatabase(t: Test) {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(String(chunk));
      done();
    },
  });
  const database = await freshDatabase();
  const own = database.database;
  const close = () => own.close();
  // the app closes its database; this test reads it afterwards
  database.database = { ...own, close: async () => {} };
  t.teardown(close);
  const { app, db } = await buildTestApp(t, { database, logger: { ...(loggerOptions('info') as object), stream } });
  return { app, db, lines };
}

function bigFile(rows: number) {
  const out = [['姓名', '执业证号', '业务领域', '地区']];
  for (let i = 0; i < rows; i++) out.push([`停机${i}`, licence(), '刑事', '511902']);
  return csv(out);
}

t.test('closing during a check', async (t) => {
  const { app, db, lines } = await appWithKeptDatabase(t);
  const { client } = await loggedIn(app, db, 'manager');
  const id = runIdOf(await upload(client, 'lawyers', bigFile(5000)));
  await app.close();
  const run = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  t.equal(run.status, 'failed');
  t.equal(run.error, 'imports.err.interrupted');
  t.same(run.rows, [], 'the uploaded rows are not kept');
  t.notOk(lines.some((l) => /"level":50/.test(l)), 'no errors logged');
  t.ok(lines.some((l) => l.includes('/imports?kind=lawyers&_csrf=[redacted]')), 'the upload is logged');
  t.notOk(lines.some((l) => l.includes(client.csrf)), 'without its CSRF token');
});

t.test('closing during a write', async (t) => {
  const { app, db } = await appWithKeptDatabase(t);
  const { client } = await loggedIn(app, db, 'manager');
  const id = runIdOf(await upload(client, 'lawyers', bigFile(3000)));
  await settled(client, db, id);
  const before = await count(db, 'lawyers');
  t.equal((await client.post(`/imports/${id}/confirm`)).statusCode, 303);
  await app.close();
  const run = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  t.match(run, { status: 'checked', error: 'imports.err.interrupted', invalid: 0 }, 'back to checked: it may be confirmed again');
  t.equal(await count(db, 'lawyers'), before, 'nothing written');
  t.same(await db.selectFrom('audit_log').select('id').where('action', '=', 'lawyers.imported').execute(), [], 'nothing audited');
});
