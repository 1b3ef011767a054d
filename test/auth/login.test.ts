import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { SESSION_COOKIE } from '../../src/plugins/session.js';
import { sha256 } from '../../src/lib/secrets.js';

t.test('login, the home page for the role, logout', async (t) => {
  const { app, db } = await buildTestApp(t);
  const user = await makeUser(db, 'manager', { name: 'Wang Fang' });
  const c = new Client(app);

  const anon = await c.get('/');
  t.equal(anon.statusCode, 303, 'home needs a login');
  t.match(anon.headers.location, /^\/login\?next=/);

  const form = await c.get('/login');
  t.equal(form.statusCode, 200);
  t.match(text(form.body), 'Log in');
  const before = c.cookies.get(SESSION_COOKIE);
  t.notOk(before, 'no session before login');

  const res = await c.post('/login', { email: user.email.toUpperCase(), password: PASSWORD, next: '/organizations' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/organizations', 'goes where the user was heading');
  const cookie = res.cookies.find((x) => x.name === SESSION_COOKIE)!;
  t.ok(cookie.httpOnly, 'session cookie is HttpOnly');
  t.equal(cookie.sameSite, 'Lax');
  t.notOk(cookie.secure, 'not Secure over plain http by default');
  const stored = await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
  t.same(stored.map((s) => s.id), [sha256(cookie.value)], 'the database keeps only a hash of the session id');

  const home = await c.get('/');
  t.equal(home.statusCode, 200);
  t.match(text(home.body), 'Hello, Wang Fang');
  t.match(home.body, 'href="/organizations"', 'manager navigation shows organisations');
  t.notMatch(home.body, 'href="/users"', 'manager navigation hides the admin pages');

  const out = await c.post('/logout');
  t.equal(out.statusCode, 303);
  t.equal(await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute().then((r) => r.length), 0, 'logout ends the session');
  const after = await app.inject({ url: '/', headers: { cookie: `${SESSION_COOKIE}=${cookie.value}` } });
  t.equal(after.statusCode, 303, 'the old cookie no longer works');
});

t.test('a wrong password is refused with a message and no session', async (t) => {
  const { app, db } = await buildTestApp(t);
  const user = await makeUser(db, 'lawyer');
  const c = new Client(app);
  await c.get('/login');
  const res = await c.post('/login', { email: user.email, password: 'wrong password!' });
  t.equal(res.statusCode, 422);
  t.match(text(res.body), 'Wrong email or password.');
  t.match(res.body, `value="${user.email}"`, 'the email is kept');
  t.notOk(res.cookies.find((x) => x.name === SESSION_COOKIE), 'no session cookie');
});

t.test('login issues a new session id even when a session cookie was planted', async (t) => {
  const { app, db } = await buildTestApp(t);
  const user = await makeUser(db, 'admin');
  const c = new Client(app);
  await c.login(user.email);
  const first = c.cookies.get(SESSION_COOKIE)!;
  await c.get('/login'); // redirects home; now log in again with the cookie present
  const res = await c.post('/login', { email: user.email, password: PASSWORD });
  t.equal(res.statusCode, 303);
  const second = res.cookies.find((x) => x.name === SESSION_COOKIE)!.value;
  t.not(second, first, 'a fresh id');
  const ids = await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute();
  t.same(ids.map((r) => r.id), [sha256(second)], 'the previous session was ended');
});

t.test('Secure cookies when configured for https', async (t) => {
  const { app, db } = await buildTestApp(t, { config: { secureCookies: true } });
  const user = await makeUser(db, 'admin');
  const c = new Client(app);
  await c.get('/login');
  const res = await c.post('/login', { email: user.email, password: PASSWORD });
  t.ok(res.cookies.find((x) => x.name === SESSION_COOKIE)!.secure);
});

t.test('a disabled user cannot log in', async (t) => {
  const { app, db } = await buildTestApp(t);
  const user = await makeUser(db, 'volunteer');
  await db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
  const c = new Client(app);
  await c.get('/login');
  const res = await c.post('/login', { email: user.email, password: PASSWORD });
  t.equal(res.statusCode, 422);
  t.match(text(res.body), 'This account is disabled');
});

t.test('next must stay on this site', async (t) => {
  const { app, db } = await buildTestApp(t);
  const user = await makeUser(db, 'admin');
  const c = new Client(app);
  await c.get('/login');
  const res = await c.post('/login', { email: user.email, password: PASSWORD, next: '//evil.example/' });
  t.equal(res.headers.location, '/');
});
