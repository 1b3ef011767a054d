// Correcting an application before its decision: the means test is done again
// on the corrected facts; after the decision nothing can be changed this way.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeCase, makeIdNumber } from '../helpers/cases.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const token = (await createToken(db, { id: manager.id, name: 'm' }, manager.id, 't')).token;
const patch = (id: number, payload: object, bearer = token) =>
  app.inject({ method: 'PATCH', url: `/api/v1/cases/${id}`, headers: { authorization: `Bearer ${bearer}` }, payload });

t.test('a corrected income makes an ineligible application grantable', async (t) => {
  // 3 people, 6,000 yuan a month: 2,000 per head, over 2 x 750
  const c = await makeCase(db, { householdSize: 3, monthlyIncomeFen: 600_000 });
  t.equal((c.eligibility as { passed: boolean }).passed, false);
  const refused = await app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/decision`, headers: { authorization: `Bearer ${token}` }, payload: { granted: true } });
  t.equal(refused.statusCode, 422, 'not grantable as it stands');
  const res = await patch(c.id, { monthlyIncomeFen: 450_000, applicantIdNumber: makeIdNumber('19900101', '511921', '555') });
  t.equal(res.statusCode, 200);
  t.match(res.json(), { monthlyIncomeFen: 450_000, householdSize: 3, applicantName: c.applicant_name, eligibility: { rule: 'means_test', passed: true, perHeadFen: 150_000 } });
  const granted = await app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/decision`, headers: { authorization: `Bearer ${token}` }, payload: { granted: true } });
  t.equal(granted.statusCode, 200);
  const log = await db.selectFrom('audit_log').select(['before', 'after']).where('action', '=', 'case.updated').where('entity_id', '=', String(c.id)).executeTakeFirstOrThrow();
  t.notMatch(JSON.stringify(log), /19900101/, 'the audit log holds the ID number masked');
  const event = await db.selectFrom('case_events').select('detail').where('case_id', '=', c.id).where('kind', '=', 'updated').executeTakeFirstOrThrow();
  t.match(event.detail, { fields: ['applicant_id_number', 'monthly_income_fen'], passed: true }, 'the timeline says what changed');
});

t.test('after the decision, or with bad input, nothing changes', async (t) => {
  const c = await makeCase(db);
  await app.inject({ method: 'POST', url: `/api/v1/cases/${c.id}/decision`, headers: { authorization: `Bearer ${token}` }, payload: { granted: false, reason: '不符合条件' } });
  const late = await patch(c.id, { householdSize: 5 });
  t.equal(late.statusCode, 409);
  t.equal(late.json().error.code, 'invalid_state');
  const open = await makeCase(db);
  const bad = await patch(open.id, { applicantIdNumber: '511902199001011234' });
  t.equal(bad.statusCode, 400);
  t.equal(bad.json().error.field, 'applicantIdNumber');
  const row = await db.selectFrom('cases').select(['household_size', 'applicant_id_number']).where('id', '=', open.id).executeTakeFirstOrThrow();
  t.same(row, { household_size: open.household_size, applicant_id_number: open.applicant_id_number });
  const { user } = await makeLawyerUser(db);
  const lawyerToken = (await createToken(db, { id: user.id, name: 'l' }, user.id, 't')).token;
  t.equal((await patch(open.id, { householdSize: 1 }, lawyerToken)).statusCode, 403, 'a lawyer may not');
});
