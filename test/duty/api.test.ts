// /api/v1/duty: who may do what (401, 403), defining shifts (201; bad input 400
// with the field, nothing written), the list with the unfilled first, and fill.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyer, makeLawyerUser } from '../helpers/people.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { makeStation } from './support.js';

const { app, db } = await buildTestApp(t);
const tokenOf = async (id: number) => (await createToken(db, { id, name: 't' }, id, 'test')).token;
const call = (method: 'GET' | 'POST', url: string, token: string | null, payload?: object) =>
  app.inject({ method, url, headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'accept-language': 'en' }, ...(payload ? { payload } : {}) });
const manager = await tokenOf((await makeUser(db, 'manager')).id);
const lawyer = await makeLawyerUser(db, { regionCode: '511903' });
const lt = await tokenOf(lawyer.user.id);
const station = await makeStation(db, '511903', '恩阳区法院工作站');
const day = (d: number) => new Date(Date.now() + d * 86_400_000).toISOString().slice(0, 10);
const shift = (d: number, fields: object = {}) => ({ organizationId: station.id, startsAt: `${day(d)}T09:00:00+08:00`, endsAt: `${day(d)}T12:00:00+08:00`, ...fields });

void t.test('POST /duty/shifts: managers only; 201 with the shifts; bad input 400 with the field', async (t) => {
  t.equal((await call('POST', '/api/v1/duty/shifts', null, shift(3))).statusCode, 401);
  t.equal((await call('POST', '/api/v1/duty/shifts', lt, shift(3))).statusCode, 403);
  const res = await call('POST', '/api/v1/duty/shifts', manager, shift(3, { seats: 2, who: 'lawyer', weeks: 2 }));
  t.equal(res.statusCode, 201);
  const body = res.json<{ items: { id: number; seriesId: number; filled: number }[] }>();
  t.match(body.items, [{ station: '恩阳区法院工作站', regionCode: '511903', seats: 2, filled: 0, who: 'lawyer', status: 'scheduled' }, { seats: 2 }]);
  t.equal(body.items[1].seriesId, body.items[0].id);
  const bad = await call('POST', '/api/v1/duty/shifts', manager, shift(3, { endsAt: `${day(3)}T08:00:00+08:00` }));
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { error: { code: 'invalid_input' } });
  t.match(JSON.stringify(bad.json()), 'endsAt');
  t.equal((await db.selectFrom('duty_shifts').select('id').execute()).length, 2, 'nothing written on bad input');
});

void t.test('GET /duty/shifts lists unfilled first; POST /duty/shifts/:id/fill fills by rotation', async (t) => {
  await makeLawyer(db, { regionCode: '511903' });
  const one = (await call('POST', '/api/v1/duty/shifts', manager, shift(1))).json<{ items: { id: number }[] }>().items[0];
  t.equal((await call('POST', `/api/v1/duty/shifts/${one.id}/fill`, lt)).statusCode, 403);
  const filled = await call('POST', `/api/v1/duty/shifts/${one.id}/fill`, manager);
  t.equal(filled.statusCode, 200);
  t.match(filled.json(), { shift: { id: one.id, filled: 1 }, picked: [{ lawyerId: lawyer.lawyer.id }], left: 0 });
  const list = await call('GET', `/api/v1/duty/shifts?from=${day(0)}&to=${day(20)}`, lt);
  t.equal(list.statusCode, 200);
  const items = list.json<{ items: { id: number; filled: number; seats: number }[] }>().items;
  t.equal(items.length, 3);
  t.equal(items[items.length - 1].id, one.id, 'the filled shift comes last though it is the earliest');
  t.ok(items.slice(0, 2).every((s) => s.filled < s.seats));
  t.equal((await call('POST', '/api/v1/duty/shifts/999999/fill', manager)).statusCode, 404);
});
