import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';

const { app, db } = await buildTestApp(t);
const admin = await makeUser(db, 'admin', { name: 'Admin Zhao' });
const ac = new Client(app);
await ac.login(admin.email);

const countUsers = async () => (await db.selectFrom('users').select('id').execute()).length;

/** Logs in with a fresh client; returns the client and the login answer. */
async function loginAs(email: string, password: string) {
  const c = new Client(app);
  await c.get('/login');
  const res = await c.post('/login', { email, password });
  return { c, res };
}

t.test('a user created without a password gets a one-time password and must change it first', async (t) => {
  const form = await ac.get('/users/new');
  t.equal(form.statusCode, 200);
  const res = await ac.post('/users', { name: 'Li Na', email: 'li.na@test.example', role: 'lawyer' });
  t.equal(res.statusCode, 201);
  const m = /Initial password: (\S+) \(shown only once/.exec(text(res.body));
  t.ok(m, 'the generated password is shown');
  const generated = m![1];
  t.ok(generated.length >= 10, 'long enough');

  const row = await db.selectFrom('users').selectAll().where('email', '=', 'li.na@test.example').executeTakeFirstOrThrow();
  t.equal(row.role, 'lawyer');
  t.equal(row.must_change_password, true, 'must change at first login');
  t.match(row.password_hash, /^\$argon2id\$/, 'stored as an argon2id hash');
  t.notMatch(row.password_hash, generated);

  const edit = await ac.get(`/users/${row.id}/edit`);
  t.equal(edit.statusCode, 200);
  t.notMatch(edit.body, generated, 'the password is not shown again');
  const list = await ac.get('/users');
  t.match(text(list.body), 'Li Na');
  t.notMatch(list.body, generated);

  const [created] = (await auditEntries(db, 'user.created')).filter((a) => a.entity_id === String(row.id));
  t.ok(created, 'creation audited');
  t.equal(created.actor_id, admin.id);
  t.match(created.after, { email: 'li.na@test.example', role: 'lawyer', must_change_password: true });
  t.notOk('password_hash' in (created.after ?? {}), 'no hash in the audit log');
  t.notMatch(JSON.stringify(created.after), generated);

  const { c, res: login } = await loginAs('li.na@test.example', generated);
  t.equal(login.statusCode, 303);
  t.equal(login.headers.location, '/password', 'sent to change the password');
  for (const path of ['/', '/tokens', '/organizations', '/users', '/audit', '/no-such-page']) {
    const r = await c.get(path);
    t.equal(r.statusCode, 303, `${path} redirects`);
    t.equal(r.headers.location, '/password', `${path} goes to /password`);
  }
  const htmx = await c.get('/tokens', { 'hx-request': 'true' });
  t.equal(htmx.headers['hx-redirect'], '/password', 'htmx requests are redirected too');

  const page = await c.get('/password');
  t.equal(page.statusCode, 200);
  t.match(text(page.body), 'Please choose a new one first');
  const changed = await c.post('/password', { current: generated, next: 'a brand new secret', confirm: 'a brand new secret' });
  t.equal(changed.statusCode, 303);
  t.equal(changed.headers.location, '/');
  const home = await c.get('/');
  t.equal(home.statusCode, 200, 'free to use the app now');
  t.match(text(home.body), 'Password changed.');
  t.equal((await c.get('/tokens')).statusCode, 200);
  const after = await db.selectFrom('users').select('must_change_password').where('id', '=', row.id).executeTakeFirstOrThrow();
  t.equal(after.must_change_password, false);
});

t.test('a user created with a password is not forced to change it', async (t) => {
  const res = await ac.post('/users', { name: 'Chen Jie', email: 'chen.jie@test.example', role: 'manager', password: 'chosen password 1' });
  t.equal(res.statusCode, 201);
  t.match(text(res.body), 'User saved.');
  t.notMatch(text(res.body), 'Initial password', 'no generated password shown');
  t.notMatch(res.body, 'chosen password 1', 'the chosen password is not echoed');
  const row = await db.selectFrom('users').selectAll().where('email', '=', 'chen.jie@test.example').executeTakeFirstOrThrow();
  t.equal(row.must_change_password, false);
  const { c, res: login } = await loginAs('chen.jie@test.example', 'chosen password 1');
  t.equal(login.statusCode, 303);
  t.equal(login.headers.location, '/');
  const home = await c.get('/');
  t.equal(home.statusCode, 200);
  t.match(text(home.body), 'Hello, Chen Jie');
});

t.test('invalid input: 422, the message by the field, the input kept, nothing created', async (t) => {
  await makeUser(db, 'manager', { email: 'taken@test.example' });
  const users = await countUsers();
  const audits = (await auditEntries(db, 'user.created')).length;
  await ac.get('/users/new');

  const dup = await ac.post('/users', { name: 'Zhang San', email: 'TAKEN@Test.Example', role: 'auditor', password: 'some long secret' });
  t.equal(dup.statusCode, 422, 'duplicate email, other case');
  const email = field(dup.body, 'email');
  t.ok(email.invalid, 'the email input is marked invalid');
  t.equal(email.error, 'That email is already in use.');
  t.equal(email.value, 'TAKEN@Test.Example', 'the email typed is kept');
  t.equal(field(dup.body, 'name').value, 'Zhang San', 'the name typed is kept');
  t.equal(field(dup.body, 'name').invalid, false, 'the name is fine');
  t.equal(field(dup.body, 'role').value, 'auditor', 'the role chosen is kept');
  t.notMatch(dup.body, 'some long secret', 'the password is not echoed back');
  t.match(text(dup.body), 'Please correct the marked fields');

  const bad = await ac.post('/users', { name: 'Zhang San', email: 'not-an-email', role: 'manager' });
  t.equal(bad.statusCode, 422, 'bad email');
  t.equal(field(bad.body, 'email').error, 'Enter a valid email address.');
  t.ok(field(bad.body, 'email').invalid);
  t.equal(field(bad.body, 'email').value, 'not-an-email');

  const noName = await ac.post('/users', { name: '  ', email: 'someone.new@test.example', role: 'manager' });
  t.equal(noName.statusCode, 422, 'missing name');
  t.equal(field(noName.body, 'name').error, 'This field is required.');
  t.ok(field(noName.body, 'name').invalid);
  t.equal(field(noName.body, 'email').value, 'someone.new@test.example');
  t.equal(field(noName.body, 'email').error, null, 'no message on a good field');

  const short = await ac.post('/users', { name: 'Short Pw', email: 'short.pw@test.example', role: 'manager', password: 'short' });
  t.equal(short.statusCode, 422, 'too short a password');
  t.equal(field(short.body, 'password').error, 'The password needs at least 10 characters.');

  t.equal(await countUsers(), users, 'no user was created');
  t.equal((await auditEntries(db, 'user.created')).length, audits, 'nothing audited');
});

t.test('two admins creating the same email at once: one user, the other gets the message', async (t) => {
  const second = new Client(app);
  await second.login((await makeUser(db, 'admin')).email);
  await ac.get('/users/new');
  const [a, b] = await Promise.all([
    ac.post('/users', { name: 'Race One', email: 'race@test.example', role: 'manager' }),
    second.post('/users', { name: 'Race Two', email: 'RACE@test.example', role: 'manager' }),
  ]);
  t.same([a.statusCode, b.statusCode].sort(), [201, 422], 'one created, one refused (not a server error)');
  const loser = a.statusCode === 422 ? a : b;
  t.equal(field(loser.body, 'email').error, 'That email is already in use.');
  const rows = await db.selectFrom('users').select('name').where((eb) => eb(eb.fn('lower', ['email']), '=', 'race@test.example')).execute();
  t.equal(rows.length, 1);
});

t.test('editing name and role is saved and audited with before and after', async (t) => {
  const target = await makeUser(db, 'lawyer', { name: 'Old Name' });
  const { c: tc } = await loginAs(target.email, PASSWORD);
  t.equal((await tc.get('/')).statusCode, 200);

  const edit = await ac.get(`/users/${target.id}/edit`);
  t.equal(edit.statusCode, 200);
  t.equal(field(edit.body, 'name').value, 'Old Name');
  t.equal(field(edit.body, 'role').value, 'lawyer');

  const res = await ac.post(`/users/${target.id}`, { name: 'New Name', email: target.email, role: 'manager' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/users');
  const list = await ac.get('/users');
  t.match(text(list.body), 'User saved.');
  t.match(text(list.body), 'New Name');
  t.notMatch(text(list.body), 'Old Name');
  const row = await db.selectFrom('users').select(['name', 'role']).where('id', '=', target.id).executeTakeFirstOrThrow();
  t.same(row, { name: 'New Name', role: 'manager' });

  const [entry] = (await auditEntries(db, 'user.updated')).filter((a) => a.entity_id === String(target.id));
  t.ok(entry, 'the change is audited');
  t.equal(entry.actor_id, admin.id);
  t.match(entry.before, { role: 'lawyer', name: 'Old Name' });
  t.match(entry.after, { role: 'manager', name: 'New Name' });
  t.notOk('email' in (entry.before ?? {}), 'unchanged fields are left out');

  t.equal((await tc.get('/')).statusCode, 303, 'a role change ends the user’s sessions');

  const other = await makeUser(db, 'auditor', { email: 'other.one@test.example' });
  const clash = await ac.post(`/users/${target.id}`, { name: 'New Name', email: 'Other.One@test.example', role: 'manager' });
  t.equal(clash.statusCode, 422, 'cannot take another user’s email');
  t.equal(field(clash.body, 'email').error, 'That email is already in use.');
  const still = await db.selectFrom('users').select('email').where('id', '=', target.id).executeTakeFirstOrThrow();
  t.equal(still.email, target.email);
  t.ok(other);

  const missing = await ac.get('/users/999999/edit');
  t.equal(missing.statusCode, 404, 'unknown id');
});

t.test('disable and enable', async (t) => {
  const target = await makeUser(db, 'volunteer', { name: 'Volunteer Wu' });
  const { c: tc } = await loginAs(target.email, PASSWORD);
  await ac.get(`/users/${target.id}/edit`);

  const off = await ac.post(`/users/${target.id}/disabled`, { disabled: '1' });
  t.equal(off.statusCode, 303);
  t.equal(off.headers.location, `/users/${target.id}/edit`);
  const page = await ac.get(`/users/${target.id}/edit`);
  t.match(text(page.body), 'User disabled; all their sessions have ended.');
  t.match(text(page.body), 'Status: Disabled');
  t.match(text(page.body), 'Enable');
  const row = await db.selectFrom('users').select('disabled_at').where('id', '=', target.id).executeTakeFirstOrThrow();
  t.ok(row.disabled_at, 'stored as disabled');
  t.equal((await tc.get('/')).statusCode, 303, 'the user’s session has ended');
  const refused = await loginAs(target.email, PASSWORD);
  t.equal(refused.res.statusCode, 422);
  t.match(text(refused.res.body), 'This account is disabled');
  const [disabled] = (await auditEntries(db, 'user.disabled')).filter((a) => a.entity_id === String(target.id));
  t.ok(disabled, 'disabling is audited');
  t.same(disabled.before, { disabled_at: null });
  t.ok(disabled.after?.disabled_at, 'after has the time');

  const on = await ac.post(`/users/${target.id}/disabled`, { disabled: '0' });
  t.equal(on.statusCode, 303);
  const again = await ac.get(`/users/${target.id}/edit`);
  t.match(text(again.body), 'User enabled.');
  t.match(text(again.body), 'Status: Active');
  const back = await loginAs(target.email, PASSWORD);
  t.equal(back.res.statusCode, 303, 'can log in again');
  const [enabled] = (await auditEntries(db, 'user.enabled')).filter((a) => a.entity_id === String(target.id));
  t.ok(enabled, 'enabling is audited');
  t.same(enabled.after, { disabled_at: null });
  t.ok(enabled.before?.disabled_at);

  await ac.get(`/users/${admin.id}/edit`);
  const self = await ac.post(`/users/${admin.id}/disabled`, { disabled: '1' });
  t.equal(self.statusCode, 303);
  const selfPage = await ac.get(`/users/${admin.id}/edit`);
  t.match(text(selfPage.body), 'You cannot disable your own account.');
  const me = await db.selectFrom('users').select('disabled_at').where('id', '=', admin.id).executeTakeFirstOrThrow();
  t.equal(me.disabled_at, null, 'the admin is still enabled');
});

t.test('reset password: a temporary password shown once, the old one dead, a change forced', async (t) => {
  const target = await makeUser(db, 'manager', { name: 'Manager Sun' });
  const { c: tc } = await loginAs(target.email, PASSWORD);
  await ac.get(`/users/${target.id}/edit`);

  const res = await ac.post(`/users/${target.id}/password`);
  t.equal(res.statusCode, 200);
  const m = /Temporary password: (\S+) \(shown only once/.exec(text(res.body));
  t.ok(m, 'the temporary password is shown');
  const temporary = m![1];
  const again = await ac.get(`/users/${target.id}/edit`);
  t.notMatch(again.body, temporary, 'shown only once');

  t.equal((await tc.get('/')).statusCode, 303, 'the user’s sessions have ended');
  const old = await loginAs(target.email, PASSWORD);
  t.equal(old.res.statusCode, 422, 'the old password no longer works');
  const fresh = await loginAs(target.email, temporary);
  t.equal(fresh.res.statusCode, 303);
  t.equal(fresh.res.headers.location, '/password', 'must change it');
  const blocked = await fresh.c.get('/organizations');
  t.equal(blocked.headers.location, '/password');
  const row = await db.selectFrom('users').select('must_change_password').where('id', '=', target.id).executeTakeFirstOrThrow();
  t.equal(row.must_change_password, true);

  const [entry] = (await auditEntries(db, 'user.password_reset')).filter((a) => a.entity_id === String(target.id));
  t.ok(entry, 'the reset is audited');
  t.equal(entry.actor_id, admin.id);
  t.notMatch(JSON.stringify(entry), temporary, 'without the password');
});

t.test('only admins manage users', async (t) => {
  const manager = await makeUser(db, 'manager');
  const target = await makeUser(db, 'lawyer');
  const { c } = await loginAs(manager.email, PASSWORD);
  t.equal((await c.get('/users')).statusCode, 403);
  t.equal((await c.get(`/users/${target.id}/edit`)).statusCode, 403);
  const post = await c.post(`/users/${target.id}/password`);
  t.equal(post.statusCode, 403);
  const row = await db.selectFrom('users').select('must_change_password').where('id', '=', target.id).executeTakeFirstOrThrow();
  t.equal(row.must_change_password, false, 'no reset happened');
});
