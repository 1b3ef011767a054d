// The rotation, quota and hours-lock policies page in a real browser: an admin
// follows the link from the policies page and adds an hours-lock version with the
// keyboard alone (the in-page link, Tab, typing, Enter); a lock day out of range
// is refused next to the field and adds nothing; the pages fit a phone with their
// wide tables scrolling inside .table-wrap; nothing trips the CSP on the way.
import t from 'tap';
import type { Test } from 'tap';
import type { Page } from 'playwright-core';
import { makeUser } from '../helpers/factories.js';
import { auditEntries } from '../helpers/html.js';
import { today } from '../../src/modules/cases/cases.service.js';
import { formatters } from '../../src/lib/format.js';
import { js, login, startBrowserApp, textOf, until } from './support.js';
import { overflowing, scrollWidth, snap, watch } from './cases-support.js';

const WIDTH = 390;
const NOTE = '月初对账需要更多时间';

/** The first of the month `n` months after today's month, 'YYYY-MM-DD' (the app's zone). */
function firstOfMonthAhead(n: number): string {
  const [y, m] = today().split('-').map(Number);
  const index = y * 12 + (m - 1) + n;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}-01`;
}

const activeId = (page: Page) => js<string>(page, 'document.activeElement ? document.activeElement.id : ""');

/** Presses Tab until the focused element matches `selector`, at most `max` times. */
async function tabTo(page: Page, selector: string, max = 60): Promise<boolean> {
  for (let i = 0; i <= max; i++) {
    if (await js<boolean>(page, `Boolean(document.activeElement && document.activeElement.matches(${JSON.stringify(selector)}))`)) return true;
    await page.keyboard.press('Tab');
  }
  return false;
}

/** Types a date into the focused date field as a keyboard user does: month, day, year (en-US order). */
async function typeDate(page: Page, date: string): Promise<void> {
  const [y, m, d] = date.split('-');
  await page.keyboard.type(`${m}${d}${y}`);
}

/** The keyboard way to the new hours-lock form: Tab to the in-page link, Enter, a few Tabs on. */
async function toLockForm(t: Test, page: Page): Promise<void> {
  t.ok(await tabTo(page, 'a[href="#hours-lock"]', 120), 'Tab reaches the link to the hours lock');
  await page.keyboard.press('Enter');
  t.ok(await until(async () => new URL(page.url()).hash === '#hours-lock'), 'Enter follows it');
  t.ok(await tabTo(page, '#f-lockFrom', 5), 'a few Tabs on, the effective date of a new version');
}

const lockVersions = (db: Awaited<ReturnType<typeof startBrowserApp>>['db']) =>
  db.selectFrom('policies').select(['effective_from', 'value', 'note']).where('key', '=', 'hours_lock').orderBy('id').execute();

void t.test('an admin adds an hours-lock version with the keyboard; a bad lock day is refused', async (t) => {
  const ctx = await startBrowserApp(t);
  const admin = await makeUser(ctx.db, 'admin', { name: '李管理员' });
  const before = await lockVersions(ctx.db);
  const from = firstOfMonthAhead(1);
  const later = firstOfMonthAhead(2);
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, admin.email);

  await Promise.all([page.waitForURL((u) => u.pathname === '/policies'), page.click('nav.main-nav a[href="/policies"]')]);
  await Promise.all([page.waitForURL((u) => u.pathname === '/policies/rotation'), page.getByRole('link', { name: /^Rotation, quota and hours lock/ }).click()]);
  t.ok(await until(async () => (await page.locator('h1').innerText()) === 'Rotation, quota and hours lock'), 'the rotation, quota and hours-lock page');
  t.ok(await page.getByRole('heading', { name: 'Hours lock', level: 2 }).isVisible(), 'with its hours-lock section');

  // keyboard only from here
  await toLockForm(t, page);
  await typeDate(page, from);
  t.equal(await page.inputValue('#f-lockFrom'), from, 'the date is typed in');
  // Chromium's date field keeps one more stop of its own (the calendar button) after the year
  t.ok(await tabTo(page, '#f-lockDay', 2), 'Tab moves on to the lock day');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('10');
  await page.keyboard.press('Tab');
  t.equal(await activeId(page), 'f-lockNote', 'then to the note');
  await page.keyboard.type(NOTE);
  await page.keyboard.press('Enter');
  const added = `Hours lock from ${formatters('en', 'Asia/Shanghai').date(from)} added.`;
  t.ok(await until(async () => (await page.locator('#messages .flash.ok').count()) === 1 && (await textOf(page, '#messages .flash.ok')) === added), `Enter adds it: "${added}"`);
  const row = page.locator('table.data tbody tr', { hasText: NOTE });
  t.equal(await row.count(), 1, 'the new version is listed');
  const cells = (await row.locator('td').allInnerTexts()).map((s) => s.replace(/\s+/g, ' ').trim());
  t.same(cells.slice(0, 4), [formatters('en', 'Asia/Shanghai').date(from), 'Scheduled', 'Day 10 of the next month', `${NOTE} (李管理员)`], 'as scheduled, with its lock day and note');
  t.ok(await row.getByRole('button', { name: 'Delete' }).isVisible(), 'and may still be deleted');
  const after = await lockVersions(ctx.db);
  t.equal(after.length, before.length + 1, 'one version stored');
  t.same(after.at(-1)?.value, { lockDay: 10 });
  const audited = (await auditEntries(ctx.db, 'policy.version_created')).filter((e) => e.after?.key === 'hours_lock');
  t.equal(audited.length, 1, 'and audited');
  t.equal(audited[0]?.actor_id, admin.id, 'as done by the admin');
  await snap(page, 'policies-lock-added');

  // a lock day past the 28th: refused next to the field, nothing stored
  // the answer is swapped in without a page load: focus stays in the form, so the
  // user goes round to the link again (Tab wraps past the end of the page)
  await toLockForm(t, page);
  await typeDate(page, later);
  t.ok(await tabTo(page, '#f-lockDay', 2), 'and on to the lock day');
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type('40');
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/policies/hours-lock');
  await page.keyboard.press('Enter');
  t.equal((await posted).status(), 422, 'the server refuses it');
  t.ok(await until(async () => (await page.locator('#f-lockDay-err').count()) === 1), 'the message appears');
  t.equal(await textOf(page, '#f-lockDay-err'), 'Enter a whole number from 1 to 28.', 'next to the lock day');
  t.equal(await page.locator('#f-lockDay').getAttribute('aria-invalid'), 'true');
  t.equal(await page.locator('#f-lockDay').getAttribute('aria-describedby'), 'f-lockDay-err', 'the field is described by its message');
  t.equal(await page.locator('p.error').count(), 1, 'only the lock day is marked');
  t.ok(await js<boolean>(page, 'document.activeElement.matches("#main .flash.error")'), 'focus moves to the error summary');
  t.equal(await textOf(page, '#main .flash.error'), 'Please correct the marked fields and submit again.');
  t.equal(await page.inputValue('#f-lockDay'), '40', 'the input is kept');
  t.equal(await page.inputValue('#f-lockFrom'), later);
  t.equal((await lockVersions(ctx.db)).length, before.length + 1, 'nothing more stored');
  t.equal(await page.locator('table.data tbody tr', { hasText: 'Day 40' }).count(), 0, 'nor listed');
  await snap(page, 'policies-lock-error');
  guard.check(t);
});

void t.test('the policy pages fit a phone', async (t) => {
  const ctx = await startBrowserApp(t);
  const admin = await makeUser(ctx.db, 'admin');
  for (const locale of ['en-US', 'zh-CN']) {
    const context = await ctx.context({ locale, viewport: { width: WIDTH, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const guard = await watch(context, page, ctx.base);
    await login(page, admin.email);
    const fits = async (what: string) => {
      const width = await scrollWidth(page);
      t.ok(width <= WIDTH + 1, `${locale} ${what}: the page is ${width}px wide`, { overflowing: await overflowing(page, WIDTH) });
      const wraps = await js<{ scroll: number; client: number }[]>(page, '[...document.querySelectorAll(".table-wrap")].map((w) => ({ scroll: w.scrollWidth, client: w.clientWidth }))');
      t.ok(wraps.length > 0 && wraps.every((w) => w.client <= WIDTH), `${locale} ${what}: every table wrapper fits`, { wraps });
      return wraps;
    };

    let wraps: { scroll: number; client: number }[] = [];
    for (const path of ['/policies', '/policies/rotation']) {
      const res = await page.goto(path);
      t.equal(res?.status(), 200, `${path} is there`);
      wraps = await fits(path);
    }
    t.ok(wraps.some((w) => w.scroll > w.client), 'the wide rotation table scrolls inside its wrapper, not the page');
    t.ok(await page.locator('#f-lockDay').isVisible(), 'the hours-lock form is there');
    await snap(page, `policies-phone-${locale}`);

    await page.fill('#f-lockFrom', firstOfMonthAhead(3));
    await page.fill('#f-lockDay', '40');
    await page.locator('form[action="/policies/hours-lock"] button[type=submit]').click();
    await page.locator('#f-lockDay-err').waitFor();
    await fits('/policies/rotation with an error');
    const box = await page.locator('#f-lockDay').boundingBox();
    t.ok(box && box.x >= 0 && box.x + box.width <= WIDTH, 'the field in error is fully on screen');
    guard.check(t);
    await context.close();
  }
});
