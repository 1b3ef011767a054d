// Duty rosters (值班) in a real browser: the manager's list puts unfilled shifts
// first and narrows by workstation or region through htmx (no page load, the URL
// follows and reloads as the same list); a shift is defined with the keyboard
// alone, a bad end time is refused next to the field with the input kept; "fill by
// rotation" puts the lawyer on duty and the lawyer sees it on "My duty"; a
// volunteer signs up with one click, and a second person on the now full shift is
// refused with nothing changed. The pages fit a 390 px phone in both languages
// with big buttons, and nothing trips the CSP, throws or leaves the origin.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeUser } from '../helpers/factories.js';
import { makeLawyerUser, makeVolunteerUser } from '../helpers/people.js';
import { takeSeat } from '../../src/modules/duty/duty.assign.js';
import { liveRows, makeShift, makeStation } from '../duty/support.js';
import { js, login, markerSurvived, setMarker, startBrowserApp, textOf, until } from './support.js';
import { overflowing, scrollWidth, snap, watch } from './cases-support.js';

const WIDTH = 390;
const day = (d: string, h: string) => `${d}T${h}:00+08:00`;
/** A date `days` ahead, in Shanghai (the app's day). */
const future = (days: number) => new Date(Date.now() + 8 * 3_600_000 + days * 86_400_000).toISOString().slice(0, 10);

const ctx = await startBrowserApp(t);
const db = ctx.db;
const now = new Date();
const bazhou = await makeStation(db, '511902', '巴州区法院工作站');
const tongjiang = await makeStation(db, '511921', '通江县检察院工作站');
const d1 = future(3);
const d2 = future(4);
const d5 = future(5);
// d1 09:00 Bazhou, already full; the others unfilled
const full = await makeShift(db, bazhou.id, { startsAt: day(d1, '09:00'), endsAt: day(d1, '12:00') }, now);
const volShift = await makeShift(db, tongjiang.id, { startsAt: day(d1, '14:00'), endsAt: day(d1, '17:00'), who: 'volunteer' }, now);
const lawyerShift = await makeShift(db, bazhou.id, { startsAt: day(d2, '09:00'), endsAt: day(d2, '12:00'), who: 'lawyer' }, now);
const farShift = await makeShift(db, tongjiang.id, { startsAt: day(d2, '14:00'), endsAt: day(d2, '17:00') }, now);

const manager = await makeUser(db, 'manager', { name: '冯主任' });
const lawyer = await makeLawyerUser(db, { name: '王律师', regionCode: '511902' });
const early = await makeVolunteerUser(db, { name: '周先报' });
const late = await makeVolunteerUser(db, { name: '吴后到' });
const holder = await makeVolunteerUser(db, { name: '郑已排' });
await takeSeat(db, { id: null, name: 'test' }, { volunteerId: holder.volunteer.id }, full.id, 'signup', now);

/** The shift ids of the list, in order. */
const listed = (page: Page) => js<number[]>(page, `[...document.querySelectorAll('#results li.duty-shift h2 a')].map((a) => Number(a.getAttribute('href').split('/').pop()))`);
const flashSays = (page: Page, kind: 'ok' | 'error', text: string) =>
  until(async () => (await page.locator(`#messages .flash.${kind}`).count()) === 1 && (await textOf(page, `#messages .flash.${kind}`)) === text);
const activeId = (page: Page) => js<string>(page, 'document.activeElement ? document.activeElement.id : ""');

/** Presses Tab until the focused element matches `selector`, at most `max` times. */
async function tabTo(page: Page, selector: string, max = 80): Promise<boolean> {
  for (let i = 0; i <= max; i++) {
    if (await js<boolean>(page, `Boolean(document.activeElement && document.activeElement.matches(${JSON.stringify(selector)}))`)) return true;
    await page.keyboard.press('Tab');
  }
  return false;
}

