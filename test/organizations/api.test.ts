import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { auditEntries } from '../helpers/html.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { SYSTEM_ACTOR } from '../../src/plugins/audit.js';
import type { Role } from '../../src/db/types.js';

const { app, db } = await buildTestApp(t);

async function tokenFor(role: Role) {
  const user = await makeUser(db, role);
  const { token } = await createToken(db, SYSTEM_ACTOR, user.id, `${role} test`);
  return { user, token };
}
const manager = await tokenFor('manager');
const admin = await tokenFor('admin');
const auditor = await tokenFor('auditor');
const lawyer = await tokenFor('lawyer');

// JSON read from answers: walked freely, checked by the assertions
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;
function call(token: string | null, method: 'GET' | 'POST' | 'PATCH', url: string, payload?: unknown) {
  return app.inject({
    method,
    url,
    headers: token ? { authorization: `Bearer ${token}` } : {},
    ...(payload === undefined ? {} : { payload: payload as Json }),
  });
}
const countOrgs = async () => (await db.selectFrom('organizations').select('id').execute()).length;

t.test('create: 201 with the organisation in camelCase, stored and audited', async (t) => {
  const parent = await makeOrganization(db, { name: 'API Parent', kind: 'centre', regionCode: '511900' });
  const res = await call(manager.token, 'POST', '/api/v1/organizations', {
    name: 'API Created Station',
    kind: 'workstation',
    regionCode: '511902',
    parentId: parent.id,
    address: 'Jiangbei 1',
    phone: '0827-5261234',
    openingHours: 'Mon-Fri',
  });
  t.equal(res.statusCode, 201);
  t.match(res.headers['content-type'], /^application\/json/);
  const body = res.json();
  t.same(Object.keys(body).sort(), ['active', 'address', 'createdAt', 'id', 'kind', 'name', 'openingHours', 'parentId', 'phone', 'regionCode', 'updatedAt']);
  t.match(body, {
    name: 'API Created Station',
    kind: 'workstation',
    regionCode: '511902',
    parentId: parent.id,
    address: 'Jiangbei 1',
    phone: '0827-5261234',
    openingHours: 'Mon-Fri',
    active: true,
  });
  t.type(body.id, 'number');
  t.match(body.createdAt, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/, 'ISO 8601 with offset');
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', body.id).executeTakeFirstOrThrow();
  t.equal(row.name, 'API Created Station');
  t.equal(row.parent_id, parent.id);
  const [entry] = (await auditEntries(db, 'organization.created')).filter((a) => a.entity_id === String(body.id));
  t.ok(entry, 'audited');
  t.equal(entry.actor_id, manager.user.id, 'as the token’s user');

  const minimal = await call(admin.token, 'POST', '/api/v1/organizations', { name: 'API Minimal', kind: 'law_firm', regionCode: '511921' });
  t.equal(minimal.statusCode, 201, 'admins too; optional fields may be left out');
  t.match(minimal.json(), { parentId: null, address: null, phone: null, openingHours: null, active: true });
});

t.test('bad input: 400 with the error shape and the field; nothing written', async (t) => {
  const before = await countOrgs();
  const cases: [string, unknown, string][] = [
    ['missing name', { kind: 'workstation', regionCode: '511902' }, 'name'],
    ['empty name', { name: '', kind: 'workstation', regionCode: '511902' }, 'name'],
    ['blank name', { name: '   ', kind: 'workstation', regionCode: '511902' }, 'name'],
    ['bad kind', { name: 'X', kind: 'castle', regionCode: '511902' }, 'kind'],
    ['malformed region', { name: 'X', kind: 'workstation', regionCode: '51' }, 'regionCode'],
    ['unknown region', { name: 'X', kind: 'workstation', regionCode: '999999' }, 'regionCode'],
    ['unknown parent', { name: 'X', kind: 'workstation', regionCode: '511902', parentId: 999999 }, 'parentId'],
    ['bad phone', { name: 'X', kind: 'workstation', regionCode: '511902', phone: 'call me' }, 'phone'],
    ['extra field', { name: 'X', kind: 'workstation', regionCode: '511902', colour: 'red' }, 'colour'],
  ];
  for (const [label, payload, fieldName] of cases) {
    const res = await call(manager.token, 'POST', '/api/v1/organizations', payload);
    t.equal(res.statusCode, 400, label);
    const body = res.json();
    t.same(Object.keys(body), ['error'], `${label}: one error object`);
    t.equal(body.error.code, 'invalid_input', `${label}: code`);
    t.type(body.error.message, 'string');
    t.equal(body.error.field, fieldName, `${label}: names the field`);
  }
  const notJson = await app.inject({
    method: 'POST',
    url: '/api/v1/organizations',
    headers: { authorization: `Bearer ${manager.token}`, 'content-type': 'application/json' },
    payload: '{"name": ',
  });
  t.equal(notJson.statusCode, 400, 'broken JSON');
  t.type(notJson.json().error.code, 'string');
  t.equal(await countOrgs(), before, 'nothing was written');
});

