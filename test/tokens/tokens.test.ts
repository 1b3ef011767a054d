import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { sha256 } from '../../src/lib/secrets.js';

const { app, db } = await buildTestApp(t);

const api = (token: string | undefined, url = '/api/v1/organizations') =>
  app.inject({ url, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } });

/** Creates a token through the page and returns it as shown. */
async function createThroughPage(c: Client, name: string) {
  await c.get('/tokens');
  const res = await c.post('/tokens', { name });
  const m = /<code class="token" id="new-token">([^<]+)<\/code>/.exec(res.body);
  return { res, token: m?.[1] };
}

t.test('a token is shown once, stored as a hash, works, and stops working when revoked', async (t) => {
  const user = await makeUser(db, 'manager');
  const c = new Client(app);
  await c.login(user.email);
  const empty = await c.get('/tokens');
  t.equal(empty.statusCode, 200);
  t.match(text(empty.body), 'You have no tokens yet.');

  const { res, token } = await createThroughPage(c, 'Court sync');
  t.equal(res.statusCode, 201);
  t.match(text(res.body), 'Token created. Copy it now; it will not be shown again:');
  t.ok(token, 'the token is in the answer');
  t.match(token!, /^fy_[A-Za-z0-9_-]{40,}$/);

  const rows = await db.selectFrom('api_tokens').selectAll().where('user_id', '=', user.id).execute();
  t.equal(rows.length, 1);
  const row = rows[0];
  t.equal(row.token_hash, sha256(token!), 'the database keeps the SHA-256 of the token');
  t.match(row.token_hash, /^[0-9a-f]{64}$/, 'as hex');
  t.notMatch(JSON.stringify(row), token!, 'and never the token itself');
  t.equal(row.name, 'Court sync');

  const list = await c.get('/tokens');
  t.notMatch(list.body, token!, 'not shown again on the list');
  t.match(text(list.body), 'Court sync');
  t.match(text(list.body), `${row.prefix}…`, 'only its first characters');
  t.ok(token!.startsWith(row.prefix));

  const ok = await api(token);
  t.equal(ok.statusCode, 200, 'the token works on the API');
  t.same(ok.json().items, []);
  const used = await db.selectFrom('api_tokens').select('last_used_at').where('id', '=', row.id).executeTakeFirstOrThrow();
  t.ok(used.last_used_at, 'last use is recorded');

  const created = (await auditEntries(db, 'api_token.created')).filter((a) => a.entity_id === String(row.id));
  t.equal(created.length, 1, 'creation audited');
  t.equal(created[0].actor_id, user.id);
  t.notMatch(JSON.stringify(created[0]), token!);
  t.notMatch(JSON.stringify(created[0]), row.token_hash, 'not even its hash');

  const revoke = await c.post(`/tokens/${row.id}/revoke`);
  t.equal(revoke.statusCode, 303);
  t.equal(revoke.headers.location, '/tokens');
  const after = await c.get('/tokens');
  t.match(text(after.body), 'Token revoked.');
  t.match(text(after.body), 'Revoked');
  const denied = await api(token);
  t.equal(denied.statusCode, 401, 'a revoked token is refused');
  t.equal(denied.json().error.code, 'unauthorized');
  t.equal((await auditEntries(db, 'api_token.revoked')).filter((a) => a.entity_id === String(row.id)).length, 1, 'revocation audited');
});

t.test('a token needs a name', async (t) => {
  const user = await makeUser(db, 'auditor');
  const c = new Client(app);
  await c.login(user.email);
  const { res, token } = await createThroughPage(c, '   ');
  t.equal(res.statusCode, 422);
  t.notOk(token);
  t.equal(field(res.body, 'name').error, 'This field is required.');
  t.equal((await db.selectFrom('api_tokens').select('id').where('user_id', '=', user.id).execute()).length, 0);
});

t.test('one user cannot revoke another user’s token', async (t) => {
  const owner = await makeUser(db, 'admin');
  const other = await makeUser(db, 'admin');
  const oc = new Client(app);
  await oc.login(owner.email);
  const { token } = await createThroughPage(oc, 'mine');
  const id = (await db.selectFrom('api_tokens').select('id').where('user_id', '=', owner.id).executeTakeFirstOrThrow()).id;
  const xc = new Client(app);
  await xc.login(other.email);
  const res = await xc.post(`/tokens/${id}/revoke`);
  t.equal(res.statusCode, 404);
  t.equal((await api(token)).statusCode, 200, 'still works');
  const mine = await xc.get('/tokens');
  t.notMatch(text(mine.body), 'mine', 'and it is not on the other user’s list');
});

t.test('tokens of a disabled user are refused', async (t) => {
  const user = await makeUser(db, 'manager');
  const c = new Client(app);
  await c.login(user.email);
  const { token } = await createThroughPage(c, 'soon disabled');
  t.equal((await api(token)).statusCode, 200);
  await db.updateTable('users').set({ disabled_at: new Date() }).where('id', '=', user.id).execute();
  const res = await api(token);
  t.equal(res.statusCode, 401);
  t.equal(res.json().error.code, 'unauthorized');
});

t.test('a missing or malformed header gets the JSON error shape', async (t) => {
  const none = await api(undefined);
  t.equal(none.statusCode, 401);
  t.match(none.headers['content-type'], /^application\/json/);
  const body = none.json();
  t.same(Object.keys(body), ['error']);
  t.equal(body.error.code, 'unauthorized');
  t.type(body.error.message, 'string');
  t.ok(body.error.message.length > 0);

  for (const header of ['Basic abc', 'Bearer', 'Bearer fy_not-a-real-token', 'Bearer something-else']) {
    const res = await app.inject({ url: '/api/v1/organizations', headers: { authorization: header } });
    t.equal(res.statusCode, 401, header);
    t.equal(res.json().error.code, 'unauthorized');
  }
});

t.test('bearer tokens do not log anyone in on the HTML pages', async (t) => {
  const user = await makeUser(db, 'admin');
  const c = new Client(app);
  await c.login(user.email);
  const { token } = await createThroughPage(c, 'html?');
  const res = await app.inject({ url: '/organizations', headers: { authorization: `Bearer ${token}` } });
  t.equal(res.statusCode, 303);
  t.match(res.headers.location, /^\/login/);
});
