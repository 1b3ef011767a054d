// The training pages in a real browser: a volunteer enrols in a session with the
// keyboard only and sees "Enrolled", a second one finds it full and is told their
// place on the waitlist; the manager's attendance page fits a 390 px phone in
// both languages, with the error next to the field and big buttons on screen.
// Nothing trips the CSP, throws or fails to load.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeUser } from '../helpers/factories.js';
import { TEST_ACTOR } from '../helpers/cases.js';
import { makeVolunteerUser } from '../helpers/people.js';
import { enrol } from '../../src/modules/training/training.enrol.js';
import { createSession } from '../../src/modules/training/training.service.js';
import { makeCourse } from '../training/helpers.js';
import { js, login, startBrowserApp, textOf, until } from './support.js';
import { overflowing, scrollWidth, snap, watch } from './cases-support.js';

const WIDTH = 390;

const ctx = await startBrowserApp(t);
const db = ctx.db;
const manager = await makeUser(db, 'manager', { name: '王主任' });
const a = await makeVolunteerUser(db, { name: '张志愿' });
const b = await makeVolunteerUser(db, { name: '李志愿' });

const course = await makeCourse(db, { title: '法律援助志愿服务基础', creditHours: '3', requiredForRoles: ['volunteer'] });
const upcoming = await createSession(db, TEST_ACTOR, course.id, { startsAt: '2031-05-10T09:00:00+08:00', endsAt: '2031-05-10T12:00:00+08:00', location: '巴中市法律援助中心三楼会议室', capacity: 1 });

// a session under way, with people enrolled before it began: the manager marks attendance
const now = Date.now();
const running = await createSession(db, TEST_ACTOR, course.id, {
  startsAt: new Date(now - 60_000).toISOString(),
  endsAt: new Date(now + 3_600_000).toISOString(),
  location: '南江县司法局（长赤镇司法所二楼大会议室）',
  capacity: 2,
});
const long = await makeVolunteerUser(db, { name: '欧阳志愿者（巴州区法律援助工作站长期志愿服务队队长）' });
const people = [a.volunteer, long.volunteer, b.volunteer];
for (const v of people) await enrol(db, TEST_ACTOR, running.id, { kind: 'volunteer', id: v.id }, new Date(now - 3_600_000));

const statusOf = (volunteerId: number, sessionId: number) =>
  db.selectFrom('training_enrolments').select('status').where('session_id', '=', sessionId).where('volunteer_id', '=', volunteerId).where('status', '!=', 'cancelled').executeTakeFirst();

/** Presses Tab until the predicate holds for the focused element, at most `max` times. */
async function tabUntil(page: Page, test: string, max = 60): Promise<boolean> {
  for (let i = 0; i <= max; i++) {
    if (await js<boolean>(page, `(() => { const el = document.activeElement; return Boolean(el && (${test})); })()`)) return true;
    await page.keyboard.press('Tab');
  }
  return false;
}

const flashSays = (page: Page, text: string) => until(async () => (await page.locator('#messages .flash.ok').count()) === 1 && (await textOf(page, '#messages .flash.ok')) === text);

void t.test('a volunteer enrols with the keyboard only and sees the status', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, a.user.email);

  // from the home page to the training list by the navigation link, then to the Enrol button
  t.ok(await tabUntil(page, 'el.matches(".main-nav a[href=\'/training\']")'), 'Tab reaches Training in the navigation');
  await Promise.all([page.waitForURL((u) => u.pathname === '/training'), page.keyboard.press('Enter')]);
  await page.locator('h1', { hasText: 'Training courses' }).waitFor();
  const enrolButton = `form[action="/training/sessions/${upcoming.id}/enrol"] button`;
  t.ok(await tabUntil(page, `el.matches(${JSON.stringify(enrolButton)})`), 'Tab reaches the Enrol button of the session');
  t.equal(await js<string>(page, 'document.activeElement.textContent.trim()'), 'Enrol');
  t.not(await js<string>(page, 'getComputedStyle(document.activeElement).outlineStyle'), 'none', 'the focused button shows its focus');
  await page.keyboard.press('Enter');
  t.ok(await flashSays(page, 'Enrolled in “法律援助志愿服务基础”.'), 'the flash says so');
  const row = page.locator(`#session-${upcoming.id}`);
  t.equal(await row.locator('.badge').innerText(), 'Enrolled', 'the session shows the status');
  t.match(await row.innerText(), 'Full', 'and that no seat is left');
  t.ok(await row.getByRole('button', { name: 'Cancel enrolment' }).isVisible(), 'with the way out');
  t.same(await statusOf(a.volunteer.id, upcoming.id), { status: 'enrolled' });
  await snap(page, 'training-enrolled');
  guard.check(t);
  await context.close();
});

