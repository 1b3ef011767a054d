// The event pages as people use them: the list with filters, one-click sign-up and
// cancel, refusals said at the top with nothing changed, the manager's event page
// (sign-ups in order, check-in code), creating and cancelling events.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeVolunteerUser } from '../helpers/people.js';
import { makeEvent, signupRows } from './support.js';

const day = (d: string, h: string) => `${d}T${h}:00+08:00`;

void t.test('event pages', async (t) => {
  const { app, db } = await buildTestApp(t);
  const now = new Date();
  const ev = (fields: Parameters<typeof makeEvent>[1]) => makeEvent(db, fields, now);
  const small = await ev({ title: '送法下乡·小村', startsAt: day('2031-05-10', '09:00'), endsAt: day('2031-05-10', '12:00'), capacity: 1 });
  const clash = await ev({ title: '咨询日·撞车', kind: 'consultation_day', startsAt: day('2031-05-10', '10:00'), endsAt: day('2031-05-10', '11:00'), capacity: 5 });
  const school = await ev({ title: '法律进校园', kind: 'six_intos', sixIntosTarget: 'schools', startsAt: day('2031-06-01', '14:00'), endsAt: day('2031-06-01', '16:00'), regionCode: '511902', capacity: 2 });
  const later = await ev({ title: '未开放报名', startsAt: day('2031-07-01', '09:00'), endsAt: day('2031-07-01', '10:00'), signupOpensAt: day('2031-06-20', '09:00') });

  const a = await makeVolunteerUser(db, { name: '张志愿' });
  const b = await makeVolunteerUser(db, { name: '李志愿' });
  const va = new Client(app);
  await va.login(a.user.email);
  const vb = new Client(app);
  await vb.login(b.user.email);
  const m = new Client(app);
  await m.login((await makeUser(db, 'manager')).email);

  await t.test('the list: every event with its facts, an Events link in the navigation', async (t) => {
    const res = await va.get('/events');
    t.equal(res.statusCode, 200);
    const page = text(res.body);
    t.match(res.body, /<a href="\/events" aria-current="page">Events<\/a>/, 'the navigation links the events');
    for (const e of [small, clash, school, later]) t.match(page, e.title);
    t.match(page, /Six intos.*Schools|Schools/i, 'the six-intos target is shown');
    t.match(page, '0 of 1 taken');
    t.equal((res.body.match(/action="\/events\/\d+\/signup"/g) ?? []).length, 4, 'one sign-up button per event');
    t.notMatch(page, 'Check-in code', 'a volunteer never sees the code');
    t.notMatch(page, small.checkin_code);
  });

  await t.test('filters, with an htmx fragment', async (t) => {
    const res = await va.get('/events?kind=six_intos', { 'hx-request': 'true' });
    t.equal(res.statusCode, 200);
    t.notMatch(res.body, '<html', 'only the results');
    t.match(text(res.body), school.title);
    t.notMatch(text(res.body), small.title);
    const dated = text((await va.get('/events?from=2031-06-01&to=2031-06-30')).body);
    t.match(dated, school.title);
    t.notMatch(dated, small.title);
    t.notMatch(dated, later.title);
    const zh = new Client(app, { 'accept-language': 'zh-CN' });
    await zh.login(a.user.email);
    t.match(text((await zh.get('/events')).body), '法律六进', 'in Chinese too');
  });

  await t.test('sign up in one click, see it, and the refusals', async (t) => {
    await va.get('/events');
    const res = await va.post(`/events/${small.id}/signup`, { next: 'list' });
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, '/events');
    const page = text((await va.get('/events')).body);
    t.match(page, 'Signed up and confirmed');
    t.match(page, /送法下乡·小村.*Confirmed.*Cancel/);

    const twice = await va.post(`/events/${small.id}/signup`, {});
    t.equal(twice.statusCode, 409);
    t.match(text(twice.body), /already signed up/i);
    const overlap = await va.post(`/events/${clash.id}/signup`, {});
    t.equal(overlap.statusCode, 422);
    t.match(text(overlap.body), /overlaps|clash|conflict/i);
    t.match(text(overlap.body), small.title, 'names the event it clashes with');
    const early = await va.post(`/events/${later.id}/signup`, {});
    t.equal(early.statusCode, 422);
    t.match(text(early.body), /open/i);
    t.same((await signupRows(db, small.id)).map((r) => r.status), ['confirmed'], 'no second row');
    t.equal((await signupRows(db, clash.id)).length, 0, 'nothing written on a refusal');
    t.equal((await signupRows(db, later.id)).length, 0);

    await vb.get(`/events/${small.id}`);
    await vb.post(`/events/${small.id}/signup`, {});
    const waiting = text((await vb.get(`/events/${small.id}`)).body);
    t.match(waiting, 'waitlist');
    t.match(waiting, /Waitlisted.*(position 1|1)/i, 'b waits, first in line');
  });

  await t.test("the manager's event page: sign-ups in order and the check-in code", async (t) => {
    const page = text((await m.get(`/events/${small.id}`)).body);
    t.match(page, small.checkin_code);
    t.match(page, /Confirmed \(1\) 张志愿.*Waitlist \(1\) 李志愿/);
    t.equal((await va.get(`/events/${small.id}`)).body.includes(small.checkin_code), false, 'not for the volunteer');
  });

  await t.test('cancelling a sign-up promotes the first waiting', async (t) => {
    await va.get(`/events/${small.id}`);
    const res = await va.post(`/events/${small.id}/withdraw`, { next: 'event' });
    t.equal(res.statusCode, 303);
    t.equal(res.headers.location, `/events/${small.id}`);
    t.match(text((await va.get(`/events/${small.id}`)).body), 'Sign-up cancelled');
    t.match(text((await vb.get(`/events/${small.id}`)).body), /Confirmed/);
  });

  await t.test('manager pages are refused to a volunteer, and change nothing', async (t) => {
    t.equal((await va.get('/events/new')).statusCode, 403);
    const res = await va.post(`/events/${school.id}/cancel`, { reason: 'x' });
    t.equal(res.statusCode, 403);
    t.equal((await db.selectFrom('events').select('status').where('id', '=', school.id).executeTakeFirstOrThrow()).status, 'scheduled');
    t.equal((await m.post(`/events/${small.id}/signup`, {})).statusCode, 403, 'a manager has no seat to take');
    t.equal((await va.get('/events/99999999')).statusCode, 404);
  });

  await t.test('creating an event: field messages, values kept, then a weekly series', async (t) => {
    const count = async () => Number((await db.selectFrom('events').select(db.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    await m.get('/events/new');
    const bad = await m.post('/events', { title: '进社区', kind: 'six_intos', sixIntosTarget: '', startsAt: '2031-08-01T09:00', endsAt: '2031-08-01T08:00', regionCode: '511902', location: '某社区', capacity: '0' });
    t.equal(bad.statusCode, 422);
    t.match(field(bad.body, 'sixIntosTarget').error ?? '', /six intos/i);
    t.ok(field(bad.body, 'endsAt').error, 'ends before it starts');
    t.ok(field(bad.body, 'capacity').invalid);
    t.equal(field(bad.body, 'title').value, '进社区', 'values kept');
    t.equal(await count(), before, 'nothing created');

    const ok = await m.post('/events', {
      title: '进社区',
      kind: 'six_intos',
      sixIntosTarget: 'communities',
      startsAt: '2031-08-01T09:00',
      endsAt: '2031-08-01T11:00',
      regionCode: '511902',
      location: '某社区',
      capacity: '10',
      skillsWanted: ['mediation', 'dialect'],
      repeatEvery: 'week',
      repeatCount: '3',
    });
    t.equal(ok.statusCode, 303);
    t.equal(await count(), before + 3);
    const page = text((await m.get(ok.headers.location as string)).body);
    t.match(page, '3 events created');
    t.match(page, /Into communities/);
    t.match(page, /Mediation/i);
    t.equal((await auditEntries(db, 'event.created')).length >= 3, true);
  });

  await t.test('cancelling an event needs a reason; everyone signed up is told', async (t) => {
    await va.get(`/events/${school.id}`);
    await va.post(`/events/${school.id}/signup`, {});
    await m.get(`/events/${school.id}`);
    const empty = await m.post(`/events/${school.id}/cancel`, { reason: '  ' });
    t.equal(empty.statusCode, 422);
    t.ok(/<textarea id="f-reason"[^>]*aria-invalid="true"/.test(empty.body), 'the reason is marked');
    t.equal((await db.selectFrom('events').select('status').where('id', '=', school.id).executeTakeFirstOrThrow()).status, 'scheduled');
    const res = await m.post(`/events/${school.id}/cancel`, { reason: '天气原因' });
    t.equal(res.statusCode, 303);
    t.match(text((await m.get(`/events/${school.id}`)).body), /1 person notified.*天气原因/);
    const notes = await db.selectFrom('notifications').selectAll().where('volunteer_id', '=', a.volunteer.id).where('kind', '=', 'event.cancelled').execute();
    t.equal(notes.length, 1);
    t.notMatch((await va.get('/events')).body, `href="/events/${school.id}"`, 'gone from the upcoming list');
    const again = await m.post(`/events/${school.id}/cancel`, { reason: '再取消' });
    t.equal(again.statusCode, 409, 'a cancelled event cannot be cancelled again');
  });

  await t.test('notifications: the cancellation, unread until marked read', async (t) => {
    const page = text((await va.get('/notifications')).body);
    t.match(page, '1 unread');
    t.match(page, /法律进校园.*天气原因/);
    t.notMatch(text((await vb.get('/notifications')).body), '法律进校园', "nobody else's");
    const res = await va.post('/notifications/read', {});
    t.equal(res.statusCode, 303);
    t.match(text((await va.get('/notifications')).body), '0 unread');
    t.equal((await auditEntries(db, 'notifications.read')).length, 1);
  });

  await t.test('the month calendar', async (t) => {
    const res = await va.get('/events?view=month&month=2031-05');
    t.equal(res.statusCode, 200);
    t.match(res.body, '<table class="data month-grid">');
    const page = text(res.body);
    t.match(page, /Mon Tue Wed Thu Fri Sat Sun/);
    t.match(page, small.title);
    t.match(page, clash.title);
    t.notMatch(page, '法律进校园', 'June is another month');
    t.match(res.body, 'href="/events?view=month&amp;month=2031-04"', 'a link to the month before');
    const june = text((await va.get('/events?view=month&month=2031-06&kind=countryside')).body);
    t.notMatch(june, '法律进校园', 'filtered by kind');
    t.equal((await va.get('/events?view=month&month=2031-13')).statusCode, 200, 'a bad month falls back to this one');
  });
});