/** Types a date and time into the focused datetime-local field as a keyboard user does (en-US: month, day, year, then hour, minute, AM/PM). */
async function typeDateTime(page: Page, date: string, hm: string): Promise<void> {
  const [y, m, d] = date.split('-');
  const [h, min] = hm.split(':').map(Number);
  const h12 = h % 12 === 0 ? 12 : h % 12;
  await page.keyboard.type(`${m}${d}${y}`);
  await page.keyboard.press('ArrowRight'); // the year takes up to six digits: move on by hand
  await page.keyboard.type(`${String(h12).padStart(2, '0')}${String(min).padStart(2, '0')}${h < 12 ? 'A' : 'P'}`);
}

void t.test('the manager’s list: unfilled first, htmx filters, the URL follows', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);
  await Promise.all([page.waitForURL((u) => u.pathname === '/duty'), page.click('nav.main-nav a[href="/duty"]')]);
  t.equal(await textOf(page, 'h1'), 'Duty rosters');
  t.equal(await textOf(page, '#results .count'), '4 shifts, 3 unfilled');
  t.same(await listed(page), [volShift.id, lawyerShift.id, farShift.id, full.id], 'unfilled first by time, then the full one');
  t.same(
    await page.locator('#results li.duty-shift .badge').allInnerTexts(),
    ['Unfilled', 'Unfilled', 'Unfilled', 'Filled'],
    'each card says whether it is filled',
  );
  t.equal(await page.getByRole('button', { name: 'Fill all unfilled shifts in this range by rotation' }).count(), 1);

  // by workstation: htmx swaps the results, no page load, the URL follows
  await setMarker(page);
  const swapped = page.waitForResponse((r) => new URL(r.url()).pathname === '/duty' && r.request().headers()['hx-request'] === 'true');
  await page.selectOption('#d-station', String(tongjiang.id));
  t.equal((await swapped).status(), 200, 'htmx asks for the results');
  t.ok(await until(async () => new URL(page.url()).searchParams.get('station') === String(tongjiang.id)), `the URL carries the workstation (${page.url()})`);
  t.ok(await until(async () => (await listed(page)).join() === [volShift.id, farShift.id].join()), 'only the Tongjiang shifts');
  t.equal(await textOf(page, '#results .count'), '2 shifts, 2 unfilled');
  t.ok(await markerSurvived(page), 'without a page load');

  // by region: back to all workstations, then Bazhou
  await page.selectOption('#d-station', '');
  t.ok(await until(async () => (await listed(page)).length === 4), 'all workstations again');
  await page.selectOption('#d-region', '511902');
  t.ok(await until(async () => (await listed(page)).join() === [lawyerShift.id, full.id].join()), 'Bazhou: its two shifts, the unfilled one first');
  t.ok(await until(async () => new URL(page.url()).searchParams.get('region') === '511902'), 'the URL carries the region');
  t.notOk(new URL(page.url()).searchParams.get('station'), 'and no workstation');
  t.ok(await markerSurvived(page), 'still without a page load');
  await snap(page, 'duty-list-region');

  await page.reload();
  t.notOk(await markerSurvived(page), 'this time a real page load');
  t.same(await listed(page), [lawyerShift.id, full.id], 'the filtered URL reloads as the same list');
  t.equal(await page.inputValue('#d-region'), '511902', 'with the region still chosen');
  t.equal(await textOf(page, '#results .count'), '2 shifts, 1 unfilled');
  guard.check(t);
  await context.close();
});

