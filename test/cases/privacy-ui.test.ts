// Least privilege on the case pages: a lawyer sees only the cases assigned to
// them (404 for anyone else's page, notices and action posts), auditors, admins
// and volunteers do not see cases at all, and every view of a file is audited.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries } from '../helpers/html.js';
import { makeAcceptedCase, makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { accept, assignLawyer, decide, supplyMaterials } from '../../src/modules/cases/cases.actions.js';

const { app, db } = await buildTestApp(t);
const a = await makeLawyerUser(db, { name: '甲律师' });
const b = await makeLawyerUser(db, { name: '乙律师' });
// A's case went through a materials request, so it has a notice too
const pending = await makeCase(db, { applicantName: '甲的当事人', missingItems: ['户口簿'] });
await supplyMaterials(db, TEST_ACTOR, pending.id);
await decide(db, TEST_ACTOR, pending.id, { granted: true, reason: null });
await assignLawyer(db, TEST_ACTOR, pending.id, { lawyerId: a.lawyer.id, reason: 'test' });
const caseA = await accept(db, TEST_ACTOR, pending.id);
const caseB = await makeAcceptedCase(db, { applicantName: '乙的当事人' }, b.lawyer.id);
const unassigned = await makeCase(db, { applicantName: '未指派的申请人' });
const request = await db.selectFrom('case_material_requests').selectAll().where('case_id', '=', pending.id).executeTakeFirstOrThrow();

const clientFor = async (email: string) => {
  const c = new Client(app);
  await c.login(email);
  return c;
};

void t.test("a lawyer's list holds only their own cases, ID numbers masked", async (t) => {
  const la = await clientFor(a.user.email);
  const res = await la.get('/cases');
  t.equal(res.statusCode, 200);
  const body = text(res.body);
  t.match(body, 'My cases');
  t.match(body, caseA.number);
  t.notMatch(body, caseB.number, "not another lawyer's case");
  t.notMatch(body, unassigned.number, 'not an unassigned application');
  t.notMatch(body, /Review \d/, 'no queue tab for a stage a lawyer never sees');
  t.notMatch(body, 'Withdrawn', 'nor a status a lawyer never sees');
  t.notOk(res.body.includes(caseA.applicant_id_number!), 'no full ID number');
  t.match(res.body, `${caseA.applicant_id_number!.slice(0, 6)}********`);
  t.equal((await la.get('/cases/new')).statusCode, 404, 'lawyers do not take applications');
});

void t.test("another lawyer gets 404 for the case page, its notices and its actions", async (t) => {
  const lb = await clientFor(b.user.email);
  t.equal((await lb.get(`/cases/${caseB.id}`)).statusCode, 200, 'their own case opens');
  for (const url of [`/cases/${caseA.id}`, `/cases/${pending.id}/materials/${request.id}/notice`, `/cases/${caseA.id}/decision/notice`, `/cases/${unassigned.id}`]) {
    t.equal((await lb.get(url)).statusCode, 404, url);
  }
  await lb.get(`/cases/${caseB.id}`);
  for (const [action, form] of [
    ['note', { text: '窥探' }],
    ['close', { outcome: '结案', hours: '1' }],
    ['key-date', { kind: 'hearing', onDate: '2026-12-01' }],
    ['decide', { decision: 'grant' }],
  ] as const) {
    t.equal((await lb.post(`/cases/${caseA.id}/${action}`, form)).statusCode, 404, `POST ${action}`);
  }
  const row = await db.selectFrom('cases').select('status').where('id', '=', caseA.id).executeTakeFirstOrThrow();
  t.equal(row.status, 'accepted', 'nothing changed');
  const notes = await db.selectFrom('case_events').select('kind').where('case_id', '=', caseA.id).where('kind', '=', 'note').execute();
  t.equal(notes.length, 0, 'no note written');
});

void t.test('auditors, admins and volunteers do not see cases', async (t) => {
  const v = await makeVolunteerUser(db);
  for (const email of [(await makeUser(db, 'auditor')).email, (await makeUser(db, 'admin')).email, v.user.email]) {
    const c = await clientFor(email);
    t.equal((await c.get(`/cases/${caseA.id}`)).statusCode, 404, `${email}: case page`);
    t.equal((await c.get('/cases')).statusCode, 404, `${email}: list`);
    t.equal((await c.get(`/cases/${caseA.id}/decision/notice`)).statusCode, 404, `${email}: notice`);
    t.notMatch(text(c.lastHtml), caseA.applicant_name);
  }
  const anon = new Client(app);
  const res = await anon.get(`/cases/${caseA.id}`);
  t.equal(res.statusCode, 303, 'anonymous goes to the login page');
});

void t.test('every view of a case file by staff is audited', async (t) => {
  const manager = await makeUser(db, 'manager');
  const m = await clientFor(manager.email);
  const la = await clientFor(a.user.email);
  const before = (await auditEntries(db, 'case.viewed')).length;
  await m.get(`/cases/${caseA.id}`);
  await la.get(`/cases/${caseA.id}`);
  await m.get(`/cases/${pending.id}/materials/${request.id}/notice`);
  const rows = (await auditEntries(db, 'case.viewed')).slice(before);
  t.equal(rows.length, 3);
  t.match(rows[0], { entity: 'case', entity_id: String(caseA.id), actor_id: manager.id });
  t.match(rows[1], { entity_id: String(caseA.id), actor_id: a.user.id });
  t.match(rows[2], { entity_id: String(pending.id), after: { document: 'materials_notice' } });
  const lb = await clientFor(b.user.email);
  await lb.get(`/cases/${caseA.id}`);
  t.equal((await auditEntries(db, 'case.viewed')).length, before + 3, 'a refused look is not a view');
});
