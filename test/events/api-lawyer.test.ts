// DELETE /api/v1/events/:id/lawyer-signups/:lawyerId: a lawyer joining outreach
// cancels their own sign-up (or a manager does) with the same rules as a
// volunteer's: the first waitlisted is promoted, unknown ids 404, another
// lawyer's or a volunteer's token refused, nothing changed on a refusal.
import t from 'tap';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries } from '../helpers/html.js';
import { makeLawyer, makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';

const { app, db } = await buildTestApp(t);
const tokenOf = async (id: number) => (await createToken(db, { id, name: 't' }, id, 'test')).token;
const call = (method: 'GET' | 'POST' | 'DELETE', url: string, token: string | null, payload?: object) =>
  app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': 'en' }, ...(payload ? { payload } : {}) });
const manager = await tokenOf((await makeUser(db, 'manager')).id);
const l1 = await makeLawyerUser(db, { name: '冯律师' });
const l2 = await makeLawyerUser(db, { name: '陈律师' });
const v = await makeVolunteerUser(db, { name: '褚志愿' });
const [t1, t2, tv] = [await tokenOf(l1.user.id), await tokenOf(l2.user.id), await tokenOf(v.user.id)];
const inDays = (d: number, h = 0) => new Date(Date.now() + d * 86_400_000 + h * 3_600_000).toISOString();
let days = 20;
const newEvent = async (capacity = 1) => {
  days += 2;
  const res = await call('POST', '/api/v1/events', manager, { title: '律师进社区', kind: 'six_intos', sixIntosTarget: 'communities', startsAt: inDays(days), endsAt: inDays(days, 2), location: '江北社区', regionCode: '511902', capacity });
  if (res.statusCode !== 201) throw new Error(`event not created: ${res.body}`);
  return res.json<{ id: number }>();
};
const lawyerUrl = (eventId: number | string, lawyerId: number | string) => `/api/v1/events/${eventId}/lawyer-signups/${lawyerId}`;
type Entry = { volunteerId: number | null; lawyerId: number | null; position: number | null };
const signups = async (eventId: number) => (await call('GET', `/api/v1/events/${eventId}/signups`, manager)).json<{ confirmed: Entry[]; waitlisted: Entry[] }>();
const who = (e: Entry) => (e.lawyerId ? `l${e.lawyerId}` : `v${e.volunteerId}`);

void t.test("the lawyer cancels their own sign-up; the first waitlisted is promoted", async (t) => {
  const e = await newEvent();
  for (const tok of [t1, t2, tv]) t.equal((await call('POST', `/api/v1/events/${e.id}/signups`, tok)).statusCode, 201);
  const before = await signups(e.id);
  t.same(before.confirmed.map(who), [`l${l1.lawyer.id}`]);
  t.same(before.waitlisted.map(who), [`l${l2.lawyer.id}`, `v${v.volunteer.id}`]);

  const res = await call('DELETE', lawyerUrl(e.id, l1.lawyer.id), t1);
  t.equal(res.statusCode, 200);
  t.same(res.json(), { status: 'cancelled', promoted: 1 });
  const after = await signups(e.id);
  t.same(after.confirmed.map(who), [`l${l2.lawyer.id}`], 'the first waitlisted (a lawyer) has the seat');
  t.same(after.waitlisted.map((x) => [who(x), x.position]), [[`v${v.volunteer.id}`, 1]], 'the rest move up');
  const notes = await db.selectFrom('notifications').select('kind').where('lawyer_id', '=', l2.lawyer.id).execute();
  t.same(notes.map((n) => n.kind), ['event.promoted'], 'the promoted lawyer is told');
  t.ok((await auditEntries(db, 'event.signup_cancelled')).length >= 1, 'audited');
  t.equal((await call('DELETE', lawyerUrl(e.id, l1.lawyer.id), t1)).statusCode, 404, 'nothing left to cancel');

  // a manager cancels the promoted lawyer: the volunteer gets the seat
  t.same((await call('DELETE', lawyerUrl(e.id, l2.lawyer.id), manager)).json(), { status: 'cancelled', promoted: 1 });
  t.same((await signups(e.id)).confirmed.map(who), [`v${v.volunteer.id}`]);
});

void t.test("refused: no token, a volunteer's or admin's token, another lawyer's; nothing changes", async (t) => {
  const e = await newEvent(2);
  await call('POST', `/api/v1/events/${e.id}/signups`, t1);
  const admin = await tokenOf((await makeUser(db, 'admin')).id);
  t.equal((await call('DELETE', lawyerUrl(e.id, l1.lawyer.id), null)).statusCode, 401);
  t.equal((await call('DELETE', lawyerUrl(e.id, l1.lawyer.id), tv)).statusCode, 403, 'a volunteer');
  t.equal((await call('DELETE', lawyerUrl(e.id, l1.lawyer.id), admin)).statusCode, 403, 'an admin');
  const other = await call('DELETE', lawyerUrl(e.id, l1.lawyer.id), t2);
  t.equal(other.statusCode, 403, "another lawyer's token");
  t.match(other.json(), { error: { code: String, message: String } });
  t.same((await signups(e.id)).confirmed.map(who), [`l${l1.lawyer.id}`], 'still signed up');
  t.equal((await call('DELETE', `/api/v1/events/${e.id}/signups/${l1.lawyer.id}`, t1)).statusCode, 403, "the volunteers' endpoint stays for volunteers and managers");
});

void t.test('unknown ids: 404; malformed ids: 400; after the start: 409', async (t) => {
  const e = await newEvent();
  await call('POST', `/api/v1/events/${e.id}/signups`, t1);
  t.equal((await call('DELETE', lawyerUrl(999999, l1.lawyer.id), t1)).statusCode, 404, 'an unknown event');
  t.equal((await call('DELETE', lawyerUrl(999999, l1.lawyer.id), manager)).statusCode, 404);
  t.equal((await call('DELETE', lawyerUrl(e.id, 999999), manager)).statusCode, 404, 'an unknown lawyer');
  const stranger = await makeLawyer(db);
  t.equal((await call('DELETE', lawyerUrl(e.id, stranger.id), manager)).statusCode, 404, 'a lawyer not signed up');
  t.equal((await call('DELETE', lawyerUrl(e.id, 'abc'), manager)).statusCode, 400);
  t.equal((await call('DELETE', lawyerUrl(e.id, 0), manager)).statusCode, 400);
  await sql`update events set starts_at = now() - interval '1 hour', ends_at = now() + interval '1 hour' where id = ${e.id}`.execute(db);
  const late = await call('DELETE', lawyerUrl(e.id, l1.lawyer.id), t1);
  t.same([late.statusCode, late.json().error.code], [409, 'event_started']);
  t.same((await signups(e.id)).confirmed.map(who), [`l${l1.lawyer.id}`]);
});

void t.test('the OpenAPI document describes it', async (t) => {
  const doc = (await app.inject({ url: '/api/openapi.json' })).json();
  const op = doc.paths['/api/v1/events/{id}/lawyer-signups/{lawyerId}']?.delete;
  t.ok(op, 'listed');
  t.same(op.parameters.map((p: { name: string; in: string }) => `${p.in}:${p.name}`).sort(), ['path:id', 'path:lawyerId']);
  t.same(Object.keys(op.responses['200'].content['application/json'].schema.properties).sort(), ['promoted', 'status']);
  t.ok(op.responses['404'], 'the 404 is documented');
  t.ok(doc.paths['/api/v1/events/{id}/signups/{volunteerId}']?.delete, "the volunteers' endpoint is unchanged");
});
