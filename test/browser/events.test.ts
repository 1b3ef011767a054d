// Outreach events in a real browser: a volunteer narrows the list to a region
// (htmx swaps the results and the URL follows), signs up with the keyboard alone
// and is confirmed; a second volunteer on the now full event is waitlisted at
// position 1 and, once the first cancels, finds the seat theirs on reloading. The
// manager's check-in roster fits a 390 px phone in both languages with big
// Attended buttons; the month calendar renders and pages back and forth. Nothing
// trips the CSP, throws, or asks anything of another origin.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeUser } from '../helpers/factories.js';
import { makeVolunteerUser } from '../helpers/people.js';
import { notify } from '../../src/modules/events/notifications.js';
import { makeEvent } from '../events/support.js';
import { js, login, markerSurvived, setMarker, startBrowserApp, textOf, until } from './support.js';
import { overflowing, scrollWidth, snap, watch } from './cases-support.js';

const WIDTH = 390;

const ctx = await startBrowserApp(t);
const db = ctx.db;
const now = new Date();
const bazhou = await makeEvent(db, { title: '送法下乡·巴州村', startsAt: '2031-05-10T09:00:00+08:00', endsAt: '2031-05-10T12:00:00+08:00', regionCode: '511902', capacity: 1 }, now);
const tongjiang = await makeEvent(db, { title: '法律咨询日·通江', kind: 'consultation_day', startsAt: '2031-05-12T09:00:00+08:00', endsAt: '2031-05-12T12:00:00+08:00', regionCode: '511921', capacity: 5 }, now);
const june = await makeEvent(db, { title: '法律进校园·六月', kind: 'six_intos', sixIntosTarget: 'schools', startsAt: '2031-06-03T14:00:00+08:00', endsAt: '2031-06-03T16:00:00+08:00', regionCode: '511902', capacity: 5 }, now);
const first = await makeVolunteerUser(db, { name: '周先报' });
const second = await makeVolunteerUser(db, { name: '吴后到' });
const manager = await makeUser(db, 'manager', { name: '冯主任' });

const card = (page: Page, title: string) => page.locator('li.event-card', { hasText: title });
const titles = async (page: Page) => (await page.locator('#results li.event-card h2').allInnerTexts()).map((s) => s.trim());
const flashSays = (page: Page, text: string) => until(async () => (await page.locator('#messages .flash.ok').count()) === 1 && (await textOf(page, '#messages .flash.ok')) === text);

/** Presses Tab until the focused element matches `selector`, at most `max` times. */
async function tabTo(page: Page, selector: string, max = 80): Promise<boolean> {
  for (let i = 0; i <= max; i++) {
    if (await js<boolean>(page, `Boolean(document.activeElement && document.activeElement.matches(${JSON.stringify(selector)}))`)) return true;
    await page.keyboard.press('Tab');
  }
  return false;
}

void t.test('filter by region, sign up with the keyboard, waitlist and promotion', async (t) => {
  const contextA = await ctx.context();
  const a = await contextA.newPage();
  const guardA = await watch(contextA, a, ctx.base);
  await login(a, first.user.email);
  await Promise.all([a.waitForURL((u) => u.pathname === '/events'), a.click('nav.main-nav a[href="/events"]')]);
  t.same(await titles(a), [bazhou.title, tongjiang.title, june.title], 'every upcoming event, soonest first');

  // the region filter: htmx swaps the results, no page load, and the URL follows
  await setMarker(a);
  const swapped = a.waitForResponse((r) => new URL(r.url()).pathname === '/events' && r.request().headers()['hx-request'] === 'true');
  await a.selectOption('#e-region', '511921');
  t.equal((await swapped).status(), 200, 'htmx asks for the results');
  t.ok(await until(async () => new URL(a.url()).searchParams.get('region') === '511921'), `the URL carries the region (${a.url()})`);
  t.ok(await until(async () => (await titles(a)).join() === tongjiang.title), 'only the Tongjiang event is listed');
  t.ok(await markerSurvived(a), 'without a page load');
  await a.selectOption('#e-region', '511902');
  t.ok(await until(async () => (await titles(a)).join() === [bazhou.title, june.title].join()), 'Bazhou: its two events');
  t.equal(new URL(a.url()).searchParams.get('region'), '511902');
  await a.reload();
  t.same(await titles(a), [bazhou.title, june.title], 'the filtered URL reloads as the same list');
  t.equal(await a.inputValue('#e-region'), '511902', 'with the region still chosen');

  // one click, with the keyboard alone: Tab to the event's sign-up button, Enter
  const signUp = `form[action="/events/${bazhou.id}/signup"] button[type=submit]`;
  t.ok(await tabTo(a, signUp), "Tab reaches the event's sign-up button");
  await a.keyboard.press('Enter');
  t.ok(await flashSays(a, `Signed up and confirmed: ${bazhou.title}.`), 'Enter signs up: confirmed');
  t.equal(await textOf(a, `li.event-card:has(a[href="/events/${bazhou.id}"]) .mine`), 'Confirmed', 'the card says so');
  t.match(await textOf(a, `li.event-card:has(a[href="/events/${bazhou.id}"]) .event-facts`), '1 of 1 taken');
  await snap(a, 'events-list-confirmed');

  // the second volunteer: the event is full, so the waitlist, position 1
  const contextB = await ctx.context();
  const b = await contextB.newPage();
  const guardB = await watch(contextB, b, ctx.base);
  await login(b, second.user.email);
  await b.goto(`/events/${bazhou.id}`);
  await b.getByRole('button', { name: 'Sign up' }).click();
  t.ok(await until(async () => (await b.locator('#messages .flash.ok').count()) === 1), 'told at once');
  t.equal(await textOf(b, '#messages .flash.ok'), `The event is full; you are on the waitlist for ${bazhou.title}, position 1.`);
  t.equal(await textOf(b, '.event-mine .mine'), 'Waitlisted Waitlist position 1', 'the page says: waitlisted, position 1');

  // the first cancels: the seat goes to the second
  await card(a, bazhou.title).getByRole('button', { name: 'Cancel', exact: true }).click();
  t.ok(await flashSays(a, `Sign-up cancelled: ${bazhou.title}.`), 'the first volunteer has cancelled');
  t.equal(await card(a, bazhou.title).getByRole('button', { name: 'Sign up' }).count(), 1, 'and may sign up again');
  await b.reload();
  t.equal(await textOf(b, '.event-mine .mine'), 'Confirmed', 'the second, reloading, is confirmed');
  t.equal(await b.locator('.event-mine .badge.signup-confirmed').count(), 1);
  t.equal(await b.getByRole('link', { name: 'Notifications (1)' }).count(), 1, 'the header tells of the promotion notice');
  await snap(b, 'events-promoted');
  guardA.check(t);
  guardB.check(t);
  await contextA.close();
  await contextB.close();
});

