// The application form in a real browser: sent empty it comes back through htmx
// with each message next to its field (aria-invalid, aria-describedby pointing
// at the message) and what was typed still there; a valid application lands on
// its case page with the means-test sentence. The keyboard alone fills and sends
// it, with the focus visible on every control it passes.
import t from 'tap';
import type { Page } from 'playwright-core';
import { makeUser } from '../helpers/factories.js';
import { makeIdNumber } from '../helpers/cases.js';
import { js, login, markerSurvived, setMarker, startBrowserApp, textOf, until } from './support.js';
import { snap, watch } from './cases-support.js';

const activeId = (page: Page) => js<string>(page, 'document.activeElement ? document.activeElement.id : ""');
const activeOutline = (page: Page) => js<string>(page, 'getComputedStyle(document.activeElement).outlineStyle');

/** Presses Tab until the focused element matches, at most `max` times; every stop must show its focus. */
async function tabTo(page: Page, selector: string, max = 40): Promise<{ reached: boolean; unmarked: string[] }> {
  const unmarked: string[] = [];
  for (let i = 0; i <= max; i++) {
    if (await js<boolean>(page, `document.activeElement.matches(${JSON.stringify(selector)})`)) return { reached: true, unmarked };
    await page.keyboard.press('Tab');
    if ((await activeOutline(page)) === 'none') unmarked.push(await js<string>(page, 'document.activeElement.outerHTML.slice(0, 80)'));
  }
  return { reached: false, unmarked };
}

void t.test('errors next to the fields, then a valid application', async (t) => {
  const ctx = await startBrowserApp(t);
  const manager = await makeUser(ctx.db, 'manager');
  const context = await ctx.context();
  const page = await context.newPage();
  const guard = await watch(context, page, ctx.base);
  await login(page, manager.email);

  await page.goto('/cases');
  await setMarker(page);
  await page.click('a.button.primary[href="/cases/new"]');
  await page.waitForURL((u) => u.pathname === '/cases/new');
  t.equal(await textOf(page, 'h1'), 'Take an application');
  t.ok(await markerSurvived(page), 'the boosted link did not reload the page');

  // the required fields left empty; optional ones typed, one of them wrong
  await page.fill('#f-applicantAddress', '巴州区江北大道 8 号');
  await page.fill('#f-monthlyIncome', 'about 3000');
  await page.fill('#f-summary', '被拖欠工资\n共 3 个月');
  await page.check('input[name="priorityGroups"][value="woman"]');
  const posted = page.waitForResponse((r) => r.request().method() === 'POST' && new URL(r.url()).pathname === '/cases');
  await page.click('form.stack button[type=submit]');
  const response = await posted;
  t.equal(response.status(), 422, 'the server answers 422');
  t.equal(response.request().headers()['hx-request'], 'true', 'the form was sent by htmx');
  t.ok(await until(async () => (await page.locator('#f-applicantName-err').count()) === 1), 'the errors appear');
  const expected: Record<string, string> = {
    applicantName: 'This field is required.',
    regionCode: 'Choose one from the list.',
    monthlyIncome: 'Enter the monthly income in yuan, with at most two decimals.',
    kind: 'Choose one from the list.',
    category: 'Choose one from the list.',
  };
  for (const [name, message] of Object.entries(expected)) {
    t.equal(await textOf(page, `#f-${name}-err`), message, `${name}: the message is next to the field`);
    t.equal(await page.locator(`#f-${name}`).getAttribute('aria-invalid'), 'true', `${name}: marked invalid`);
    t.equal(await page.locator(`#f-${name}`).getAttribute('aria-describedby'), `f-${name}-err`, `${name}: described by its message`);
    t.ok(await page.locator(`.field.has-error:has(#f-${name}) label[for="f-${name}"]`).count(), `${name}: the message sits in the field's own block`);
  }
  t.equal(await page.locator('p.error').count(), Object.keys(expected).length, 'only the wrong fields are marked');
  t.equal(await page.locator('[aria-invalid="true"]').count(), Object.keys(expected).length);
  t.equal(await textOf(page, '#main .flash.error'), 'Please correct the marked fields and submit again.');
  t.ok(await js<boolean>(page, 'document.activeElement.matches(".flash.error")'), 'focus moves to the error summary');
  t.equal(await page.inputValue('#f-applicantAddress'), '巴州区江北大道 8 号', 'typed values are kept');
  t.equal(await page.inputValue('#f-monthlyIncome'), 'about 3000', 'the wrong income as typed');
  t.equal(await page.inputValue('#f-summary'), '被拖欠工资\n共 3 个月', 'the summary with its line break');
  t.ok(await page.isChecked('input[name="priorityGroups"][value="woman"]'), 'the ticked group');
  t.equal(await page.inputValue('#f-source'), 'walk_in', 'the default source');
  t.ok(await markerSurvived(page), 'no full page load');
  t.equal(await page.locator('h1').count(), 1, 'the page was not nested into itself');
  await snap(page, 'cases-form-errors');

  await page.fill('#f-applicantName', '孙申请');
  await page.selectOption('#f-regionCode', '511902');
  await page.fill('#f-householdSize', '3');
  await page.fill('#f-monthlyIncome', '3,000.00');
  await page.selectOption('#f-kind', 'civil');
  await page.selectOption('#f-category', 'labor');
  await page.click('form.stack button[type=submit]');
  t.ok(await until(async () => /^\/cases\/\d+$/.test(new URL(page.url()).pathname)), 'a valid application lands on its case page');
  t.ok(await until(async () => (await page.locator('#messages .flash.ok').count()) === 1));
  t.match(await textOf(page, '#messages .flash.ok'), /^Application taken: case \S+\.$/, 'with the flash');
  t.equal(
    await textOf(page, 'dd.computation'),
    '2 x 750.00 = 1,500.00 yuan per head; household 3, income 3,000.00 → 1,000.00 per head ≤ 1,500.00: eligible',
    'the eligibility sentence',
  );
  t.match(await textOf(page, '#h-eligibility + dl'), 'Means test · eligible', 'the rule and its result');
  t.equal(await textOf(page, '#h-eligibility + dl strong.ok'), 'eligible', 'the result stands out');
  t.ok(await markerSurvived(page), 'still no full page load');
  await snap(page, 'cases-form-created');
  guard.check(t);
});

