import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import type { OrganizationKind } from '../../src/db/types.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const mc = new Client(app);
await mc.login(manager.email);

const countOrgs = async () => (await db.selectFrom('organizations').select('id').execute()).length;
/** Names in the order the list shows them. */
const namesIn = (html: string, prefix: string) => [...html.matchAll(/<tr[^>]*>\s*<td>(?:<a [^>]*>)?([^<]+)/g)].map((m) => m[1]).filter((n) => n.startsWith(prefix));

t.test('active search: the fragment for htmx, the whole page otherwise', async (t) => {
  await makeOrganization(db, { name: 'Search Alpha Station' });
  await makeOrganization(db, { name: 'Search Beta Station' });
  await db.updateTable('organizations').set({ address: 'Alpha Road 9' }).where('name', '=', 'Search Beta Station').execute();
  await makeOrganization(db, { name: 'Search Gamma Point' });

  const frag = await mc.get('/organizations?q=alpha', { 'hx-request': 'true' });
  t.equal(frag.statusCode, 200);
  t.notMatch(frag.body, '<html', 'no layout');
  t.notMatch(frag.body, '<header');
  t.match(frag.body.trim(), /^<div id="results"/, 'only #results');
  t.match(String(frag.headers.vary), /HX-Request/i, 'Vary: HX-Request');
  t.same(namesIn(frag.body, 'Search').sort(), ['Search Alpha Station', 'Search Beta Station'], 'by name and by address, any case');
  t.match(text(frag.body), /\b2 organisations/);

  const full = await mc.get('/organizations?q=alpha');
  t.equal(full.statusCode, 200);
  t.match(full.body, '<html');
  t.match(full.body, 'class="main-nav"', 'with the layout');
  t.match(String(full.headers.vary), /HX-Request/i);
  t.match(full.body, 'value="alpha"', 'the search box keeps the query');
  t.same(namesIn(full.body, 'Search').sort(), ['Search Alpha Station', 'Search Beta Station']);

  const boosted = await mc.get('/organizations?q=alpha', { 'hx-request': 'true', 'hx-boosted': 'true' });
  t.match(boosted.body, '<html', 'boosted navigation gets the whole page');
  const restore = await mc.get('/organizations?q=alpha', { 'hx-request': 'true', 'hx-history-restore-request': 'true' });
  t.match(restore.body, '<html', 'a history restore gets the whole page');

  const none = await mc.get('/organizations?q=nothing-like-this', { 'hx-request': 'true' });
  t.match(text(none.body), 'No organisations match.');
  const wild = await mc.get('/organizations?q=%25', { 'hx-request': 'true' });
  t.match(text(wild.body), 'No organisations match.', 'a % is a character, not a wildcard');
});

t.test('filters by kind and region, and sorting', async (t) => {
  const mk = (name: string, kind: OrganizationKind, regionCode: string) => makeOrganization(db, { name, kind, regionCode });
  await mk('Filter C firm Tongjiang', 'law_firm', '511921');
  await mk('Filter A firm Nanjiang', 'law_firm', '511922');
  await mk('Filter B station Tongjiang', 'workstation', '511921');
  await mk('Filter D centre City', 'centre', '511900');

  const kind = await mc.get('/organizations?q=Filter&kind=law_firm');
  t.same(namesIn(kind.body, 'Filter'), ['Filter A firm Nanjiang', 'Filter C firm Tongjiang'], 'law firms, by name');
  t.match(kind.body, '<option value="law_firm" selected>', 'the chosen kind stays selected');
  t.match(text(kind.body), 'Law firm');

  const region = await mc.get('/organizations?q=Filter&region=511921');
  t.same(namesIn(region.body, 'Filter'), ['Filter B station Tongjiang', 'Filter C firm Tongjiang']);
  t.match(text(region.body), 'Tongjiang County', 'the region by its English name');

  const both = await mc.get('/organizations?q=Filter&kind=law_firm&region=511921');
  t.same(namesIn(both.body, 'Filter'), ['Filter C firm Tongjiang']);

  const byKind = await mc.get('/organizations?q=Filter&sort=kind');
  t.same(namesIn(byKind.body, 'Filter'), ['Filter D centre City', 'Filter C firm Tongjiang', 'Filter A firm Nanjiang', 'Filter B station Tongjiang'], 'by kind, then in order of creation');
  t.match(byKind.body, /<th scope="col" aria-sort="ascending"><a href="[^"]*sort=kind/, 'the sorted column is marked');

  const byRegion = await mc.get('/organizations?q=Filter&sort=region');
  t.same(namesIn(byRegion.body, 'Filter'), ['Filter D centre City', 'Filter C firm Tongjiang', 'Filter B station Tongjiang', 'Filter A firm Nanjiang']);

  const byName = await mc.get('/organizations?q=Filter&sort=name');
  t.same(namesIn(byName.body, 'Filter'), ['Filter A firm Nanjiang', 'Filter B station Tongjiang', 'Filter C firm Tongjiang', 'Filter D centre City']);

  const bogus = await mc.get('/organizations?q=Filter&sort=drop%20table');
  t.equal(bogus.statusCode, 200, 'an unknown sort falls back to name');
  t.same(namesIn(bogus.body, 'Filter'), namesIn(byName.body, 'Filter'));
});

