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
// 10,000 lawyers for the filtered lawyer list
const firms = await database.db.selectFrom('organizations').select(['id', 'region_code']).where('kind', '=', 'law_firm').execute();
const surnames = '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤';
const given = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉';
const areas = ['criminal', 'labor', 'work_injury', 'family', 'inheritance', 'land', 'demolition', 'medical', 'traffic', 'social_security', 'consumer', 'environment', 'administrative', 'juvenile', 'state_compensation', 'other'];
for (let batch = 0; batch < 10; batch++) {
  const rows = Array.from({ length: 1000 }, (_, j) => {
    const i = batch * 1000 + j;
    const firm = firms[i % firms.length];
    return {
      name: surnames[i % surnames.length] + given[(i * 7) % given.length] + (i % 3 === 0 ? given[(i * 13) % given.length] : ''),
      license_no: String(15119_000_000_000_00n + BigInt(i)),
      organization_id: firm.id,
      practice_areas: [areas[i % areas.length], areas[(i * 5 + 3) % areas.length]],
      level: (i % 3) + 1,
      region_code: firm.region_code,
      phone: String(13_900_000_000 + i),
      status: i % 17 === 0 ? ('on_leave' as const) : ('active' as const),
    };
  });
  await database.db.insertInto('lawyers').values(rows).execute();
}
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
    const lawyerUrl = `${base}/lawyers?q=${encodeURIComponent('王')}&status=active&area=criminal`;
    const e = await load('(e) lawyers, 10,060 rows, filtered', lawyerUrl, { cookie }, seconds);
    const e2 = await load('(e2) lawyers, 10,060 rows, htmx fragment', lawyerUrl, { cookie, 'hx-request': 'true' }, seconds);
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
    report([a, b, c, d, e, e2], a);
    console.log(`ratios: b/a = ${(b.rps / a.rps).toFixed(3)}, c/a = ${(c.rps / a.rps).toFixed(3)}, c/d = ${(c.rps / d.rps).toFixed(3)} (target >= 0.75, aim 0.90), e/a = ${(e.rps / a.rps).toFixed(3)}`);
    console.log(`lawyer list p99: ${e.p99} ms (page), ${e2.p99} ms (fragment); bare p99 ${a.p99} ms`);
  } finally {
    await stop(bare);
  }
} finally {
  await stop(app);
  await dropDb?.();
  rmSync(tmp, { recursive: true, force: true });
}
