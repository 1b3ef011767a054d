import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';

t.test('lawyers and volunteers API', async (t) => {
  const { app, db } = await buildTestApp(t);
  const tokenFor = async (role: 'admin' | 'manager' | 'auditor' | 'lawyer' | 'volunteer', userId?: number) => {
    const id = userId ?? (await makeUser(db, role)).id;
    return (await createToken(db, { id, name: role }, id, 'test')).token;
  };
  const manager = await tokenFor('manager');
  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, token: string, payload?: unknown) =>
    app.inject({ method, url, headers: { authorization: `Bearer ${token}` }, ...(payload === undefined ? {} : { payload: payload as object }) });
  const firm = await makeOrganization(db, { kind: 'law_firm' });
  const body = { name: '孙律师', licenseNo: '15119202033333333', organizationId: firm.id, practiceAreas: ['labor', 'work_injury'], level: 2, regionCode: '511902', phone: '13811112222' };

  const created = await call('POST', '/api/v1/lawyers', manager, body);
  t.equal(created.statusCode, 201);
  const lawyer = created.json();
  t.match(lawyer, { name: '孙律师', licenseNo: '15119202033333333', practiceAreas: ['labor', 'work_injury'], level: 2, status: 'active', maxOpenCases: 5 });

  const dup = await call('POST', '/api/v1/lawyers', manager, body);
  t.equal(dup.statusCode, 400);
  t.match(dup.json(), { error: { code: 'invalid_input', field: 'licenseNo' } });
  const badArea = await call('POST', '/api/v1/lawyers', manager, { ...body, licenseNo: '15119202033333334', practiceAreas: ['piracy'] });
  t.equal(badArea.statusCode, 400);
  const badRegion = await call('POST', '/api/v1/lawyers', manager, { ...body, licenseNo: '15119202033333334', regionCode: '000000' });
  t.match(badRegion.json(), { error: { field: 'regionCode' } });

  const patched = await call('PATCH', `/api/v1/lawyers/${lawyer.id}`, manager, { status: 'on_leave', level: 3 });
  t.equal(patched.statusCode, 200);
  t.match(patched.json(), { status: 'on_leave', level: 3, name: '孙律师' });

  const list = await call('GET', '/api/v1/lawyers?status=on_leave&practiceArea=labor&limit=10', manager);
  t.same(list.json().items.map((l: { id: number }) => l.id), [lawyer.id]);

  const auditor = await tokenFor('auditor');
  t.equal((await call('GET', `/api/v1/lawyers/${lawyer.id}`, auditor)).statusCode, 200, 'auditor reads');
  t.equal((await call('PATCH', `/api/v1/lawyers/${lawyer.id}`, auditor, { level: 1 })).statusCode, 403, 'auditor cannot write');

  const { lawyer: own, user } = await makeLawyerUser(db);
  const lawyerToken = await tokenFor('lawyer', user.id);
  t.equal((await call('GET', `/api/v1/lawyers/${own.id}`, lawyerToken)).statusCode, 200, 'a lawyer reads their own record');
  t.equal((await call('GET', `/api/v1/lawyers/${lawyer.id}`, lawyerToken)).statusCode, 404, 'not another lawyer');
  t.equal((await call('GET', '/api/v1/lawyers', lawyerToken)).statusCode, 403);

  const vol = await call('POST', '/api/v1/volunteers', manager, { name: '周志愿', phone: '13622223333', regionCode: '511921', skills: ['publicity'] });
  t.equal(vol.statusCode, 201);
  t.match(vol.json(), { name: '周志愿', status: 'approved', skills: ['publicity'] });
  const volDup = await call('POST', '/api/v1/volunteers', manager, { name: 'x', phone: '13622223333', regionCode: '511921' });
  t.match(volDup.json(), { error: { field: 'phone' } });
  t.equal((await call('GET', '/api/v1/volunteers', auditor)).statusCode, 403, 'volunteers carry personal data: staff only');

  const spec = (await app.inject({ url: '/api/openapi.json' })).json();
  t.ok(spec.paths['/api/v1/lawyers'] && spec.paths['/api/v1/volunteers'], 'documented');
});
