// Passwords are stored as argon2id at OWASP's floor (m=19 MiB, t=2, p=1), whichever
// way they are set: the admin's user form, the CLI's service, a change, a reset.
import t from 'tap';
import { verify } from '@node-rs/argon2';
import { buildTestApp } from '../helpers/app.js';
import { Client } from '../helpers/client.js';
import { PASSWORD } from '../helpers/factories.js';
import { createUser } from '../../src/modules/users/users.service.js';
import { loggedIn } from './support.js';

const PREFIX = '$argon2id$v=19$m=19456,t=2,p=1$';

void t.test('a user created in the admin form gets an argon2id hash', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client } = await loggedIn(app, db, 'admin');
  await client.get('/users/new');
  const chosen = 'chosen password 1';
  const res = await client.post('/users', { name: 'Li Na', email: 'li.na@test.example', role: 'manager', password: chosen });
  t.equal(res.statusCode, 201);
  const row = await db.selectFrom('users').select('password_hash').where('email', '=', 'li.na@test.example').executeTakeFirstOrThrow();
  t.ok(row.password_hash.startsWith(PREFIX), `stored as ${row.password_hash.slice(0, PREFIX.length)}`);
  t.notMatch(row.password_hash, chosen, 'the password itself is not stored');
  t.ok(await verify(row.password_hash, chosen), 'the hash is of the chosen password');
  const other = new Client(app);
  await other.login('li.na@test.example', chosen);
  t.equal((await other.get('/')).statusCode, 200, 'the new user can log in with it');

  // without a password one is generated, shown once, and hashed the same way
  await client.get('/users/new');
  const gen = await client.post('/users', { name: 'Zhao Lei', email: 'zhao.lei@test.example', role: 'lawyer' });
  t.equal(gen.statusCode, 201);
  const shown = /Initial password: (\S+)/.exec(gen.body)?.[1];
  t.ok(shown, 'the generated password is shown once');
  const genRow = await db.selectFrom('users').select('password_hash').where('email', '=', 'zhao.lei@test.example').executeTakeFirstOrThrow();
  t.ok(genRow.password_hash.startsWith(PREFIX));
  t.ok(await verify(genRow.password_hash, shown!));
});

void t.test('a user created by the CLI service gets an argon2id hash', async (t) => {
  const { db } = await buildTestApp(t);
  const password = 'from the command line';
  const { user } = await createUser(db, { id: null, name: 'cli' }, { email: 'cli@test.example', name: 'CLI User', role: 'admin', password });
  const row = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
  t.ok(row.password_hash.startsWith(PREFIX), `stored as ${row.password_hash.slice(0, PREFIX.length)}`);
  t.ok(await verify(row.password_hash, password));

  const generated = await createUser(db, { id: null, name: 'cli' }, { email: 'cli2@test.example', name: 'CLI Two', role: 'auditor' });
  const row2 = await db.selectFrom('users').select('password_hash').where('id', '=', generated.user.id).executeTakeFirstOrThrow();
  t.ok(row2.password_hash.startsWith(PREFIX));
  t.ok(await verify(row2.password_hash, generated.password));
});

void t.test('a changed or reset password is hashed the same way', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { user, client } = await loggedIn(app, db, 'lawyer');
  await client.get('/password');
  const next = 'a brand new secret';
  const res = await client.post('/password', { current: PASSWORD, next, confirm: next });
  t.equal(res.statusCode, 303);
  const changed = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
  t.ok(changed.password_hash.startsWith(PREFIX));
  t.ok(await verify(changed.password_hash, next));

  const { client: admin } = await loggedIn(app, db, 'admin');
  await admin.get(`/users/${user.id}/edit`);
  const reset = await admin.post(`/users/${user.id}/password`);
  t.equal(reset.statusCode, 200);
  const temporary = /Temporary password: (\S+)/.exec(reset.body)?.[1];
  const after = await db.selectFrom('users').select('password_hash').where('id', '=', user.id).executeTakeFirstOrThrow();
  t.ok(after.password_hash.startsWith(PREFIX));
  t.ok(await verify(after.password_hash, temporary!));
});
