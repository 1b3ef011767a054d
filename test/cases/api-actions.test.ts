// The cases API's transitions: decision, materials, appeal, accept, close, review;
// each refusal answers the rule's status and code and leaves the case unchanged.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeAcceptedCase, makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { assignLawyer, decide, withdraw } from '../../src/modules/cases/cases.actions.js';

const { app, db } = await buildTestApp(t);
const tokenFor = async (role: 'manager' | 'lawyer', userId?: number) => {
  const id = userId ?? (await makeUser(db, role)).id;
  return (await createToken(db, { id, name: role }, id, 'test')).token;
};
const manager = await tokenFor('manager');
const call = (url: string, payload: unknown, token = manager) =>
  app.inject({ method: 'POST', url, headers: { authorization: `Bearer ${token}` }, payload: payload as object });
const read = async (id: number) => (await app.inject({ url: `/api/v1/cases/${id}`, headers: { authorization: `Bearer ${manager}` } })).json();

t.test('decision: grant, refuse with a reason, and the refusals', async (t) => {
  const c = await makeCase(db);
  const noReason = await call(`/api/v1/cases/${c.id}/decision`, { granted: false });
  t.equal(noReason.statusCode, 400);
  t.match(noReason.json(), { error: { code: 'invalid_input', field: 'reason' } });
  t.match(await read(c.id), { status: 'applied', decision: null }, 'unchanged');

  const refused = await call(`/api/v1/cases/${c.id}/decision`, { granted: false, reason: '不符合经济困难标准' });
  t.equal(refused.statusCode, 200);
  t.match(refused.json(), { status: 'refused', decision: { granted: false, reason: '不符合经济困难标准', decidedOn: String } });
  t.same(refused.json().deadlines, {}, 'no clock runs on a refusal');
  const again = await call(`/api/v1/cases/${c.id}/decision`, { granted: true });
  t.match(again.json(), { error: { code: 'invalid_state' } });
  t.equal(again.statusCode, 409);

  const appealed = await call(`/api/v1/cases/${c.id}/appeal`, { reason: '收入计算有误' });
  t.match(appealed.json(), { status: 'appealed', appeal: { reason: '收入计算有误', result: null }, deadlines: { appeal: { kind: 'appeal', overdue: false } } });

  const gone = await makeCase(db);
  await withdraw(db, TEST_ACTOR, gone.id, { reason: null });
  const withdrawn = await call(`/api/v1/cases/${gone.id}/decision`, { granted: true });
  t.equal(withdrawn.statusCode, 409, 'a withdrawn application cannot be granted');
  t.match(withdrawn.json(), { error: { code: 'invalid_state', message: String } });
  t.match(await read(gone.id), { status: 'withdrawn', decision: null }, 'unchanged');

  const rich = await makeCase(db, { householdSize: 1, monthlyIncomeFen: 10_000_000 });
  const ineligible = await call(`/api/v1/cases/${rich.id}/decision`, { granted: true });
  t.equal(ineligible.statusCode, 422);
  t.match(ineligible.json(), { error: { code: 'not_eligible' } });
  t.match(await read(rich.id), { status: 'applied', eligibility: { rule: 'means_test', passed: false } });
  t.equal((await call('/api/v1/cases/999999/decision', { granted: true })).statusCode, 404);
});

