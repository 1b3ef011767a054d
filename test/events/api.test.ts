// /api/v1/events: the shapes of API.md, who may do what (401, 403, 404), a
// volunteer's own token signing up without a volunteerId, a full event
// waitlisting (not an error), cancelling with promotion, and check-in.
import t from 'tap';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeVolunteerUser } from '../helpers/people.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';

const { app, db } = await buildTestApp(t);
const tokenOf = async (id: number) => (await createToken(db, { id, name: 't' }, id, 'test')).token;
const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | null, payload?: object, lang = 'zh-CN') =>
  app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': lang }, ...(payload ? { payload } : {}) });
const manager = await tokenOf((await makeUser(db, 'manager')).id);
const admin = await tokenOf((await makeUser(db, 'admin')).id);
const a = await makeVolunteerUser(db);
const b = await makeVolunteerUser(db);
const c = await makeVolunteerUser(db);
const [ta, tb] = [await tokenOf(a.user.id), await tokenOf(b.user.id)];
const inDays = (d: number, h = 0) => new Date(Date.now() + d * 86_400_000 + h * 3_600_000).toISOString();
const newEvent = (fields: object = {}) => ({ title: '送法进校园', kind: 'countryside', startsAt: inDays(10), endsAt: inDays(10, 3), location: '巴中中学', regionCode: '511902', capacity: 1, ...fields });

void t.test('POST /events: managers only; 201 with the event; bad input 400 with the field', async (t) => {
  t.equal((await call('POST', '/api/v1/events', null, newEvent())).statusCode, 401);
  t.equal((await call('POST', '/api/v1/events', ta, newEvent())).statusCode, 403);
  t.equal((await call('POST', '/api/v1/events', admin, newEvent())).statusCode, 403);
  const res = await call('POST', '/api/v1/events', manager, newEvent({ kind: 'six_intos', sixIntosTarget: 'schools', skillsWanted: ['publicity'] }));
  t.equal(res.statusCode, 201);
  t.match(res.json(), { id: Number, title: '送法进校园', kind: 'six_intos', sixIntosTarget: 'schools', capacity: 1, status: 'scheduled', confirmedCount: 0, waitlistedCount: 0, checkinCode: /^\d{6}$/, seriesId: null, skillsWanted: ['publicity'] });
  const noTarget = await call('POST', '/api/v1/events', manager, newEvent({ kind: 'six_intos' }));
  t.equal(noTarget.statusCode, 400);
  t.match(noTarget.json(), { error: { code: 'invalid_input', field: 'sixIntosTarget' } });
  const backwards = await call('POST', '/api/v1/events', manager, newEvent({ endsAt: inDays(9) }), 'en');
  t.match(backwards.json(), { error: { field: 'endsAt', message: /after the start/ } });
  t.equal((await call('POST', '/api/v1/events', manager, newEvent({ startsAt: '2030-01-01 09:00' }))).statusCode, 400, 'an instant needs its offset');
  const series = (await call('POST', '/api/v1/events', manager, newEvent({ repeat: { every: 'week', count: 3 } }))).json();
  t.equal(series.seriesId, series.id);
  t.equal((await call('GET', `/api/v1/events?seriesId=${series.id}`, ta)).json().items.length, 3);
});

void t.test('sign-ups: own token without volunteerId, a full event waitlists, the list in order', async (t) => {
  const e = (await call('POST', '/api/v1/events', manager, newEvent())).json();
  const mine = await call('POST', `/api/v1/events/${e.id}/signups`, ta);
  t.equal(mine.statusCode, 201);
  t.same(mine.json(), { status: 'confirmed', position: null });
  t.equal((await call('POST', `/api/v1/events/${e.id}/signups`, tb, { volunteerId: a.volunteer.id })).statusCode, 403, 'not for someone else');
  t.same((await call('POST', `/api/v1/events/${e.id}/signups`, tb, { volunteerId: b.volunteer.id })).json(), { status: 'waitlisted', position: 1 }, 'own id given: fine; full: waitlisted');
  t.equal((await call('POST', `/api/v1/events/${e.id}/signups`, manager, {})).statusCode, 400, 'a manager names the volunteer');
  t.same((await call('POST', `/api/v1/events/${e.id}/signups`, manager, { volunteerId: c.volunteer.id })).json(), { status: 'waitlisted', position: 2 });
  const twice = await call('POST', `/api/v1/events/${e.id}/signups`, ta);
  t.equal(twice.statusCode, 409);
  t.same(twice.json(), { error: { code: 'already_signed_up', message: '已经报名了这场活动，不能重复报名。' } });
  t.equal((await call('POST', '/api/v1/events/999999/signups', ta)).statusCode, 404);
  t.equal((await call('POST', `/api/v1/events/${e.id}/signups`, manager, { volunteerId: 999999 })).statusCode, 404);
  t.equal((await call('GET', `/api/v1/events/${e.id}/signups`, ta)).statusCode, 403, 'the list is for managers');
  const list = await call('GET', `/api/v1/events/${e.id}/signups`, manager);
  t.equal(list.statusCode, 200);
  t.match(list.json(), {
    confirmed: [{ volunteerId: a.volunteer.id, lawyerId: null, name: a.volunteer.name, status: 'confirmed', position: null, signedUpAt: String }],
    waitlisted: [
      { volunteerId: b.volunteer.id, status: 'waitlisted', position: 1 },
      { volunteerId: c.volunteer.id, status: 'waitlisted', position: 2 },
    ],
  });
  t.equal((await call('GET', '/api/v1/events/999999/signups', manager)).statusCode, 404);
  const seen = (await call('GET', `/api/v1/events/${e.id}`, ta)).json();
  t.match(seen, { confirmedCount: 1, waitlistedCount: 2 });
  t.notOk('checkinCode' in seen, 'a volunteer never sees the check-in code');
  t.notOk((await call('GET', '/api/v1/events?limit=200', ta)).json().items.some((x: object) => 'checkinCode' in x));
});

