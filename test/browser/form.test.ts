// The boosted new-organisation form: errors come back through htmx next to the
// fields with the input kept and no full page load; a correct form lands on the
// list with the flash and the new row.
import t from 'tap';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { js, login, markerSurvived, screenshot, setMarker, startBrowserApp, textOf, until } from './support.js';

void t.test('form errors through htmx, then success', async (t) => {
  const ctx = await startBrowserApp(t);
  const admin = await makeUser(ctx.db, 'admin');
  await makeOrganization(ctx.db, { name: 'Bazhou Legal Aid Centre', kind: 'centre' });
  const context = await ctx.context({ locale: 'en-US' });
  const page = await context.newPage();
  await login(page, admin.email);

  await page.goto('/organizations');
  await setMarker(page);
  await page.click('a.button.primary[href="/organizations/new"]');
  await page.waitForURL((url) => url.pathname === '/organizations/new');
  t.equal(await textOf(page, 'h1'), 'New organisation');
  t.ok(await markerSurvived(page), 'the boosted link did not reload the page');

  // leave the required name and region empty, fill the optional fields
  await page.fill('#f-address', '1 Riverside Road');
  await page.fill('#f-phone', '0827-5551234');
  await page.selectOption('#f-kind', 'liaison_point');
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/organizations');
  await page.click('form.stack button[type=submit]');
  const response = await posted;
  t.equal(response.status(), 422, 'the server answers 422');
  t.equal(response.request().headers()['hx-request'], 'true', 'the form was sent by htmx');
  t.ok(await until(async () => (await page.locator('#f-name-err').count()) === 1), 'the errors appear');
  t.equal(await textOf(page, '#f-name-err'), 'This field is required.', 'next to the name');
  t.equal(await textOf(page, '#f-regionCode-err'), 'This field is required.', 'next to the region');
  t.equal(await page.locator('#f-name').getAttribute('aria-invalid'), 'true');
  t.equal(await page.locator('#f-name').getAttribute('aria-describedby'), 'f-name-err');
  t.equal(await page.locator('p.error').count(), 2, 'only the two wrong fields are marked');
  t.equal(await textOf(page, '#main .flash.error'), 'Please correct the marked fields and submit again.');
  t.ok(await js<boolean>(page, 'document.activeElement.matches(".flash.error")'), 'focus moves to the error summary');
  t.equal(await page.inputValue('#f-address'), '1 Riverside Road', 'typed values are kept');
  t.equal(await page.inputValue('#f-phone'), '0827-5551234');
  t.equal(await page.inputValue('#f-kind'), 'liaison_point');
  t.ok(await markerSurvived(page), 'no full page load');
  t.equal(await page.locator('h1').count(), 1, 'the page was not nested into itself');
  await screenshot(page, 'form-errors');

  await page.fill('#f-name', 'Harbour Liaison Point');
  await page.selectOption('#f-regionCode', '511902');
  await page.click('form.stack button[type=submit]');
  t.ok(await until(async () => new URL(page.url()).pathname === '/organizations'), 'a correct form lands on the list');
  t.ok(await until(async () => (await page.locator('#messages .flash.ok').count()) === 1));
  t.equal(await textOf(page, '#messages .flash.ok'), 'Organisation created.', 'with the flash');
  const row = page.locator('#results tbody tr', { hasText: 'Harbour Liaison Point' });
  t.equal(await row.count(), 1, 'and the new row');
  t.same(
    (await row.locator('td').allInnerTexts()).map((s) => s.trim()),
    ['Harbour Liaison Point', 'Liaison point', 'Bazhou District', '', '0827-5551234'],
  );
  t.equal(await count(), '2 organisations');
  t.ok(await markerSurvived(page), 'still no full page load');
  await screenshot(page, 'form-created');

  // the flash is shown once
  await page.reload();
  t.equal(await page.locator('#messages .flash').count(), 0, 'the flash is gone after a reload');

  async function count() {
    return textOf(page, '#results .count');
  }
});
