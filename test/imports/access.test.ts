// Who may import: admins and managers; a run belongs to whoever uploaded it (and
// admins). The CSRF check holds for multipart uploads too.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { text } from '../helpers/client.js';
import { checked, count, csv, licence, loggedIn, runIdOf, upload } from './support.js';

const { app, db } = await buildTestApp(t);
const FILE = () => csv([['姓名', '执业证号', '业务领域', '地区'], ['吴十', licence(), '刑事', '511902']]);

t.test('a multipart upload needs the session’s CSRF token', async (t) => {
  const { client } = await loggedIn(app, db, 'manager');
  await client.get('/imports/new?kind=lawyers');
  const before = await count(db, 'import_runs');

  const none = await upload(client, 'lawyers', FILE(), { token: 'none' });
  t.equal(none.statusCode, 403, 'no token: refused');
  t.match(text(none.body), 'The page has expired or the request did not come from this site');
  const { client: other } = await loggedIn(app, db, 'manager');
  await other.get('/imports/new?kind=lawyers');
  const saved = client.csrf;
  client.csrf = other.csrf;
  const borrowed = await upload(client, 'lawyers', FILE(), { token: 'query' });
  client.csrf = saved;
  t.equal(borrowed.statusCode, 403, 'another session’s token: refused');
  t.equal(await count(db, 'import_runs'), before, 'no import run was created');

  // the query-string token is for multipart uploads only
  const form = await app.inject({
    method: 'POST',
    url: `/imports?kind=lawyers&_csrf=${encodeURIComponent(client.csrf)}`,
    payload: 'x=1',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  t.equal(form.statusCode, 403, 'a urlencoded POST with the token only in the URL: refused');
  const other2 = await app.inject({
    method: 'POST',
    url: `/lawyers?_csrf=${encodeURIComponent(client.csrf)}`,
    payload: 'name=x',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  t.equal(other2.statusCode, 403, 'nor anywhere else');

  t.equal((await upload(client, 'lawyers', FILE(), { token: 'query' })).statusCode, 303, 'the token in the form action (no JavaScript) works');
  t.equal((await upload(client, 'lawyers', FILE(), { token: 'header' })).statusCode, 303, 'the htmx header works');
  t.equal(await count(db, 'import_runs'), before + 2);
});

t.test('multipart bodies are accepted by the import routes only', async (t) => {
  const { client } = await loggedIn(app, db, 'manager');
  await client.get('/lawyers/new');
  const res = await app.inject({
    method: 'POST',
    url: '/lawyers',
    payload: '--b\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--b--\r\n',
    headers: { 'content-type': 'multipart/form-data; boundary=b', 'x-csrf-token': client.csrf, cookie: [...client.cookies].map(([k, v]) => `${k}=${v}`).join('; ') },
  });
  t.equal(res.statusCode, 415);
});

t.test('lawyers, volunteers and auditors cannot import', async (t) => {
  const { client: manager } = await loggedIn(app, db, 'manager');
  const { id } = await checked(manager, db, 'lawyers', FILE());
  const before = await count(db, 'import_runs');
  for (const role of ['lawyer', 'volunteer', 'auditor'] as const) {
    const { client } = await loggedIn(app, db, role);
    await client.get('/');
    t.equal((await client.get('/imports/new?kind=lawyers')).statusCode, 403, `${role}: no upload form`);
    t.equal((await client.get('/imports/template.csv?kind=volunteers')).statusCode, 403, `${role}: no template`);
    t.equal((await upload(client, 'lawyers', FILE(), { token: 'header' })).statusCode, 403, `${role}: no upload`);
    t.equal((await client.get(`/imports/${id}`)).statusCode, 403, `${role}: no run page`);
    t.equal((await client.post(`/imports/${id}/confirm`)).statusCode, 403, `${role}: no confirm`);
  }
  t.equal(await count(db, 'import_runs'), before);
  const anon = await app.inject({ url: '/imports/new?kind=lawyers' });
  t.equal(anon.statusCode, 303, 'anonymous: to the login');
});

t.test('a run is seen and confirmed only by who uploaded it, or an admin', async (t) => {
  const { client: owner } = await loggedIn(app, db, 'manager');
  const { client: colleague } = await loggedIn(app, db, 'manager');
  const { client: admin } = await loggedIn(app, db, 'admin');
  const id = runIdOf(await upload(owner, 'lawyers', FILE()));
  await colleague.get('/');
  t.equal((await colleague.get(`/imports/${id}`)).statusCode, 404, 'another manager: 404');
  t.equal((await colleague.post(`/imports/${id}/confirm`)).statusCode, 404);
  t.equal((await colleague.post(`/imports/${id}/cancel`)).statusCode, 404);
  t.equal((await owner.get(`/imports/${id}`)).statusCode, 200, 'the uploader');
  t.equal((await admin.get(`/imports/${id}`)).statusCode, 200, 'an admin');
  t.equal((await owner.get('/imports/999999')).statusCode, 404, 'an unknown id');
  t.equal((await owner.get('/imports/abc')).statusCode, 404);
  t.notMatch((await colleague.get('/imports/new?kind=lawyers')).body, `/imports/${id}"`, 'not in another manager’s recent list');
  t.match((await admin.get('/imports/new?kind=lawyers')).body, `/imports/${id}"`, 'in an admin’s');
});
