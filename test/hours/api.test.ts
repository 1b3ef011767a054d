// /api/v1/hours: a lawyer logs for self (201 pending), bad hours 400, a case not
// theirs 404, a locked month 409 month_locked, a manager may not log; the
// manager lists and decides; a lawyer cannot read or decide another's entry.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeAcceptedCase } from '../helpers/cases.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { today } from '../../src/modules/cases/cases.service.js';

const { app, db } = await buildTestApp(t);
const tokenOf = async (id: number) => (await createToken(db, { id, name: 't' }, id, 'test')).token;
const call = (method: 'GET' | 'POST', url: string, token: string, payload?: object) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload ? { payload } : {}) });
const manager = await tokenOf((await makeUser(db, 'manager')).id);
const a = await makeLawyerUser(db);
const b = await makeLawyerUser(db);
const ta = await tokenOf(a.user.id);
const tb = await tokenOf(b.user.id);
const on = today();
// two months back is always locked (its lock day is in last month at the latest)
const old = new Date(Date.UTC(Number(on.slice(0, 4)), Number(on.slice(5, 7)) - 3, 15)).toISOString().slice(0, 10);

void t.test('log for self: 201 pending, kind defaults by case', async (t) => {
  const mine = await makeAcceptedCase(db, {}, a.lawyer.id);
  const res = await call('POST', '/api/v1/hours', ta, { caseId: mine.id, date: on, hours: 2.5, description: '会见当事人' });
  t.equal(res.statusCode, 201);
  t.match(res.json(), { status: 'pending', kind: 'case', hours: 2.5, caseId: mine.id, lawyerId: a.lawyer.id, date: on });
  const other = await call('POST', '/api/v1/hours', ta, { date: on, hours: '3', description: '值班' });
  t.match(other.json(), { kind: 'other', hours: 3 });
});

void t.test('400 bad hours, 404 a case not theirs, 409 a locked month, 403 a manager', async (t) => {
  const bad = await call('POST', '/api/v1/hours', ta, { date: on, hours: 2.25, description: 'x' });
  t.equal(bad.statusCode, 400);
  t.match(bad.json(), { error: { code: 'invalid_input', field: 'hours' } });
  t.equal((await call('POST', '/api/v1/hours', ta, { date: on, hours: 25, description: 'x' })).statusCode, 400);
  const theirs = await makeAcceptedCase(db, {}, b.lawyer.id);
  const foreign = await call('POST', '/api/v1/hours', ta, { caseId: theirs.id, date: on, hours: 1, description: 'x' });
  t.equal(foreign.statusCode, 404);
  t.notMatch(foreign.body, theirs.number, 'nothing about the case leaks');
  const locked = await call('POST', '/api/v1/hours', ta, { date: old, hours: 1, description: 'x' });
  t.equal(locked.statusCode, 409);
  t.equal(locked.json().error.code, 'month_locked');
  t.equal((await call('POST', '/api/v1/hours', manager, { date: on, hours: 1, description: 'x' })).statusCode, 403);
});

void t.test("list own; a manager lists and decides; another lawyer's entry is 404", async (t) => {
  const e = (await call('POST', '/api/v1/hours', tb, { date: on, hours: 4, kind: 'duty_shift', description: '法院值班' })).json();
  const own = (await call('GET', '/api/v1/hours', ta, undefined)).json();
  t.ok(own.items.every((x: { lawyerId: number }) => x.lawyerId === a.lawyer.id), 'a lawyer sees only theirs');
  t.equal((await call('GET', `/api/v1/hours/${e.id}`, ta)).statusCode, 404);
  t.equal((await call('POST', `/api/v1/hours/${e.id}/approve`, ta)).statusCode, 403);
  const pending = (await call('GET', `/api/v1/hours?status=pending&lawyerId=${b.lawyer.id}`, manager)).json();
  t.same(pending.items.map((x: { id: number }) => x.id), [e.id]);
  t.equal((await call('POST', `/api/v1/hours/${e.id}/reject`, manager, {})).statusCode, 400, 'a rejection needs a reason');
  const rejected = await call('POST', `/api/v1/hours/${e.id}/reject`, manager, { reason: '无值班记录' });
  t.match(rejected.json(), { status: 'rejected', decisionReason: '无值班记录' });
  const again = await call('POST', `/api/v1/hours/${e.id}/approve`, manager);
  t.equal(again.statusCode, 409, 'decided entries are final');
  t.equal((await call('POST', '/api/v1/hours/999999/approve', manager)).statusCode, 404);
});
