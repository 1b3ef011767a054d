import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { LANG_COOKIE } from '../../src/plugins/session.js';

const { app, db } = await buildTestApp(t);
const ZH = 'zh-CN,zh;q=0.9';
const EN = 'en-US,en;q=0.9';

t.test('a first visit follows Accept-Language', async (t) => {
  const zh = await new Client(app, { 'accept-language': ZH }).get('/login');
  t.equal(zh.statusCode, 200);
  t.match(zh.body, '<html lang="zh-CN">');
  t.match(text(zh.body), '登录');
  t.match(text(zh.body), '电子邮箱');
  t.notMatch(text(zh.body), 'Log in');

  const en = await new Client(app, { 'accept-language': EN }).get('/login');
  t.match(en.body, '<html lang="en">');
  t.match(text(en.body), 'Log in');
  t.match(text(en.body), 'Email');
  t.notMatch(text(en.body), '登录');

  const none = await new Client(app, {}).get('/login');
  t.match(none.body, '<html lang="zh-CN">', 'Chinese without a header');
  const other = await new Client(app, { 'accept-language': 'fr-FR,fr;q=0.9' }).get('/login');
  t.match(other.body, '<html lang="zh-CN">', 'Chinese for languages we do not have');
  const ranked = await new Client(app, { 'accept-language': 'en;q=0.5,zh-TW;q=0.8' }).get('/login');
  t.match(ranked.body, '<html lang="zh-CN">', 'the higher q wins');
  const fallback = await new Client(app, { 'accept-language': 'fr;q=0.9,en;q=0.8' }).get('/login');
  t.match(fallback.body, '<html lang="en">', 'the first language we have');
});

t.test('the switch remembers the choice over Accept-Language and goes back to next', async (t) => {
  const c = new Client(app, { 'accept-language': ZH });
  const first = await c.get('/login?next=%2Forganizations');
  t.match(text(first.body), '登录');
  t.match(text(first.body), 'English', 'the switch offers English');

  const res = await c.post('/lang', { lang: 'en', next: '/login?next=%2Forganizations' });
  t.equal(res.statusCode, 303);
  t.equal(res.headers.location, '/login?next=%2Forganizations', 'back where the user was');
  const cookie = res.cookies.find((x) => x.name === LANG_COOKIE);
  t.equal(cookie?.value, 'en');
  t.ok(cookie?.httpOnly);
  t.ok((cookie?.maxAge ?? 0) > 30 * 24 * 3600, 'remembered for a long time');

  const after = await c.get('/login');
  t.match(after.body, '<html lang="en">', 'the cookie wins over Accept-Language');
  t.match(text(after.body), 'Log in');
  t.match(text(after.body), '简体中文', 'and the switch now offers Chinese');

  const back = await c.post('/lang', { lang: 'zh-CN', next: '/login' });
  t.equal(back.statusCode, 303);
  t.match(text((await c.get('/login')).body), '登录');

  const bogus = await c.post('/lang', { lang: 'fr', next: '/login' });
  t.equal(bogus.statusCode, 303);
  t.notOk(bogus.cookies.find((x) => x.name === LANG_COOKIE), 'an unknown language is ignored');
  t.match((await c.get('/login')).body, '<html lang="zh-CN">');

  const away = await c.post('/lang', { lang: 'en', next: '//evil.example/' });
  t.equal(away.headers.location, '/', 'next stays on this site');

  const noToken = await new Client(app, { 'accept-language': ZH }).post('/lang', { lang: 'en', next: '/login' });
  t.equal(noToken.statusCode, 403, 'the switch needs the CSRF token');
  t.notOk(noToken.cookies.find((x) => x.name === LANG_COOKIE));
});

t.test('logged-in pages, messages and dates follow the language', async (t) => {
  const admin = await makeUser(db, 'admin', { name: 'Admin Lang' });
  await db
    .insertInto('audit_log')
    .values({ at: '2025-03-02T10:05:00+08:00', actor_id: null, actor_name: 'system', action: 'probe.date', entity: 'probe' })
    .execute();

  const c = new Client(app, { 'accept-language': ZH });
  await c.login(admin.email);
  const zh = text((await c.get('/audit?entity=probe')).body);
  t.match(zh, '审计日志');
  t.match(zh, '2025年3月2日 10:05', 'Chinese date, in Shanghai time');
  t.notMatch(zh, 'Mar');
  const zhHome = text((await c.get('/')).body);
  t.match(zhHome, '机构', 'Chinese navigation');

  await c.post('/lang', { lang: 'en', next: '/audit?entity=probe' });
  const en = await c.get('/audit?entity=probe');
  t.match(text(en.body), 'Audit log');
  t.match(text(en.body), '2 Mar 2025, 10:05', 'English date with a month abbreviation');
  t.notMatch(text(en.body), '年');
  const enHome = text((await c.get('/')).body);
  t.match(enHome, 'Organisations', 'English navigation');

  const zhErr = new Client(app, { 'accept-language': ZH });
  await zhErr.login(admin.email);
  await zhErr.get('/users/new');
  const invalid = await zhErr.post('/users', { name: '', email: 'x@y.z', role: 'manager' });
  t.equal(invalid.statusCode, 422);
  t.match(text(invalid.body), '此项必填。', 'validation messages in Chinese');
});
