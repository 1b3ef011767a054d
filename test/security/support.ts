// Shared pieces of the security tests: raw requests that reuse a Client's cookies
// (with full control over the CSRF token and the caller's address), row counts,
// and API tokens made the way a user makes them.
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { sql, type Kysely } from 'kysely';
import type { DB, Role } from '../../src/db/types.js';
import { Client } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';

export interface RawRequest {
  method?: 'GET' | 'POST';
  url: string;
  /** urlencoded form fields, sent as they are: no CSRF token is added */
  form?: Record<string, string>;
  headers?: Record<string, string>;
  remoteAddress?: string;
}

export function cookieHeader(c: Client): string {
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

/** One request with the client's cookies; cookies set by the answer are kept, like a browser. */
export async function send(c: Client, req: RawRequest): Promise<LightMyRequestResponse> {
  const method = req.method ?? (req.form ? 'POST' : 'GET');
  const headers: Record<string, string> = { ...c.headers, cookie: cookieHeader(c), ...req.headers };
  const payload = req.form ? new URLSearchParams(req.form).toString() : undefined;
  if (payload !== undefined) headers['content-type'] = 'application/x-www-form-urlencoded';
  const res = await c.app.inject({ method, url: req.url, headers, payload, remoteAddress: req.remoteAddress });
  for (const k of res.cookies) {
    if (k.value === '' || (k.expires && k.expires.getTime() < Date.now()) || k.maxAge === 0) c.cookies.delete(k.name);
    else c.cookies.set(k.name, k.value);
  }
  return res;
}

export async function count(db: Kysely<DB>, table: keyof DB): Promise<number> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db);
  return rows[0].n;
}

/** A user of the role, logged in through the login form. */
export async function loggedIn(app: FastifyInstance, db: Kysely<DB>, role: Role, fields: { name?: string } = {}) {
  const user = await makeUser(db, role, fields);
  const client = new Client(app);
  await client.login(user.email);
  return { user, client };
}

/** Creates an API token through the tokens page, as its owner would, and returns it. */
export async function createTokenViaUi(c: Client, name = 'integration'): Promise<string> {
  await c.get('/tokens');
  const res = await c.post('/tokens', { name });
  if (res.statusCode !== 201) throw new Error(`token creation failed: ${res.statusCode}`);
  const m = /id="new-token">(fy_[A-Za-z0-9_-]+)</.exec(res.body);
  if (!m) throw new Error('no token on the page');
  return m[1];
}

export function api(app: FastifyInstance, token: string, url = '/api/v1/organizations') {
  return app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
}
