// The assignment rotation in a real browser: a manager opens a granted case,
// follows "Assign (rotation)", sees the pick and who was passed over and why,
// confirms, and the case page says "why this lawyer"; an override without a
// written reason is refused next to the field and assigns nothing; the lawyer
// finds both cases from their home page, declines one and accepts the other.
// The pages fit a phone, and nothing trips the CSP, throws or fails to load.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { auditEntries } from '../helpers/html.js';
import { makeLawyer, makeLawyerUser } from '../helpers/people.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { js, login, startBrowserApp, textOf, until } from './support.js';
import { overflowing, scrollWidth, snap, watch } from './cases-support.js';

const WIDTH = 390;
const OVERRIDE_REASON = '该律师曾代理同一工地其他工人的欠薪案件，熟悉案情';
const DECLINE_REASON = '本人下月在外地出庭，无法在期限内会见当事人';

const ctx = await startBrowserApp(t);
const db = ctx.db;
const manager = await makeUser(db, 'manager', { name: '王主任' });
// the two labour lawyers who do not qualify are made first, so they are ahead
// in the rotation (everybody joins level; the lowest id goes first)
const onLeave = await makeLawyer(db, { name: '丙律师', practiceAreas: ['labor'] });
await db.insertInto('lawyer_leaves').values({ lawyer_id: onLeave.id, starts_on: '2020-01-01', ends_on: '2099-12-31', reason: '产假' }).execute();
const conflicted = await makeLawyer(db, { name: '丁律师', practiceAreas: ['labor'] });
await db.insertInto('lawyer_conflicts').values({ lawyer_id: conflicted.id, party: '某建筑公司', note: '曾为其顾问' }).execute();
const firm = await makeOrganization(db, { kind: 'law_firm', name: '巴中正义律师事务所' });
const a = await makeLawyerUser(db, { name: '甲律师', practiceAreas: ['labor'], organizationId: firm.id });
const b = await makeLawyer(db, { name: '乙律师', practiceAreas: ['labor'] });
// practises another area: never in line for a labour case
await makeLawyer(db, { name: '己律师', practiceAreas: ['criminal'] });

async function grantedCase(applicantName: string) {
  const c = await makeCase(db, { applicantName, opposingParties: ['某建筑公司'] });
  await decide(db, TEST_ACTOR, c.id, { granted: true, reason: null });
  return c;
}
const byRotation = await grantedCase('赵受援');
const byOverride = await grantedCase('钱受援');
const unassigned = await grantedCase('孙受援');

