import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client } from '../helpers/client.js';
import { cliTarget } from '../helpers/cli.js';
import { verifyPassword } from '../../src/lib/secrets.js';
import { DEMO_PASSWORD } from '../../src/seed/demo.js';

// each command starts a process, opens the database and migrates: seconds apiece
t.setTimeout(300_000);

const { cli, open, withDb } = await cliTarget(t);

const counts = () =>
  withDb(async ({ db }) => {
    const n = async (table: 'lawyers' | 'volunteers' | 'users' | 'organizations') => (await db.selectFrom(table).select('id').execute()).length;
    return { lawyers: await n('lawyers'), volunteers: await n('volunteers'), users: await n('users'), organizations: await n('organizations') };
  });

t.test('migrate', async (t) => {
  const run = await cli('migrate');
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, 'migrations are up to date');
  const tables = await withDb(({ db }) => db.selectFrom('regions').select('code').execute());
  t.ok(tables.length > 0, 'the schema and its reference data are there');
});

t.test('seed-demo fills an empty database once', async (t) => {
  const first = await cli('seed-demo');
  t.equal(first.code, 0, first.stderr);
  t.match(first.stdout, 'demo data added');
  t.match(first.stdout, DEMO_PASSWORD);
  for (const role of ['admin', 'manager', 'lawyer', 'volunteer', 'auditor']) t.match(first.stdout, `${role}@fayuan.demo`);
  const seeded = await counts();
  t.match(seeded, { lawyers: 60, volunteers: 40, users: 5 });
  t.ok(seeded.organizations > 10, 'an organisation tree');

  const second = await cli('seed-demo');
  t.equal(second.code, 0, second.stderr);
  t.match(second.stdout, 'demo data was already there');
  t.same(await counts(), seeded, 'nothing added the second time');
});

let generated = '';

t.test('create-user', async (t) => {
  const run = await cli('create-user', '--email', 'New.User@test.example', '--role', 'manager', '--name', 'New User');
  t.equal(run.code, 0, run.stderr);
  t.match(run.stdout, /created manager New\.User@test\.example \(id \d+\)/);
  const m = /generated password \(must be changed at first login\): (\S+)/.exec(run.stdout);
  t.ok(m, 'prints a generated password');
  generated = m![1]!;
  const user = await withDb(({ db }) => db.selectFrom('users').selectAll().where('email', '=', 'New.User@test.example').executeTakeFirst());
  t.ok(user, 'the user exists');
  t.equal(user!.role, 'manager');
  t.equal(user!.name, 'New User');
  t.equal(user!.must_change_password, true);
  t.ok(await verifyPassword(user!.password_hash, generated), 'with that password');

  const users = await withDb(({ db }) => db.selectFrom('users').select('email').execute());
  t.equal(users.length, 6, 'one user added to the five demo accounts');
});

t.test('create-token prints the token last; it works on the API; run-job', async (t) => {
  const run = await cli('create-token', '--email', 'ADMIN@fayuan.demo', '--name', 'court sync');
  t.equal(run.code, 0, run.stderr);
  const lines = run.stdout.trimEnd().split('\n');
  const token = lines[lines.length - 1];
  t.match(token, /^fy_[A-Za-z0-9_-]{40,}$/, 'the token alone on the last line');

  const job = await cli('run-job', 'housekeeping');
  t.equal(job.code, 0, job.stderr);
  t.match(job.stdout, /housekeeping ran/);

  // now the app on the same database
  const database = await open();
  const { app, db } = await buildTestApp(t, { database: { database, drop: async () => {} } });
  const runs = await db.selectFrom('job_runs').selectAll().where('job', '=', 'housekeeping').execute();
  t.equal(runs.length, 1, 'the job run is recorded');
  t.equal(runs[0].status, 'ok');

  const res = await app.inject({ url: '/api/v1/organizations?limit=200', headers: { authorization: `Bearer ${token}` } });
  t.equal(res.statusCode, 200, 'the token works');
  const orgs = await db.selectFrom('organizations').select('id').execute();
  t.equal(res.json().items.length, orgs.length, 'and sees the demo organisations');

  const demo = new Client(app);
  await demo.get('/login');
  t.equal((await demo.post('/login', { email: 'admin@fayuan.demo', password: DEMO_PASSWORD })).headers.location, '/', 'demo accounts log in');
  const created = new Client(app);
  await created.get('/login');
  t.equal((await created.post('/login', { email: 'new.user@test.example', password: generated })).headers.location, '/password', 'the new user must change the password');
});
