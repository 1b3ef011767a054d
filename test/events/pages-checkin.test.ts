// Check-in on the day: the manager's roster (attended / no-show buttons) and the
// volunteer's own code; refusals said on the page with nothing changed, hours credited once.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { makeVolunteerUser } from '../helpers/people.js';
import { startOfDay, todayIn } from '../../src/lib/format.js';
import { makeEvent, signupRows } from './support.js';

void t.test('check-in pages', async (t) => {
  const { app, db } = await buildTestApp(t);
  const now = new Date();
  const soon = (min: number) => new Date(now.getTime() + min * 60_000).toISOString();
  const a = await makeVolunteerUser(db, { name: '王签到' });
  const b = await makeVolunteerUser(db, { name: '赵缺席' });
  const c = await makeVolunteerUser(db, { name: '钱未来' });
  // signed up while it was upcoming, then moved to have begun just before: the event is today
  const event = await makeEvent(db, { title: '今日咨询日', kind: 'consultation_day', startsAt: soon(60), endsAt: soon(120), capacity: 5 }, now);
  const future = await makeEvent(db, { title: '下月活动', startsAt: '2031-09-01T09:00:00+08:00', endsAt: '2031-09-01T11:00:00+08:00' }, now);
  const va = new Client(app);
  await va.login(a.user.email);
  const vb = new Client(app);
  await vb.login(b.user.email);
  const vc = new Client(app);
  await vc.login(c.user.email);
  for (const v of [va, vb]) {
    await v.get(`/events/${event.id}`);
    t.equal((await v.post(`/events/${event.id}/signup`, {})).statusCode, 303);
  }
  await vc.get(`/events/${future.id}`);
  await vc.post(`/events/${future.id}/signup`, {});
  // a minute ago, but never before midnight in Shanghai: in the first minute of a day "a minute ago" is yesterday there
  const moved = new Date();
  const midnight = startOfDay(todayIn('Asia/Shanghai', moved), 'Asia/Shanghai');
  await db.updateTable('events').set({ starts_at: new Date(Math.max(moved.getTime() - 60_000, midnight.getTime())), ends_at: new Date(moved.getTime() + 3_600_000) }).where('id', '=', event.id).execute();
  const m = new Client(app);
  await m.login((await makeUser(db, 'manager')).email);
  const hours = async (volunteerId: number) => db.selectFrom('hour_entries').select(['hours', 'event_id']).where('volunteer_id', '=', volunteerId).execute();

  await t.test('self check-in with the code', async (t) => {
    const page = await va.get(`/events/${event.id}`);
    t.match(page.body, `action="/events/${event.id}/checkin"`, 'the code form is on the event page');
    const wrong = await va.post(`/events/${event.id}/checkin`, { code: event.checkin_code === '000000' ? '111111' : '000000' });
    t.equal(wrong.statusCode, 422);
    t.match(text(wrong.body), /code/i);
    t.equal((await hours(a.volunteer.id)).length, 0, 'nothing credited on a wrong code');
    const ok = await va.post(`/events/${event.id}/checkin`, { code: event.checkin_code });
    t.equal(ok.statusCode, 303);
    t.match(text((await va.get(`/events/${event.id}`)).body), /Checked in.*Attended/);
    await va.post(`/events/${event.id}/checkin`, { code: event.checkin_code });
    t.equal((await hours(a.volunteer.id)).length, 1, 'hours credited once');
    const early = await vc.post(`/events/${future.id}/checkin`, { code: future.checkin_code });
    t.equal(early.statusCode, 422, 'not on another day');
    t.equal((await hours(c.volunteer.id)).length, 0);
  });

  await t.test("the manager's roster", async (t) => {
    t.equal((await va.get(`/events/${event.id}/roster`)).statusCode, 403, 'not for a volunteer');
    t.equal((await va.post(`/events/${event.id}/roster`, { person: `v:${b.volunteer.id}`, outcome: 'no_show' })).statusCode, 403);
    t.equal((await signupRows(db, event.id)).find((r) => r.volunteer_id === b.volunteer.id)?.status, 'confirmed', 'unchanged');
    const roster = await m.get(`/events/${event.id}/roster`);
    t.equal(roster.statusCode, 200);
    t.match(text(roster.body), /王签到 Attended .*赵缺席 Confirmed Attended No-show/);
    const res = await m.post(`/events/${event.id}/roster`, { person: `v:${b.volunteer.id}`, outcome: 'no_show' });
    t.equal(res.statusCode, 303);
    t.match(text((await m.get(`/events/${event.id}/roster`)).body), /Marked as a no-show.*赵缺席 No-show/);
    t.equal((await hours(b.volunteer.id)).length, 0);
    const late = await m.post(`/events/${event.id}/roster`, { person: `v:${b.volunteer.id}`, outcome: 'attended' });
    t.equal(late.statusCode, 303, 'a late arrival is let in');
    t.equal((await hours(b.volunteer.id)).length, 1);

    await m.get(`/events/${future.id}/roster`);
    const tooEarly = await m.post(`/events/${future.id}/roster`, { person: `v:${c.volunteer.id}`, outcome: 'attended' });
    t.equal(tooEarly.statusCode, 422);
    t.match(text(tooEarly.body), /2031-09-01/);
    t.equal((await signupRows(db, future.id))[0]?.status, 'confirmed', 'nothing changed');
  });

  await t.test('the service record and the certificate', async (t) => {
    const mine = text((await va.get('/events/mine')).body);
    t.match(mine, /1 event attended, 1 hour in all/);
    t.match(mine, /今日咨询日.*Attended/);
    const cert = await va.get('/events/mine/certificate');
    t.equal(cert.statusCode, 200);
    t.match(cert.body, 'class="notice certificate"');
    t.match(text(cert.body), /This certifies that 王签到 took part in 1 legal-aid outreach event as a volunteer, serving 1 hour in all/);
    t.notMatch(text(cert.body), '下月活动', 'only events attended');
    t.match(text((await vc.get('/events/mine')).body), /0 events attended.*下月活动.*Confirmed/);
    t.equal((await m.get('/events/mine')).statusCode, 403, 'a manager has no record of their own here');
  });

  await t.test('every page in Chinese', async (t) => {
    const zv = new Client(app, { 'accept-language': 'zh-CN' });
    await zv.login(a.user.email);
    const zm = new Client(app, { 'accept-language': 'zh-CN' });
    await zm.login((await makeUser(db, 'manager')).email);
    t.match(text((await zv.get('/events/mine')).body), '我的服务记录');
    t.match(text((await zv.get('/events/mine/certificate')).body), /兹证明 王签到 参加/);
    t.match(text((await zv.get(`/events/${event.id}`)).body), '已出席');
    t.match(text((await zm.get(`/events/${event.id}/roster`)).body), '签到名单');
    t.match(text((await zm.get('/events/new')).body), '新建活动');
    t.match(text((await zm.get('/events?view=month&month=2031-09')).body), /周一.*下月活动/);
    t.match(text((await zv.get('/notifications')).body), '0 条未读');
  });
});
