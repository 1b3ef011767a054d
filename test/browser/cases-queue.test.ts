// The manager's case queue in a real browser: reached through the boosted
// navigation, the stage tabs, "green channel only" and the search box change the
// table in place (no full page load) with the filter in the URL and the counts
// following; green channel first, overdue marked in colour and in words; Back
// shows the earlier filter and table again. No CSP violation, nothing foreign.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeUser } from '../helpers/factories.js';
import { makeCase, TEST_ACTOR } from '../helpers/cases.js';
import { decide } from '../../src/modules/cases/cases.actions.js';
import { login, markerSurvived, setMarker, startBrowserApp, textOf, until } from './support.js';
import { snap, watch } from './cases-support.js';

/** "4 cases", without the CSV export link that follows it for a manager. */
const count = async (page: Page) => (await textOf(page, '#results .count')).split(' · ')[0];
const applicants = (page: Page) => page.locator('#results table.cases tbody td:nth-child(2)').allInnerTexts();
/** The tab texts, e.g. "Review 3", in order. */
const tabs = async (page: Page) => (await page.locator('#results nav.tabs a').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
const current = (page: Page) => textOf(page, '#results nav.tabs a[aria-current="page"]');
const param = (page: Page, name: string) => new URL(page.url()).searchParams.get(name);

void t.test('queue tabs, green channel, search and Back', async (t) => {
  const ctx = await startBrowserApp(t);
  const manager = await makeUser(ctx.db, 'manager');
  // applied long ago: the 7-working-day review is overdue
  await makeCase(ctx.db, { applicantName: '王逾期' }, '2026-03-02');
  await makeCase(ctx.db, { applicantName: '张普通' });
  await makeCase(ctx.db, { applicantName: '李绿色', priorityGroups: ['elderly'] });
  const granted = await makeCase(ctx.db, { applicantName: '周已准' });
  await decide(ctx.db, TEST_ACTOR, granted.id, { granted: true, reason: null });

  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);
  await setMarker(page);

  await page.click('nav.main-nav a[href="/cases"]');
  await page.waitForURL((u) => u.pathname === '/cases');
  t.ok(await until(async () => (await page.locator('h1').innerText()) === 'Legal-aid cases'), 'the queue page is shown');
  t.ok(await markerSurvived(page), 'the navigation link is boosted: no full page load');
  t.equal(await page.locator('nav.main-nav a[aria-current="page"]').getAttribute('href'), '/cases', 'the navigation marks Cases');
  t.same(await tabs(page), ['All 4', 'Review 3', 'Decided, to assign 1', 'Handling 0', 'Review and follow-up 0', 'Finished 0'], 'the tabs carry their counts');
  t.equal(await current(page), 'All 4');
  t.equal(await count(page), '4 cases');
  t.equal((await applicants(page))[0]?.split('\n')[0], '李绿色', 'the green-channel case comes first');
  t.match(await page.locator('#results tbody tr').first().getAttribute('class'), /\bgreen\b/);
  t.match(await textOf(page, '#results tbody tr:first-child td:first-child'), /Green channel/, 'and says so');

  const late = page.locator('#results tbody tr', { hasText: '王逾期' });
  t.match(await late.getAttribute('class'), /\boverdue\b/, 'the overdue row has the overdue class');
  t.match(await late.locator('.badge.overdue').innerText(), 'Overdue', 'a badge says it in words');
  t.match((await late.innerText()).replace(/\s+/g, ' '), /overdue by \d+ working days?/, 'with how late it is');
  const bg = await late.locator('td').first().evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { backgroundColor: string } }).getComputedStyle(el).backgroundColor);
  t.not(bg, 'rgba(0, 0, 0, 0)', `the overdue row is tinted (${bg})`);
  t.notMatch(await page.locator('#results tbody tr', { hasText: '张普通' }).getAttribute('class'), /overdue/, 'a case in time is not marked');
  await snap(page, 'cases-queue-all');

  // a tab: a boosted link, the page swapped in place
  await page.click('#results nav.tabs a[href="/cases?queue=review"]');
  t.ok(await until(async () => param(page, 'queue') === 'review' && (await count(page)) === '3 cases'), 'the Review tab shows its 3 cases');
  t.equal(await current(page), 'Review 3', 'and is marked current');
  t.equal((await applicants(page)).length, 3);
  t.notOk((await applicants(page)).some((a) => a.includes('周已准')), 'a decided case is not in review');
  t.ok(await markerSurvived(page), 'no full page load for the tab');
  const reviewUrl = page.url();

  // green channel only: the form swaps #results and pushes its query
  await page.check('form.filters input[name="green"]');
  t.ok(await until(async () => param(page, 'green') === '1' && (await count(page)) === '1 case'), 'ticking green channel narrows to one case');
  t.equal(param(page, 'queue'), 'review', 'the tab stays in the URL');
  t.same(await tabs(page), ['All 1', 'Review 1', 'Decided, to assign 0', 'Handling 0', 'Review and follow-up 0', 'Finished 0'], 'the counts follow the filter');
  t.equal(await current(page), 'Review 1');
  t.match((await applicants(page))[0], '李绿色');
  t.ok(await markerSurvived(page), 'no full page load for the checkbox');
  t.match(await page.locator('#results .count a').getAttribute('href'), /^\/cases\.csv\?.*green=1/, 'the CSV export follows the filter');
  t.equal(await page.locator('h1').count(), 1, 'the page was not nested into itself');
  const greenUrl = page.url();
  await snap(page, 'cases-queue-green');

  await page.uncheck('form.filters input[name="green"]');
  t.ok(await until(async () => param(page, 'green') === null && (await count(page)) === '3 cases'), 'unticking shows the queue again');

  await page.locator('#f-q').pressSequentially('王逾', { delay: 20 });
  t.ok(await until(async () => param(page, 'q') === '王逾' && (await count(page)) === '1 case'), 'typing searches by applicant');
  t.match((await applicants(page))[0], '王逾期');
  t.same(await tabs(page), ['All 1', 'Review 1', 'Decided, to assign 0', 'Handling 0', 'Review and follow-up 0', 'Finished 0'], 'the counts follow the search');
  t.equal(await page.locator('#results nav.tabs a[href*="queue=decided"]').getAttribute('href'), '/cases?q=%E7%8E%8B%E9%80%BE&queue=decided', 'the other tabs keep the search');
  t.ok(await markerSurvived(page), 'no full page load while typing');
  await snap(page, 'cases-queue-search');

  // Back: historyCacheSize is 0, so each step is fetched again and must be whole
  await page.goBack();
  t.ok(await until(async () => (await page.locator('#results .count').count()) === 1 && param(page, 'q') !== '王逾' && (await count(page)) === '3 cases'), 'Back undoes the search');
  t.equal(await page.inputValue('#f-q'), '', 'with the box empty');
  await page.goBack();
  t.ok(await until(async () => page.url() === greenUrl && (await page.locator('#results .count').count()) === 1 && (await count(page)) === '1 case'), 'Back again: the green-channel filter');
  t.ok(await page.isChecked('form.filters input[name="green"]'), 'with the box ticked in the form');
  t.equal(await current(page), 'Review 1');
  t.equal(await page.locator('header.top').count(), 1, 'the whole page, with its header, is shown');
  await page.goBack();
  t.ok(await until(async () => page.url() === reviewUrl && (await page.locator('#results .count').count()) === 1 && (await count(page)) === '3 cases'), 'and again: the Review tab');
  t.notOk(await page.isChecked('form.filters input[name="green"]'));
  await page.goBack();
  t.ok(await until(async () => new URL(page.url()).search === '' && (await page.locator('#results .count').count()) === 1 && (await count(page)) === '4 cases'), 'and again: all cases');
  t.equal(await current(page), 'All 4');
  await snap(page, 'cases-queue-back');

  guard.check(t);
});
