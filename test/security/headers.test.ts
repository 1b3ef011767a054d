// Security headers on HTML pages, and pages that keep to the CSP: scripts only
// from our own origin, no inline scripts, styles or event handlers.
import t, { type Test } from 'tap';
import type { LightMyRequestResponse } from 'fastify';
import { buildTestApp } from '../helpers/app.js';
import { Client } from '../helpers/client.js';
import { loggedIn } from './support.js';

function csp(res: LightMyRequestResponse): Map<string, string[]> {
  const header = String(res.headers['content-security-policy'] ?? '');
  const directives = new Map<string, string[]>();
  for (const part of header.split(';')) {
    const [name, ...values] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), values);
  }
  return directives;
}

function checkHeaders(t: Test, res: LightMyRequestResponse, label: string) {
  const d = csp(res);
  t.ok(d.size > 0, `${label}: has a Content-Security-Policy`);
  t.same(d.get('script-src'), ["'self'"], `${label}: script-src 'self' only`);
  t.same(d.get('style-src'), ["'self'"], `${label}: style-src 'self' only`);
  t.same(d.get('frame-ancestors'), ["'none'"], `${label}: no framing`);
  t.same(d.get('object-src'), ["'none'"], `${label}: no plugins`);
  t.ok(d.get('default-src')?.includes("'self'"), `${label}: default-src 'self'`);
  const all = [...d.values()].flat();
  t.notOk(all.includes("'unsafe-inline'"), `${label}: no 'unsafe-inline' anywhere`);
  t.notOk(all.includes("'unsafe-eval'"), `${label}: no 'unsafe-eval' anywhere`);
  t.notOk(all.some((v) => v === '*' || /^https?:$/.test(v)), `${label}: no wildcard sources`);
  t.equal(res.headers['x-content-type-options'], 'nosniff', `${label}: nosniff`);
  t.ok(['no-referrer', 'same-origin', 'strict-origin', 'strict-origin-when-cross-origin'].includes(String(res.headers['referrer-policy'])), `${label}: a referrer policy (${String(res.headers['referrer-policy'])})`);
  t.match(String(res.headers['x-frame-options']), /^(DENY|SAMEORIGIN)$/i, `${label}: X-Frame-Options for old browsers`);
}

function checkMarkup(t: Test, html: string, label: string) {
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  t.ok(scripts.length >= 1, `${label}: the page loads its scripts`);
  t.equal(scripts.length, (html.match(/<script\b/gi) ?? []).length, `${label}: every script tag is closed`);
  for (const [, attrs, body] of scripts) {
    const src = /\bsrc="([^"]*)"/.exec(attrs)?.[1];
    t.ok(src, `${label}: <script${attrs}> has a src`);
    t.ok(src && src.startsWith('/') && !src.startsWith('//'), `${label}: ${src} is from our own origin`);
    t.notMatch(src ?? '', /^https?:/i, `${label}: no CDN`);
    t.equal(body.trim(), '', `${label}: no inline code`);
  }
  t.notMatch(html, /\sstyle\s*=/i, `${label}: no style attributes`);
  t.notMatch(html, /<style\b/i, `${label}: no <style> blocks`);
  t.notMatch(html, /\son[a-z]+\s*=/i, `${label}: no inline event handlers`);
  t.notMatch(html, /javascript:/i, `${label}: no javascript: URLs`);
}

void t.test('the login page', async (t) => {
  const { app } = await buildTestApp(t);
  const c = new Client(app);
  const res = await c.get('/login');
  t.equal(res.statusCode, 200);
  checkHeaders(t, res, 'login');
  checkMarkup(t, res.body, 'login');
  for (const [, src] of res.body.matchAll(/<script[^>]*\bsrc="([^"]+)"/g)) {
    const asset = await app.inject({ url: src });
    t.equal(asset.statusCode, 200, `${src} is served by us`);
    t.match(String(asset.headers['content-type']), /^text\/javascript/, `${src} as JavaScript`);
    t.equal(asset.headers['x-content-type-options'], 'nosniff');
  }
});

void t.test('the home page, a list, a form and an error page', async (t) => {
  const { app, db } = await buildTestApp(t);
  const { client } = await loggedIn(app, db, 'admin');
  for (const url of ['/', '/organizations', '/organizations/new', '/users', '/users/new', '/audit', '/tokens', '/password']) {
    const res = await client.get(url);
    t.equal(res.statusCode, 200, `${url} is shown`);
    checkHeaders(t, res, url);
    checkMarkup(t, res.body, url);
  }
  const missing = await client.get('/no/such/page');
  t.equal(missing.statusCode, 404);
  checkHeaders(t, missing, '404');
  checkMarkup(t, missing.body, '404');
  const fragment = await client.get('/organizations', { 'hx-request': 'true' });
  checkHeaders(t, fragment, 'fragment');
  t.notMatch(fragment.body, /<script\b|\sstyle\s*=|<style\b/i, 'a fragment brings no script or style');
});
