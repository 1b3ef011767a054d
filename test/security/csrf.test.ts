// CSRF: every state-changing form needs the token of this session; a forged,
// missing or borrowed one is refused with 403 and changes nothing. GETs never write.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { SESSION_COOKIE } from '../../src/plugins/session.js';
import { count, loggedIn, send } from './support.js';

const ORG = { name: 'Forged Station', kind: 'workstation', regionCode: '511902', active: '1' };
const NEW_USER = { name: 'Forged User', email: 'forged@test.example', role: 'admin', password: 'forged password 1' };

void t.test('a POST without, with a wrong, or with another session’s token is refused and changes nothing', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { user: admin, client: victim } = await loggedIn(app, db, 'admin');
  const { client: attacker } = await loggedIn(app, db, 'admin');
  await victim.get('/organizations');
  await attacker.get('/organizations');
  t.ok(victim.csrf && attacker.csrf && victim.csrf !== attacker.csrf, 'each session has its own token');

  const tokens: [string, Record<string, string>][] = [
    ['no token', {}],
    ['a wrong token', { _csrf: 'x'.repeat(victim.csrf.length) }],
    ['an empty token', { _csrf: '' }],
    ['another session’s token', { _csrf: attacker.csrf }],
  ];
  const targets: [string, Record<string, string>, () => Promise<number>][] = [
    ['/organizations', ORG, () => count(db, 'organizations')],
    ['/users', NEW_USER, () => count(db, 'users')],
    ['/tokens', { name: 'forged token' }, () => count(db, 'api_tokens')],
    [`/users/${admin.id}`, { name: 'Renamed', email: admin.email, role: 'admin' }, async () => (await db.selectFrom('users').select('name').where('name', '=', 'Renamed').execute()).length],
  ];
  const auditBefore = await count(db, 'audit_log');
  for (const [url, form, rows] of targets) {
    const before = await rows();
    for (const [label, token] of tokens) {
      const res = await send(victim, { url, form: { ...form, ...token } });
      t.equal(res.statusCode, 403, `${url} with ${label}: 403`);
      t.match(text(res.body), 'The page has expired or the request did not come from this site', `${url} with ${label}: the page says why`);
    }
    t.equal(await rows(), before, `${url}: nothing was written`);
  }
  t.equal(await count(db, 'audit_log'), auditBefore, 'nothing reached the audit log');

  // logout is a write too: a forged one must not log the victim out
  for (const [label, token] of tokens) {
    const res = await send(victim, { url: '/logout', form: token });
    t.equal(res.statusCode, 403, `logout with ${label}: 403`);
  }
  t.ok(victim.cookies.get(SESSION_COOKIE), 'the session cookie is kept');
  t.equal((await victim.get('/')).statusCode, 200, 'the victim is still logged in');

  // the same requests with the right token go through (so the checks above mean something)
  await victim.get('/organizations/new');
  t.equal((await victim.post('/organizations', ORG)).statusCode, 303, 'with the token: created');
  t.equal(await count(db, 'organizations'), 1);
});

void t.test('the htmx header carries the token just as well', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client } = await loggedIn(app, db, 'manager');
  await client.get('/organizations/new');
  const res = await send(client, { url: '/organizations', form: ORG, headers: { 'x-csrf-token': client.csrf, 'hx-request': 'true' } });
  t.equal(res.statusCode, 204, 'htmx gets a client-side redirect');
  t.equal(res.headers['hx-redirect'], '/organizations');
  t.equal(await count(db, 'organizations'), 1, 'created');

  const wrong = await send(client, { url: '/organizations', form: ORG, headers: { 'x-csrf-token': 'nope', 'hx-request': 'true' } });
  t.equal(wrong.statusCode, 403, 'a wrong header is refused');
  t.equal(await count(db, 'organizations'), 1, 'and nothing more is created');
});

void t.test('the login form needs its token too', async (t) => {
  const { app, db } = await buildTestApp(t);
  const user = await makeUser(db, 'admin');

  const cold = new Client(app);
  const res = await send(cold, { url: '/login', form: { email: user.email, password: PASSWORD } });
  t.equal(res.statusCode, 403, 'a cross-site login post with no token is refused');
  t.notOk(res.cookies.find((c) => c.name === SESSION_COOKIE), 'no session is started');

  const mine = new Client(app);
  await mine.get('/login');
  const other = new Client(app);
  await other.get('/login');
  t.ok(mine.csrf && other.csrf && mine.csrf !== other.csrf, 'each visitor gets their own token');
  const missing = await send(mine, { url: '/login', form: { email: user.email, password: PASSWORD } });
  t.equal(missing.statusCode, 403, 'with the cookie but no token: refused');
  const borrowed = await send(mine, { url: '/login', form: { email: user.email, password: PASSWORD, _csrf: other.csrf } });
  t.equal(borrowed.statusCode, 403, 'another visitor’s token: refused');
  t.equal(await count(db, 'sessions'), 0, 'no session was created');
  t.equal(await count(db, 'login_attempts'), 0, 'the login was not even tried');

  const ok = await send(mine, { url: '/login', form: { email: user.email, password: PASSWORD, _csrf: mine.csrf } });
  t.equal(ok.statusCode, 303, 'with its own token the login works');
});

void t.test('the API does not accept the session cookie instead of a bearer token', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client } = await loggedIn(app, db, 'admin');
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/organizations',
    headers: { cookie: `${SESSION_COOKIE}=${client.cookies.get(SESSION_COOKIE)}`, 'content-type': 'application/json' },
    payload: JSON.stringify({ name: 'Via cookie', kind: 'workstation', regionCode: '511902' }),
  });
  t.equal(res.statusCode, 401, 'the CSRF-exempt API ignores cookies');
  t.equal(await count(db, 'organizations'), 0);
});

void t.test('no GET changes anything', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { user: admin, client } = await loggedIn(app, db, 'admin');
  const victim = await makeUser(db, 'manager');
  const other = new Client(app);
  await other.login(victim.email);
  const hashBefore = (await db.selectFrom('users').select('password_hash').where('id', '=', victim.id).executeTakeFirstOrThrow()).password_hash;
  const auditBefore = await count(db, 'audit_log');

  const logout = await client.get('/logout');
  t.equal(logout.statusCode, 404, 'GET /logout is not a logout');
  t.equal((await client.get('/')).statusCode, 200, 'still logged in');

  for (const url of [`/users/${victim.id}/password`, `/users/${victim.id}/disabled?disabled=1`, '/tokens/1/revoke', `/users/${admin.id}/disabled?disabled=1`]) {
    t.equal((await client.get(url)).statusCode, 404, `GET ${url}: 404`);
  }
  const after = await db.selectFrom('users').select(['password_hash', 'disabled_at']).where('id', '=', victim.id).executeTakeFirstOrThrow();
  t.equal(after.password_hash, hashBefore, 'the password was not reset');
  t.equal(after.disabled_at, null, 'the user was not disabled');
  t.equal((await other.get('/')).statusCode, 200, 'the victim’s session lives on');
  t.equal(await count(db, 'audit_log'), auditBefore, 'no write was audited');
});