void t.test('the manager defines a shift with the keyboard alone; end before start is refused next to the field', async (t) => {
  const context = await ctx.context({ timezoneId: 'Asia/Shanghai' });
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);
  await page.goto('/duty');
  t.ok(await tabTo(page, 'a[href="/duty/new"]'), 'Tab reaches "New duty shift"');
  await Promise.all([page.waitForURL((u) => u.pathname === '/duty/new'), page.keyboard.press('Enter')]);
  t.equal(await textOf(page, 'h1'), 'New duty shift');
  const before = await db.selectFrom('duty_shifts').select('id').execute();

  t.ok(await tabTo(page, '#f-organizationId'), 'Tab reaches the workstation');
  for (let i = 0; i < 5 && (await page.inputValue('#f-organizationId')) !== String(bazhou.id); i++) await page.keyboard.press('ArrowDown');
  t.equal(await page.inputValue('#f-organizationId'), String(bazhou.id), 'arrow keys choose the Bazhou workstation');
  await page.keyboard.press('Tab');
  t.equal(await activeId(page), 'f-startsAt', 'Tab moves on to the start');
  await typeDateTime(page, d5, '18:00');
  t.equal(await page.inputValue('#f-startsAt'), `${d5}T18:00`, 'typed start');
  await page.keyboard.press('Tab');
  for (let i = 0; i < 6 && (await activeId(page)) !== 'f-endsAt'; i++) await page.keyboard.press('Tab');
  t.equal(await activeId(page), 'f-endsAt', 'then the end');
  await typeDateTime(page, d5, '17:00');
  t.equal(await page.inputValue('#f-endsAt'), `${d5}T17:00`, 'typed end, an hour before the start');
  t.ok(await tabTo(page, '#f-note', 20), 'on to the note');
  await page.keyboard.type('夜间值班');

  const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/duty/shifts');
  t.ok(await tabTo(page, 'form[action="/duty/shifts"] button[type=submit]', 5), 'Tab reaches "Create shifts"');
  await page.keyboard.press('Enter');
  t.equal((await refused).status(), 422, 'refused with 422');
  await page.locator('#f-endsAt-err').waitFor();
  t.equal(await textOf(page, '#f-endsAt-err'), 'The end must be after the start.', 'the message is next to the end field');
  t.equal(await page.getAttribute('#f-endsAt', 'aria-invalid'), 'true');
  t.equal(await page.getAttribute('#f-endsAt', 'aria-describedby'), 'f-endsAt-err', 'and tied to it');
  t.equal(await page.locator('.field.has-error').count(), 1, 'no other field is marked');
  t.equal(await textOf(page, 'p.flash.error[role=alert]'), 'Please correct the marked fields and submit again.', 'the form says there are errors');
  t.equal(await page.inputValue('#f-organizationId'), String(bazhou.id), 'the workstation is kept');
  t.equal(await page.inputValue('#f-startsAt'), `${d5}T18:00`, 'the start is kept');
  t.equal(await page.inputValue('#f-endsAt'), `${d5}T17:00`, 'the end is kept');
  t.equal(await page.inputValue('#f-note'), '夜间值班', 'the note is kept');
  t.equal((await db.selectFrom('duty_shifts').select('id').execute()).length, before.length, 'no shift was made');
  await snap(page, 'duty-new-422');

  // correct the end with the keyboard and send again
  t.ok(await tabTo(page, '#f-endsAt', 40), 'Tab back to the end (forward, round the page)');
  await typeDateTime(page, d5, '20:00');
  t.equal(await page.inputValue('#f-endsAt'), `${d5}T20:00`);
  t.ok(await tabTo(page, 'form[action="/duty/shifts"] button[type=submit]', 20));
  await Promise.all([page.waitForURL((u) => /^\/duty\/\d+$/.test(u.pathname)), page.keyboard.press('Enter')]);
  t.ok(await flashSays(page, 'ok', '1 shift created.'), 'told it is made');
  const after = await db.selectFrom('duty_shifts').selectAll().where('id', 'not in', before.map((b) => b.id)).execute();
  t.equal(after.length, 1, 'exactly one shift');
  t.equal(after[0].organization_id, bazhou.id);
  t.equal(after[0].starts_at.toISOString(), new Date(day(d5, '18:00')).toISOString(), 'starting at 18:00 Shanghai');
  t.equal(after[0].ends_at.toISOString(), new Date(day(d5, '20:00')).toISOString(), 'ending at 20:00');
  t.equal(new URL(page.url()).pathname, `/duty/${after[0].id}`, 'the new shift’s page');
  t.equal(await textOf(page, 'h1'), '巴州区法院工作站');

  await page.goto(`/duty?to=${future(10)}`);
  t.ok((await listed(page)).includes(after[0].id), 'the new shift is in the list');
  t.match(await textOf(page, `#results li.duty-shift:has(a[href="/duty/${after[0].id}"])`), /Unfilled.*0 of 1 filled/, 'unfilled, none on it yet');
  guard.check(t);
  await context.close();
});