t.test('list: filters and cursor paging', async (t) => {
  const made = [];
  for (const [kind, regionCode] of [
    ['law_firm', '511922'],
    ['law_firm', '511923'],
    ['law_firm', '511922'],
    ['service_office', '511922'],
    ['partner_station', '511923'],
  ] as const) {
    made.push(await makeOrganization(db, { name: `List ${kind} ${regionCode}`, kind, regionCode }));
  }
  const all = await db.selectFrom('organizations').select(['id', 'kind', 'region_code']).orderBy('id').execute();

  const firms = await call(auditor.token, 'GET', '/api/v1/organizations?kind=law_firm');
  t.equal(firms.statusCode, 200, 'auditors may read');
  t.same(
    firms.json().items.map((o: Json) => o.id),
    all.filter((o) => o.kind === 'law_firm').map((o) => o.id),
  );
  t.equal(firms.json().nextCursor, null);

  const region = (await call(auditor.token, 'GET', '/api/v1/organizations?regionCode=511922')).json();
  t.same(
    region.items.map((o: Json) => o.id),
    all.filter((o) => o.region_code === '511922').map((o) => o.id),
  );
  const both = (await call(auditor.token, 'GET', '/api/v1/organizations?kind=law_firm&regionCode=511922')).json();
  t.same(
    both.items.map((o: Json) => o.id),
    [made[0].id, made[2].id],
  );
  t.equal((await call(auditor.token, 'GET', '/api/v1/organizations?kind=castle')).statusCode, 400, 'unknown kind');

  const seen: number[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const url: string = `/api/v1/organizations?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await call(manager.token, 'GET', url);
    t.equal(res.statusCode, 200);
    const page = res.json();
    t.ok(page.items.length <= 2, 'at most the limit');
    seen.push(...page.items.map((o: Json) => o.id));
    cursor = page.nextCursor;
    pages++;
  } while (cursor !== null && pages < 100);
  t.equal(new Set(seen).size, seen.length, 'no duplicates');
  t.same(seen, all.map((o) => o.id), 'every organisation, in id order');
  t.equal(pages, Math.ceil(all.length / 2), 'no empty page at the end');

  const filtered: number[] = [];
  cursor = null;
  do {
    const res = await call(manager.token, 'GET', `/api/v1/organizations?kind=law_firm&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
    filtered.push(...res.json().items.map((o: Json) => o.id));
    cursor = res.json().nextCursor;
  } while (cursor !== null && filtered.length < 100);
  t.same(filtered, all.filter((o) => o.kind === 'law_firm').map((o) => o.id), 'paging keeps the filter');

  t.equal((await call(manager.token, 'GET', '/api/v1/organizations?limit=0')).statusCode, 400);
  t.equal((await call(manager.token, 'GET', '/api/v1/organizations?limit=201')).statusCode, 400);
});

