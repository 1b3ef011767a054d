// The language switch in the header: the page re-renders in the other language
// and later page loads keep the choice, whatever the browser asks for.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { js, login, screenshot, startBrowserApp, textOf } from './support.js';

const htmlLang = (page: Page) => js<string>(page, 'document.documentElement.lang');
const switchButton = 'form[action="/lang"] button';

async function switchLanguage(page: Page, expectLang: string) {
  await Promise.all([
    page.locator(`html[lang="${expectLang}"]`).waitFor({ state: 'attached' }),
    page.click(switchButton),
  ]);
}

void t.test('switch from Chinese to English and back, remembered across loads', async (t) => {
  const ctx = await startBrowserApp(t);
  const admin = await makeUser(ctx.db, 'admin');
  await makeOrganization(ctx.db, { kind: 'law_firm' });
  const context = await ctx.context({ locale: 'zh-CN' });
  const page = await context.newPage();

  await page.goto('/login');
  t.equal(await htmlLang(page), 'zh-CN', 'a Chinese browser gets Chinese');
  t.equal(await textOf(page, switchButton), 'English', 'the switch offers English');
  await switchLanguage(page, 'en');
  t.equal(new URL(page.url()).pathname, '/login', 'the switch stays on the same page');
  t.equal(await textOf(page, 'h1'), 'Log in', 'the login page is now English');

  await login(page, admin.email);
  t.equal(await htmlLang(page), 'en', 'the choice outlives the login');
  await page.goto('/organizations?kind=law_firm');
  t.equal(await textOf(page, 'h1'), 'Organisations');
  t.equal(await textOf(page, '#results tbody td:nth-child(2)'), 'Law firm');
  t.equal(await textOf(page, switchButton), '简体中文', 'the switch offers Chinese');
  await screenshot(page, 'language-en');

  await switchLanguage(page, 'zh-CN');
  const url = new URL(page.url());
  t.equal(url.pathname + url.search, '/organizations?kind=law_firm', 'the switch keeps the page and its query');
  t.equal(await textOf(page, 'h1'), '机构', 'the page re-renders in Chinese');
  t.equal(await textOf(page, '#results tbody td:nth-child(2)'), '律师事务所');
  t.equal(await textOf(page, switchButton), 'English');
  await screenshot(page, 'language-zh');

  await page.goto('/');
  t.equal(await htmlLang(page), 'zh-CN', 'a new page load keeps Chinese');
  await switchLanguage(page, 'en');
  await page.reload();
  t.equal(await htmlLang(page), 'en', 'a reload keeps English');
  t.match(await textOf(page, 'h1'), /^Hello, /);

  // a page reached through htmx (boosted link, then live search) still switches in place
  await page.click('nav.main-nav a[href="/organizations"]');
  await page.waitForURL((u) => u.pathname === '/organizations');
  await page.selectOption('#f-kind', 'law_firm');
  await page.waitForURL((u) => u.searchParams.get('kind') === 'law_firm');
  await switchLanguage(page, 'zh-CN');
  t.equal(new URL(page.url()).searchParams.get('kind'), 'law_firm', 'the switch keeps a filter chosen through htmx');
  t.equal(await page.inputValue('#f-kind'), 'law_firm');
});