void t.test('the second volunteer finds it full and is told the waitlist position', async (t) => {
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, b.user.email);
  await page.goto(`/training/${course.id}`);
  const button = `form[action="/training/sessions/${upcoming.id}/enrol"] button`;
  t.ok(await tabUntil(page, `el.matches(${JSON.stringify(button)})`), 'Tab reaches the button');
  t.equal(await js<string>(page, 'document.activeElement.textContent.trim()'), 'Join the waitlist', 'it says what it will do');
  await page.keyboard.press('Enter');
  t.ok(await flashSays(page, 'The session is full: waitlisted for “法律援助志愿服务基础”, position 1.'));
  t.equal(await page.locator(`#session-${upcoming.id} .badge`).innerText(), 'Waitlisted, position 1');
  t.equal(new URL(page.url()).pathname, `/training/${course.id}`, 'still on the course page');
  t.same(await statusOf(b.volunteer.id, upcoming.id), { status: 'waitlisted' });
  guard.check(t);
  await context.close();
});

void t.test("the manager's attendance page fits a 390 px phone in both languages", async (t) => {
  for (const [locale, mark, hoursLabel] of [
    ['en-US', 'Mark attended', 'Hours'],
    ['zh-CN', '登记出勤', '计入学时'],
  ] as const) {
    const context = await ctx.context({ locale, viewport: { width: WIDTH, height: 800 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 });
    const page = await context.newPage();
    const guard = await watch(context, page, ctx.base);
    await login(page, manager.email);
    const fits = async (what: string) => {
      const width = await scrollWidth(page);
      t.ok(width <= WIDTH + 1, `${locale} ${what}: the page is ${width}px wide`, { overflowing: await overflowing(page, WIDTH) });
    };

    const res = await page.goto(`/training/sessions/${running.id}`);
    t.equal(res?.status(), 200);
    await fits('the attendance page');
    const buttons = page.getByRole('button', { name: mark });
    const count = await buttons.count();
    t.ok(count >= 1, `${locale}: a button per person not yet marked (${count})`);
    for (let i = 0; i < count; i++) {
      const box = await buttons.nth(i).boundingBox();
      t.ok(box && box.x >= 0 && box.x + box.width <= WIDTH && box.height >= 44, `${locale}: button ${i + 1} is on screen and big enough to tap`, { box });
    }
    await snap(page, `training-phone-attendance-${locale}`);

    // the person to mark in this round: the long name first, then the first volunteer
    const who = locale === 'en-US' ? long.volunteer : a.volunteer;
    const form = page.locator(`form.attendance-form:has(input[name="person"][value="v:${who.id}"])`);
    await form.getByLabel(hoursLabel).fill('9');
    const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === `/training/sessions/${running.id}/attendance`);
    await form.getByRole('button', { name: mark }).tap();
    t.equal((await posted).status(), 422, 'more than the course hours is refused');
    const err = `#h-v-${who.id}-err`;
    t.ok(await until(async () => (await page.locator(err).count()) === 1), 'the message appears next to the field');
    t.match(await textOf(page, err), locale === 'en-US' ? "at most the course's 3 hours" : '不超过本课程的 3 学时');
    await fits('the page with the error');
    t.same(await statusOf(who.id, running.id), { status: 'enrolled' }, 'nothing recorded');

    await page.locator(`#h-v-${who.id}`).fill('2.5');
    await page.locator(`form.attendance-form:has(input[name="person"][value="v:${who.id}"])`).getByRole('button', { name: mark }).tap();
    t.ok(await until(async () => (await page.locator('#messages .flash.ok').count()) === 1), 'the flash confirms');
    t.match(await textOf(page, '#messages .flash.ok'), locale === 'en-US' ? `Attendance of ${who.name} recorded: 2.5 h.` : `已登记${who.name}出勤，计 2.5 学时。`);
    t.same(await statusOf(who.id, running.id), { status: 'attended' });
    await fits('the page after marking');
    await snap(page, `training-phone-attended-${locale}`);
    guard.check(t);
    await context.close();
  }
});