void t.test("the manager's roster on a phone, in both languages", async (t) => {
  // an unread notice puts its link in the header too: it must fit as well
  await notify(db, { userId: manager.id }, 'event.cancelled', { eventId: tongjiang.id, title: tongjiang.title, startsAt: tongjiang.starts_at.toISOString(), reason: '暴雨' });
  for (const locale of ['en-US', 'zh-CN']) {
    const context = await ctx.context({ locale, viewport: { width: WIDTH, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const guard = await watch(context, page, ctx.base);
    await login(page, manager.email);
    const res = await page.goto(`/events/${bazhou.id}/roster`);
    t.equal(res?.status(), 200);
    t.equal(await textOf(page, 'h1'), locale === 'en-US' ? 'Check-in roster' : '签到名单');
    t.equal(await textOf(page, 'header .notes-link'), locale === 'en-US' ? 'Notifications (1)' : '通知 (1)');
    t.match(await textOf(page, '.roster'), second.volunteer.name, 'the seat holder is listed');
    const width = await scrollWidth(page);
    t.ok(width <= WIDTH + 1, `${locale}: the page is ${width}px wide, no horizontal scroll`, { overflowing: await overflowing(page, WIDTH) });
    const attended = page.locator('.roster-buttons button.primary');
    t.equal(await attended.count(), 1);
    t.equal(await attended.innerText(), locale === 'en-US' ? 'Attended' : '已出席');
    const box = await attended.boundingBox();
    t.ok(box && box.height >= 44, `${locale}: the Attended button is ${box?.height}px tall`);
    t.ok(box && box.x >= 0 && box.x + box.width <= WIDTH, 'and fully on screen');
    await snap(page, `events-roster-phone-${locale}`);
    guard.check(t);
    await context.close();
  }
});

void t.test('the month calendar and its previous/next links', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, first.user.email);
  await page.goto('/events');
  await Promise.all([page.waitForURL((u) => u.searchParams.get('view') === 'month'), page.getByRole('link', { name: 'Month calendar' }).click()]);
  t.ok(await page.locator('table.month-grid').isVisible(), 'the month grid renders');
  await page.goto('/events?view=month&month=2031-05');
  t.equal(await textOf(page, 'table.month-grid caption'), 'Events in 2031-05');
  t.equal(await page.locator('table.month-grid thead th').count(), 7, 'a column per weekday');
  t.equal(await page.locator('table.month-grid a', { hasText: bazhou.title }).count(), 1, 'May has its events');
  t.equal(await page.locator('table.month-grid a', { hasText: june.title }).count(), 0);

  await Promise.all([page.waitForURL((u) => u.searchParams.get('month') === '2031-06'), page.locator('a[rel=next]').click()]);
  t.equal(await textOf(page, 'table.month-grid caption'), 'Events in 2031-06', 'next: June');
  t.equal(await page.locator('table.month-grid a', { hasText: june.title }).count(), 1, 'with the June event');
  t.equal(await page.locator('table.month-grid a', { hasText: bazhou.title }).count(), 0);
  await Promise.all([page.waitForURL((u) => u.searchParams.get('month') === '2031-05'), page.locator('a[rel=prev]').click()]);
  await Promise.all([page.waitForURL((u) => u.searchParams.get('month') === '2031-04'), page.locator('a[rel=prev]').click()]);
  t.equal(await textOf(page, 'table.month-grid caption'), 'Events in 2031-04', 'previous twice: April');
  t.match(await textOf(page, 'table.month-grid'), /Mon Tue Wed Thu Fri Sat Sun/);
  t.equal(await page.locator('table.month-grid tbody a').count(), 0, 'no events in April');
  await snap(page, 'events-month');
  guard.check(t);
  await context.close();
});
