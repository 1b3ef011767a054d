import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';

const SECRET = 'db password is hunter2';

const { app, db } = await buildTestApp(t, {
  beforeReady(app) {
    // routes that fail the way a bug would, to see what a user gets
    app.get('/test-only/boom', async () => {
      throw new Error(`${SECRET} at /work/main/src/secret.ts:12`);
    });
    app.get('/api/test-only/boom', async () => {
      throw new TypeError(`${SECRET}: cannot read properties of undefined`);
    });
  },
});

const inLayout = (html: string) => /<header class="top">/.test(html) && /<footer class="foot">/.test(html) && /<html lang=/.test(html);

t.test('an unknown page: 404 inside the layout, in both languages', async (t) => {
  const en = await new Client(app, { 'accept-language': 'en' }).get('/no/such/page');
  t.equal(en.statusCode, 404);
  t.match(en.headers['content-type'], /^text\/html/);
  t.ok(inLayout(en.body), 'inside the layout');
  t.match(text(en.body), 'Page not found');
  t.match(en.body, '<a href="/">Home</a>', 'a way back home');

  const zh = await new Client(app, { 'accept-language': 'zh-CN' }).get('/no/such/page');
  t.equal(zh.statusCode, 404);
  t.ok(inLayout(zh.body));
  t.match(text(zh.body), '找不到页面');

  const admin = await makeUser(db, 'admin', { name: 'Admin Err' });
  const c = new Client(app);
  await c.login(admin.email);
  const logged = await c.get('/no/such/page');
  t.equal(logged.statusCode, 404);
  t.match(logged.body, 'class="main-nav"', 'with the navigation for a logged-in user');
  t.match(text(logged.body), 'Admin Err');

  const frag = await c.get('/no/such/page', { 'hx-request': 'true' });
  t.equal(frag.statusCode, 404);
  t.notMatch(frag.body, '<html', 'htmx gets a message, not a page');
  t.match(text(frag.body), 'Page not found');
  t.equal(frag.headers['hx-retarget'], '#messages');

  const unknownUser = await c.get('/users/999999/edit');
  t.equal(unknownUser.statusCode, 404, 'an unknown id is a 404 page too');
  t.ok(inLayout(unknownUser.body));
});

t.test('an unknown API route: JSON 404', async (t) => {
  for (const url of ['/api/v1/no-such-thing', '/api/nothing']) {
    const res = await app.inject({ url });
    t.equal(res.statusCode, 404, url);
    t.match(res.headers['content-type'], /^application\/json/);
    t.same(res.json(), { error: { code: 'not_found', message: 'Not found' } });
  }
});

t.test('a server error: 500 inside the layout, no details leaked', async (t) => {
  const en = await new Client(app, { 'accept-language': 'en' }).get('/test-only/boom');
  t.equal(en.statusCode, 500);
  t.ok(inLayout(en.body), 'inside the layout');
  t.match(text(en.body), 'Something went wrong');
  t.match(text(en.body), 'it has been logged');
  t.notMatch(en.body, 'hunter2', 'no error message');
  t.notMatch(en.body, '/work/main', 'no paths');
  t.notMatch(en.body, /\bat .+:\d+/, 'no stack trace');

  const zh = await new Client(app, { 'accept-language': 'zh-CN' }).get('/test-only/boom');
  t.equal(zh.statusCode, 500);
  t.match(text(zh.body), '出错了');

  const frag = await new Client(app).get('/test-only/boom', { 'hx-request': 'true' });
  t.equal(frag.statusCode, 500);
  t.notMatch(frag.body, '<html');
  t.match(text(frag.body), 'Something went wrong');
  t.notMatch(frag.body, 'hunter2');

  const api = await app.inject({ url: '/api/test-only/boom' });
  t.equal(api.statusCode, 500);
  t.same(api.json(), { error: { code: 'internal_error', message: 'Internal error' } }, 'the API says as little');
});

t.test('refusals are pages too: 403 for a role, 403 for a missing CSRF token', async (t) => {
  const manager = await makeUser(db, 'manager');
  const c = new Client(app);
  await c.login(manager.email);
  const denied = await c.get('/users');
  t.equal(denied.statusCode, 403);
  t.ok(inLayout(denied.body));
  t.match(text(denied.body), 'Not allowed');
  t.match(text(denied.body), 'Your role may not use this.');

  const csrf = await c.post('/password', { _csrf: 'forged', current: 'x', next: 'y', confirm: 'y' });
  t.equal(csrf.statusCode, 403);
  t.ok(inLayout(csrf.body));
  t.match(text(csrf.body), 'The page has expired');
});
