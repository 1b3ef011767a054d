// The fairness report page and API over assignment rows inserted directly (so the
// figures are known): an override listed with its reason, a returned decline not
// counted, a consumed one counted, leave taken off the eligible days.
import t from 'tap';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { makeCase } from '../helpers/cases.js';
import { makeLawyer, makeLawyerUser } from '../helpers/people.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';

t.test('fairness report', async (t) => {
  const { app, db } = await buildTestApp(t);
  const manager = await makeUser(db, 'manager', { name: '王经理' });
  const auditor = await makeUser(db, 'auditor');
  const { user: lawyerUser } = await makeLawyerUser(db);
  const firm = await makeOrganization(db, { kind: 'law_firm', name: '巴中公平律师事务所' });
  const a = await makeLawyer(db, { name: '甲律师', organizationId: firm.id });
  const b = await makeLawyer(db, { name: '乙律师', organizationId: firm.id });
  const c = await makeLawyer(db, { name: '丙律师', organizationId: firm.id });
  // registered well before the period (created_at is not writable through the table types)
  await sql`update lawyers set created_at = '2026-10-01T00:00:00+08:00' where id in (${a.id}, ${b.id}, ${c.id})`.execute(db);
  await db.insertInto('lawyer_leaves').values({ lawyer_id: c.id, starts_on: '2026-11-01', ends_on: '2026-11-10', reason: '年假' }).execute();
  const cases: Awaited<ReturnType<typeof makeCase>>[] = [];
  for (let i = 0; i < 5; i++) cases.push(await makeCase(db));

  let seq = 0;
  const assign = (caseId: number, lawyerId: number, at: string, extra: Record<string, unknown> = {}, passedOver: { lawyerId: number; reason: string }[] = []) =>
    db
      .insertInto('assignments')
      .values({
        case_id: caseId,
        lawyer_id: lawyerId,
        seq: ++seq,
        method: 'rotation',
        reason: null,
        explanation: JSON.stringify({ v: 1, candidates: [{ lawyerId, rank: 1 }], passedOver }),
        assigned_at: new Date(`${at}T10:00:00+08:00`),
        ...extra,
      })
      .execute();
  const leave = [{ lawyerId: c.id, reason: 'on_leave' }];
  await assign(cases[0].id, a.id, '2026-11-02', {}, leave);
  await assign(cases[1].id, b.id, '2026-11-03', {}, leave);
  await assign(cases[2].id, a.id, '2026-11-05', { method: 'override', reason: '申请人为聋哑人，甲律师会手语', assigned_by: manager.id });
  // a conflict decline gives the turn back: not counted
  await assign(cases[3].id, b.id, '2026-11-12', { status: 'declined', decline_kind: 'returned', decline_reason: 'conflict' }, [{ lawyerId: a.id, reason: 'conflict' }]);
  await assign(cases[3].id, c.id, '2026-11-12');
  // any other decline keeps the turn consumed: counted
  await assign(cases[4].id, a.id, '2026-11-15', { status: 'declined', decline_kind: 'consumed', decline_reason: 'busy' });
  await assign(cases[4].id, b.id, '2026-11-25');

  const period = 'from=2026-11-01&to=2026-11-20';

  t.test('the page: figures, table, override, skips, chart', async (t) => {
    const client = new Client(app);
    await client.login(manager.email);
    const home = await client.get('/');
    t.match(home.body, 'href="/reports/fairness"', 'in the navigation');
    const res = await client.get(`/reports/fairness?${period}`);
    t.equal(res.statusCode, 200);
    const page = text(res.body);
    // days: 20, 20 and 10 (leave 1st-10th): expected 2, 2, 1 of 5 counted turns
    t.match(page, /5 assignments counted in the period/);
    t.match(page, /3 lawyers eligible in the period/);
    t.match(page, /1\.80 top-10% share ratio/, 'top 1 of 3 got 3 of 5: 0.6 / (1/3)');
    t.match(page, /Above our goal/);
    t.match(page, /0\.222 Gini coefficient/);
    t.match(page, /1\.0 largest deviation/);
    t.match(page, /not when the turn was returned/, 'the counting rule is said');
    t.match(page, /甲律师 3 \+1\.0 巴中公平律师事务所 20 1 2\.0/, 'lawyer A: received 3, expected 2');
    t.match(page, /乙律师 1 -1\.0 巴中公平律师事务所 20 1 2\.0/, 'lawyer B: the returned decline not counted');
    t.match(page, /丙律师 1 0\.0 巴中公平律师事务所 10 1 1\.0/, 'lawyer C: ten days of leave');
    t.match(page, '申请人为聋哑人，甲律师会手语', 'the override with its reason');
    t.match(page, '王经理', 'and who made it');
    t.match(page, /On leave 2 1/, 'skips: on leave twice, one lawyer');
    t.match(page, /Conflict of interest 1 1/);
    t.match(res.body, /<svg role="img" aria-labelledby="fc-title fc-desc"/, 'chart with a title');
    t.notMatch(res.body, /style=/, 'no inline styles');
    t.match(res.body, /<rect [^>]*width="460"[^>]*fill="#1d5fa6"/, 'the largest bar fills the plot');
  });

  t.test('sorted by deviation; htmx gets the fragment', async (t) => {
    const client = new Client(app);
    await client.login(auditor.email);
    const res = await client.get(`/reports/fairness?${period}&sort=deviation`, { 'hx-request': 'true' });
    t.equal(res.statusCode, 200);
    t.notMatch(res.body, '<html', 'fragment only');
    t.match(res.headers.vary, /HX-Request/);
    const order = ['甲律师', '丙律师', '乙律师'].map((n) => res.body.indexOf(`>${n}</a>`));
    t.ok(order[0] < order[1] && order[1] < order[2], 'most over-served first');
    t.match(res.body, 'aria-sort="descending"');
    t.notMatch(res.body, `href="/cases/${cases[2].id}"`, 'an auditor gets no link to the case file');
  });

  t.test('default period: all time', async (t) => {
    const client = new Client(app);
    await client.login(manager.email);
    const res = await client.get('/reports/fairness');
    t.equal(res.statusCode, 200);
    t.match(text(res.body), /6 assignments counted/, 'the one on the 25th too');
  });

  t.test('bad dates: 422 with the message next to the field, input kept', async (t) => {
    const client = new Client(app);
    await client.login(manager.email);
    const res = await client.get('/reports/fairness?from=2026-13-01&to=2026-11-20');
    t.equal(res.statusCode, 422);
    t.match(res.body, /id="f-from"[^>]*value="2026-13-01"[^>]*aria-invalid="true"/);
    t.match(text(res.body), 'Enter a valid date (YYYY-MM-DD).');
    const reversed = await client.get('/reports/fairness?from=2026-11-20&to=2026-11-01');
    t.equal(reversed.statusCode, 422);
    t.match(text(reversed.body), 'The end date cannot be before the start date.');
  });

  t.test('a lawyer may not see it', async (t) => {
    const client = new Client(app);
    await client.login(lawyerUser.email);
    const res = await client.get('/reports/fairness');
    t.equal(res.statusCode, 403);
    t.notMatch(client.lastHtml, 'href="/reports/fairness"', 'not in their navigation');
  });

  t.test('the API: exact field names, roles, bad dates', async (t) => {
    const token = async (id: number) => (await createToken(db, { id, name: 'x' }, id, 'test')).token;
    const call = async (url: string, id: number) => app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${await token(id)}` } });
    const res = await call(`/api/v1/reports/fairness?${period}`, manager.id);
    t.equal(res.statusCode, 200);
    const body = res.json();
    for (const key of ['assignments', 'lawyers', 'expectedShare', 'top10PctShareRatio', 'maxAbsDeviation', 'gini']) t.type(body[key], 'number', key);
    t.match(body, { from: '2026-11-01', to: '2026-11-20', assignments: 5, lawyers: 3, maxAbsDeviation: 1 });
    t.ok(Math.abs(body.top10PctShareRatio - 1.8) < 1e-9);
    t.ok(Math.abs(body.expectedShare - 1 / 3) < 1e-9);
    t.ok(Math.abs(body.gini - 2 / 9) < 1e-9);
    t.match(body.overrides, [{ caseId: cases[2].id, lawyerId: a.id, reason: '申请人为聋哑人，甲律师会手语', by: '王经理', counted: true }]);
    t.match(body.perLawyer.find((l: { lawyerId: number }) => l.lawyerId === b.id), { received: 1, eligibleDays: 20, expected: 2, deviation: -1 });
    t.equal((await call(`/api/v1/reports/fairness?${period}`, auditor.id)).statusCode, 200, 'auditor');
    t.equal((await call('/api/v1/reports/fairness', lawyerUser.id)).statusCode, 403, 'lawyer');
    const bad = await call('/api/v1/reports/fairness?from=2026-02-30', manager.id);
    t.equal(bad.statusCode, 400);
    t.match(bad.json(), { error: { code: 'invalid_input', field: 'from' } });
    t.equal((await call('/api/v1/reports/fairness?from=2026-11-20&to=2026-11-01', manager.id)).statusCode, 400, 'reversed');
    t.equal((await call('/api/v1/reports/fairness?to=yesterday', manager.id)).statusCode, 400, 'not a date');
    const none = await call('/api/v1/reports/fairness?from=2020-01-01&to=2020-01-31', manager.id);
    t.match(none.json(), { assignments: 0, lawyers: 0, top10PctShareRatio: 1, gini: 0, maxAbsDeviation: 0 }, 'a period before anyone');
  });
});

t.test('uneven demand: each case is expected of the lawyers in line for it, by practice area and region', async (t) => {
  const { app, db } = await buildTestApp(t);
  const manager = await makeUser(db, 'manager');
  const l1 = await makeLawyer(db, { name: '劳动甲', practiceAreas: ['labor'], regionCode: '511902' });
  const l2 = await makeLawyer(db, { name: '劳动乙', practiceAreas: ['labor'], regionCode: '511902' });
  const juvenile = await makeLawyer(db, { name: '少年丙', practiceAreas: ['juvenile'], regionCode: '511902' });
  // 恩阳区: the seeded policy's neighbours of 511922 are 511903 and 511921, so Bazhou's lawyers do not serve it
  const far = await makeLawyer(db, { name: '恩阳丁', practiceAreas: ['labor'], regionCode: '511922' });
  await sql`update lawyers set created_at = '2026-10-01T00:00:00+08:00' where id in (${l1.id}, ${l2.id}, ${juvenile.id}, ${far.id})`.execute(db);
  let seq = 0;
  const give = async (lawyerId: number, category: string, regionCode: string, day: string) => {
    const c = await makeCase(db, { category, regionCode });
    await db
      .insertInto('assignments')
      .values({ case_id: c.id, lawyer_id: lawyerId, seq: ++seq, method: 'rotation', reason: null, explanation: '{}', assigned_at: new Date(`2026-11-${day}T10:00:00+08:00`) })
      .execute();
  };
  // a fair rotation of each pool: labour in Bazhou alternates, the others have one lawyer each
  for (const [i, id] of [l1.id, l2.id, l1.id, l2.id].entries()) await give(id, 'labor', '511902', `0${i + 2}`);
  await give(juvenile.id, 'juvenile', '511902', '07');
  await give(far.id, 'labor', '511922', '08');
  await give(far.id, 'labor', '511922', '09');
  const token = (await createToken(db, { id: manager.id, name: 'x' }, manager.id, 'test')).token;
  const res = await app.inject({ method: 'GET', url: '/api/v1/reports/fairness?from=2026-11-01&to=2026-11-20', headers: { authorization: `Bearer ${token}` } });
  t.equal(res.statusCode, 200);
  const body = res.json();
  const row = (id: number) => body.perLawyer.find((l: { lawyerId: number }) => l.lawyerId === id);
  t.match(row(l1.id), { received: 2, expected: 2, deviation: 0 }, 'a Bazhou labour lawyer expects half of Bazhou’s labour cases');
  t.match(row(juvenile.id), { received: 1, expected: 1, deviation: 0 }, 'the juvenile lawyer is not behind for the labour cases they could not take');
  t.match(row(far.id), { received: 2, expected: 2, deviation: 0 }, 'Enyang’s labour lawyer expects Enyang’s labour cases');
  t.equal(body.maxAbsDeviation, 0, 'no deviation anywhere');
  t.equal(body.gini, 0, 'a Gini coefficient of 0');
  t.ok(Math.abs(row(juvenile.id).expectedShare - 1 / 7) < 1e-9, 'the juvenile lawyer’s share: 1 of the 7 cases');
  const client = new Client(app);
  await client.login(manager.email);
  const page = text((await client.get('/reports/fairness?from=2026-11-01&to=2026-11-20')).body);
  t.match(page, /少年丙 1 0\.0 .* 20 1 1\.0/, 'the page shows the same expectation');
  t.match(page, /in line for it/, 'and says how it is reckoned');
});
