// The action forms of a case page in a real browser: a manager requests missing
// materials and prints the notice (in print media only the notice is left: no
// navigation, forms or buttons, every item listed); a lawyer sees only the case
// assigned to them, accepts it and closes it with outcome and hours.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser } from '../helpers/people.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { assignLawyer, decide } from '../../src/modules/cases/cases.actions.js';
import { js, login, markerSurvived, setMarker, startBrowserApp, textOf, until } from './support.js';
import { shown, snap, watch } from './cases-support.js';

const flash = (page: Page) => textOf(page, '#messages .flash.ok');
const flashSays = (page: Page, text: string) => until(async () => (await page.locator('#messages .flash.ok').count()) === 1 && (await flash(page)) === text);
/** Every element matching, none of them rendered. */
const noneShown = (page: Page, selector: string) =>
  js<boolean>(page, `[...document.querySelectorAll(${JSON.stringify(selector)})].every((el) => el.getClientRects().length === 0)`);

/** The applicant column, name only (the masked ID number is on a second line). */
const applicants = async (page: Page) => (await page.locator('#results tbody td:nth-child(2)').allInnerTexts()).map((s) => s.split('\n')[0].trim());

const ITEMS = ['身份证复印件', '劳动合同', '近三个月工资流水'];

void t.test('a manager requests materials and prints the notice', async (t) => {
  const ctx = await startBrowserApp(t);
  const manager = await makeUser(ctx.db, 'manager');
  const c = await makeCase(ctx.db, { applicantName: '孙补材' });
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);

  await page.goto(`/cases/${c.id}`);
  await setMarker(page);
  t.equal(await textOf(page, 'p.badges .badge.status'), 'Under review');
  t.notOk(await page.locator('#act-request-materials').evaluate((el) => (el as unknown as { open: boolean }).open), 'the action starts folded');
  await page.click('#act-request-materials > summary');
  await page.fill('#a-request-materials-items', ITEMS.join('\n'));
  await page.fill('#a-request-materials-note', '请带原件核对');
  await page.click('#act-request-materials button[type=submit]');
  t.ok(await flashSays(page, 'Materials requested; the review clock is paused.'), 'the form answers with the flash');
  t.equal(new URL(page.url()).pathname, `/cases/${c.id}`, 'back on the case page');
  t.ok(await markerSurvived(page), 'no full page load');
  t.equal(await textOf(page, 'p.badges .badge.status'), 'Waiting for materials', 'the status follows');
  const row = page.locator('section[aria-labelledby="h-materials"] tbody tr');
  t.equal(await row.count(), 1, 'the request is listed');
  t.match(await textOf(page, 'section[aria-labelledby="h-materials"] tbody tr'), ITEMS.join('、'));
  await snap(page, 'cases-actions-requested');

  // the notice is a plain link (hx-boost=false): a whole page of its own, for printing
  await Promise.all([page.waitForURL((u) => /^\/cases\/\d+\/materials\/\d+\/notice$/.test(u.pathname)), row.locator('a', { hasText: 'Print notice' }).click()]);
  t.equal(await textOf(page, 'article.notice h1'), 'Notice of missing materials');
  t.same(await page.locator('article.notice ol.items li').allInnerTexts(), ITEMS, 'every missing item, in order');
  t.match(await textOf(page, 'article.notice'), '孙补材', 'addressed to the applicant');
  t.match(await textOf(page, 'article.notice'), '请带原件核对', 'with the note');
  t.ok(await shown(page, 'nav.main-nav'), 'on screen the navigation is there');
  t.ok(await shown(page, 'article.notice .no-print'), 'and the way back');

  await page.emulateMedia({ media: 'print' });
  t.notOk(await shown(page, 'nav.main-nav'), 'printed: no navigation');
  t.notOk(await shown(page, '.tools'), 'no language switch or user menu');
  t.notOk(await shown(page, 'footer.foot'), 'no footer');
  t.notOk(await shown(page, 'a.skip'), 'no skip link');
  t.ok(await noneShown(page, 'form'), 'no form');
  t.ok(await noneShown(page, 'button, .button'), 'no button');
  t.ok(await noneShown(page, '.no-print'), 'no link back');
  t.ok(await shown(page, 'article.notice h1'), 'the notice title is printed');
  for (const item of ITEMS) t.ok(await page.locator('article.notice ol.items li', { hasText: item }).isVisible(), `${item} is printed`);
  t.ok(await page.locator('article.notice', { hasText: 'Please supply these materials by' }).isVisible(), 'with the due date');
  t.ok(await page.locator('article.notice', { hasText: 'treated as withdrawn' }).isVisible(), 'and what happens otherwise');
  const overflow = await js<number>(page, 'document.documentElement.scrollWidth - document.documentElement.clientWidth');
  t.ok(overflow <= 1, `the printed notice fits the page width (${overflow}px over)`);
  await snap(page, 'cases-actions-notice-print');

  // the case page printed: the file without its action forms
  await page.goto(`/cases/${c.id}`);
  t.notOk(await shown(page, 'section.case-actions'), 'the case page prints without its actions');
  t.ok(await noneShown(page, 'form, button'), 'and without any form or button');
  t.ok(await shown(page, '#h-materials'), 'but with the materials requested');
  await page.emulateMedia({ media: 'screen' });
  t.ok(await shown(page, 'section.case-actions'), 'on screen the actions are back');
  guard.check(t);
});

