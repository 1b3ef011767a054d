// GET /api/v1/lawyers/:id/quota: the documented shape, and who may read whose.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyer, makeLawyerUser } from '../helpers/people.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { shareOfYear } from '../../src/modules/quotas/quotas.rules.js';
import { handCase, hours, rotationCase } from './support.js';

void t.test('quota API', async (t) => {
  const { app, db } = await buildTestApp(t);
  const tokenFor = async (role: 'admin' | 'manager' | 'auditor' | 'lawyer' | 'volunteer', userId?: number) => {
    const id = userId ?? (await makeUser(db, role)).id;
    return (await createToken(db, { id, name: role }, id, 'test')).token;
  };
  const get = (url: string, token: string) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
  const { lawyer, user } = await makeLawyerUser(db);
  const other = await makeLawyer(db);
  await db.updateTable('lawyers').set({ licensed_on: '2024-09-01' }).where('id', '=', lawyer.id).execute();
  await rotationCase(db, lawyer.id, '2025-03-01');
  await handCase(db, lawyer.id, '2025-09-01');
  await hours(db, lawyer.id, '2025-10-10', '4.5');

  const manager = await tokenFor('manager');
  const res = await get(`/api/v1/lawyers/${lawyer.id}/quota?year=2025`, manager);
  t.equal(res.statusCode, 200);
  t.same(res.json(), {
    year: 2025,
    requiredCases: 1,
    requiredHours: 10,
    doneCases: 2,
    doneHours: 4.5,
    expectedByNow: 1,
    expectedCasesByNow: 1,
    expectedHoursByNow: 10,
    status: 'behind',
    reductions: ['newly_licensed'],
    policyEffectiveFrom: '2022-01-01',
  }, 'newly licensed in 2024: half the obligation in 2025; cases done, hours short after the year: behind');

  const now = (await get(`/api/v1/lawyers/${other.id}/quota`, manager)).json();
  const year = Number(today().slice(0, 4));
  t.match(now, { year, requiredCases: 2, requiredHours: 20, doneCases: 0, doneHours: 0 }, 'the current year by default');
  t.equal(now.expectedByNow, Math.round(shareOfYear(year, today()) * 10_000) / 10_000, 'the share of the year elapsed');
  t.ok(now.expectedByNow > 0 && now.expectedByNow <= 1);
  t.equal((await get(`/api/v1/lawyers/${other.id}/quota?year=${year + 1}`, manager)).json().expectedByNow, 0, 'a future year has not started');

  const own = await tokenFor('lawyer', user.id);
  t.equal((await get(`/api/v1/lawyers/${lawyer.id}/quota?year=2025`, own)).statusCode, 200, 'a lawyer reads their own');
  t.equal((await get(`/api/v1/lawyers/${other.id}/quota`, own)).statusCode, 404, "never another's");
  t.equal((await get(`/api/v1/lawyers/${lawyer.id}/quota`, await tokenFor('auditor'))).statusCode, 200, 'auditors read any');
  t.equal((await get(`/api/v1/lawyers/${lawyer.id}/quota`, await tokenFor('volunteer'))).statusCode, 403);
  t.equal((await get('/api/v1/lawyers/99999999/quota', manager)).statusCode, 404);
  t.equal((await get(`/api/v1/lawyers/${lawyer.id}/quota?year=1999`, manager)).statusCode, 400);

  const spec = (await app.inject({ url: '/api/openapi.json' })).json();
  const op = spec.paths['/api/v1/lawyers/{id}/quota']?.get;
  t.ok(op, 'documented');
  t.match(JSON.stringify(op), /share of the year elapsed/);
});
