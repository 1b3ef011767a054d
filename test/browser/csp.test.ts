// The Content Security Policy holds in a real browser: no "Refused to ..." console
// messages and no page errors on the main pages, htmx included, and no request
// ever leaves our own origin (no CDN, no fonts, no beacons).
import t from 'tap';
import { makeOrganization, makeUser, PASSWORD } from '../helpers/factories.js';
import { screenshot, startBrowserApp, until } from './support.js';

void t.test('no CSP violations, no page errors, nothing leaves the origin', async (t) => {
  const ctx = await startBrowserApp(t);
  const admin = await makeUser(ctx.db, 'admin');
  for (let i = 0; i < 3; i++) await makeOrganization(ctx.db);
  const context = await ctx.context();
  // report violations in words we choose: Chromium's own console wording changes
  // between versions ("Refused to ..." then "... violates the following ...")
  await context.addInitScript(() => {
    const d = (globalThis as unknown as { document: { addEventListener(type: string, fn: (e: { violatedDirective: string; blockedURI: string }) => void): void } }).document;
    d.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`));
  });
  const page = await context.newPage();

  const messages: string[] = [];
  const errors: string[] = [];
  const requests: string[] = [];
  const failed: string[] = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(e.message));
  context.on('request', (r) => requests.push(r.url()));
  // a navigation cancels whatever the old page was still fetching (the favicon,
  // typically): the browser reports that as ERR_ABORTED, which is not our failure
  context.on('requestfailed', (r) => {
    const reason = r.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') failed.push(`${r.url()} ${reason}`);
  });
  context.on('response', (r) => {
    if (r.status() >= 500) failed.push(`${r.url()} ${r.status()}`);
  });

  await page.goto('/login');
  t.ok(await page.locator('script[src^="/assets/htmx.min.js"]').count(), 'htmx is served from our origin');
  await page.fill('#f-email', admin.email);
  await page.fill('#f-password', PASSWORD);
  await Promise.all([page.waitForURL((u) => u.pathname === '/'), page.click('form[action="/login"] button[type=submit]')]);
  await page.waitForLoadState('load');
  t.ok(await page.evaluate(() => typeof (globalThis as { htmx?: unknown }).htmx === 'object'), 'htmx runs under the CSP');

  // boosted navigation, live search, the boosted form with errors
  await page.click('nav.main-nav a[href="/organizations"]');
  await page.waitForURL((u) => u.pathname === '/organizations');
  await page.locator('#f-q').pressSequentially('测试', { delay: 20 });
  t.ok(await until(async () => new URL(page.url()).searchParams.get('q') === '测试'), 'live search ran');
  await screenshot(page, 'csp-organizations');
  await page.goto('/organizations/new');
  await page.click('form.stack button[type=submit]');
  t.ok(await until(async () => (await page.locator('#f-name-err').count()) === 1), 'the form answered through htmx');
  await page.goto('/organizations');
  await page.waitForLoadState('load');

  const violations = messages.filter((m) => /Refused to|Content Security Policy|CSP violation/i.test(m));
  t.same(violations, [], 'no CSP violation messages');
  t.same(errors, [], 'no page errors');
  t.same(failed, [], 'no failed requests');
  // Chromium logs every 4xx it fetches; the 422 of the form with errors is expected
  const expected = /status of 422 \(Unprocessable (Entity|Content)\)/;
  t.same(
    messages.filter((m) => m.startsWith('error') && !expected.test(m)),
    [],
    'no other console errors',
  );
  t.ok(requests.length > 5, `requests were recorded (${requests.length})`);
  const foreign = requests.filter((u) => !u.startsWith(`${ctx.base}/`));
  t.same(foreign, [], 'every request goes to the app itself');
});
