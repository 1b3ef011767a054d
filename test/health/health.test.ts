import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { createDb } from '../../src/db/index.js';
import { SESSION_COOKIE } from '../../src/plugins/session.js';

t.test('with the database up: both answer 200 without a login', async (t) => {
  const { app } = await buildTestApp(t);
  const health = await app.inject({ url: '/healthz' });
  t.equal(health.statusCode, 200);
  t.same(health.json(), { status: 'ok' });
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 200);
  t.same(ready.json(), { status: 'ok', database: 'ok' });
  const withStaleCookie = await app.inject({ url: '/readyz', headers: { cookie: `${SESSION_COOKIE}=stale` } });
  t.equal(withStaleCookie.statusCode, 200, 'a stale session cookie changes nothing');
  t.notOk(withStaleCookie.headers['set-cookie'], 'and sets no cookie');
});

t.test('with the database unreachable: /healthz 200, /readyz 503, pages 503', async (t) => {
  // a server that refuses connections: nothing listens on port 1
  const database = await createDb({ databaseUrl: 'postgres://nobody@127.0.0.1:1/none', poolSize: 1 });
  const { app } = await buildTestApp(t, { database: { database, drop: async () => {} } });
  const health = await app.inject({ url: '/healthz' });
  t.equal(health.statusCode, 200, 'the process still runs');
  const ready = await app.inject({ url: '/readyz' });
  t.equal(ready.statusCode, 503);
  t.same(ready.json(), { status: 'unavailable', database: 'unreachable' });

  const page = await app.inject({ url: '/', headers: { cookie: `${SESSION_COOKIE}=whatever`, 'accept-language': 'en' } });
  t.equal(page.statusCode, 503, 'a page needing the database');
  t.match(page.body, 'Temporarily unavailable');
  t.equal(page.headers['retry-after'], '5');
});