const caseRow = (id: number) => db.selectFrom('cases').select(['status', 'lawyer_id']).where('id', '=', id).executeTakeFirstOrThrow();
const assignmentsOf = (id: number) => db.selectFrom('assignments').select(['lawyer_id', 'method', 'reason', 'status', 'decline_reason']).where('case_id', '=', id).orderBy('id').execute();
const assignAudits = async (id: number) => (await auditEntries(db, 'case.assign')).filter((e) => Number(e.entity_id) === id);
/** Visible texts of every element matching, whitespace collapsed. */
const texts = async (page: Page, selector: string) => (await page.locator(selector).allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
const flashSays = (page: Page, text: string) => until(async () => (await page.locator('#messages .flash.ok').count()) === 1 && (await textOf(page, '#messages .flash.ok')) === text);
const applicants = async (page: Page) => (await page.locator('#results tbody td:nth-child(2)').allInnerTexts()).map((s) => s.split('\n')[0].trim());

/** From the case page, the manager's way to the assign page. */
async function openAssign(page: Page, caseId: number) {
  await page.goto(`/cases/${caseId}`);
  await Promise.all([page.waitForURL((u) => u.pathname === `/cases/${caseId}/assign`), page.getByRole('link', { name: 'Assign (rotation)' }).click()]);
  await page.locator('h1', { hasText: 'Assign a lawyer' }).waitFor();
}

void t.test('the manager confirms the rotation pick and the case page says why', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);

  await openAssign(page, byRotation.id);
  t.equal(await textOf(page, 'section.pick strong.chosen-name'), '甲律师', 'the lowest id among those who qualify is next');
  t.match(await textOf(page, 'section.pick .chosen-lawyer'), 'Law firm: 巴中正义律师事务所', 'with the firm');
  t.same(await texts(page, 'section[aria-labelledby="h-passed"] ul.passed-over li'), ['丙律师: On leave today', '丁律师: Conflict with an opposing party'], 'those ahead who do not qualify, each with the reason, in rotation order');
  t.equal(await textOf(page, 'section[aria-labelledby="h-passed"] .ineligible'), 'Not eligible today, ahead in the rotation or not: on leave 1; conflict of interest 1');
  t.same((await texts(page, 'table.candidates tbody td:nth-child(2)')), ['甲律师 Next', '乙律师'], 'the eligible lawyers in rotation order');
  t.notOk(await page.getByText('己律师').count(), 'a lawyer of another practice area is not in line');
  t.notOk(await page.locator('#o-lawyerId option', { hasText: '丙律师' }).count(), 'the override never offers an ineligible lawyer');
  await snap(page, 'rotation-assign');

  const confirm = page.getByRole('button', { name: 'Confirm: assign 甲律师' });
  await Promise.all([page.waitForURL((u) => u.pathname === `/cases/${byRotation.id}`), confirm.click()]);
  t.ok(await flashSays(page, '甲律师 assigned by the rotation.'), 'the flash names the lawyer');
  t.equal(await textOf(page, 'p.badges .badge.status'), 'Assigned, to accept');
  const why = page.locator('section.why');
  t.equal(await why.locator('h2').innerText(), 'Why this lawyer');
  t.match(await textOf(page, 'section.why .assignment.active > p:first-child'), /^甲律师 · Assigned by the rotation · assigned by 王主任 on /);
  const candidates = await texts(page, 'section.why ol.candidates li');
  t.equal(candidates.length, 2, 'both candidates considered');
  t.match(candidates[0], /^1\. 甲律师 · /);
  t.match(candidates[1], /^2\. 乙律师 · /);
  t.ok(await why.locator('details.why-list', { hasText: 'Passed over (2)' }).isVisible(), 'the passed over, counted');
  t.same(await texts(page, 'section.why ul.passed-over li'), ['丙律师: On leave today', '丁律师: Conflict with an opposing party'], 'and named with their reasons');
  t.ok(await why.getByRole('link', { name: 'Print the assignment notice' }).isVisible(), 'the notice is linked');
  t.notOk(await page.getByRole('link', { name: 'Assign (rotation)' }).count(), 'an assigned case offers no second assignment');
  t.same(await caseRow(byRotation.id), { status: 'assigned', lawyer_id: a.lawyer.id });
  t.same(await assignmentsOf(byRotation.id), [{ lawyer_id: a.lawyer.id, method: 'rotation', reason: null, status: 'active', decline_reason: null }]);
  await snap(page, 'rotation-why');
  guard.check(t);
});

