// The home pages carry the case work waiting: a manager's queues and overdue
// count, a lawyer's own cases and coming hearings (and nobody else's).
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeAcceptedCase, makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { addKeyDate } from '../../src/modules/cases/cases.actions.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { addDays } from '../../src/lib/workdays.js';

void t.test('home pages show the case work waiting', async (t) => {
  const { app, db } = await buildTestApp(t);
  const manager = await makeUser(db, 'manager');
  // one application long overdue, one fresh green-channel one
  await makeCase(db, {}, addDays(today(), -60));
  await makeCase(db, { priorityGroups: ['elderly'] });
  const mine = await makeLawyerUser(db);
  const other = await makeLawyerUser(db);
  const own = await makeAcceptedCase(db, {}, mine.lawyer.id);
  const foreign = await makeAcceptedCase(db, {}, other.lawyer.id);
  await addKeyDate(db, TEST_ACTOR, own.id, { kind: 'hearing', onDate: addDays(today(), 5), atTime: '09:30', place: '巴州区人民法院', note: null });
  await addKeyDate(db, TEST_ACTOR, foreign.id, { kind: 'hearing', onDate: addDays(today(), 6), atTime: '10:00', place: '通江县人民法院', note: null });

  const m = new Client(app);
  await m.login(manager.email);
  const home = text((await m.get('/')).body);
  t.match(home, /2 to review/, 'both applications wait for review');
  t.match(home, /1 overdue/, 'the old one is overdue');
  t.match(home, /1 green channel/);

  const l = new Client(app);
  await l.login(mine.user.email);
  const lawyerHome = text((await l.get('/')).body);
  t.match(lawyerHome, /1 in progress/);
  t.match(lawyerHome, /巴州区人民法院/, 'own hearing listed');
  t.match(lawyerHome, own.number);
  t.notMatch(lawyerHome, /通江县人民法院/, "another lawyer's hearing is not shown");
  t.notMatch(lawyerHome, foreign.number);
});
