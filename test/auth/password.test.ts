import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { verifyPassword } from '../../src/lib/secrets.js';

const { app, db } = await buildTestApp(t);

const hashOf = async (id: number) => (await db.selectFrom('users').select('password_hash').where('id', '=', id).executeTakeFirstOrThrow()).password_hash;

t.test('wrong current password, too short, mismatch: 422 with messages, nothing changed', async (t) => {
  const user = await makeUser(db, 'lawyer');
  const c = new Client(app);
  await c.login(user.email);
  const before = await hashOf(user.id);
  const page = await c.get('/password');
  t.equal(page.statusCode, 200);
  t.notMatch(text(page.body), 'An administrator reset your password', 'no forced-change notice for a normal change');

  const wrong = await c.post('/password', { current: 'not my password', next: 'another good one', confirm: 'another good one' });
  t.equal(wrong.statusCode, 422);
  t.equal(field(wrong.body, 'current').error, 'The current password is wrong.');
  t.ok(field(wrong.body, 'current').invalid);
  t.equal(field(wrong.body, 'next').error, null);
  t.notMatch(wrong.body, 'another good one', 'passwords are not echoed back');

  const short = await c.post('/password', { current: PASSWORD, next: 'short', confirm: 'short' });
  t.equal(short.statusCode, 422);
  t.equal(field(short.body, 'next').error, 'The password needs at least 10 characters.');
  t.equal(field(short.body, 'current').error, null, 'the current password was right');

  const mismatch = await c.post('/password', { current: PASSWORD, next: 'another good one', confirm: 'another good two' });
  t.equal(mismatch.statusCode, 422);
  t.equal(field(mismatch.body, 'confirm').error, 'The two new passwords do not match.');
  t.ok(field(mismatch.body, 'confirm').invalid);

  const same = await c.post('/password', { current: PASSWORD, next: PASSWORD, confirm: PASSWORD });
  t.equal(same.statusCode, 422);
  t.equal(field(same.body, 'next').error, 'The new password must differ from the current one.');

  t.equal(await hashOf(user.id), before, 'the stored password did not change');
  t.equal((await auditEntries(db, 'user.password_changed')).filter((a) => a.entity_id === String(user.id)).length, 0);
  const other = new Client(app);
  await other.get('/login');
  t.equal((await other.post('/login', { email: user.email, password: PASSWORD })).statusCode, 303, 'the old password still works');
});

t.test('a successful change: flash on the home page, the new password works, other sessions end', async (t) => {
  const user = await makeUser(db, 'manager');
  const elsewhere = new Client(app);
  await elsewhere.login(user.email);
  const c = new Client(app);
  await c.login(user.email);
  await c.get('/password');

  const res = await c.post('/password', { current: PASSWORD, next: 'my new passphrase', confirm: 'my new passphrase' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/');
  const home = await c.get('/');
  t.equal(home.statusCode, 200, 'this session stays logged in');
  t.match(text(home.body), 'Password changed. Your sessions on other devices have ended.');
  const again = await c.get('/');
  t.notMatch(text(again.body), 'Password changed.', 'the flash is shown once');

  t.equal((await elsewhere.get('/')).statusCode, 303, 'the other session has ended');
  t.ok(await verifyPassword(await hashOf(user.id), 'my new passphrase'), 'the new password is stored');

  const fresh = new Client(app);
  await fresh.get('/login');
  t.equal((await fresh.post('/login', { email: user.email, password: PASSWORD })).statusCode, 422, 'the old password fails');
  const ok = await fresh.post('/login', { email: user.email, password: 'my new passphrase' });
  t.equal(ok.statusCode, 303, 'the new password works');
  t.equal(ok.headers.location, '/');

  const entries = (await auditEntries(db, 'user.password_changed')).filter((a) => a.entity_id === String(user.id));
  t.equal(entries.length, 1, 'audited once');
  t.equal(entries[0].actor_id, user.id);
  t.notMatch(JSON.stringify(entries[0]), 'my new passphrase');
});

t.test('the password page needs a login', async (t) => {
  const c = new Client(app);
  const res = await c.get('/password');
  t.equal(res.statusCode, 303);
  t.match(res.headers.location, /^\/login\?next=%2Fpassword/);
});