t.test('paging at more than 50 rows', async (t) => {
  await db
    .insertInto('organizations')
    .values(Array.from({ length: 55 }, (_, i) => ({ name: `Paged ${String(i + 1).padStart(2, '0')}`, kind: 'liaison_point' as const, region_code: '511903' })))
    .execute();
  const first = await mc.get('/organizations?q=Paged');
  const p1 = namesIn(first.body, 'Paged');
  t.equal(p1.length, 50);
  t.equal(p1[0], 'Paged 01');
  t.equal(p1[49], 'Paged 50');
  t.match(text(first.body), /\b55 organisations/);
  const link = /<a href="([^"]+)"[^>]*rel="next"/.exec(first.body);
  t.ok(link, 'a next link');
  const href = link![1].replace(/&amp;/g, '&');
  t.match(href, 'q=Paged', 'the link keeps the search');
  t.match(href, 'sort=name', 'and the sort');

  const second = await mc.get(href);
  t.same(namesIn(second.body, 'Paged'), ['Paged 51', 'Paged 52', 'Paged 53', 'Paged 54', 'Paged 55']);
  const frag = await mc.get(href, { 'hx-request': 'true' });
  t.notMatch(frag.body, '<html');
  t.same(namesIn(frag.body, 'Paged'), ['Paged 51', 'Paged 52', 'Paged 53', 'Paged 54', 'Paged 55']);
});

