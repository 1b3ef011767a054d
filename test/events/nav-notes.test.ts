// The navigation's unread count: "Notifications (n)" / "通知 (n)" in the link's
// own text for a logged-in user with unread notifications (their own, or their
// volunteer's or lawyer's); nobody else's; gone once marked read.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { notify } from '../../src/modules/events/notifications.js';
import { makeEvent } from './support.js';

const link = /<a class="notes-link" href="\/notifications"[^>]*>([^<]*)<\/a>/;
const navLink = (html: string) => link.exec(html)?.[1] ?? null;

void t.test('the unread count in the navigation', async (t) => {
  const { app, db } = await buildTestApp(t);
  const now = new Date();
  const event = await makeEvent(db, { title: '送法进社区', startsAt: '2031-04-10T09:00:00+08:00', endsAt: '2031-04-10T11:00:00+08:00', capacity: 5 }, now);
  const a = await makeVolunteerUser(db, { name: '周志愿' });
  const b = await makeVolunteerUser(db, { name: '吴志愿' });
  const l = await makeLawyerUser(db, { name: '郑律师' });
  const login = async (email: string, lang = 'en') => {
    const c = new Client(app, { 'accept-language': lang });
    await c.login(email);
    return c;
  };
  const va = await login(a.user.email);
  const vb = await login(b.user.email);
  const la = await login(l.user.email);
  const m = await login((await makeUser(db, 'manager')).email);

  for (const c of [va, la]) {
    await c.get(`/events/${event.id}`);
    t.equal((await c.post(`/events/${event.id}/signup`, {})).statusCode, 303);
  }
  t.equal(navLink((await va.get('/')).body), null, 'nothing unread: no link');

  await m.get(`/events/${event.id}`);
  t.equal((await m.post(`/events/${event.id}/cancel`, { reason: '道路施工' })).statusCode, 303);

  const home = await va.get('/');
  t.equal(navLink(home.body), 'Notifications (1)', "the volunteer's home page shows the count in the link text");
  t.equal(navLink((await va.get('/events')).body), 'Notifications (1)', 'on every page');
  t.equal(navLink((await la.get('/')).body), 'Notifications (1)', "a lawyer who signed up: their lawyer's notifications");
  t.equal(navLink((await vb.get('/')).body), null, "nobody else's");
  t.equal(navLink((await m.get('/')).body), null);
  const zh = await login(a.user.email, 'zh-CN');
  t.equal(navLink((await zh.get('/')).body), '通知 (1)', 'in Chinese');
  const fragment = await va.get('/events?kind=countryside', { 'hx-request': 'true' });
  t.notMatch(fragment.body, 'notes-link', 'an htmx fragment has no navigation');

  // a notification addressed to the account itself counts too
  await notify(db, { userId: a.user.id }, 'event.promoted', { eventId: event.id, title: event.title, startsAt: event.starts_at.toISOString() });
  t.equal(navLink((await va.get('/')).body), 'Notifications (2)');

  const list = await va.get('/notifications');
  t.match(list.body, 'aria-current="page">Notifications (2)', 'the link marks the page it leads to');
  t.match(text(list.body), /2 unread.*送法进社区.*道路施工/);
  t.equal((await va.post('/notifications/read', {})).statusCode, 303);
  t.equal(navLink((await va.get('/')).body), null, 'marked read: the count is gone');
  t.equal(navLink((await la.get('/')).body), 'Notifications (1)', "the lawyer's are still unread");

  const anon = new Client(app);
  t.notMatch((await anon.get('/login')).body, 'notes-link', 'not for anyone logged out');
});
