// A phone (390 px wide): pages fit the screen; only a wide table scrolls, inside
// its own .table-wrap, never the whole page.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeOrganization, makeUser } from '../helpers/factories.js';
import { js, login, screenshot, startBrowserApp } from './support.js';

const WIDTH = 390;

/** Elements sticking out past the right edge, outside any .table-wrap, for a readable failure. */
const overflowing = (page: Page) =>
  js<string[]>(
    page,
    `[...document.body.querySelectorAll('*')]
      .filter((el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > ${WIDTH + 1})
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(el.getBoundingClientRect().right))
      .slice(0, 10)`,
  );
const scrollWidth = (page: Page) => js<number>(page, 'document.documentElement.scrollWidth');

void t.test('the organisations pages fit a phone screen', async (t) => {
  const ctx = await startBrowserApp(t);
  const admin = await makeUser(ctx.db, 'admin', { name: 'Ouyang Xiaoming' });
  const centre = await makeOrganization(ctx.db, { name: '巴中市巴州区法律援助中心（含江北街道、东城街道、西城街道、宕梁街道工作站）', kind: 'centre' });
  for (let i = 0; i < 12; i++) await makeOrganization(ctx.db, { name: `Township legal-aid workstation number ${i + 1}`, parentId: centre.id });
  await makeOrganization(ctx.db, { name: 'Averyveryveryverylongorganisationnamewithoutanyspacesatallthatcannotwrap', kind: 'law_firm' });

  for (const locale of ['en-US', 'zh-CN']) {
    const context = await ctx.context({ locale, viewport: { width: WIDTH, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    await login(page, admin.email);
    for (const path of ['/', '/organizations', '/organizations?q=Township', '/organizations/new']) {
      await page.goto(path);
      const width = await scrollWidth(page);
      t.ok(width <= WIDTH + 1, `${locale} ${path}: the page is ${width}px wide`, { overflowing: await overflowing(page) });
    }
    await page.goto('/organizations');
    t.ok(await page.locator('.table-wrap').count(), 'the table sits in its scrolling wrapper');
    const wrap = await js<{ scroll: number; client: number }>(page, '(() => { const w = document.querySelector(".table-wrap"); return { scroll: w.scrollWidth, client: w.clientWidth }; })()');
    t.ok(wrap.client <= WIDTH, `the wrapper itself fits (${wrap.client}px)`);
    t.ok(wrap.scroll > wrap.client, `the unbreakable name makes the table scroll inside it (${wrap.scroll}px)`);
    t.ok(await page.locator('nav.main-nav').isVisible(), 'the navigation is there');
    await screenshot(page, `phone-organizations-${locale}`);

    // the form with errors still fits
    await page.goto('/organizations/new');
    await page.click('form.stack button[type=submit]');
    await page.locator('#f-name-err').waitFor();
    const width = await scrollWidth(page);
    t.ok(width <= WIDTH + 1, `${locale} the form with errors is ${width}px wide`, { overflowing: await overflowing(page) });
    await screenshot(page, `phone-form-${locale}`);
    await context.close();
  }
});
