import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { makeLawyer } from '../helpers/people.js';

t.test('an organisation page lists its people; the tree nests by region and parent', async (t) => {
  const { app, db } = await buildTestApp(t);
  const centre = await makeOrganization(db, { name: '通江县法律援助中心', kind: 'centre', regionCode: '511921' });
  const station = await makeOrganization(db, { name: '诺江镇司法所工作站', kind: 'workstation', regionCode: '511921', parentId: centre.id });
  await makeOrganization(db, { name: '红岩村联系点', kind: 'liaison_point', regionCode: '511921', parentId: station.id });
  const firm = await makeOrganization(db, { name: '四川诺水律师事务所', kind: 'law_firm', regionCode: '511921' });
  await makeLawyer(db, { name: '陈律师', organizationId: firm.id, regionCode: '511921' });
  await makeLawyer(db, { name: '林律师', organizationId: firm.id, regionCode: '511921', status: 'inactive' });
  const auditor = await makeUser(db, 'auditor');
  const c = new Client(app);
  await c.login(auditor.email);

  const page = await c.get(`/organizations/${firm.id}`);
  t.equal(page.statusCode, 200);
  const shown = text(page.body);
  t.match(shown, '陈律师');
  t.match(shown, '林律师');
  t.match(shown, 'Tongjiang County');
  t.notMatch(page.body, `/organizations/${firm.id}/edit`, 'an auditor gets no edit link');

  const parent = await c.get(`/organizations/${station.id}`);
  t.match(text(parent.body), '红岩村联系点', 'organisations below are listed');
  t.match(parent.body, `href="/organizations/${centre.id}"`, 'and the parent is linked');

  const tree = await c.get('/organizations/tree');
  t.equal(tree.statusCode, 200);
  const html = tree.body;
  const section = html.slice(html.indexOf('511921'));
  t.ok(section.indexOf('通江县法律援助中心') < section.indexOf('诺江镇司法所工作站'), 'parent before child');
  t.match(section, /通江县法律援助中心[\s\S]*<ul class="tree">[\s\S]*诺江镇司法所工作站[\s\S]*<ul class="tree">[\s\S]*红岩村联系点/, 'nested lists');
  t.equal((await c.get('/organizations/999999')).statusCode, 404);

  const lawyer = await makeUser(db, 'lawyer');
  const l = new Client(app);
  await l.login(lawyer.email);
  t.equal((await l.get(`/organizations/${firm.id}`)).statusCode, 403);
});
