// npm run bench: (a) bare Fastify serving the home page's bytes, (b) the
// logged-in home page, (c) the organisations list with 50 rows, all in one run,
// reported as ratios against (a). On DATABASE_URL's server if set, else embedded.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { createDb } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { seedDemo, DEMO_PASSWORD } from '../../src/seed/demo.js';
import { load, login, report, startServer, stop } from './lib.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const tmp = mkdtempSync(join(tmpdir(), 'fayuan-bench-'));
let env: Record<string, string>;
let dropDb: (() => Promise<void>) | undefined;

if (process.env.DATABASE_URL) {
  const url = new URL(process.env.DATABASE_URL);
  const admin = new pg.Client({ connectionString: url.toString() });
  await admin.connect();
  await admin.query('drop database if exists fayuan_bench with (force)');
  await admin.query('create database fayuan_bench');
  await admin.end();
  url.pathname = '/fayuan_bench';
  env = { DATABASE_URL: url.toString() };
  dropDb = async () => {
    const c = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await c.connect();
    await c.query('drop database if exists fayuan_bench with (force)');
    await c.end();
  };
} else {
  env = { DATA_DIR: join(tmp, 'data') };
}

// data: the Bazhong demo set, topped up so the list has at least 50 rows
const database = await createDb({ databaseUrl: env.DATABASE_URL, dataDir: env.DATA_DIR });
await migrateToLatest(database.db);
await seedDemo(database.db);
const extra = Array.from({ length: 60 }, (_, i) => ({ name: `巴州区测试工作站 ${i + 1}`, kind: 'workstation' as const, region_code: '511902', address: '巴中市巴州区江北大道', phone: '0827-5260000' }));
await database.db.insertInto('organizations').values(extra).execute();
await database.close();

const appPort = 3101;
const barePort = 3102;
const minimalPort = 3103;
const app = await startServer('test/bench/server.ts', { ...env, PORT: String(appPort) });
const base = `http://127.0.0.1:${appPort}`;
try {
  const cookie = await login(base, 'manager@fayuan.demo', DEMO_PASSWORD);
  const homeHtml = await (await fetch(`${base}/`, { headers: { cookie } })).text();
  const list = await (await fetch(`${base}/organizations`, { headers: { cookie } })).text();
  const rows = (list.match(/<tr/g) ?? []).length - 1;
  const htmlFile = join(tmp, 'home.html');
  writeFileSync(htmlFile, homeHtml);
  const bare = await startServer('test/bench/bare.ts', { BENCH_HTML: htmlFile, PORT: String(barePort) });
  try {
    console.log(`database: ${env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'}; ${seconds}s per target, 10 connections; list rows: ${rows}`);
    const a = await load('(a) bare Fastify, home bytes', `http://127.0.0.1:${barePort}/`, {}, seconds);
    const b = await load('(b) home page, logged in', `${base}/`, { cookie }, seconds);
    const c = await load('(c) organisations list, 50 rows', `${base}/organizations`, { cookie }, seconds);
    // the same page hand-written without plugins, on the same database (DESIGN.md's yardstick);
    // the embedded database allows one process, so the app stops while it runs
    await stop(app);
    const minimal = await startServer('test/bench/minimal.ts', { ...env, PORT: String(minimalPort) });
    let d: Awaited<ReturnType<typeof load>>;
    try {
      d = await load('(d) minimal list, same queries', `http://127.0.0.1:${minimalPort}/organizations`, { cookie }, seconds);
    } finally {
      await stop(minimal);
    }
    report([a, b, c, d], a);
    console.log(`ratios: b/a = ${(b.rps / a.rps).toFixed(3)}, c/a = ${(c.rps / a.rps).toFixed(3)}, c/d = ${(c.rps / d.rps).toFixed(3)} (target >= 0.75, aim 0.90)`);
  } finally {
    await stop(bare);
  }
} finally {
  await stop(app);
  await dropDb?.();
  rmSync(tmp, { recursive: true, force: true });
}
