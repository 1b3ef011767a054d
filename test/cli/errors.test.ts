import t from 'tap';
import { cliTarget } from '../helpers/cli.js';
import { makeUser } from '../helpers/factories.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { onPostgres } from '../helpers/app.js';

// each command starts a process, opens the database and migrates: seconds apiece
t.setTimeout(300_000);

const { cli, open, withDb } = await cliTarget(t);
await withDb(async ({ db }) => {
  await migrateToLatest(db);
  await makeUser(db, 'admin', { email: 'existing@test.example' });
});

const noStack = /\bat .+:\d+:\d+/;
const countUsers = () => withDb(async ({ db }) => (await db.selectFrom('users').select('id').execute()).length);

t.test('create-user refuses a bad role and a taken email with a clear message', async (t) => {
  const badRole = await cli('create-user', '--email', 'wizard@test.example', '--role', 'wizard', '--name', 'W');
  t.equal(badRole.code, 1);
  t.match(badRole.stderr, 'fayuan: --role must be one of admin, manager, lawyer, volunteer, auditor');
  t.notMatch(badRole.stderr, noStack, 'a message, not a stack trace');

  const dup = await cli('create-user', '--email', 'EXISTING@test.example', '--role', 'auditor', '--name', 'Again');
  t.equal(dup.code, 1, 'an email in use, in another case');
  t.match(dup.stderr, '--email: That email is already in use.');
  t.notMatch(dup.stderr, noStack);

  t.equal(await countUsers(), 1, 'no user was added');
});

t.test('create-token for an unknown email, run-job for an unknown job', async (t) => {
  const nobody = await cli('create-token', '--email', 'nobody@test.example', '--name', 'x');
  t.equal(nobody.code, 1);
  t.match(nobody.stderr, 'no user with email nobody@test.example');
  t.equal(nobody.stdout, '', 'no token printed');
  t.equal(await withDb(async ({ db }) => (await db.selectFrom('api_tokens').select('id').execute()).length), 0);

  const job = await cli('run-job', 'no-such-job');
  t.equal(job.code, 1);
  t.match(job.stderr, 'Unknown job "no-such-job"');
  t.match(job.stderr, 'housekeeping', 'names the jobs there are');
});

t.test('the embedded database refuses a second process', { skip: onPostgres && 'PostgreSQL takes any number of processes' }, async (t) => {
  const held = await open();
  try {
    const run = await cli('migrate');
    t.equal(run.code, 1);
    t.match(run.stderr, `is in use by process ${process.pid}`);
    t.notMatch(run.stderr, noStack);
  } finally {
    await held.close();
  }
  const after = await cli('migrate');
  t.equal(after.code, 0, 'free again once closed');
});
