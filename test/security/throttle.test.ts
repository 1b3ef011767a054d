// Login throttling that holds across instances: the failures live in the database,
// so two apps on one database share the count, per account and per address.
import t, { type Test } from 'tap';
import { sql, type Kysely } from 'kysely';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import type { DB } from '../../src/db/types.js';
import { freshDatabase, testConfig } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { SESSION_COOKIE } from '../../src/plugins/session.js';
import { send } from './support.js';

/** Two instances on one database, like two processes behind a load balancer. */
async function twoInstances(t: Test) {
  const shared = await freshDatabase();
  const a = await buildApp(testConfig(), { database: shared.database, logger: false });
  // closing an app closes its database: only the first one owns it
  const b = await buildApp(testConfig(), { database: { ...shared.database, close: async () => {} }, logger: false });
  await Promise.all([a.ready(), b.ready()]);
  t.teardown(async () => {
    await b.close();
    await a.close();
    await shared.drop();
  });
  return { a, b, db: shared.database.db };
}

/** One login attempt from an address, with the form's own CSRF token. */
async function attempt(app: FastifyInstance, email: string, password: string, ip: string) {
  const c = new Client(app);
  const page = await send(c, { url: '/login', remoteAddress: ip });
  const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? '';
  return send(c, { url: '/login', form: { email, password, _csrf: csrf }, remoteAddress: ip });
}

async function actions(db: Kysely<DB>, email: string) {
  const rows = await db
    .selectFrom('audit_log')
    .select('action')
    .where('action', 'like', 'login%')
    .where(sql<string>`"after"->>'email'`, '=', email)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.action);
}

void t.test('five failures for one account across two instances lock it on both', async (t) => {
  const { a, b, db } = await twoInstances(t);
  const user = await makeUser(db, 'manager');
  let n = 0;
  const ip = () => `10.0.0.${++n}`; // a new address each time: only the account counts
  for (let i = 0; i < 3; i++) t.equal((await attempt(a, user.email, 'wrong password!', ip())).statusCode, 422, `A: failure ${i + 1}`);
  for (let i = 0; i < 1; i++) t.equal((await attempt(b, user.email, 'wrong password!', ip())).statusCode, 422, 'B: failure 4');
  const fifth = await attempt(b, user.email, 'wrong password!', ip());
  t.equal(fifth.statusCode, 429, 'B: the fifth failure locks the account');

  for (const [name, app] of [['A', a], ['B', b]] as const) {
    const res = await attempt(app, user.email, PASSWORD, ip());
    t.equal(res.statusCode, 429, `${name}: even the right password is refused`);
    t.match(text(res.body), 'Too many failed attempts', `${name}: the page says why`);
    t.notOk(res.cookies.find((c) => c.name === SESSION_COOKIE), `${name}: no session`);
  }
  const upper = await attempt(a, user.email.toUpperCase(), PASSWORD, ip());
  t.equal(upper.statusCode, 429, 'the email’s case does not get around it');
  t.equal(await db.selectFrom('sessions').select('id').where('user_id', '=', user.id).execute().then((r) => r.length), 0);

  t.same(await actions(db, user.email), [
    'login.failed',
    'login.failed',
    'login.failed',
    'login.failed',
    'login.failed',
    'login.locked',
    'login.refused_locked',
    'login.refused_locked',
    'login.refused_locked',
  ]);

  // the window passes: the account can log in again
  await sql`update login_attempts set at = at - interval '16 minutes'`.execute(db);
  const later = await attempt(b, user.email, PASSWORD, ip());
  t.equal(later.statusCode, 303, 'after 15 minutes the right password works');
  t.ok(later.cookies.find((c) => c.name === SESSION_COOKIE));
});

void t.test('five failures from one address lock that address, whatever the account', async (t) => {
  const { a, b, db } = await twoInstances(t);
  const victim = await makeUser(db, 'admin');
  const attacker = '203.0.113.7';
  for (let i = 0; i < 4; i++) {
    const app = i % 2 ? b : a;
    t.equal((await attempt(app, `guess${i}@test.example`, 'password123', attacker)).statusCode, 422, `failure ${i + 1} (another email)`);
  }
  t.equal((await attempt(a, 'guess4@test.example', 'password123', attacker)).statusCode, 429, 'the fifth locks the address');

  const fromAttacker = await attempt(b, victim.email, PASSWORD, attacker);
  t.equal(fromAttacker.statusCode, 429, 'a right password from that address is refused too');
  t.match(text(fromAttacker.body), 'Too many failed attempts');
  const elsewhere = await attempt(a, victim.email, PASSWORD, '198.51.100.20');
  t.equal(elsewhere.statusCode, 303, 'the same account from another address logs in');

  const audit = await db.selectFrom('audit_log').select(['action', 'ip']).where('ip', '=', attacker).orderBy('id').execute();
  t.same(
    audit.map((r) => r.action),
    ['login.failed', 'login.failed', 'login.failed', 'login.failed', 'login.failed', 'login.locked', 'login.refused_locked'],
    'every failure and the lock are audited with the address',
  );

  await sql`update login_attempts set at = at - interval '16 minutes'`.execute(db);
  t.equal((await attempt(b, victim.email, PASSWORD, attacker)).statusCode, 303, 'after the window the address may try again');
});

void t.test('fewer than five failures do not lock, and old failures do not count', async (t) => {
  const { a, db } = await twoInstances(t);
  const user = await makeUser(db, 'lawyer');
  for (let i = 0; i < 4; i++) await attempt(a, user.email, 'wrong password!', '10.1.0.1');
  await sql`update login_attempts set at = at - interval '16 minutes'`.execute(db);
  for (let i = 0; i < 4; i++) t.equal((await attempt(a, user.email, 'wrong password!', '10.1.0.1')).statusCode, 422);
  t.equal((await attempt(a, user.email, PASSWORD, '10.1.0.1')).statusCode, 303, 'eight failures, but only four in the window');
});
