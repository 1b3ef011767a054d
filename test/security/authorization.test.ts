// Authorization per object and per role: someone else's token does not exist for
// you (404), unknown ids are 404 and never 500, and each role stays in its pages.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { text } from '../helpers/client.js';
import { makeOrganization } from '../helpers/factories.js';
import { api, count, createTokenViaUi, loggedIn, send } from './support.js';

void t.test('a user cannot revoke or see another user’s API token', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client: alice } = await loggedIn(app, db, 'admin');
  const { user: bob, client: bobClient } = await loggedIn(app, db, 'manager');
  const bobToken = await createTokenViaUi(bobClient, 'bob integration');
  const row = await db.selectFrom('api_tokens').select('id').where('user_id', '=', bob.id).executeTakeFirstOrThrow();

  const page = await alice.get('/tokens');
  t.notMatch(page.body, 'bob integration', 'Alice’s token page does not list Bob’s token');
  const res = await alice.post(`/tokens/${row.id}/revoke`);
  t.equal(res.statusCode, 404, 'even an admin gets 404 for a token that is not theirs');
  t.match(text(res.body), 'Page not found');
  const after = await db.selectFrom('api_tokens').select('revoked_at').where('id', '=', row.id).executeTakeFirstOrThrow();
  t.equal(after.revoked_at, null, 'the token is not revoked');
  t.equal((await api(app, bobToken)).statusCode, 200, 'Bob’s token still works');

  // Bob himself may revoke it, which shows the route works
  await bobClient.get('/tokens');
  t.equal((await bobClient.post(`/tokens/${row.id}/revoke`)).statusCode, 303);
  t.equal((await api(app, bobToken)).statusCode, 401, 'revoked by its owner: refused');
});

void t.test('unknown or malformed ids are 404', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client } = await loggedIn(app, db, 'admin');
  for (const url of [
    '/organizations/999999/edit',
    '/organizations/abc/edit',
    '/organizations/0/edit',
    '/organizations/-1/edit',
    '/organizations/1.5/edit',
    '/organizations/99999999999999999999/edit',
    '/users/999999/edit',
    '/users/abc/edit',
    '/users/99999999999999999999/edit',
  ]) {
    const res = await client.get(url);
    t.equal(res.statusCode, 404, `GET ${url}: 404`);
  }
  const before = await count(db, 'audit_log');
  await client.get('/organizations');
  for (const url of ['/organizations/999999', '/organizations/abc', '/users/999999', '/users/999999/disabled', '/users/999999/password', '/tokens/999999/revoke', '/tokens/abc/revoke']) {
    const res = await client.post(url, { name: 'x', kind: 'centre', regionCode: '511902', email: 'x@test.example', role: 'admin', disabled: '1' });
    t.equal(res.statusCode, 404, `POST ${url}: 404`);
  }
  t.equal(await count(db, 'audit_log'), before, 'nothing was written');
});

void t.test('each role stays out of the pages of other roles', async (t) => {
  const { app, db } = await buildTestApp(t);
  const org = await makeOrganization(db);
  const { client: manager } = await loggedIn(app, db, 'manager');
  for (const url of ['/users', '/users/new', '/audit']) {
    const res = await manager.get(url);
    t.equal(res.statusCode, 403, `manager: ${url} is 403`);
    t.match(text(res.body), 'Your role may not use this');
  }
  const { client: lawyer } = await loggedIn(app, db, 'lawyer');
  for (const url of ['/organizations', '/organizations/new', `/organizations/${org.id}/edit`, '/users', '/audit']) {
    t.equal((await lawyer.get(url)).statusCode, 403, `lawyer: ${url} is 403`);
  }
  const { client: volunteer } = await loggedIn(app, db, 'volunteer');
  for (const url of ['/organizations', '/users', '/audit']) {
    t.equal((await volunteer.get(url)).statusCode, 403, `volunteer: ${url} is 403`);
  }
});

void t.test('an auditor reads organisations but cannot write them', async (t) => {
  const { app, db } = await buildTestApp(t);
  const org = await makeOrganization(db, { name: 'Existing Centre' });
  const { client: auditor } = await loggedIn(app, db, 'auditor');
  const list = await auditor.get('/organizations');
  t.equal(list.statusCode, 200, 'the auditor reads the list');
  t.match(text(list.body), 'Existing Centre');
  t.notMatch(list.body, 'href="/organizations/new"', 'no create button');
  t.notMatch(list.body, `/organizations/${org.id}/edit`, 'no edit links');
  t.ok(auditor.csrf, 'the page gave a valid CSRF token');

  const before = await count(db, 'organizations');
  const create = await auditor.post('/organizations', { name: 'Auditor Station', kind: 'workstation', regionCode: '511902', active: '1' });
  t.equal(create.statusCode, 403, 'POST /organizations with a valid token: 403');
  const edit = await auditor.post(`/organizations/${org.id}`, { name: 'Renamed', kind: 'centre', regionCode: '511902', active: '1' });
  t.equal(edit.statusCode, 403, 'POST /organizations/:id: 403');
  const htmx = await send(auditor, {
    url: '/organizations',
    form: { name: 'Auditor Station', kind: 'workstation', regionCode: '511902' },
    headers: { 'x-csrf-token': auditor.csrf, 'hx-request': 'true' },
  });
  t.equal(htmx.statusCode, 403, 'through htmx as well');
  t.equal(await count(db, 'organizations'), before, 'nothing was created');
  t.equal((await db.selectFrom('organizations').select('name').where('id', '=', org.id).executeTakeFirstOrThrow()).name, 'Existing Centre', 'nothing was renamed');
  t.equal((await auditor.get('/organizations/new')).statusCode, 403);
  t.equal((await auditor.get(`/organizations/${org.id}/edit`)).statusCode, 403);

  // the same rules on the API, with the auditor's own token
  const token = await createTokenViaUi(auditor);
  t.equal((await api(app, token)).statusCode, 200, 'the API reads');
  const apiCreate = await app.inject({
    method: 'POST',
    url: '/api/v1/organizations',
    headers: { authorization: `Bearer ${token}` },
    payload: { name: 'Via API', kind: 'workstation', regionCode: '511902' },
  });
  t.equal(apiCreate.statusCode, 403, 'the API refuses the write');
  t.equal(apiCreate.json().error.code, 'forbidden');
  t.equal(await count(db, 'organizations'), before);
});
