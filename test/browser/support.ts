// Shared pieces of the browser tests: the real app listening on a random port
// over a fresh database, Debian's Chromium driven by playwright-core (never a
// downloaded browser), logging in through the form, and screenshots for people.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';
import { buildTestApp, type TestApp } from '../helpers/app.js';
import { PASSWORD } from '../helpers/factories.js';

const SCREENSHOTS = join(dirname(fileURLToPath(import.meta.url)), 'screenshots');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserApp extends TestApp {
  /** http://127.0.0.1:<port>, no trailing slash */
  base: string;
  browser: Browser;
  /** a fresh context (cookies, storage) closed with the browser */
  context(options?: BrowserContextOptions): Promise<BrowserContext>;
}

/**
 * The app on its own database, listening on a random local port, and a Chromium
 * with a new empty profile (playwright makes one per launch). The browser is closed
 * before the app: teardowns run last-registered first.
 */
export async function startBrowserApp(t: Test): Promise<BrowserApp> {
  const testApp = await buildTestApp(t);
  await testApp.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = testApp.app.server.address() as AddressInfo;
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: CHROMIUM_ARGS });
  t.teardown(() => browser.close());
  const base = `http://127.0.0.1:${port}`;
  return {
    ...testApp,
    base,
    browser,
    context: (options = {}) => browser.newContext({ baseURL: base, locale: 'en-US', ...options }),
  };
}

/** Logs in through the login form, like a person would, and waits for the home page. */
export async function login(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto('/login');
  await page.fill('#f-email', email);
  await page.fill('#f-password', password);
  await Promise.all([page.waitForURL((url) => url.pathname === '/'), page.click('form[action="/login"] button[type=submit]')]);
}

/** A full-page screenshot into test/browser/screenshots/ (git-ignored), for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Sets a value on window that only survives while no full page load happens. */
export async function setMarker(page: Page): Promise<void> {
  await page.evaluate(() => {
    (globalThis as { __marker?: string }).__marker = 'still here';
  });
}

export async function markerSurvived(page: Page): Promise<boolean> {
  return page.evaluate(() => (globalThis as { __marker?: string }).__marker === 'still here');
}

/** Runs an expression in the page (a string: the tests type-check without the DOM library). */
export function js<T>(page: Page, expression: string): Promise<T> {
  return page.evaluate<T>(expression);
}

/** Visible text of an element, whitespace collapsed. */
export async function textOf(page: Page, selector: string): Promise<string> {
  const s = await page.locator(selector).innerText();
  return s.replace(/\s+/g, ' ').trim();
}

/** Polls until fn returns true or the time runs out; returns the last result. */
export async function until(fn: () => Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 50));
  }
}