t.test('missing materials stop the review clock; supplying them restarts it', async (t) => {
  const c = await makeCase(db);
  const empty = await call(`/api/v1/cases/${c.id}/materials`, { items: [] });
  t.equal(empty.statusCode, 400);
  const asked = await call(`/api/v1/cases/${c.id}/materials`, { items: ['户口本', '收入证明'], note: '十日内补齐' });
  t.equal(asked.statusCode, 200);
  t.match(asked.json(), { status: 'pending_materials', deadlines: { materials: { kind: 'materials' } } });
  t.notOk(asked.json().deadlines.review);
  // a bare POST, no body at all, is how most clients send an action without input
  const supplied = await app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/materials/supplied`, headers: { authorization: `Bearer ${manager}` } });
  t.equal(supplied.statusCode, 200);
  t.match(supplied.json(), { status: 'applied', deadlines: { review: { kind: 'review' } } });
  const twice = await call(`/api/v1/cases/${c.id}/materials/supplied`, {});
  t.equal(twice.statusCode, 409);
});

t.test('the assigned lawyer accepts and closes; a manager reviews once', async (t) => {
  const { lawyer, user } = await makeLawyerUser(db);
  const token = await tokenFor('lawyer', user.id);
  const c = await makeCase(db);
  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });

  const unassigned = await call(`/api/v1/cases/${c.id}/close`, { outcome: '调解结案' });
  t.equal(unassigned.statusCode, 409, 'closing an unassigned case');
  t.match(unassigned.json(), { error: { code: 'invalid_state' } });
  t.match(await read(c.id), { status: 'granted', closure: null }, 'unchanged');

  await assignLawyer(db, TEST_ACTOR, c.id, { lawyerId: lawyer.id, reason: 'test' });
  t.equal((await call(`/api/v1/cases/${c.id}/accept`, {}, manager)).statusCode, 403, 'acceptance is the lawyer’s');
  const accepted = await call(`/api/v1/cases/${c.id}/accept`, {}, token);
  t.equal(accepted.statusCode, 200);
  t.match(accepted.json(), { status: 'accepted', lawyerId: lawyer.id, acceptedOn: String });

  const badHours = await call(`/api/v1/cases/${c.id}/close`, { outcome: '调解结案', hours: 1.25 }, token);
  t.match(badHours.json(), { error: { code: 'invalid_input', field: 'hours' } });
  const closed = await call(`/api/v1/cases/${c.id}/close`, { outcome: '调解结案', hours: 12.5 }, token);
  t.equal(closed.statusCode, 200);
  t.match(closed.json(), { status: 'closed', closure: { outcome: '调解结案', hours: 12.5, closedOn: String } });

  t.equal((await call(`/api/v1/cases/${c.id}/review`, { score: 90 }, token)).statusCode, 403, 'a lawyer does not review');
  t.match((await call(`/api/v1/cases/${c.id}/review`, { score: 101 })).json(), { error: { code: 'invalid_input', field: 'score' } });
  const reviewed = await call(`/api/v1/cases/${c.id}/review`, { score: 90, findings: '卷宗完整' });
  t.equal(reviewed.statusCode, 200);
  t.match(reviewed.json(), { status: 'reviewed', review: { score: 90, findings: '卷宗完整' } });
  const twice = await call(`/api/v1/cases/${c.id}/review`, { score: 40 });
  t.equal(twice.statusCode, 409, 'reviewing twice');
  t.match(twice.json(), { error: { code: 'invalid_state' } });
  t.match(await read(c.id), { status: 'reviewed', review: { score: 90 } }, 'the first review stands');

  const timeline = await app.inject({ url: `/api/v1/cases/${c.id}/timeline`, headers: { authorization: `Bearer ${token}` } });
  t.same(
    timeline.json().items.map((e: { kind: string }) => e.kind),
    ['applied', 'decide', 'assign', 'accept', 'close', 'review'],
    'the assigned lawyer reads the timeline',
  );
});

t.test('a manager may close an accepted case', async (t) => {
  const c = await makeAcceptedCase(db);
  const closed = await call(`/api/v1/cases/${c.id}/close`, { outcome: '判决胜诉' });
  t.equal(closed.statusCode, 200);
  t.match(closed.json(), { status: 'closed', closure: { outcome: '判决胜诉', hours: null } });
  const { user } = await makeLawyerUser(db);
  t.equal((await call(`/api/v1/cases/${c.id}/accept`, {}, await tokenFor('lawyer', user.id))).statusCode, 404, 'another lawyer');
});

t.test('the OpenAPI document lists the cases endpoints', async (t) => {
  const doc = (await app.inject({ url: '/api/openapi.json' })).json();
  for (const path of ['/api/v1/cases', '/api/v1/cases/{id}', '/api/v1/cases/{id}/decision', '/api/v1/cases/{id}/close', '/api/v1/cases/{id}/review', '/api/v1/cases/{id}/timeline'])
    t.ok(doc.paths[path], path);
  t.ok(doc.paths['/api/v1/cases/{id}/assignment']?.post, 'assignment (the rotation) is listed too');
  t.same([...doc.paths['/api/v1/cases'].post.requestBody.content['application/json'].schema.required].sort(), ['applicantName', 'category', 'kind', 'regionCode']);
});