void t.test('DELETE a sign-up: the volunteer or a manager; the first waitlisted is promoted', async (t) => {
  const e = (await call('POST', '/api/v1/events', manager, newEvent({ startsAt: inDays(12), endsAt: inDays(12, 2) }))).json();
  for (const tok of [ta, tb]) await call('POST', `/api/v1/events/${e.id}/signups`, tok);
  await call('POST', `/api/v1/events/${e.id}/signups`, manager, { volunteerId: c.volunteer.id });
  t.equal((await call('DELETE', `/api/v1/events/${e.id}/signups/${a.volunteer.id}`, tb)).statusCode, 403);
  const res = await call('DELETE', `/api/v1/events/${e.id}/signups/${a.volunteer.id}`, ta);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'cancelled', promoted: 1 });
  const list = (await call('GET', `/api/v1/events/${e.id}/signups`, manager)).json();
  t.same(list.confirmed.map((x: { volunteerId: number }) => x.volunteerId), [b.volunteer.id]);
  t.same(list.waitlisted.map((x: { volunteerId: number; position: number }) => [x.volunteerId, x.position]), [[c.volunteer.id, 1]]);
  t.equal((await call('DELETE', `/api/v1/events/${e.id}/signups/${a.volunteer.id}`, ta)).statusCode, 404, 'nothing left to cancel');
  t.same((await call('DELETE', `/api/v1/events/${e.id}/signups/${c.volunteer.id}`, manager)).json(), { status: 'cancelled', promoted: 0 });
});

void t.test('cancel an event: managers only; 404 for an unknown one', async (t) => {
  const e = (await call('POST', '/api/v1/events', manager, newEvent({ startsAt: inDays(14), endsAt: inDays(14, 2) }))).json();
  await call('POST', `/api/v1/events/${e.id}/signups`, ta);
  t.equal((await call('POST', `/api/v1/events/${e.id}/cancel`, ta, { reason: 'x' })).statusCode, 403);
  t.equal((await call('POST', `/api/v1/events/${e.id}/cancel`, manager, {})).statusCode, 400);
  const res = await call('POST', `/api/v1/events/${e.id}/cancel`, manager, { reason: '场地不可用' });
  t.match(res.json(), { status: 'cancelled', cancelReason: '场地不可用' });
  t.equal((await call('POST', '/api/v1/events/999999/cancel', manager, { reason: 'x' })).statusCode, 404);
  const notes = await db.selectFrom('notifications').selectAll().where('volunteer_id', '=', a.volunteer.id).where('kind', '=', 'event.cancelled').execute();
  t.equal(notes.length, 1);
});

void t.test('check-in: the code on the day credits hours once; a manager marks the roster', async (t) => {
  const e = (await call('POST', '/api/v1/events', manager, newEvent({ capacity: 5, startsAt: inDays(16), endsAt: inDays(16, 2) }))).json();
  for (const tok of [ta, tb]) await call('POST', `/api/v1/events/${e.id}/signups`, tok);
  const early = await call('POST', `/api/v1/events/${e.id}/checkin`, ta, { code: e.checkinCode });
  t.equal(early.statusCode, 422);
  t.equal(early.json().error.code, 'checkin_not_today');
  t.equal((await call('POST', `/api/v1/events/${e.id}/checkin`, ta, {})).statusCode, 400, 'a volunteer needs the code');
  // the event is under way now, and began today in Shanghai (an hour ago, or at midnight if that was yesterday there)
  await sql`update events set starts_at = greatest(now() - interval '1 hour', date_trunc('day', now() at time zone 'Asia/Shanghai') at time zone 'Asia/Shanghai'), ends_at = now() + interval '1 hour' where id = ${e.id}`.execute(db);
  const wrong = await call('POST', `/api/v1/events/${e.id}/checkin`, ta, { code: e.checkinCode === '999999' ? '999998' : '999999' });
  t.same([wrong.statusCode, wrong.json().error.code], [422, 'wrong_code']);
  t.same((await call('POST', `/api/v1/events/${e.id}/checkin`, ta, { code: e.checkinCode })).json(), { status: 'attended', credited: true });
  t.same((await call('POST', `/api/v1/events/${e.id}/checkin`, ta, { code: e.checkinCode })).json(), { status: 'attended', credited: false });
  t.equal((await call('POST', `/api/v1/events/${e.id}/checkin`, tb, { volunteerId: a.volunteer.id, code: e.checkinCode })).statusCode, 403);
  t.same((await call('POST', `/api/v1/events/${e.id}/checkin`, manager, { volunteerId: b.volunteer.id, status: 'no_show' })).json(), { status: 'no_show', credited: false });
  const hours = await db.selectFrom('hour_entries').selectAll().where('event_id', '=', e.id).execute();
  t.equal(hours.length, 1);
  t.match(hours[0], { volunteer_id: a.volunteer.id, status: 'approved' });
});
