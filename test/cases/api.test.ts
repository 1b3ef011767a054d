// The cases API: intake (including a court's notification and emergency aid),
// the list with cursor paging and masked ID numbers, and who may see what.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeCase, makeIdNumber, TEST_ACTOR } from '../helpers/cases.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { assignLawyer, decide } from '../../src/modules/cases/cases.actions.js';
import { today, workingDaysAfter } from '../../src/modules/cases/cases.service.js';

const { app, db } = await buildTestApp(t);
const tokenFor = async (role: 'admin' | 'manager' | 'auditor' | 'lawyer' | 'volunteer', userId?: number) => {
  const id = userId ?? (await makeUser(db, role)).id;
  return { id, token: (await createToken(db, { id, name: role }, id, 'test')).token };
};
const call = (method: 'GET' | 'POST', url: string, token: string, payload?: unknown) =>
  app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
const manager = await tokenFor('manager');
const countCases = async () => (await db.selectFrom('cases').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n;
const application = { applicantName: '张三', applicantIdNumber: makeIdNumber('19750312', '511902', '271'), kind: 'civil', category: 'labor', regionCode: '511902', householdSize: 3, monthlyIncomeFen: 100_000 };

t.test('an application is taken: number, status, deadlines, eligibility', async (t) => {
  const res = await call('POST', '/api/v1/cases', manager.token, { ...application, opposingParties: ['某建筑公司'], summary: '拖欠工资' });
  t.equal(res.statusCode, 201);
  const c = res.json();
  t.match(c, { number: /^\d{4}-\d{5}$/, status: 'applied', applicantIdNumber: application.applicantIdNumber, source: 'walk_in', eligibility: { rule: 'means_test', passed: true } });
  t.same(c.deadlines.review, { kind: 'review', dueOn: await workingDaysAfter(db, today(), 7), workingDaysLeft: c.deadlines.review.workingDaysLeft, overdue: false });
  t.ok(c.deadlines.review.workingDaysLeft >= 6, 'seven working days, counted from today');
  t.same(Object.keys(c.deadlines), ['review'], 'only the running deadline');
});

t.test("a court's notification of a criminal case: mandatory defence and the shorter assignment limit", async (t) => {
  const res = await call('POST', '/api/v1/cases', manager.token, { applicantName: '李四', kind: 'criminal', category: 'criminal', regionCode: '511921', source: 'court' });
  t.equal(res.statusCode, 201);
  const c = res.json();
  t.match(c, { status: 'applied', source: 'court', applicantIdNumber: null, eligibility: { rule: 'exemption', passed: true } });
  t.ok(c.eligibility.exemptions.includes('mandatory_defence'));
  const granted = (await call('POST', `/api/v1/cases/${c.id}/decision`, manager.token, { granted: true })).json();
  t.equal(granted.status, 'granted');
  t.equal(granted.deadlines.assign.dueOn, await workingDaysAfter(db, today(), 3), 'three working days to assign');
  const civil = (await call('POST', '/api/v1/cases', manager.token, application)).json();
  const civilGranted = (await call('POST', `/api/v1/cases/${civil.id}/decision`, manager.token, { granted: true })).json();
  t.equal(civilGranted.deadlines.assign.dueOn, await workingDaysAfter(db, today(), 7), 'a walk-in civil case has seven');
});

t.test('emergency aid comes back granted with a paperwork deadline; missing items wait', async (t) => {
  const res = await call('POST', '/api/v1/cases', manager.token, { ...application, emergency: true });
  t.equal(res.statusCode, 201);
  const c = res.json();
  t.match(c, { status: 'granted', emergency: true, decision: { granted: true }, paperworkDueOn: await workingDaysAfter(db, today(), 10) });
  t.match(c.deadlines.paperwork, { kind: 'paperwork', dueOn: c.paperworkDueOn, overdue: false });
  t.ok(c.deadlines.assign, 'and the assignment clock runs');

  const waiting = (await call('POST', '/api/v1/cases', manager.token, { ...application, missingItems: ['户口本', ' 收入证明 '] })).json();
  t.equal(waiting.status, 'pending_materials');
  t.ok(waiting.deadlines.materials && !waiting.deadlines.review, 'the review clock waits for the materials');
});

t.test('bad input is refused with the field and creates nothing', async (t) => {
  const before = await countCases();
  const badId = await call('POST', '/api/v1/cases', manager.token, { ...application, applicantIdNumber: application.applicantIdNumber.slice(0, 17) + (application.applicantIdNumber.endsWith('1') ? '2' : '1') });
  t.equal(badId.statusCode, 400);
  t.match(badId.json(), { error: { code: 'invalid_input', field: 'applicantIdNumber', message: String } });
  const badKind = await call('POST', '/api/v1/cases', manager.token, { ...application, kind: 'maritime' });
  t.match(badKind.json(), { error: { code: 'invalid_input', field: 'kind' } });
  const badRegion = await call('POST', '/api/v1/cases', manager.token, { ...application, regionCode: '999999' });
  t.match(badRegion.json(), { error: { field: 'regionCode' } });
  const extra = await call('POST', '/api/v1/cases', manager.token, { ...application, status: 'granted' });
  t.equal(extra.statusCode, 400, 'no setting the status from outside');
  t.equal(await countCases(), before, 'no row created');
});

t.test('the list: cursor paging, filters, masked ID numbers', async (t) => {
  const all = (await db.selectFrom('cases').select('id').orderBy('id').execute()).map((r) => r.id);
  const seen: number[] = [];
  let cursor: string | null = '';
  for (let pages = 0; cursor !== null && pages < 20; pages++) {
    const res = await call('GET', `/api/v1/cases?limit=2${cursor ? `&cursor=${cursor}` : ''}`, manager.token);
    t.equal(res.statusCode, 200);
    const body: { items: { id: number; applicantIdNumberMasked: string }[]; nextCursor: string | null } = res.json();
    t.ok(body.items.length <= 2);
    seen.push(...body.items.map((i) => i.id));
    for (const item of body.items) t.notOk('applicantIdNumber' in item, 'no full ID number in a list');
    t.notMatch(res.body, application.applicantIdNumber, 'not anywhere in the answer');
    cursor = body.nextCursor;
  }
  t.same(seen, all, 'every case once, in order');
  const withId = (await call('GET', '/api/v1/cases?limit=200', manager.token)).json().items.find((i: { applicantIdNumberMasked: string }) => i.applicantIdNumberMasked);
  t.equal(withId.applicantIdNumberMasked, `511902********${application.applicantIdNumber.slice(-4)}`);
  const granted = (await call('GET', '/api/v1/cases?status=granted', manager.token)).json().items;
  t.ok(granted.length >= 3 && granted.every((i: { status: string }) => i.status === 'granted'));
  t.equal((await call('GET', '/api/v1/cases?status=lost', manager.token)).statusCode, 400);
});

t.test('a lawyer sees only the cases assigned to them', async (t) => {
  const { lawyer, user } = await makeLawyerUser(db);
  const { lawyer: other } = await makeLawyerUser(db);
  const token = (await tokenFor('lawyer', user.id)).token;
  const assigned = async (lawyerId: number) => {
    const c = await makeCase(db);
    await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
    return assignLawyer(db, TEST_ACTOR, c.id, { lawyerId, reason: 'test' });
  };
  const mine = await assigned(lawyer.id);
  const theirs = await assigned(other.id);

  t.same((await call('GET', '/api/v1/cases', token)).json().items.map((i: { id: number }) => i.id), [mine.id]);
  t.same((await call('GET', `/api/v1/cases?lawyerId=${other.id}`, token)).json(), { items: [], nextCursor: null }, "another's id gives nothing");
  t.same((await call('GET', `/api/v1/cases?lawyerId=${other.id}`, manager.token)).json().items.map((i: { id: number }) => i.id), [theirs.id], 'a manager filters by lawyer');
  const own = await call('GET', `/api/v1/cases/${mine.id}`, token);
  t.equal(own.statusCode, 200);
  t.equal(own.json().applicantIdNumber, mine.applicant_id_number, 'the case file carries the full number');
  t.equal((await call('GET', `/api/v1/cases/${theirs.id}`, token)).statusCode, 404);
  t.equal((await call('GET', `/api/v1/cases/${theirs.id}/timeline`, token)).statusCode, 404);
  const close = await call('POST', `/api/v1/cases/${theirs.id}/close`, token, { outcome: '结案' });
  t.equal(close.statusCode, 404);
  t.equal((await db.selectFrom('cases').select('status').where('id', '=', theirs.id).executeTakeFirstOrThrow()).status, 'assigned', 'unchanged');
  t.equal((await call('POST', '/api/v1/cases', token, application)).statusCode, 403, 'a lawyer does not take applications');
  t.equal((await call('POST', `/api/v1/cases/${mine.id}/decision`, token, { granted: false, reason: 'x' })).statusCode, 403);
});

t.test('every read of a case file is audited', async (t) => {
  const c = await makeCase(db);
  const views = () => db.selectFrom('audit_log').selectAll().where('action', '=', 'case.viewed').where('entity_id', '=', String(c.id)).execute();
  t.equal((await views()).length, 0);
  t.equal((await call('GET', `/api/v1/cases/${c.id}`, manager.token)).statusCode, 200);
  const rows = await views();
  t.equal(rows.length, 1);
  t.match(rows[0], { entity: 'case', actor_id: manager.id });
  const timeline = await call('GET', `/api/v1/cases/${c.id}/timeline`, manager.token);
  t.match(timeline.json(), { items: [{ kind: 'applied', actorName: 'test', detail: { source: 'walk_in' } }] });
  t.equal((await views()).length, 2, 'the timeline is part of the file');
  await call('GET', '/api/v1/cases', manager.token);
  t.equal((await views()).length, 2, 'a list of masked rows is not a file read');
});

t.test('other roles are refused', async (t) => {
  const c = await makeCase(db);
  for (const role of ['auditor', 'volunteer', 'admin'] as const) {
    const { token } = await tokenFor(role);
    t.equal((await call('GET', '/api/v1/cases', token)).statusCode, 403, `${role} list`);
    t.equal((await call('GET', `/api/v1/cases/${c.id}`, token)).statusCode, 403, `${role} one`);
    t.equal((await call('POST', '/api/v1/cases', token, application)).statusCode, 403, `${role} create`);
  }
  t.equal((await app.inject({ url: '/api/v1/cases' })).statusCode, 401, 'no token');
  t.equal((await call('GET', '/api/v1/cases/999999', manager.token)).statusCode, 404);
});
