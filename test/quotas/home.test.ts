// A lawyer's home page shows their own obligation for this year, with progress
// bars and the status in words; nobody else's figures.
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeLawyerUser } from '../helpers/people.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { hours, rotationCase } from './support.js';

void t.test('the lawyer home shows the quota', async (t) => {
  const { app, db } = await buildTestApp(t);
  const on = today();
  const year = on.slice(0, 4);
  const done = await makeLawyerUser(db);
  await rotationCase(db, done.lawyer.id, on);
  await rotationCase(db, done.lawyer.id, `${year}-01-01`);
  await hours(db, done.lawyer.id, on, '20.0');
  const fresh = await makeLawyerUser(db);
  await db.updateTable('lawyers').set({ licensed_on: on }).where('id', '=', fresh.lawyer.id).execute();

  const c = new Client(app);
  await c.login(done.user.email);
  const res = await c.get('/');
  const page = text(res.body);
  t.match(page, `My legal-aid obligation in ${year}`);
  t.match(page, 'Cases: 2 done of 2 required');
  t.match(page, 'Hours: 20 done of 20 required');
  t.match(page, 'Progress: Met');
  t.match(res.body, /<label for="quota-cases">[^<]*<\/label>\s*<progress id="quota-cases" max="2" value="2">/, 'a labelled progress bar');
  t.notMatch(res.body, /style=/, 'no inline style');

  const f = new Client(app);
  await f.login(fresh.user.email);
  const other = text((await f.get('/')).body);
  t.match(other, 'Cases: 0 done of 1 required', 'newly licensed: halved');
  t.match(other, 'Hours: 0 done of 10 required');
  t.match(other, 'Reduced: newly licensed');
  t.match(other, /Progress: (On track|Behind)/);
});
