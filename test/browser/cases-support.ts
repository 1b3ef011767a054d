// Pieces shared by the case-page browser tests: the watch csp.test.ts keeps on a
// page (CSP violations, page errors, failed or foreign requests), and the checks
// that the page fits a phone screen as phone.test.ts measures it.
import type { Test } from 'tap';
import type { BrowserContext, Page } from 'playwright-core';
import { js, screenshot } from './support.js';

export interface Watch {
  /** Asserts nothing went wrong since the watch began; `expected` are console errors to allow (4xx logs). */
  check(t: Test, expected?: RegExp): void;
}

/**
 * Records what csp.test.ts checks. Call before the first page load: the
 * violation listener is an init script, which only runs on later documents.
 */
export async function watch(context: BrowserContext, page: Page, base: string): Promise<Watch> {
  // our own wording: Chromium's console wording for violations changes between versions
  await context.addInitScript(() => {
    type Violation = { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number };
    const d = (globalThis as unknown as { document: { addEventListener(type: string, fn: (e: Violation) => void): void } }).document;
    d.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI} at ${e.sourceFile}:${e.lineNumber}`));
  });
  const messages: string[] = [];
  const errors: string[] = [];
  const requests: string[] = [];
  const failed: string[] = [];
  page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => errors.push(e.message));
  context.on('request', (r) => requests.push(r.url()));
  // a navigation cancels what the old page was still fetching: not our failure
  context.on('requestfailed', (r) => {
    const reason = r.failure()?.errorText ?? '';
    if (reason !== 'net::ERR_ABORTED') failed.push(`${r.url()} ${reason}`);
  });
  context.on('response', (r) => {
    if (r.status() >= 500) failed.push(`${r.url()} ${r.status()}`);
  });
  return {
    check(t, expected = /status of 422 \(Unprocessable (Entity|Content)\)/) {
      t.same(
        messages.filter((m) => /Refused to|Content Security Policy|CSP violation/i.test(m)),
        [],
        'no CSP violation messages',
      );
      t.same(errors, [], 'no page errors');
      t.same(failed, [], 'no failed requests');
      t.same(
        messages.filter((m) => m.startsWith('error') && !expected.test(m)),
        [],
        'no other console errors',
      );
      t.ok(requests.length > 3, `requests were recorded (${requests.length})`);
      t.same(
        requests.filter((u) => !u.startsWith(`${base}/`)),
        [],
        'every request goes to the app itself',
      );
    },
  };
}

/** Elements sticking out past the right edge, outside any .table-wrap, for a readable failure. */
export const overflowing = (page: Page, width: number) =>
  js<string[]>(
    page,
    `[...document.body.querySelectorAll('*')]
      .filter((el) => !el.closest('.table-wrap') && el.getBoundingClientRect().right > ${width + 1})
      .map((el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : '') + ' ' + Math.round(el.getBoundingClientRect().right))
      .slice(0, 10)`,
  );

export const scrollWidth = (page: Page) => js<number>(page, 'document.documentElement.scrollWidth');

/** Whether the element is rendered at all (display:none anywhere up the tree makes it not). */
export const shown = (page: Page, selector: string) =>
  js<boolean>(page, `(() => { const el = document.querySelector(${JSON.stringify(selector)}); return Boolean(el && el.getClientRects().length > 0); })()`);

/**
 * screenshot(), then removes the empty style="" that Playwright's caret hiding
 * leaves on every input: htmx settles the style attribute on the next swap, and
 * setting it is (rightly) refused by the CSP, which would read as our violation.
 */
export async function snap(page: Page, name: string): Promise<void> {
  await screenshot(page, name);
  await js(page, 'document.querySelectorAll("[style=\'\']").forEach((el) => el.removeAttribute("style"))');
}