t.test('creating: errors by the fields and nothing written; success redirects with a flash shown once', async (t) => {
  const before = await countOrgs();
  const audits = (await auditEntries(db, 'organization.created')).length;
  const form = await mc.get('/organizations/new');
  t.equal(form.statusCode, 200);
  t.ok(field(form.body, 'active').checked, 'a new organisation is active by default');

  const bad = await mc.post('/organizations', {
    name: '',
    kind: 'workstation',
    regionCode: '999999',
    address: 'Jiangbei Avenue 1',
    phone: 'call me maybe',
    openingHours: 'Mon-Fri',
    active: ['0', '1'],
  });
  t.equal(bad.statusCode, 422);
  t.match(text(bad.body), 'Please correct the marked fields');
  t.same(
    ['name', 'phone', 'regionCode'].map((f) => [field(bad.body, f).invalid, field(bad.body, f).error]),
    [
      [true, 'This field is required.'],
      [true, 'Enter a valid phone number.'],
      [true, 'Unknown region code.'],
    ],
  );
  t.equal(field(bad.body, 'address').value, 'Jiangbei Avenue 1', 'input kept');
  t.equal(field(bad.body, 'phone').value, 'call me maybe');
  t.equal(field(bad.body, 'openingHours').value, 'Mon-Fri');
  t.equal(field(bad.body, 'address').error, null);

  const noRegion = await mc.post('/organizations', { name: 'No Region', kind: 'workstation', regionCode: '', active: '0' });
  t.equal(noRegion.statusCode, 422);
  t.equal(field(noRegion.body, 'regionCode').error, 'This field is required.');
  t.equal(field(noRegion.body, 'name').value, 'No Region');
  t.notOk(field(noRegion.body, 'active').checked, 'the unticked box stays unticked');

  const badParent = await mc.post('/organizations', { name: 'Orphan', kind: 'workstation', regionCode: '511902', parentId: '999999', active: '0' });
  t.equal(badParent.statusCode, 422);
  t.equal(field(badParent.body, 'parentId').error, 'That parent organisation does not exist.');

  const badKind = await mc.post('/organizations', { name: 'Odd', kind: 'castle', regionCode: '511902', active: '0' });
  t.equal(badKind.statusCode, 422);
  t.equal(field(badKind.body, 'kind').error, 'Choose one from the list.');

  t.equal(await countOrgs(), before, 'nothing was written');
  t.equal((await auditEntries(db, 'organization.created')).length, audits);

  const parent = await makeOrganization(db, { name: 'Create Parent Centre', kind: 'centre', regionCode: '511900' });
  const ok = await mc.post('/organizations', {
    name: ' Create New Station ',
    kind: 'workstation',
    regionCode: '511902',
    parentId: String(parent.id),
    address: 'Huifeng Road 3',
    phone: '0827 5261234',
    openingHours: 'Mon-Fri 9-17',
    active: ['0', '1'],
  });
  t.equal(ok.statusCode, 303);
  t.equal(ok.headers.location, '/organizations');
  const list = await mc.get('/organizations?q=Create');
  t.match(text(list.body), 'Organisation created.');
  t.same(namesIn(list.body, 'Create'), ['Create New Station', 'Create Parent Centre']);
  t.match(text(list.body), 'Create Parent Centre', 'the parent is shown');
  const again = await mc.get('/organizations?q=Create');
  t.notMatch(text(again.body), 'Organisation created.', 'the flash is shown once');

  const row = await db.selectFrom('organizations').selectAll().where('name', '=', 'Create New Station').executeTakeFirstOrThrow();
  t.match(row, { kind: 'workstation', region_code: '511902', parent_id: parent.id, address: 'Huifeng Road 3', phone: '08275261234', opening_hours: 'Mon-Fri 9-17', active: true });
  const [entry] = (await auditEntries(db, 'organization.created')).filter((a) => a.entity_id === String(row.id));
  t.ok(entry, 'audited');
  t.equal(entry.actor_id, manager.id);
  t.match(entry.after, { name: 'Create New Station', region_code: '511902', parent_id: parent.id });
});

