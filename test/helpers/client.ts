// A browser-like client over app.inject: keeps cookies, reads the CSRF token
// from the last page like a form would, and follows nothing by itself.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { PASSWORD } from './factories.js';

export class Client {
  cookies = new Map<string, string>();
  csrf = '';
  lastHtml = '';

  constructor(
    readonly app: FastifyInstance,
    readonly headers: Record<string, string> = { 'accept-language': 'en' },
  ) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  }

  private remember(res: LightMyRequestResponse) {
    for (const c of res.cookies) {
      if (c.value === '' || (c.expires && c.expires.getTime() < Date.now()) || c.maxAge === 0) this.cookies.delete(c.name);
      else this.cookies.set(c.name, c.value);
    }
    const type = String(res.headers['content-type'] ?? '');
    if (type.startsWith('text/html')) {
      this.lastHtml = res.body;
      const m = /name="_csrf" value="([^"]+)"/.exec(res.body) ?? /"x-csrf-token":"([^"]+)"/.exec(res.body);
      if (m) this.csrf = m[1]!;
    }
    return res;
  }

  async get(url: string, headers: Record<string, string> = {}) {
    const res = await this.app.inject({ method: 'GET', url, headers: { ...this.headers, cookie: this.cookieHeader(), ...headers } });
    return this.remember(res);
  }

  /** Posts a form; the CSRF token from the last page is added unless given. */
  async post(url: string, form: Record<string, string | string[]> = {}, headers: Record<string, string> = {}) {
    const body = new URLSearchParams();
    if (!('_csrf' in form) && this.csrf) body.append('_csrf', this.csrf);
    for (const [k, v] of Object.entries(form)) for (const x of Array.isArray(v) ? v : [v]) body.append(k, x);
    const res = await this.app.inject({
      method: 'POST',
      url,
      payload: body.toString(),
      headers: { ...this.headers, 'content-type': 'application/x-www-form-urlencoded', cookie: this.cookieHeader(), ...headers },
    });
    return this.remember(res);
  }

  async login(email: string, password = PASSWORD) {
    await this.get('/login');
    const res = await this.post('/login', { email, password });
    if (res.statusCode !== 303) throw new Error(`login failed for ${email}: ${res.statusCode}`);
    await this.get('/');
    return res;
  }
}

/** The visible text of an HTML page, tags removed, for assertions on what a user reads. */
export function text(html: string): string {
  return html
    .replace(/<script[\s\S]*?<\/script>/g, '')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
