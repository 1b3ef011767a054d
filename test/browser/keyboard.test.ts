// Keyboard only: log in with Tab, typing and Enter; the skip link comes first and
// moves focus to the content; focus is always visible.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { js, screenshot, startBrowserApp, textOf } from './support.js';

const activeId = (page: Page) => js<string>(page, 'document.activeElement ? document.activeElement.id : ""');
const activeOutline = (page: Page) => js<string>(page, 'getComputedStyle(document.activeElement).outlineStyle');

/** Presses Tab until the predicate holds for the focused element, at most `max` times. */
async function tabUntil(page: Page, test: string, max = 20): Promise<boolean> {
  for (let i = 0; i <= max; i++) {
    if (await js<boolean>(page, `(() => { const el = document.activeElement; return Boolean(el && (${test})); })()`)) return true;
    await page.keyboard.press('Tab');
  }
  return false;
}

void t.test('keyboard-only login, skip link, visible focus', async (t) => {
  const ctx = await startBrowserApp(t);
  const user = await makeUser(ctx.db, 'admin', { name: 'Li Ming' });
  const context = await ctx.context();
  const page = await context.newPage();

  await page.goto('/login');
  t.ok(await tabUntil(page, 'el.id === "f-email"'), 'Tab reaches the email field (it has autofocus)');
  await page.keyboard.type(user.email);
  await page.keyboard.press('Tab');
  t.equal(await activeId(page), 'f-password', 'Tab moves on to the password');
  await page.keyboard.type(PASSWORD);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.keyboard.press('Enter')]);
  t.equal(await textOf(page, 'h1'), 'Hello, Li Ming', 'Enter logs in and the home page greets the user');

  // a fresh page load: the first Tab lands on the skip link
  await page.keyboard.press('Tab');
  t.ok(await js<boolean>(page, 'document.activeElement.matches("a.skip")'), 'the skip link is the first focusable element');
  t.equal(await textOf(page, 'a.skip'), 'Skip to content');
  t.ok(await page.locator('a.skip').isVisible(), 'the focused skip link is shown');
  t.not(await activeOutline(page), 'none', 'the focused skip link has a visible outline');
  await screenshot(page, 'keyboard-skip-link');

  await page.keyboard.press('Enter');
  t.equal(await activeId(page), 'main', 'the skip link moves focus to #main');
  t.match(page.url(), /#main$/);
  await page.keyboard.press('Tab');
  t.ok(await js<boolean>(page, 'document.getElementById("main").contains(document.activeElement)'), 'the next Tab stays inside the content');
  t.equal(await js<string>(page, 'document.activeElement.tagName'), 'A');
  t.not(await activeOutline(page), 'none', 'a focused link in the content has a visible outline');

  await page.goto('/');
  t.ok(await tabUntil(page, 'el.matches("form[action=\'/lang\'] button")'), 'Tab reaches the language button');
  t.not(await activeOutline(page), 'none', 'a focused button has a visible outline');
  t.ok(await tabUntil(page, 'el.matches("details.usermenu > summary")'), 'Tab reaches the user menu');
  t.not(await activeOutline(page), 'none', 'the focused user menu has a visible outline');
  await page.keyboard.press('Enter');
  t.ok(await page.locator('details.usermenu[open]').count(), 'Enter opens the user menu');
  await page.keyboard.press('Escape');
  t.equal(await page.locator('details.usermenu[open]').count(), 0, 'Escape closes it');
  t.ok(await js<boolean>(page, 'document.activeElement.matches("details.usermenu > summary")'), 'and focus returns to its summary');
  await screenshot(page, 'keyboard-home');
});
