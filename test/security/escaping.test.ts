// Names are data, never markup: an organisation or user named like a script or an
// htmx-carrying tag shows up escaped on every page and fragment that shows it.
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../helpers/app.js';
import { Client } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { api, createTokenViaUi, loggedIn } from './support.js';

const SCRIPT = '<script>alert(1)</script>';
const HTMX = '<b hx-get="/x">bold</b>';
const PASSWORD = 'escaping password';

void t.test('hostile names are escaped everywhere they are shown', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client: admin } = await loggedIn(app, db, 'admin');

  // organisations: one through the API, one through the form (both audited)
  const token = await createTokenViaUi(admin);
  const created = await app.inject({
    method: 'POST',
    url: '/api/v1/organizations',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: SCRIPT, kind: 'centre', regionCode: '511902' },
  });
  t.equal(created.statusCode, 201);
  const scriptOrg = created.json<{ id: number; name: string }>();
  t.equal(scriptOrg.name, SCRIPT, 'the API keeps the name as it was given (JSON is not HTML)');
  await admin.get('/organizations/new');
  t.equal((await admin.post('/organizations', { name: HTMX, kind: 'workstation', regionCode: '511902', parentId: String(scriptOrg.id), active: '1' })).statusCode, 303);
  const htmxOrg = await db.selectFrom('organizations').select('id').where('name', '=', HTMX).executeTakeFirstOrThrow();
  t.equal((await api(app, token, `/api/v1/organizations/${htmxOrg.id}`)).json().name, HTMX);

  // users: created by the admin form, so they can log in and act
  const users: Record<string, number> = {};
  for (const [i, name] of [SCRIPT, HTMX].entries()) {
    await admin.get('/users/new');
    const res = await admin.post('/users', { name, email: `hostile${i}@test.example`, role: 'manager', password: PASSWORD });
    t.equal(res.statusCode, 201, `user ${i} created`);
    expectEscaped(t, res, `the creation answer for user ${i}`, [name]);
    users[name] = (await db.selectFrom('users').select('id').where('name', '=', name).executeTakeFirstOrThrow()).id;
  }

  const pages: [string, Record<string, string>, string[]][] = [
    ['/organizations', {}, [SCRIPT, HTMX]],
    ['/organizations?q=alert', { 'hx-request': 'true' }, [SCRIPT]],
    ['/organizations?q=bold', { 'hx-request': 'true' }, [HTMX]],
    ['/organizations?sort=updated', { 'hx-request': 'true' }, [SCRIPT, HTMX]],
    [`/organizations/${scriptOrg.id}/edit`, {}, [SCRIPT, HTMX]], // HTMX is in the parent choices
    [`/organizations/${htmxOrg.id}/edit`, {}, [SCRIPT, HTMX]],
    ['/organizations/new', {}, [SCRIPT, HTMX]],
    ['/users', {}, [SCRIPT, HTMX]],
    ['/users?q=hostile', { 'hx-request': 'true' }, [SCRIPT, HTMX]],
    [`/users/${users[SCRIPT]}/edit`, {}, [SCRIPT]],
    [`/users/${users[HTMX]}/edit`, {}, [HTMX]],
  ];
  for (const [url, headers, names] of pages) {
    const res = await admin.get(url, headers);
    t.equal(res.statusCode, 200, `${url} is shown`);
    if (headers['hx-request']) t.notMatch(res.body, /<html/i, `${url}: a fragment for htmx`);
    expectEscaped(t, res, url, names);
  }

  // each hostile user logs in, sees their greeting, and leaves a trace in the audit log
  for (const [i, name] of [SCRIPT, HTMX].entries()) {
    const c = new Client(app);
    await c.login(`hostile${i}@test.example`, PASSWORD);
    const home = await c.get('/');
    t.equal(home.statusCode, 200);
    expectEscaped(t, home, `home of user ${i}`, [name]);
    t.match(home.body, `Hello, ${escapeHtml(name)}`, `the greeting of user ${i} is escaped`);
    await c.get('/organizations/new');
    t.equal((await c.post('/organizations', { name: `By user ${i}`, kind: 'workstation', regionCode: '511902', active: '1' })).statusCode, 303);
    expectEscaped(t, await c.get('/organizations'), `the list seen by user ${i}`, [name]);
  }

  const auditor = await makeUser(db, 'auditor');
  const reader = new Client(app);
  await reader.login(auditor.email);
  for (const [url, headers] of [
    ['/audit', {}],
    ['/audit?entity=organization', { 'hx-request': 'true' }],
    ['/audit?entity=user', {}],
    [`/audit?user=${users[HTMX]}`, {}],
  ] as const) {
    const res = await reader.get(url, headers);
    t.equal(res.statusCode, 200, `${url} is shown`);
    // the audit page shows names in JSON snapshots, where quotes are backslashed first
    t.notMatch(res.body, '<script>alert', `${url}: no live script`);
    t.notMatch(res.body, '<b hx-get', `${url}: no live htmx attribute`);
    t.match(res.body, '&lt;script&gt;alert(1)&lt;/script&gt;', `${url}: the script name is shown escaped`);
  }
  const all = await reader.get('/audit');
  t.match(all.body, '&lt;b hx-get=', 'the htmx name is shown escaped in the audit log');
  t.match(all.body, `<option value="${users[HTMX]}">${escapeHtml(HTMX)}`, 'and in the actor filter');
});

void t.test('a hostile email typed into the login form comes back escaped', async (t) => {
  const { app } = await buildTestApp(t);
  const c = new Client(app);
  await c.get('/login');
  const email = `"><script>alert(1)</script>`;
  const res = await c.post('/login', { email, password: 'whatever it is' });
  t.equal(res.statusCode, 422);
  t.notMatch(res.body, '<script>alert', 'no live script');
  t.match(res.body, 'value="&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;"', 'the value stays inside its attribute');
});

function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

function expectEscaped(t: Test, res: LightMyRequestResponse, label: string, names: string[]) {
  t.notMatch(res.body, '<script>alert', `${label}: no live script`);
  t.notMatch(res.body, '<b hx-get', `${label}: no live htmx attribute`);
  for (const name of names) {
    t.notOk(res.body.includes(name), `${label}: the raw name ${name} does not appear`);
    t.ok(res.body.includes(escapeHtml(name)), `${label}: the escaped name ${escapeHtml(name)} does`);
  }
}