t.test('get one, patch part of it, 404 for unknown ids', async (t) => {
  const org = await makeOrganization(db, { name: 'Patch Me', kind: 'workstation', regionCode: '511903' });
  const one = await call(auditor.token, 'GET', `/api/v1/organizations/${org.id}`);
  t.equal(one.statusCode, 200);
  t.match(one.json(), { id: org.id, name: 'Patch Me', kind: 'workstation', regionCode: '511903', active: true, phone: null });

  const patched = await call(manager.token, 'PATCH', `/api/v1/organizations/${org.id}`, { phone: '13800001111', active: false });
  t.equal(patched.statusCode, 200);
  t.match(patched.json(), { id: org.id, name: 'Patch Me', kind: 'workstation', regionCode: '511903', phone: '13800001111', active: false });
  const row = await db.selectFrom('organizations').selectAll().where('id', '=', org.id).executeTakeFirstOrThrow();
  t.match(row, { name: 'Patch Me', kind: 'workstation', region_code: '511903', phone: '13800001111', active: false }, 'only the sent fields changed');
  const [entry] = (await auditEntries(db, 'organization.updated')).filter((a) => a.entity_id === String(org.id));
  t.same(entry.before, { phone: null, active: true });
  t.same(entry.after, { phone: '13800001111', active: false });

  const renamed = await call(manager.token, 'PATCH', `/api/v1/organizations/${org.id}`, { name: 'Patched' });
  t.match(renamed.json(), { name: 'Patched', phone: '13800001111', active: false }, 'earlier changes stay');

  const self = await call(manager.token, 'PATCH', `/api/v1/organizations/${org.id}`, { parentId: org.id });
  t.equal(self.statusCode, 400, 'its own parent');
  t.equal(self.json().error.field, 'parentId');
  const badRegion = await call(manager.token, 'PATCH', `/api/v1/organizations/${org.id}`, { regionCode: '999999' });
  t.equal(badRegion.statusCode, 400);
  t.equal(badRegion.json().error.field, 'regionCode');
  t.equal((await db.selectFrom('organizations').select('region_code').where('id', '=', org.id).executeTakeFirstOrThrow()).region_code, '511903');

  for (const [method, body] of [
    ['GET', undefined],
    ['PATCH', { name: 'Nobody' }],
  ] as const) {
    const missing = await call(manager.token, method, '/api/v1/organizations/999999', body);
    t.equal(missing.statusCode, 404, `${method} unknown id`);
    t.same(missing.json().error.code, 'not_found');
  }
  t.equal((await call(manager.token, 'GET', '/api/v1/organizations/abc')).statusCode, 400, 'a non-numeric id');
});

t.test('roles: 403 for a lawyer, read-only for an auditor, 401 without a token', async (t) => {
  const org = await makeOrganization(db, { name: 'Guarded' });
  const before = await countOrgs();
  const lw = await call(lawyer.token, 'POST', '/api/v1/organizations', { name: 'By Lawyer', kind: 'workstation', regionCode: '511902' });
  t.equal(lw.statusCode, 403);
  t.equal(lw.json().error.code, 'forbidden');
  t.equal((await call(lawyer.token, 'GET', '/api/v1/organizations')).statusCode, 403, 'lawyers may not list either');
  const au = await call(auditor.token, 'PATCH', `/api/v1/organizations/${org.id}`, { name: 'By Auditor' });
  t.equal(au.statusCode, 403);
  t.equal(au.json().error.code, 'forbidden');
  const aup = await call(auditor.token, 'POST', '/api/v1/organizations', { name: 'By Auditor', kind: 'workstation', regionCode: '511902' });
  t.equal(aup.statusCode, 403);
  t.equal(await countOrgs(), before, 'nothing created');
  t.equal((await db.selectFrom('organizations').select('name').where('id', '=', org.id).executeTakeFirstOrThrow()).name, 'Guarded', 'nothing changed');

  for (const [method, url] of [
    ['GET', '/api/v1/organizations'],
    ['GET', `/api/v1/organizations/${org.id}`],
    ['POST', '/api/v1/organizations'],
    ['PATCH', `/api/v1/organizations/${org.id}`],
  ] as const) {
    const res = await call(null, method, url, method === 'GET' ? undefined : { name: 'x' });
    t.equal(res.statusCode, 401, `${method} ${url} without a token`);
    t.equal(res.json().error.code, 'unauthorized');
  }
});
