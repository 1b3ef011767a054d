// Everything works without JavaScript: real forms, full page loads, 303 after a write.
import t from 'tap';
import { makeOrganization, makeUser, PASSWORD } from '../helpers/factories.js';
import { screenshot, startBrowserApp, textOf } from './support.js';

void t.test('log in, search and create an organisation with JavaScript off', async (t) => {
  const ctx = await startBrowserApp(t);
  const admin = await makeUser(ctx.db, 'admin', { name: 'Zhao Lei' });
  for (const name of ['Harbour Station', 'Harbour Point', 'Hill Office', 'Valley Office']) await makeOrganization(ctx.db, { name });
  const context = await ctx.context({ javaScriptEnabled: false });
  const page = await context.newPage();
  const scripted: string[] = [];
  page.on('request', (r) => {
    if (r.resourceType() === 'xhr' || r.resourceType() === 'fetch') scripted.push(r.url());
  });

  await page.goto('/organizations');
  t.equal(new URL(page.url()).pathname, '/login', 'a guest is sent to the login');
  await page.fill('#f-email', admin.email);
  await page.fill('#f-password', PASSWORD);
  await page.click('form[action="/login"] button[type=submit]');
  await page.waitForURL((url) => url.pathname === '/organizations');
  t.pass('login goes back to the page asked for');
  t.equal(await textOf(page, '#results .count'), '4 organisations');

  await page.fill('#f-q', 'harbour');
  await page.click('form.filters button[type=submit]');
  await page.waitForURL((url) => url.searchParams.get('q') === 'harbour');
  t.equal(await textOf(page, '#results .count'), '2 organisations', 'the filter form searches');
  t.same(await page.locator('#results tbody td:first-child').allInnerTexts(), ['Harbour Point', 'Harbour Station']);
  t.equal(await page.inputValue('#f-q'), 'harbour', 'the box keeps the query');
  await screenshot(page, 'nojs-search');

  await page.click('a[href="/organizations/new"]');
  await page.waitForURL((url) => url.pathname === '/organizations/new');
  await page.fill('#f-address', '2 Hill Road');
  await page.click('form.stack button[type=submit]');
  await page.waitForURL((url) => url.pathname === '/organizations');
  t.equal(await textOf(page, 'h1'), 'New organisation', 'errors re-render the form');
  t.equal(await textOf(page, '#f-name-err'), 'This field is required.');
  t.equal(await textOf(page, '#f-regionCode-err'), 'This field is required.');
  t.equal(await page.inputValue('#f-address'), '2 Hill Road', 'the input is kept');
  await screenshot(page, 'nojs-form-errors');

  await page.fill('#f-name', 'Meadow Workstation');
  await page.selectOption('#f-regionCode', '511902');
  await page.click('form.stack button[type=submit]');
  await page.waitForURL((url) => url.pathname === '/organizations' && url.search === '');
  t.equal(await textOf(page, '#messages .flash.ok'), 'Organisation created.');
  t.equal(await page.locator('#results tbody tr', { hasText: 'Meadow Workstation' }).count(), 1, 'the new row is listed');
  t.equal(await textOf(page, '#results .count'), '5 organisations');
  await screenshot(page, 'nojs-created');

  t.same(scripted, [], 'every step was a plain page load');
});
