// Sessions end when they should: at logout, at once when an admin disables the
// account (with its API tokens), and everywhere else when the password changes.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { PASSWORD } from '../helpers/factories.js';
import { SESSION_COOKIE } from '../../src/plugins/session.js';
import { api, createTokenViaUi, loggedIn, send } from './support.js';

void t.test('logout ends the session for good', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { user, client } = await loggedIn(app, db, 'manager');
  const cookie = client.cookies.get(SESSION_COOKIE)!;
  const out = await client.post('/logout');
  t.equal(out.statusCode, 303);
  t.equal(out.headers.location, '/login?out=1');
  t.notOk(client.cookies.get(SESSION_COOKIE), 'the browser is told to drop the cookie');
  const rows = await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
  t.equal(rows.length, 0, 'the session row is gone');

  // an attacker who copied the cookie before logout gets nothing
  for (const url of ['/', '/organizations', '/tokens', '/password']) {
    const res = await app.inject({ url, headers: { cookie: `${SESSION_COOKIE}=${cookie}` } });
    t.equal(res.statusCode, 303, `${url} redirects`);
    t.match(res.headers.location, /^\/login/, `${url} goes to the login page`);
  }
});

void t.test('disabling a user ends their live sessions and stops their tokens', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client: admin } = await loggedIn(app, db, 'admin');
  const { user, client: laptop } = await loggedIn(app, db, 'manager', { name: 'Leaving Soon' });
  const phone = new Client(app);
  await phone.login(user.email);
  const token = await createTokenViaUi(laptop);
  const stolen = laptop.cookies.get(SESSION_COOKIE)!;

  t.equal((await laptop.get('/organizations')).statusCode, 200, 'before: the user works');
  t.equal((await api(app, token)).statusCode, 200, 'before: the token works');

  await admin.get(`/users/${user.id}/edit`);
  const res = await admin.post(`/users/${user.id}/disabled`, { disabled: '1' });
  t.equal(res.statusCode, 303);
  t.ok((await db.selectFrom('users').select('disabled_at').where('id', '=', user.id).executeTakeFirstOrThrow()).disabled_at);

  for (const [name, c] of [['laptop', laptop], ['phone', phone]] as const) {
    const next = await c.get('/organizations');
    t.equal(next.statusCode, 303, `${name}: the next request is refused`);
    t.match(next.headers.location, /^\/login/, `${name}: sent to the login page`);
  }
  const write = await send(laptop, { url: '/tokens', form: { name: 'after disable', _csrf: laptop.csrf } });
  t.not(write.statusCode, 201, 'no write goes through either');
  const apiRes = await api(app, token);
  t.equal(apiRes.statusCode, 401, 'the API token stops working');
  t.equal(apiRes.json().error.code, 'unauthorized');
  t.equal((await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).length, 0, 'no session row is left');
  t.equal((await db.selectFrom('api_tokens').select('id').where('name', '=', 'after disable').execute()).length, 0);

  // enabling the account again does not bring the old sessions back
  await admin.get(`/users/${user.id}/edit`);
  t.equal((await admin.post(`/users/${user.id}/disabled`, { disabled: '0' })).statusCode, 303);
  const old = await app.inject({ url: '/', headers: { cookie: `${SESSION_COOKIE}=${stolen}` } });
  t.equal(old.statusCode, 303, 'an old cookie stays dead after re-enabling');
  const login = new Client(app);
  await login.login(user.email);
  t.equal((await login.get('/')).statusCode, 200, 'a fresh login works again');
});

void t.test('a password change ends the other sessions and keeps the current one', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { user, client: here } = await loggedIn(app, db, 'lawyer', { name: 'Chen Jie' });
  const elsewhere = new Client(app);
  await elsewhere.login(user.email);
  const kept = here.cookies.get(SESSION_COOKIE)!;

  await here.get('/password');
  const next = 'a new long password';
  const res = await here.post('/password', { current: PASSWORD, next, confirm: next });
  t.equal(res.statusCode, 303);
  t.equal(here.cookies.get(SESSION_COOKIE), kept, 'the same session continues');
  const home = await here.get('/');
  t.equal(home.statusCode, 200, 'this browser stays logged in');
  t.match(text(home.body), 'Hello, Chen Jie');

  const other = await elsewhere.get('/');
  t.equal(other.statusCode, 303, 'the other browser is logged out');
  t.match(other.headers.location, /^\/login/);
  t.equal((await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute()).length, 1, 'one session remains');

  const c = new Client(app);
  await c.get('/login');
  t.equal((await c.post('/login', { email: user.email, password: PASSWORD })).statusCode, 422, 'the old password no longer works');
  t.equal((await c.post('/login', { email: user.email, password: next })).statusCode, 303, 'the new one does');
});

void t.test('an admin password reset or role change ends all of the user’s sessions', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client: admin } = await loggedIn(app, db, 'admin');
  const { user, client } = await loggedIn(app, db, 'manager');
  await admin.get(`/users/${user.id}/edit`);
  t.equal((await admin.post(`/users/${user.id}/password`)).statusCode, 200);
  t.equal((await client.get('/')).statusCode, 303, 'reset: logged out');

  const { user: other, client: c2 } = await loggedIn(app, db, 'manager');
  t.equal((await c2.get('/organizations')).statusCode, 200);
  await admin.get(`/users/${other.id}/edit`);
  const res = await admin.post(`/users/${other.id}`, { name: other.name, email: other.email, role: 'lawyer' });
  t.equal(res.statusCode, 303);
  const after = await c2.get('/organizations');
  t.equal(after.statusCode, 303, 'role change: the session with the old role is gone');
});
