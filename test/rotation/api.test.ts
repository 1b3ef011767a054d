// POST /api/v1/cases/:id/assignment (rotation or override, idempotent) and
// POST /api/v1/cases/:id/decline (the assigned lawyer only).
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyer } from '../helpers/people.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { grantedCase, lawyersOf } from './service-helpers.js';

const { app, db } = await buildTestApp(t);
const tokenFor = async (role: 'manager' | 'lawyer' | 'auditor', lawyerId?: number) => {
  const user = await makeUser(db, role);
  if (lawyerId) await db.updateTable('users').set({ lawyer_id: lawyerId }).where('id', '=', user.id).execute();
  return (await createToken(db, { id: user.id, name: role }, user.id, 'test')).token;
};
const post = (url: string, token: string, payload?: object, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}`, ...headers }, ...(payload === undefined ? {} : { payload }) });
const manager = await tokenFor('manager');
const [first, second] = await lawyersOf(db, 2, 'labor');

t.test('{} assigns the rotation\'s pick with the explanation; a second time is 409', async (t) => {
  const c = await grantedCase(db, { category: 'labor' });
  const res = await post(`/api/v1/cases/${c.id}/assignment`, manager, {});
  t.equal(res.statusCode, 200);
  const body = res.json();
  t.match(body, { caseId: c.id, lawyerId: first.id, method: 'rotation', explanation: { candidates: [{ lawyerId: first.id, rank: 1 }, { lawyerId: second.id, rank: 2 }] } });
  t.ok(Array.isArray(body.explanation.passedOver));
  const again = await post(`/api/v1/cases/${c.id}/assignment`, manager);
  t.equal(again.statusCode, 409, 'no body counts as {}, and the case is no longer granted');
  t.equal(again.json().error.code, 'invalid_state');
});

t.test('an override: reason required, an eligible lawyer, idempotent', async (t) => {
  const c = await grantedCase(db, { category: 'labor' });
  const url = `/api/v1/cases/${c.id}/assignment`;
  const missing = await post(url, manager, { lawyerId: first.id });
  t.equal(missing.statusCode, 400);
  t.equal(missing.json().error.field, 'reason');
  const wrong = await makeLawyer(db, { practiceAreas: ['family'] });
  const ineligible = await post(url, manager, { lawyerId: wrong.id, reason: '指定' });
  t.equal(ineligible.statusCode, 400);
  t.equal(ineligible.json().error.field, 'lawyerId');

  const headers = { 'idempotency-key': `override-${c.id}` };
  const ok = await post(url, manager, { lawyerId: first.id, reason: '熟悉此类案件' }, headers);
  t.equal(ok.statusCode, 200);
  t.match(ok.json(), { lawyerId: first.id, method: 'override', reason: '熟悉此类案件', explanation: { rotationPick: second.id } });
  const replayed = await post(url, manager, { lawyerId: first.id, reason: '熟悉此类案件' }, headers);
  t.equal(replayed.statusCode, 200);
  t.same(replayed.json(), ok.json(), 'the same key and body answer the first response');
  t.equal(replayed.headers['idempotent-replay'], 'true');
  const rows = await db.selectFrom('assignments').select('id').where('case_id', '=', c.id).execute();
  t.equal(rows.length, 1, 'and assign nothing more');
});

t.test('422 when nobody is eligible; 403 for other roles; 404 for an unknown case', async (t) => {
  const c = await grantedCase(db, { category: 'medical' });
  const res = await post(`/api/v1/cases/${c.id}/assignment`, manager, {});
  t.equal(res.statusCode, 422);
  t.equal(res.json().error.code, 'no_eligible_lawyer');
  t.equal((await post(`/api/v1/cases/${c.id}/assignment`, await tokenFor('auditor'), {})).statusCode, 403);
  t.equal((await post('/api/v1/cases/999999/assignment', manager, {})).statusCode, 404);
});

t.test('decline: the assigned lawyer only (404 for another lawyer)', async (t) => {
  const c = await grantedCase(db, { category: 'labor' });
  const assigned = (await post(`/api/v1/cases/${c.id}/assignment`, manager, {})).json();
  const mine = await tokenFor('lawyer', assigned.lawyerId);
  const notMine = await tokenFor('lawyer', assigned.lawyerId === first.id ? second.id : first.id);
  t.equal((await post(`/api/v1/cases/${c.id}/decline`, notMine, { reason: '太忙' })).statusCode, 404);
  t.equal((await post(`/api/v1/cases/${c.id}/decline`, mine, {})).statusCode, 400, 'a reason is required');
  const res = await post(`/api/v1/cases/${c.id}/decline`, mine, { reason: '曾代理对方', conflict: true });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { id: c.id, status: 'granted' });
  t.equal((await post(`/api/v1/cases/${c.id}/decline`, mine, { reason: '再次' })).statusCode, 404, 'no longer theirs');
});