t.test('editing, the active checkbox both ways, and parents that would make a loop', async (t) => {
  const top = await makeOrganization(db, { name: 'Edit Top', kind: 'centre', regionCode: '511900' });
  const mid = await makeOrganization(db, { name: 'Edit Mid', parentId: top.id });
  const low = await makeOrganization(db, { name: 'Edit Low', parentId: mid.id });
  const base = { kind: 'centre', regionCode: '511900', address: '', phone: '', openingHours: '' };

  const page = await mc.get(`/organizations/${top.id}/edit`);
  t.equal(page.statusCode, 200);
  t.equal(field(page.body, 'name').value, 'Edit Top');
  t.ok(field(page.body, 'active').checked);

  const self = await mc.post(`/organizations/${top.id}`, { ...base, name: 'Edit Top', parentId: String(top.id), active: ['0', '1'] });
  t.equal(self.statusCode, 422, 'itself as parent');
  t.equal(field(self.body, 'parentId').error, 'The parent cannot be the organisation itself or one below it.');
  const below = await mc.post(`/organizations/${top.id}`, { ...base, name: 'Edit Top', parentId: String(low.id), active: ['0', '1'] });
  t.equal(below.statusCode, 422, 'a grandchild as parent');
  t.equal(field(below.body, 'parentId').error, 'The parent cannot be the organisation itself or one below it.');
  const still = await db.selectFrom('organizations').select(['parent_id', 'name']).where('id', '=', top.id).executeTakeFirstOrThrow();
  t.same(still, { parent_id: null, name: 'Edit Top' }, 'nothing changed');

  const saved = await mc.post(`/organizations/${top.id}`, { ...base, name: 'Edit Top Renamed', phone: '13800001111', active: ['0', '1'] });
  t.equal(saved.statusCode, 303);
  t.match(saved.headers.location, /^\/organizations\b/, 'back to the organisation pages');
  const landed = await mc.get(String(saved.headers.location));
  t.equal(landed.statusCode, 200);
  t.match(text(landed.body), 'Organisation saved.', 'with a flash');
  t.match(text(landed.body), 'Edit Top Renamed');
  const [renamed] = (await auditEntries(db, 'organization.updated')).filter((a) => a.entity_id === String(top.id));
  t.ok(renamed, 'audited');
  t.same(renamed.before, { name: 'Edit Top', phone: null });
  t.same(renamed.after, { name: 'Edit Top Renamed', phone: '13800001111' }, 'only what changed');

  // an unticked checkbox sends only the hidden 0
  const off = await mc.post(`/organizations/${mid.id}`, { kind: 'workstation', regionCode: '511902', name: 'Edit Mid', parentId: String(top.id), active: '0' });
  t.equal(off.statusCode, 303);
  t.equal((await db.selectFrom('organizations').select('active').where('id', '=', mid.id).executeTakeFirstOrThrow()).active, false, 'unticking makes it inactive');
  const offPage = await mc.get(`/organizations/${mid.id}/edit`);
  t.notOk(field(offPage.body, 'active').checked, 'the form shows it unticked');
  t.equal(field(offPage.body, 'parentId').value, String(top.id), 'the parent is kept');
  const listed = await mc.get('/organizations?q=Edit%20Mid');
  t.match(listed.body, /<tr class="inactive">\s*<td>(?:<a [^>]*>)?Edit Mid</, 'marked inactive in the list');

  const on = await mc.post(`/organizations/${mid.id}`, { kind: 'workstation', regionCode: '511902', name: 'Edit Mid', parentId: String(top.id), active: ['0', '1'] });
  t.equal(on.statusCode, 303);
  t.equal((await db.selectFrom('organizations').select('active').where('id', '=', mid.id).executeTakeFirstOrThrow()).active, true, 'ticking makes it active');
  t.ok(field((await mc.get(`/organizations/${mid.id}/edit`)).body, 'active').checked);
  const toggles = (await auditEntries(db, 'organization.updated')).filter((a) => a.entity_id === String(mid.id));
  t.same(
    toggles.map((a) => [a.before, a.after]),
    [
      [{ active: true }, { active: false }],
      [{ active: false }, { active: true }],
    ],
    'each toggle audited with before and after',
  );

  t.equal((await mc.get('/organizations/999999/edit')).statusCode, 404);
  t.equal((await mc.post('/organizations/999999', { ...base, name: 'x', active: '0' })).statusCode, 404);
});

t.test('who may see and change organisations', async (t) => {
  const org = await makeOrganization(db, { name: 'Roles Org' });
  const auditor = await makeUser(db, 'auditor');
  const ac = new Client(app);
  await ac.login(auditor.email);
  const list = await ac.get('/organizations?q=Roles');
  t.equal(list.statusCode, 200, 'auditors read the list');
  t.match(text(list.body), 'Roles Org');
  t.notMatch(list.body, 'href="/organizations/new"', 'without a create button');
  t.notMatch(list.body, `href="/organizations/${org.id}/edit"`, 'or edit links');
  t.equal((await ac.get('/organizations/new')).statusCode, 403);
  t.equal((await ac.post(`/organizations/${org.id}`, { name: 'Hacked', kind: 'workstation', regionCode: '511902', active: '0' })).statusCode, 403);
  t.equal((await db.selectFrom('organizations').select('name').where('id', '=', org.id).executeTakeFirstOrThrow()).name, 'Roles Org');

  const lawyer = await makeUser(db, 'lawyer');
  const lc = new Client(app);
  await lc.login(lawyer.email);
  t.equal((await lc.get('/organizations')).statusCode, 403, 'lawyers do not');

  const anon = await new Client(app).get('/organizations');
  t.equal(anon.statusCode, 303);
});