void t.test('the keyboard alone fills and sends the form', async (t) => {
  const ctx = await startBrowserApp(t);
  const manager = await makeUser(ctx.db, 'manager');
  const context = await ctx.context();
  const page = await context.newPage();
  await login(page, manager.email);
  await page.goto('/cases/new');

  let step = await tabTo(page, '#f-applicantName');
  t.ok(step.reached, 'Tab reaches the first field');
  t.same(step.unmarked, [], 'every stop on the way shows its focus');
  await page.keyboard.type('钱键盘');
  const id = makeIdNumber('19700303', '511902', '456');
  for (const [field, text] of [['f-applicantIdNumber', id], ['f-applicantPhone', '13800001234'], ['f-applicantAddress', '巴州区 1 号']]) {
    await page.keyboard.press('Tab');
    t.equal(await activeId(page), field, `Tab moves on to ${field}`);
    t.not(await activeOutline(page), 'none', `${field} shows its focus`);
    await page.keyboard.type(text);
  }
  await page.keyboard.press('Tab');
  t.equal(await activeId(page), 'f-regionCode', 'then the region');
  t.not(await activeOutline(page), 'none', 'a focused select shows its focus');
  await page.keyboard.type('511902');
  t.equal(await page.inputValue('#f-regionCode'), '511902', 'typing picks the region');
  for (const [field, text] of [['f-householdSize', '2'], ['f-monthlyIncome', '800']]) {
    await page.keyboard.press('Tab');
    t.equal(await activeId(page), field);
    await page.keyboard.type(text);
  }
  step = await tabTo(page, 'input[name="priorityGroups"]');
  t.ok(step.reached, 'Tab reaches the priority groups');
  await page.keyboard.press('Space');
  t.equal(await page.locator('input[name="priorityGroups"]:checked').count(), 1, 'Space ticks one');
  step = await tabTo(page, '#f-kind');
  t.ok(step.reached, 'Tab reaches the kind of case');
  t.same(step.unmarked, [], 'every checkbox on the way shows its focus');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  t.equal(await page.inputValue('#f-kind'), 'civil', 'arrow keys choose civil');
  // past the "possible life or death sentence" box (criminal cases) to the category
  step = await tabTo(page, '#f-category');
  t.ok(step.reached, 'Tab reaches the category');
  t.same(step.unmarked, [], 'the box on the way shows its focus');
  t.equal(await activeId(page), 'f-category');
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowDown');
  t.equal(await page.inputValue('#f-category'), 'labor');
  step = await tabTo(page, 'form.stack button[type=submit]');
  t.ok(step.reached, 'Tab reaches the submit button');
  t.same(step.unmarked, [], 'with the focus visible on every control on the way');
  t.not(await activeOutline(page), 'none', 'the focused button shows its focus');
  await snap(page, 'cases-form-keyboard');
  await page.keyboard.press('Enter');
  t.ok(await until(async () => /^\/cases\/\d+$/.test(new URL(page.url()).pathname)), 'Enter sends it and lands on the case page');
  t.ok(await until(async () => (await page.locator('h1').innerText()).startsWith('Case ')));
  t.match(await textOf(page, 'dd.computation'), /household 2, income 800\.00 → 400\.00 per head ≤ .*: eligible$/, 'the eligibility sentence');
  t.match(await textOf(page, '#h-applicant + dl'), '钱键盘');
});
