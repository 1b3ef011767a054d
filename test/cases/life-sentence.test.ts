// "Possible life imprisonment or death sentence" (可能被判处无期徒刑、死刑): set on the
// application form, the edit page and the API, criminal cases only (a civil case
// ticked is refused next to the box and nothing is saved), shown on the case page
// and in the export, and obeyed by the rotation: only a lawyer of the rotation
// policy's seriousCriminalLevel gets such a case (Legal Aid Law art. 26).
import t from 'tap';
import { parse } from 'csv-parse/sync';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';
import { auditEntries, field } from '../helpers/html.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { makeLawyer } from '../helpers/people.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { assignByRotation, loadFacts, previewAssignment } from '../../src/modules/rotation/rotation.service.js';
import { grantedCase } from '../rotation/service-helpers.js';

const { app, db } = await buildTestApp(t);
const manager = await makeUser(db, 'manager');
const m = new Client(app);
await m.login(manager.email);
const token = (await createToken(db, { id: manager.id, name: 'm' }, manager.id, 't')).token;
const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  app.inject({ method, url: `/api/v1${url}`, headers: { authorization: `Bearer ${token}` }, ...(payload && { payload }) });

const LABEL = 'Possible life imprisonment or death sentence';
const MESSAGE = 'Only a criminal case can be marked';
const count = async () => Number((await db.selectFrom('cases').select(db.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
const row = (id: number) => db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
/** The matter section of the case page, as read. */
const matter = (html: string) => text(/<section aria-labelledby="h-matter">[\s\S]*?<\/section>/.exec(html)?.[0] ?? '');
const badges = (html: string) => text(/<p class="badges">[\s\S]*?<\/p>/.exec(html)?.[0] ?? '');
const application = { applicantName: '', regionCode: '511902', householdSize: '3', monthlyIncome: '1,000', category: 'criminal', source: 'walk_in' };

void t.test('the form: ticked on a criminal case, saved and shown on the case page', async (t) => {
  const form = await m.get('/cases/new');
  const box = field(form.body, 'possibleLifeSentence');
  t.notOk(box.checked, 'unticked by default');
  t.match(text(box.html), LABEL);
  t.match(text(box.html), 'Criminal cases only', 'the hint says when it applies');

  const res = await m.post('/cases', { ...application, applicantName: '周重罪', kind: 'criminal', possibleLifeSentence: '1' });
  t.equal(res.statusCode, 303, text(res.body).slice(0, 300));
  const saved = await db.selectFrom('cases').selectAll().where('applicant_name', '=', '周重罪').executeTakeFirstOrThrow();
  t.equal(saved.possible_life_sentence, true);
  t.equal(saved.min_level, 1, 'the case keeps its own min_level: the rotation adds the policy level');
  t.match(saved.eligibility, { rule: 'exemption', exemptions: ['mandatory_defence'] }, 'a defender is mandatory: no means test');
  const page = await m.get(`/cases/${saved.id}`);
  t.match(badges(page.body), LABEL, 'a badge at the top of the case page');
  t.match(matter(page.body), `Kind Criminal · Criminal · ${LABEL} Source`, 'and next to the kind');
  const created = (await auditEntries(db, 'case.created')).find((a) => a.entity_id === String(saved.id));
  t.equal(created?.after?.possible_life_sentence, true, 'the audit entry holds it');

  const zh = new Client(app, { 'accept-language': 'zh-CN' });
  await zh.login(manager.email);
  t.match(badges((await zh.get(`/cases/${saved.id}`)).body), '可能被判处无期徒刑、死刑', 'in Chinese too');

  const plain = await m.post('/cases', { ...application, applicantName: '吴普通', kind: 'criminal' });
  t.equal(plain.statusCode, 303);
  const other = await db.selectFrom('cases').selectAll().where('applicant_name', '=', '吴普通').executeTakeFirstOrThrow();
  t.equal(other.possible_life_sentence, false, 'unticked: not flagged');
  const otherPage = await m.get(`/cases/${other.id}`);
  t.notMatch(text(otherPage.body), LABEL, 'and the page says nothing of it');
});

void t.test('the form: ticked on a civil case is refused next to the box, nothing created', async (t) => {
  const before = await count();
  const res = await m.post('/cases', { ...application, applicantName: '郑民事', kind: 'civil', category: 'labor', possibleLifeSentence: '1' });
  t.equal(res.statusCode, 422);
  const box = field(res.body, 'possibleLifeSentence');
  t.match(box.error, MESSAGE, 'the message is next to the box');
  t.ok(box.invalid, 'the box is marked invalid');
  t.ok(box.checked, 'the input is kept');
  t.equal(field(res.body, 'applicantName').value, '郑民事');
  t.equal(field(res.body, 'kind').value, 'civil');
  t.equal(await count(), before, 'no case created');
  t.notOk(await db.selectFrom('cases').select('id').where('applicant_name', '=', '郑民事').executeTakeFirst());

  const zh = new Client(app, { 'accept-language': 'zh-CN' });
  await zh.login(manager.email);
  await zh.get('/cases/new');
  const zhRes = await zh.post('/cases', { ...application, applicantName: '郑民事', kind: 'administrative', category: 'labor', possibleLifeSentence: '1' });
  t.equal(zhRes.statusCode, 422);
  t.match(field(zhRes.body, 'possibleLifeSentence').error, '只有刑事案件', 'in Chinese too');
  t.equal(await count(), before);
});

void t.test('the database refuses the flag on a non-criminal case whoever writes it', async (t) => {
  const c = await makeCase(db, { kind: 'civil' });
  const err = await db.updateTable('cases').set({ possible_life_sentence: true }).where('id', '=', c.id).execute().catch((e: unknown) => e);
  t.ok(err instanceof Error && /cases_life_sentence_criminal/.test(err.message), 'the check constraint');
  t.equal((await row(c.id)).possible_life_sentence, false);
});

void t.test('the API: create and read back, default false, a civil case refused', async (t) => {
  const base = { applicantName: '冯被告', kind: 'criminal', category: 'criminal', regionCode: '511921', source: 'court' };
  const res = await api('POST', '/cases', { ...base, possibleLifeSentence: true });
  t.equal(res.statusCode, 201, res.body);
  t.equal(res.json().possibleLifeSentence, true);
  const id = res.json().id as number;
  t.equal((await row(id)).possible_life_sentence, true, 'stored');
  const read = await api('GET', `/cases/${id}`);
  t.equal(read.json().possibleLifeSentence, true, 'read back');
  const listed = (await api('GET', '/cases?status=applied&limit=100')).json().items.find((c: { id: number }) => c.id === id);
  t.equal(listed?.possibleLifeSentence, true, 'in the list too');

  const plain = await api('POST', '/cases', base);
  t.equal(plain.statusCode, 201);
  t.equal(plain.json().possibleLifeSentence, false, 'omitted: false');

  const before = await count();
  const civil = await api('POST', '/cases', { ...base, kind: 'civil', category: 'labor', source: 'walk_in', possibleLifeSentence: true });
  t.equal(civil.statusCode, 400);
  t.equal(civil.json().error.field, 'possibleLifeSentence');
  t.match(civil.json().error.message, '只有刑事案件', 'the message (Chinese without Accept-Language)');
  t.equal(await count(), before, 'nothing created');
  t.equal((await api('POST', '/cases', { ...base, possibleLifeSentence: 'yes' })).statusCode, 400, 'a boolean only');

  const doc = (await app.inject({ url: '/api/openapi.json' })).json();
  const create = doc.paths['/api/v1/cases'].post.requestBody.content['application/json'].schema;
  t.match(create.properties.possibleLifeSentence, { type: 'boolean', description: /seriousCriminalLevel/ }, 'documented');
});

void t.test('the API: PATCH sets, keeps and clears it; a civil kind with it is refused', async (t) => {
  const c = await makeCase(db, { kind: 'criminal', category: 'criminal' });
  const set = await api('PATCH', `/cases/${c.id}`, { possibleLifeSentence: true });
  t.equal(set.statusCode, 200, set.body);
  t.equal(set.json().possibleLifeSentence, true);
  const other = await api('PATCH', `/cases/${c.id}`, { summary: '故意杀人' });
  t.equal(other.json().possibleLifeSentence, true, 'a PATCH without the field leaves it alone');
  t.equal((await row(c.id)).possible_life_sentence, true);

  const civil = await api('PATCH', `/cases/${c.id}`, { kind: 'civil', category: 'labor' });
  t.equal(civil.statusCode, 400, 'turning a flagged case civil without clearing the flag');
  t.equal(civil.json().error.field, 'possibleLifeSentence');
  t.match(await row(c.id), { kind: 'criminal', possible_life_sentence: true }, 'nothing changed');

  const cleared = await api('PATCH', `/cases/${c.id}`, { possibleLifeSentence: false });
  t.equal(cleared.json().possibleLifeSentence, false);
  const log = (await auditEntries(db, 'case.updated')).filter((a) => a.entity_id === String(c.id));
  t.same(
    log.map((a) => [a.before?.possible_life_sentence, a.after?.possible_life_sentence]),
    [[false, true], [undefined, undefined], [true, false]],
    'each change audited with before and after',
  );
});

void t.test('the edit page sets and clears it before the decision', async (t) => {
  const c = await makeCase(db, { applicantName: '陈修改', kind: 'criminal', category: 'criminal' });
  const form = await m.get(`/cases/${c.id}/edit`);
  t.notOk(field(form.body, 'possibleLifeSentence').checked);
  // the application as it stands, so that the flag is the only change
  const values = {
    applicantName: '陈修改',
    applicantIdNumber: c.applicant_id_number ?? '',
    applicantPhone: c.applicant_phone ?? '',
    applicantAddress: c.applicant_address ?? '',
    regionCode: c.region_code,
    householdSize: '3',
    monthlyIncome: '1000',
    kind: 'criminal',
    category: 'criminal',
    summary: c.summary,
    opposingParties: c.opposing_parties.join('\n'),
    source: 'walk_in',
  };

  const set = await m.post(`/cases/${c.id}/edit`, { ...values, possibleLifeSentence: '1' });
  t.equal(set.statusCode, 303, text(set.body).slice(0, 300));
  t.equal((await row(c.id)).possible_life_sentence, true);
  t.ok(field((await m.get(`/cases/${c.id}/edit`)).body, 'possibleLifeSentence').checked, 'the edit form shows it ticked');
  const page = await m.get(`/cases/${c.id}`);
  t.match(badges(page.body), LABEL);
  t.match(text(page.body), `Application details changed changed: ${LABEL} ·`, 'the timeline names the one field changed');
  const event = await db.selectFrom('case_events').select('detail').where('case_id', '=', c.id).where('kind', '=', 'updated').executeTakeFirstOrThrow();
  t.same((event.detail as { fields: string[] }).fields, ['possible_life_sentence']);

  const civil = await m.post(`/cases/${c.id}/edit`, { ...values, kind: 'civil', category: 'labor', possibleLifeSentence: '1' });
  t.equal(civil.statusCode, 422);
  t.match(field(civil.body, 'possibleLifeSentence').error, MESSAGE);
  t.match(await row(c.id), { kind: 'criminal', possible_life_sentence: true }, 'nothing changed');

  const clear = await m.post(`/cases/${c.id}/edit`, values);
  t.equal(clear.statusCode, 303);
  t.equal((await row(c.id)).possible_life_sentence, false, 'unticked clears it');
  t.notMatch(badges((await m.get(`/cases/${c.id}`)).body), LABEL);

  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
  const late = await m.post(`/cases/${c.id}/edit`, { ...values, possibleLifeSentence: '1' });
  t.equal(late.statusCode, 409, 'after the decision the edit is refused');
  t.equal((await row(c.id)).possible_life_sentence, false, 'and changes nothing');
});

void t.test('the export has a yes/no column', async (t) => {
  const flagged = await makeCase(db, { applicantName: '导出重罪', kind: 'criminal', category: 'criminal', possibleLifeSentence: true });
  const plain = await makeCase(db, { applicantName: '导出普通', kind: 'criminal', category: 'criminal' });
  const res = await m.get('/cases.csv');
  t.equal(res.statusCode, 200);
  const rows: string[][] = parse(res.body.slice(1), { relax_column_count: true });
  const col = rows[0].indexOf('Possible life or death sentence');
  t.ok(col > 0, 'the header');
  t.equal(rows.find((r) => r[0] === flagged.number)?.[col], 'Yes');
  t.equal(rows.find((r) => r[0] === plain.number)?.[col], 'No');
  const zh = new Client(app, { 'accept-language': 'zh-CN' });
  await zh.login(manager.email);
  const zhRows: string[][] = parse((await zh.get('/cases.csv')).body.slice(1), { relax_column_count: true });
  t.equal(zhRows[0][col], '可能被判处无期徒刑、死刑');
  t.equal(zhRows.find((r) => r[0] === flagged.number)?.[col], '是');
});

// Last: the only lawyers of this file, and a policy version that stays in force after it is added.
// The level-2 lawyer first: the lowest id, so without the flag they would be picked.
const junior = await makeLawyer(db, { practiceAreas: ['criminal'], level: 2, regionCode: '511902' });
const senior = await makeLawyer(db, { practiceAreas: ['criminal'], level: 3, regionCode: '511902' });

void t.test('the rotation: a flagged case needs the policy level', async (t) => {
  const on = today();

  const unflagged = await grantedCase(db, { kind: 'criminal', category: 'criminal' });
  t.same((await previewAssignment(db, unflagged.id, on)).chosen, { lawyerId: junior.id, name: junior.name }, 'without the flag: the level-2 lawyer');

  const c = await grantedCase(db, { kind: 'criminal', category: 'criminal', possibleLifeSentence: true });
  t.equal(c.possible_life_sentence, true);
  t.equal(c.min_level, 1, 'nothing but the flag asks for seniority');
  t.equal((await loadFacts(db, c, on)).needs.minLevel, 3, 'the default policy: seriousCriminalLevel 3');
  const preview = await previewAssignment(db, c.id, on);
  t.same(preview.chosen, { lawyerId: senior.id, name: senior.name }, 'the level-3 lawyer');
  t.same(
    preview.passedOver.map((p) => [p.lawyerId, p.reason]),
    [[junior.id, 'level']],
    'the level-2 lawyer passed over for their level',
  );
  t.notOk(preview.candidates.some((x) => x.lawyerId === junior.id), 'and not a candidate');
  const { assignment, case: after } = await assignByRotation(db, TEST_ACTOR, c.id, { expectedLawyerId: senior.id }, on);
  t.equal(assignment.lawyer_id, senior.id);
  t.match(after, { status: 'assigned', lawyer_id: senior.id });
  t.not(after.lawyer_id, junior.id, 'never the level-2 lawyer');
});

void t.test('the rotation: a policy version with seriousCriminalLevel 2 lets the level-2 lawyer take it', async (t) => {
  const on = today();
  const seeded = await db.selectFrom('policies').select('value').where('key', '=', 'rotation').where('effective_from', '=', '2022-01-01').executeTakeFirstOrThrow();
  // migration 0007's value, with only seriousCriminalLevel changed
  const value = { ...(seeded.value as Record<string, unknown>), seriousCriminalLevel: 2 };
  t.equal((seeded.value as { seriousCriminalLevel: number }).seriousCriminalLevel, 3, 'the seeded level');
  await db.insertInto('policies').values({ key: 'rotation', effective_from: '2023-01-01', value: JSON.stringify(value), note: 'test: level 2 for serious criminal cases' }).execute();
  t.equal(await db.selectFrom('lawyers').select('id').where('id', 'not in', [junior.id, senior.id]).executeTakeFirst(), undefined, 'no other lawyer in line');

  const c = await grantedCase(db, { kind: 'criminal', category: 'criminal', possibleLifeSentence: true });
  t.equal((await loadFacts(db, c, on)).needs.minLevel, 2, 'the version in force names level 2');
  const preview = await previewAssignment(db, c.id, on);
  t.same(preview.chosen, { lawyerId: junior.id, name: junior.name }, 'the level-2 lawyer is picked');
  t.notOk(preview.passedOver.some((p) => p.lawyerId === junior.id), 'and not passed over');
  t.equal((await assignByRotation(db, TEST_ACTOR, c.id, { expectedLawyerId: junior.id }, on)).assignment.lawyer_id, junior.id);
});
