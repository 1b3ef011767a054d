// Active search on the organisations list: typing, the kind filter and the pager
// swap #results in place (no full page load) and put the query in the URL; Back
// shows the earlier list again.
import t from 'tap';
import type { Page } from 'playwright-core';
import type { OrganizationKind } from '../../src/db/types.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { login, markerSurvived, screenshot, setMarker, startBrowserApp, textOf, until } from './support.js';

const count = (page: Page) => textOf(page, '#results .count');
const rows = (page: Page) => page.locator('#results table.data tbody tr').count();
const countBecomes = (page: Page, text: string) => until(async () => (await count(page)) === text);

void t.test('live search, kind filter, pager and Back', async (t) => {
  const ctx = await startBrowserApp(t);
  const admin = await makeUser(ctx.db, 'admin');
  // 60 organisations: three "Harbour", every sixth a law firm
  for (let i = 1; i <= 60; i++) {
    const name = i % 20 === 0 ? `Harbour Station ${i}` : `Office ${String(i).padStart(2, '0')}`;
    const kind: OrganizationKind = i % 6 === 0 ? 'law_firm' : 'workstation';
    await makeOrganization(ctx.db, { name, kind });
  }
  const context = await ctx.context();
  const page = await context.newPage();
  await login(page, admin.email);

  await page.goto('/organizations');
  t.equal(await count(page), '60 organisations');
  t.equal(await rows(page), 50, 'the first page shows 50 rows');
  t.equal(await textOf(page, '#results .pager span'), '1 / 2');
  await setMarker(page);

  await page.locator('#f-q').pressSequentially('Harbour', { delay: 20 });
  t.ok(await countBecomes(page, '3 organisations'), 'typing narrows the list');
  t.equal(await rows(page), 3);
  t.same(await page.locator('#results tbody td:first-child').allInnerTexts(), ['Harbour Station 20', 'Harbour Station 40', 'Harbour Station 60']);
  t.ok(await markerSurvived(page), 'no full page load while searching');
  t.equal(new URL(page.url()).searchParams.get('q'), 'Harbour', 'the query is in the URL');
  await screenshot(page, 'search-typed');

  await page.locator('#f-q').fill('');
  t.ok(await countBecomes(page, '60 organisations'), 'clearing the box shows everything again');

  await page.selectOption('#f-kind', 'law_firm');
  t.ok(await countBecomes(page, '10 organisations'), 'choosing a kind filters');
  t.equal(new URL(page.url()).searchParams.get('kind'), 'law_firm', 'the kind is in the URL');
  t.same(new Set(await page.locator('#results tbody td:nth-child(2)').allInnerTexts()), new Set(['Law firm']));
  t.ok(await markerSurvived(page), 'no full page load while filtering');

  await page.selectOption('#f-kind', '');
  t.ok(await countBecomes(page, '60 organisations'));
  const listUrl = page.url();
  t.equal(await page.locator('#results tbody td:first-child').first().innerText(), 'Harbour Station 20');

  await page.locator('#results .pager a[rel=next]').click();
  t.ok(await until(async () => (await textOf(page, '#results .pager span')) === '2 / 2'), 'Next loads page 2 into #results');
  t.equal(await rows(page), 10, 'page 2 holds the last 10');
  t.equal(await page.locator('#results tbody td:first-child').first().innerText(), 'Office 50');
  t.equal(new URL(page.url()).searchParams.get('page'), '2', 'the page number is in the URL');
  t.ok(await markerSurvived(page), 'no full page load for the pager');
  t.equal(await page.locator('h1').count(), 1, 'the page was not nested into itself');
  await screenshot(page, 'search-page-2');

  // historyCacheSize is 0: going back re-requests the page, which must be whole
  await page.goBack();
  t.ok(await until(async () => page.url() === listUrl), 'Back returns to the previous URL');
  t.ok(await until(async () => (await page.locator('#results .pager span').count()) === 1 && (await textOf(page, '#results .pager span')) === '1 / 2'), 'Back shows page 1 again');
  t.equal(await count(page), '60 organisations');
  t.equal(await rows(page), 50);
  t.equal(await page.locator('#results tbody td:first-child').first().innerText(), 'Harbour Station 20');
  t.equal(await page.locator('header.top').count(), 1, 'the whole page, with its header, is shown');
  t.equal(await page.locator('#f-kind').inputValue(), '', 'the filter form matches the list');

  await page.goBack();
  t.ok(await until(async () => (await count(page)) === '10 organisations'), 'Back again shows the kind filter');
  t.equal(await page.locator('#f-kind').inputValue(), 'law_firm', 'with the kind chosen in the form');
  await screenshot(page, 'search-back');
});
