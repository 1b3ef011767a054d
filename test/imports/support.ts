// Helpers for the import and export tests: multipart uploads the way a browser
// sends them, waiting for a run to settle, and rows made directly in the database.
import { randomBytes } from 'node:crypto';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/types.js';
import { Client } from '../helpers/client.js';
import { makeOrganization, makeUser } from '../helpers/factories.js';

export const BOM = '\uFEFF';

export async function loggedIn(app: FastifyInstance, db: Kysely<DB>, role: 'admin' | 'manager' | 'auditor' | 'lawyer' | 'volunteer', lang = 'en') {
  const user = await makeUser(db, role);
  const client = new Client(app, { 'accept-language': lang });
  await client.login(user.email);
  return { user, client };
}

function cookieHeader(c: Client): string {
  return [...c.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
}

export interface UploadOptions {
  /** where the CSRF token goes: the form's action (no JavaScript), the htmx header, or nowhere */
  token?: 'query' | 'header' | 'none';
  fileName?: string;
  headers?: Record<string, string>;
}

/** POST /imports?kind=… with the file as multipart/form-data, like the upload form. */
export async function upload(c: Client, kind: string, content: string | Buffer, options: UploadOptions = {}): Promise<LightMyRequestResponse> {
  if (!c.csrf) await c.get(`/imports/new?kind=${kind}`);
  const boundary = `----fayuan${randomBytes(8).toString('hex')}`;
  const fileName = options.fileName ?? `${kind}.csv`;
  const head = `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n`;
  const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : content;
  const payload = Buffer.concat([Buffer.from(head, 'utf8'), bytes, Buffer.from(`\r\n--${boundary}--\r\n`, 'utf8')]);
  const token = options.token ?? 'query';
  const url = `/imports?kind=${kind}${token === 'query' ? `&_csrf=${encodeURIComponent(c.csrf)}` : ''}`;
  return c.app.inject({
    method: 'POST',
    url,
    payload,
    headers: {
      ...c.headers,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      cookie: cookieHeader(c),
      ...(token === 'header' ? { 'x-csrf-token': c.csrf } : {}),
      ...options.headers,
    },
  });
}

/** The run id from the redirect after an upload; fails the test's expectations loudly otherwise. */
export function runIdOf(res: LightMyRequestResponse): number {
  const m = /^\/imports\/(\d+)$/.exec(String(res.headers.location ?? ''));
  if (res.statusCode !== 303 || !m) throw new Error(`upload not accepted: ${res.statusCode} ${res.body.slice(0, 500)}`);
  return Number(m[1]);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls the run (as the page's htmx does) until it leaves 'checking' and 'writing'. */
export async function settled(c: Client, db: Kysely<DB>, id: number, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await c.get(`/imports/${id}`, { 'hx-request': 'true' });
    if (res.statusCode !== 200) throw new Error(`run page answered ${res.statusCode}`);
    const run = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    if (run.status !== 'checking' && run.status !== 'writing') {
      // the job may have settled between the page and the read: show the settled page
      const page = await c.get(`/imports/${id}`, { 'hx-request': 'true' });
      return { run, page };
    }
    if (Date.now() > until) throw new Error(`run ${id} still ${run.status} after ${timeoutMs} ms`);
    await sleep(50);
  }
}

/** Upload, wait for the check; returns the run and the preview page. */
export async function checked(c: Client, db: Kysely<DB>, kind: string, content: string | Buffer, options: UploadOptions = {}) {
  const id = runIdOf(await upload(c, kind, content, options));
  const { run } = await settled(c, db, id);
  const page = await c.get(`/imports/${id}?show=all`);
  return { id, run, page };
}

/** Confirm a checked run and wait until it is written. */
export async function confirm(c: Client, db: Kysely<DB>, id: number) {
  const res = await c.post(`/imports/${id}/confirm`);
  if (res.statusCode !== 303) throw new Error(`confirm answered ${res.statusCode}`);
  return settled(c, db, id);
}

export async function makeFirm(db: Kysely<DB>, name: string, regionCode = '511902') {
  return makeOrganization(db, { name, kind: 'law_firm', regionCode });
}

let serial = 0;

/** A 17-digit licence number unique within a test file. */
export function licence(n = ++serial): string {
  return String(15119_2020_1000_0000n + BigInt(n));
}

/** A mainland mobile number unique within a test file. */
export function mobile(n = ++serial): string {
  return `139${String(n).padStart(8, '0')}`;
}

export async function count(db: Kysely<DB>, table: 'lawyers' | 'volunteers' | 'import_runs' | 'audit_log'): Promise<number> {
  const row = await db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

/** CSV text from rows of cells (quoted where needed), CRLF line ends like Excel writes. */
export function csv(rows: string[][]): string {
  return rows.map((r) => r.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n') + '\r\n';
}