void t.test('an override without a reason is refused next to the field; with one it assigns', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);

  await openAssign(page, byOverride.id);
  t.equal(await textOf(page, 'section.pick strong.chosen-name'), '乙律师', 'the lawyer without a turn is next');
  await page.getByLabel('Assign to').selectOption(String(a.lawyer.id));
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/cases/${byOverride.id}/assign/override`);
  await page.getByRole('button', { name: 'Assign with override' }).click();
  t.equal((await posted).status(), 422, 'the server refuses');
  t.ok(await until(async () => (await page.locator('#o-reason-err').count()) === 1), 'the message appears');
  t.equal(await textOf(page, '#o-reason-err'), 'This field is required.', 'next to the reason');
  t.equal(await page.locator('#o-reason').getAttribute('aria-invalid'), 'true');
  t.match(await page.locator('#o-reason').getAttribute('aria-describedby'), /\bo-reason-err\b/, 'the field is described by its message');
  t.ok(await js<boolean>(page, 'document.activeElement === document.getElementById("o-reason")'), 'focus moves to the field');
  t.equal(await page.locator('#o-lawyerId').inputValue(), String(a.lawyer.id), 'the chosen lawyer is kept');
  t.notOk(await page.locator('#o-lawyerId-err').count(), 'the choice itself is fine');
  t.equal(await textOf(page, 'section.pick strong.chosen-name'), '乙律师', 'the pick is shown again');
  t.same(await caseRow(byOverride.id), { status: 'granted', lawyer_id: null }, 'nothing assigned');
  t.same(await assignmentsOf(byOverride.id), [], 'no assignment recorded');
  t.same(await assignAudits(byOverride.id), [], 'and nothing audited');
  await snap(page, 'rotation-override-error');

  await page.getByLabel('Reason for the override').fill(OVERRIDE_REASON);
  await Promise.all([page.waitForURL((u) => u.pathname === `/cases/${byOverride.id}`), page.getByRole('button', { name: 'Assign with override' }).click()]);
  t.ok(await flashSays(page, '甲律师 assigned (override).'));
  t.match(await textOf(page, 'section.why .assignment.active > p:first-child'), /^甲律师 · Override by a manager · assigned by 王主任/);
  t.match(await textOf(page, 'section.why .assignment.active'), `Reason: ${OVERRIDE_REASON}`, 'the written reason is shown');
  const candidates = await texts(page, 'section.why ol.candidates li');
  t.equal(candidates.length, 2, 'both candidates considered');
  t.match(candidates[0], /^1\. 乙律师 Next · 0 \(0 turns, weight 1\)/, "the rotation's own pick first, named");
  t.match(candidates[1], /^2\. 甲律师 · 1 \(1 turns, weight 1\)/, 'then the chosen lawyer, with the turn of the first case');
  t.match(await textOf(page, 'section.why ol.candidates li.chosen'), /^2\. 甲律师 /, 'the chosen lawyer is marked');
  t.same(await caseRow(byOverride.id), { status: 'assigned', lawyer_id: a.lawyer.id });
  t.same(await assignmentsOf(byOverride.id), [{ lawyer_id: a.lawyer.id, method: 'override', reason: OVERRIDE_REASON, status: 'active', decline_reason: null }]);
  const audited = await assignAudits(byOverride.id);
  t.equal(audited.length, 1, 'the override is audited once');
  t.match(audited[0], { actor_id: manager.id, after: { method: 'override', reason: OVERRIDE_REASON, lawyer_id: a.lawyer.id, rotation_pick: b.id } }, "by the manager, with the reason and the rotation's own pick");
  t.notOk((await caseRow(unassigned.id)).lawyer_id, 'no other case was touched');
  guard.check(t);
});

void t.test('the assign page and "why this lawyer" fit a phone', async (t) => {
  for (const locale of ['en-US', 'zh-CN']) {
    const context = await ctx.context({ locale, viewport: { width: WIDTH, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const guard = await watch(context, page, ctx.base);
    await login(page, manager.email);
    const fits = async (what: string, todo: string | false = false) => {
      const width = await scrollWidth(page);
      t.ok(width <= WIDTH + 1, `${locale} ${what}: the page is ${width}px wide`, { overflowing: await overflowing(page, WIDTH), todo });
    };
    /** Elements of "why this lawyer" sticking out past the right edge. */
    const whyOverflowing = () => js<string[]>(page, `[...document.querySelectorAll('section.why, section.why *')].filter((el) => el.getClientRects().length && el.getBoundingClientRect().right > ${WIDTH + 1}).map((el) => el.tagName.toLowerCase() + '.' + el.className)`);

    const res = await page.goto(`/cases/${unassigned.id}/assign`);
    t.equal(res?.status(), 200);
    t.ok(await page.locator('section.pick strong.chosen-name').isVisible(), 'the pick is shown');
    await fits('the assign page');
    const button = await page.locator('section.pick button[type=submit]').boundingBox();
    t.ok(button && button.x >= 0 && button.x + button.width <= WIDTH, 'the confirm button is fully on screen');
    const wraps = await js<{ scroll: number; client: number }[]>(page, '[...document.querySelectorAll(".table-wrap")].map((w) => ({ scroll: w.scrollWidth, client: w.clientWidth }))');
    t.ok(wraps.length >= 1, 'the candidates table sits in its scrolling wrapper');
    t.ok(wraps.every((w) => w.client <= WIDTH), 'the wrapper itself fits');
    await snap(page, `rotation-phone-assign-${locale}`);

    await page.locator('section.override button[type=submit]').click();
    await page.locator('#o-reason-err').waitFor();
    await fits('the assign page with the override errors');
    t.same(await caseRow(unassigned.id), { status: 'granted', lawyer_id: null }, 'nothing assigned');

    for (const c of [byRotation, byOverride]) {
      await page.goto(`/cases/${c.id}`);
      t.ok(await page.locator('section.why').isVisible(), '"why this lawyer" is shown');
      t.ok(await page.locator('section.why ul.passed-over').isVisible(), 'with the passed over unfolded');
      t.same(await whyOverflowing(), [], `${locale} "why this lawyer" of ${c.applicant_name} fits`);
      // the applicant's full ID number (white-space: nowrap) sticks out on the English case page:
      // app.css gives dl.facts two columns again after the phone rule made it one
      await fits(`the case page of ${c.applicant_name}`);
    }
    await snap(page, `rotation-phone-why-${locale}`);
    guard.check(t);
    await context.close();
  }
});

void t.test('the lawyer finds both cases, declines one with a reason and accepts the other', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, a.user.email);

  const toAccept = page.locator('ul.case-stats li', { hasText: 'to accept' });
  t.equal(await toAccept.innerText().then((s) => s.replace(/\s+/g, ' ').trim()), '2 to accept', 'the home page counts the two assignments');
  await Promise.all([page.waitForURL((u) => u.pathname === '/cases' && u.searchParams.get('status') === 'assigned'), toAccept.locator('a').click()]);
  t.ok(await until(async () => (await page.locator('h1').innerText()) === 'My cases'), 'their case list');
  t.same((await applicants(page)).sort(), ['赵受援', '钱受援'].sort(), 'both assigned cases, and nobody else\'s');

  await Promise.all([page.waitForURL((u) => u.pathname === `/cases/${byRotation.id}`), page.click(`#results a[href="/cases/${byRotation.id}"]`)]);
  t.equal(await textOf(page, 'p.badges .badge.status'), 'Assigned, to accept');
  t.match(await textOf(page, 'section.why'), 'Chosen among 2 eligible lawyers; 2 ahead of them did not qualify.', 'the lawyer sees how they were chosen');
  for (const hidden of ['丙律师', '丁律师', 'On leave today', 'Conflict with an opposing party', '乙律师'])
    t.notMatch(await textOf(page, '#main'), hidden, `but not the others' names or reasons (${hidden})`);
  t.ok(await page.locator('#act-accept').isVisible(), 'accepting is offered');
  await page.click('#act-decline > summary');
  t.match(await textOf(page, '#act-decline'), /A decline is possible until /, 'with the last day to decline');
  await page.getByLabel('Reason for declining').fill(DECLINE_REASON);
  await Promise.all([page.waitForURL((u) => u.pathname === '/cases'), page.click('#act-decline button[type=submit]')]);
  t.ok(await flashSays(page, 'You declined the assignment; the case is back in the rotation.'), 'back on their list with the flash');
  t.same(await applicants(page), ['钱受援'], 'the declined case is no longer theirs');
  t.same(await caseRow(byRotation.id), { status: 'granted', lawyer_id: null }, 'back to the manager, to assign');
  t.same(await assignmentsOf(byRotation.id), [{ lawyer_id: a.lawyer.id, method: 'rotation', reason: null, status: 'declined', decline_reason: DECLINE_REASON }]);

  await Promise.all([page.waitForURL((u) => u.pathname === `/cases/${byOverride.id}`), page.click(`#results a[href="/cases/${byOverride.id}"]`)]);
  t.match(await textOf(page, 'section.why'), `Reason: ${OVERRIDE_REASON}`, 'the override reason is shown to the lawyer');
  await page.click('#act-accept button[type=submit]');
  t.ok(await flashSays(page, 'Assignment accepted.'));
  t.equal(await textOf(page, 'p.badges .badge.status'), 'In progress');
  t.notOk(await page.locator('#act-decline').count(), 'no declining an accepted case');
  t.same(await caseRow(byOverride.id), { status: 'accepted', lawyer_id: a.lawyer.id });
  await snap(page, 'rotation-lawyer-accepted');

  const res = await page.goto(`/cases/${byRotation.id}`);
  t.equal(res?.status(), 404, 'the declined case does not exist for them any more');
  guard.check(t, /status of (422 \(Unprocessable (Entity|Content)\)|404 \(Not Found\))/);
});

void t.test('the manager sees the decline and the next pick', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);

  await page.goto(`/cases/${byRotation.id}`);
  t.equal(await textOf(page, 'p.badges .badge.status'), 'Granted, to assign');
  const earlier = page.locator('section.why details.earlier');
  t.ok(await earlier.evaluate((el) => (el as unknown as { open: boolean }).open), 'with no current assignment the earlier ones are unfolded');
  t.match(await textOf(page, 'section.why details.earlier'), `Declined on `, 'the decline is kept in "why this lawyer"');
  t.match(await textOf(page, 'section.why details.earlier'), DECLINE_REASON, 'with its reason');
  t.match(await textOf(page, 'section.why details.earlier'), '(the turn counts)', 'not a conflict: the turn counts');

  await openAssign(page, byRotation.id);
  t.equal(await textOf(page, 'section.pick strong.chosen-name'), b.name, 'the next in line is offered');
  t.notMatch(await textOf(page, 'table.candidates'), '甲律师', 'never the lawyer who declined it');
  t.match(await textOf(page, 'section[aria-labelledby="h-passed"] .ineligible'), 'declined this case 1', 'who is counted as having declined');
  guard.check(t);
});