void t.test('a lawyer sees only their case, accepts it and closes it', async (t) => {
  const ctx = await startBrowserApp(t);
  const { lawyer, user } = await makeLawyerUser(ctx.db, { name: '吴律师' });
  const other = await makeLawyerUser(ctx.db, { name: '郑律师' });
  const mine = await makeCase(ctx.db, { applicantName: '陈当事' });
  const theirs = await makeCase(ctx.db, { applicantName: '林别人' });
  await makeCase(ctx.db, { applicantName: '黄未派' });
  for (const [c, l] of [[mine, lawyer.id], [theirs, other.lawyer.id]] as const) {
    await decide(ctx.db, TEST_ACTOR, c.id, { granted: true, reason: null });
    await assignLawyer(ctx.db, TEST_ACTOR, c.id, { lawyerId: l, reason: '擅长劳动争议' });
  }
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, user.email);
  await setMarker(page);

  await page.click('nav.main-nav a[href="/cases"]');
  await page.waitForURL((u) => u.pathname === '/cases');
  t.ok(await until(async () => (await page.locator('h1').innerText()) === 'My cases'), 'the lawyer sees "My cases"');
  t.equal((await textOf(page, '#results .count')).split(' · ')[0], '1 case', 'one case');
  t.same(await applicants(page), ['陈当事'], 'only the case assigned to them');
  t.same((await page.locator('#results nav.tabs a').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim()), ['All 1', 'Handling 1', 'Review and follow-up 0', 'Finished 0'], 'the lawyer\'s tabs');
  t.notOk(await page.locator('a[href="/cases/new"]').count(), 'no application form for a lawyer');
  t.notOk(await page.locator('#results thead th', { hasText: 'Lawyer' }).count(), 'no lawyer column');
  await snap(page, 'cases-actions-lawyer-list');

  await page.click(`#results a[href="/cases/${mine.id}"]`);
  await page.waitForURL((u) => u.pathname === `/cases/${mine.id}`);
  t.ok(await until(async () => (await page.locator('#act-accept').count()) === 1), 'the case page offers to accept');
  t.ok(await page.locator('#act-accept').evaluate((el) => (el as unknown as { open: boolean }).open), 'unfolded: it is the next step');
  t.equal(await page.locator('section.case-actions details').first().getAttribute('id'), 'act-accept', 'and first of the actions');
  t.notOk(await page.locator('#act-close').count(), 'no closing before accepting');
  await page.click('#act-accept button[type=submit]');
  t.ok(await flashSays(page, 'Assignment accepted.'));
  t.equal(await textOf(page, 'p.badges .badge.status'), 'In progress');

  // closing without an outcome: the message next to the field, the form left open
  await page.click('#act-close > summary');
  await page.fill('#a-close-hours', '12.5');
  await page.click('#act-close button[type=submit]');
  t.ok(await until(async () => (await page.locator('#a-close-outcome-err').count()) === 1), 'the missing outcome is refused');
  t.equal(await textOf(page, '#a-close-outcome-err'), 'This field is required.');
  t.match(await page.locator('#a-close-outcome').getAttribute('aria-describedby'), /\ba-close-outcome-err\b/, 'described by its message');
  t.equal(await page.locator('#a-close-outcome').getAttribute('aria-invalid'), 'true');
  t.ok(await page.locator('#act-close').evaluate((el) => (el as unknown as { open: boolean }).open), 'the close form stays unfolded');
  t.equal(await page.inputValue('#a-close-hours'), '12.5', 'the hours are kept');

  await page.fill('#a-close-outcome', '调解结案，追回工资 2 万元');
  await page.click('#act-close button[type=submit]');
  t.ok(await flashSays(page, 'Case closed.'));
  t.equal(await textOf(page, 'p.badges .badge.status'), 'Closed, to review');
  t.match(await textOf(page, 'section[aria-labelledby="h-progress"]'), /Closed .*调解结案，追回工资 2 万元 · 12\.5 hours/, 'the closure with outcome and hours');
  t.ok(await markerSurvived(page), 'all of it without a full page load');
  await snap(page, 'cases-actions-closed');

  await page.goto('/cases?queue=quality');
  t.same(await applicants(page), ['陈当事'], 'the closed case moves to the quality tab');
  const res = await page.goto(`/cases/${theirs.id}`);
  t.equal(res?.status(), 404, "another lawyer's case does not exist for them");
  guard.check(t, /status of (422 \(Unprocessable (Entity|Content)\)|404 \(Not Found\))/);
});