void t.test('fill by rotation from the shift page; the lawyer sees it on My duty', async (t) => {
  const mContext = await ctx.context();
  const m = await mContext.newPage();
  const mGuard = await watch(mContext, m, ctx.base);
  await login(m, manager.email);
  const lContext = await ctx.context();
  const l = await lContext.newPage();
  const lGuard = await watch(lContext, l, ctx.base);
  await login(l, lawyer.user.email);
  await l.goto('/duty/mine');
  t.equal(await textOf(l, 'p.empty'), 'You have no upcoming duty.', 'the lawyer has no duty yet');

  await m.goto(`/duty/${lawyerShift.id}`);
  t.equal(await textOf(m, 'p.empty'), 'Nobody on duty yet.');
  await Promise.all([m.waitForURL((u) => u.pathname === `/duty/${lawyerShift.id}`), m.getByRole('button', { name: 'Fill by rotation' }).click()]);
  t.ok(await flashSays(m, 'ok', '1 put on duty by rotation; 0 seats still empty.'), 'told who was picked');
  t.match(await textOf(m, 'ul.roster'), /王律师 On duty By rotation/, 'the lawyer is on the roster');
  t.match(await textOf(m, 'dl.facts'), /Filled 1 of 1 filled/);
  t.equal(await m.getByRole('button', { name: 'Fill by rotation' }).count(), 0, 'no fill button once full');
  t.same((await liveRows(db, lawyerShift.id)).map((r) => r.lawyer_id), [lawyer.lawyer.id], 'written');
  await snap(m, 'duty-filled');

  await l.reload();
  const item = l.locator(`li.duty-shift:has(a[href="/duty/${lawyerShift.id}"])`);
  t.equal(await item.count(), 1, 'the shift is on My duty');
  t.match((await item.innerText()).replace(/\s+/g, ' '), /巴州区法院工作站.*On duty By rotation/);
  await Promise.all([l.waitForURL((u) => u.pathname === `/duty/${lawyerShift.id}`), item.locator('h2 a').click()]);
  t.match(await textOf(l, 'section.duty-mine'), 'On duty You are on this shift.');
  mGuard.check(t);
  lGuard.check(t);
  await mContext.close();
  await lContext.close();
});

void t.test('a volunteer signs up with one click; the second on the full shift is refused', async (t) => {
  const aContext = await ctx.context();
  const a = await aContext.newPage();
  const aGuard = await watch(aContext, a, ctx.base);
  await login(a, early.user.email);
  const bContext = await ctx.context();
  const b = await bContext.newPage();
  const bGuard = await watch(bContext, b, ctx.base);
  await login(b, late.user.email);
  // both open the one-seat shift while it is still free
  await a.goto(`/duty/${volShift.id}`);
  await b.goto(`/duty/${volShift.id}`);
  t.equal(await b.getByRole('button', { name: 'Sign up for duty' }).count(), 1, 'the second sees a free seat too');

  await Promise.all([a.waitForURL((u) => u.pathname === `/duty/${volShift.id}`), a.getByRole('button', { name: 'Sign up for duty' }).click()]);
  t.ok(await flashSays(a, 'ok', 'Signed up: you are on this shift.'), 'one click: signed up');
  t.match(await textOf(a, 'section.duty-mine'), 'On duty You are on this shift.', 'the page says they are on it');
  t.match(await textOf(a, 'dl.facts'), /Filled 1 of 1 filled/);
  t.equal(await a.getByRole('button', { name: 'Leave this shift' }).count(), 1, 'and they may leave it');
  await a.goto('/duty/mine');
  t.match(await textOf(a, `li.duty-shift:has(a[href="/duty/${volShift.id}"])`), /通江县检察院工作站.*On duty Signed up/, 'on My duty too');

  const refused = b.waitForResponse((r) => new URL(r.url()).pathname === `/duty/${volShift.id}/signup`);
  await b.getByRole('button', { name: 'Sign up for duty' }).click();
  t.equal((await refused).status(), 409, 'refused: 409');
  await b.locator('p.flash.error[role=alert]').waitFor();
  t.equal(await textOf(b, 'p.flash.error[role=alert]'), 'This shift is full.', 'the refusal is said at the top');
  t.match(await textOf(b, 'dl.facts'), /Filled 1 of 1 filled/, 'the page shows the shift full');
  t.equal(await b.getByRole('button', { name: 'Sign up for duty' }).count(), 0, 'no sign-up button any more');
  t.notMatch(await textOf(b, 'main'), 'You are on this shift', 'they are not on it');
  const rows = await liveRows(db, volShift.id);
  t.same(rows.map((r) => r.volunteer_id), [early.volunteer.id], 'nothing changed: only the first holds the seat');
  await b.goto('/duty/mine');
  t.equal(await textOf(b, 'p.empty'), 'You have no upcoming duty.', 'the second has no duty');
  await snap(b, 'duty-full-refused');
  aGuard.check(t);
  bGuard.check(t, /status of 409 \(Conflict\)/);
  await aContext.close();
  await bContext.close();
});

void t.test('on a 390 px phone, in both languages: no horizontal scroll, big buttons', async (t) => {
  // My duty has no buttons of its own (only links), so there is nothing to measure there
  const pages: Array<{ who: { email: string }; role: string; path: string; buttons: string }> = [
    { who: manager, role: 'manager', path: '/duty', buttons: 'main button, main a.button' },
    { who: manager, role: 'manager', path: `/duty/${farShift.id}`, buttons: 'main button' },
    { who: late.user, role: 'volunteer', path: `/duty/${farShift.id}`, buttons: 'main button' },
    { who: lawyer.user, role: 'lawyer', path: '/duty/mine', buttons: 'main button, main a.button' },
  ];
  for (const locale of ['en-US', 'zh-CN']) {
    for (const p of pages) {
      const context = await ctx.context({ locale, viewport: { width: WIDTH, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
      const page = await context.newPage();
      const guard = await watch(context, page, ctx.base);
      await login(page, p.who.email);
      const res = await page.goto(p.path);
      t.equal(res?.status(), 200, `${locale} ${p.path}`);
      if (p.path === '/duty') t.equal(await textOf(page, 'h1'), locale === 'en-US' ? 'Duty rosters' : '值班排班');
      if (p.path === '/duty/mine') t.equal(await textOf(page, 'h1'), locale === 'en-US' ? 'My duty' : '我的值班');
      const width = await scrollWidth(page);
      t.ok(width <= WIDTH + 1, `${locale} ${p.path}: ${width}px wide, no horizontal scroll`, { overflowing: await overflowing(page, WIDTH) });
      const buttons = page.locator(p.buttons);
      const count = await buttons.count();
      if (p.path !== '/duty/mine') t.ok(count > 0, `${locale} ${p.path}: has ${count} buttons`);
      for (let i = 0; i < count; i++) {
        const box = await buttons.nth(i).boundingBox();
        const label = (await buttons.nth(i).innerText()).trim();
        t.ok(box && box.height >= 44, `${locale} ${p.path}: "${label}" is ${box?.height}px tall`);
        t.ok(box && box.x >= 0 && box.x + box.width <= WIDTH + 1, `"${label}" is fully on screen`);
      }
      await snap(page, `duty-phone-${locale}-${p.role}${p.path.replace(/\W+/g, '-')}`);
      guard.check(t);
      await context.close();
    }
  }
});

void t.test('after a refused form, the address bar still leads somewhere', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);
  await page.goto('/duty/new');
  await page.selectOption('#f-organizationId', String(bazhou.id));
  await page.fill('#f-startsAt', `${d5}T10:00`);
  await page.fill('#f-endsAt', `${d5}T09:00`);
  const refused = page.waitForResponse((r) => new URL(r.url()).pathname === '/duty/shifts');
  await page.getByRole('button', { name: 'Create shifts' }).click();
  t.equal((await refused).status(), 422);
  await page.locator('#f-endsAt-err').waitFor();
  // the boosted form pushes /duty/shifts: reloading it opens the form again, not "shift not found"
  const again = await page.reload();
  t.equal(again?.status(), 200, `reloading ${new URL(page.url()).pathname} gives a page`);
  t.equal(new URL(page.url()).pathname, '/duty/new', 'the form again');
  t.ok(await page.locator('#f-startsAt').isVisible(), 'with its fields');
  guard.check(t, /status of 422 \(Unprocessable (Entity|Content)\)/);
  await context.close();
});
