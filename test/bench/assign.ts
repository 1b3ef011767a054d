// The assignment decision at city scale: 10,000 lawyers and 200,000 past
// assignments, each decision a real assignByRotation (lock the rotation, load the
// day's facts, pick, record the explanation). Reports p50 and p99 in ms, and the
// ratio against a baseline measured in the same run: one transaction that locks
// and bumps the rotation row (the least any serialised decision costs).
// On DATABASE_URL's server if set (the target is PostgreSQL), else embedded.
import { performance } from 'node:perf_hooks';
import pg from 'pg';
import { sql } from 'kysely';
import { createDb } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { assignByRotation } from '../../src/modules/rotation/rotation.service.js';

const LAWYERS = Number(process.env.BENCH_LAWYERS ?? 10_000);
const PAST = Number(process.env.BENCH_ASSIGNMENTS ?? 200_000);
const DECISIONS = Number(process.env.BENCH_DECISIONS ?? 300);
// decisions made first and not measured: the JIT, the pool's connections and their catalog caches warm up
const WARMUP = Number(process.env.BENCH_WARMUP ?? 30);
const target = process.env.DATABASE_URL;
let dropDb: (() => Promise<void>) | undefined;
let url: string | undefined;
if (target) {
  const admin = new pg.Client({ connectionString: target });
  await admin.connect();
  await admin.query('drop database if exists fayuan_bench_assign with (force)');
  await admin.query('create database fayuan_bench_assign');
  await admin.end();
  const u = new URL(target);
  u.pathname = '/fayuan_bench_assign';
  url = u.toString();
  dropDb = async () => {
    const c = new pg.Client({ connectionString: target });
    await c.connect();
    await c.query('drop database if exists fayuan_bench_assign with (force)');
    await c.end();
  };
}
const database = await createDb(url ? { databaseUrl: url, poolSize: 4 } : { dataDir: 'memory://' });
const db = database.db;
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
try {
  await migrateToLatest(db);
  const t0 = performance.now();
  // the city's firms, then lawyers spread over the regions and areas, some on leave, some with conflicts
  await sql.raw(`insert into organizations (name, kind, region_code)
    select '律师事务所 ' || g, 'law_firm', (array['511902','511903','511921','511922','511923','511971'])[1 + g % 6] from generate_series(1, 200) g`).execute(db);
  await sql.raw(`insert into lawyers (name, license_no, organization_id, practice_areas, level, region_code, status, max_open_cases)
    select '律师' || g, (10000000000000000 + g)::text, (select min(id) from organizations) + g % 200,
      array[(array['criminal','labor','family','land','traffic','medical','administrative','juvenile'])[1 + g % 8], (array['criminal','labor','family','land'])[1 + (g / 8) % 4]],
      1 + g % 3, (array['511902','511903','511921','511922','511923','511971'])[1 + g % 6], 'active', 1000000
    from generate_series(1, ${LAWYERS}) g`).execute(db);
  await sql.raw(`insert into lawyer_leaves (lawyer_id, starts_on, ends_on, reason)
    select id, current_date - 3, current_date + 10, 'bench' from lawyers where id % 23 = 0`).execute(db);
  await sql.raw(`insert into lawyer_conflicts (lawyer_id, party) select id, '某建筑公司 ' || (id % 50) from lawyers where id % 7 = 0`).execute(db);
  // the past: closed cases, each with its assignment, and the standings they produced
  await sql.raw(`insert into cases (number, status, applicant_name, region_code, kind, category, applied_on, lawyer_id, assigned_on)
    select 'B-' || g, 'closed', '申请人' || g, (array['511902','511903','511921','511922','511923','511971'])[1 + g % 6], 'civil', 'labor',
      current_date - 400 + g % 400, (select min(id) from lawyers) + g % ${LAWYERS}, current_date - 400 + g % 400
    from generate_series(1, ${PAST}) g`).execute(db);
  await sql.raw(`insert into assignments (case_id, lawyer_id, seq, method, explanation, status, assigned_at)
    select id, lawyer_id, row_number() over (order by id), 'rotation', '{}', 'ended', now() from cases where number like 'B-%'`).execute(db);
  await sql.raw(`insert into rotation_standings (lawyer_id, turns, last_seq, joined_seq)
    select id, coalesce(n, 0), last, 0 from lawyers left join (select lawyer_id, count(*)::int n, max(seq) last from assignments group by lawyer_id) a on a.lawyer_id = lawyers.id`).execute(db);
  await sql.raw(`update rotation_state set seq = ${PAST} where scope = 'city'`).execute(db);
  // the cases to decide now: granted, of varied kinds, areas and regions, with opposing parties
  await sql.raw(`insert into cases (number, status, applicant_name, region_code, kind, category, applied_on, decision, decided_on, opposing_parties)
    select 'N-' || g, 'granted', '新申请人' || g, (array['511902','511903','511921','511922','511923','511971'])[1 + g % 6],
      (array['criminal','civil','civil','administrative'])[1 + g % 4], (array['criminal','labor','family','land','traffic','medical','administrative','juvenile'])[1 + g % 8],
      current_date, 'granted', current_date, array['某建筑公司 ' || (g % 50)]
    from generate_series(1, ${DECISIONS + WARMUP}) g`).execute(db);
  // the load leaves dead rows, stale statistics and dirty pages: settle them before measuring anything
  await sql.raw('vacuum analyze').execute(db);
  if (url) await sql.raw('checkpoint').execute(db);
  console.log(`data: ${LAWYERS} lawyers, ${PAST} past assignments, ${DECISIONS} decisions to make after ${WARMUP} unmeasured (${((performance.now() - t0) / 1000).toFixed(1)} s to load) on ${url ? 'PostgreSQL' : 'embedded PGlite'}`);

  // the baseline: one transaction that locks and bumps the rotation row
  const bump = () =>
    db.transaction().execute(async (trx) => {
      await trx.selectFrom('rotation_state').select('seq').where('scope', '=', 'city').forUpdate().executeTakeFirst();
      await trx.updateTable('rotation_state').set({ seq: sql`seq` }).where('scope', '=', 'city').execute();
    });
  const ids = (await db.selectFrom('cases').select('id').where('number', 'like', 'N-%').orderBy('id').execute()).map((r) => r.id);
  for (const id of ids.slice(0, WARMUP)) {
    await bump();
    await assignByRotation(db, { id: null, name: 'bench' }, id, {});
  }
  // interleaved, so that both see the same machine
  const baseline: number[] = [];
  const decisions: number[] = [];
  let none = 0;
  for (const id of ids.slice(WARMUP)) {
    let s = performance.now();
    await bump();
    baseline.push(performance.now() - s);
    s = performance.now();
    try {
      await assignByRotation(db, { id: null, name: 'bench' }, id, {});
    } catch {
      none++;
    }
    decisions.push(performance.now() - s);
  }
  const p = (xs: number[]) => ({ p50: percentile(xs, 50), p99: percentile(xs, 99) });
  const d = p(decisions);
  const b = p(baseline);
  console.log(`baseline (lock and bump the rotation row): p50 ${b.p50.toFixed(2)} ms, p99 ${b.p99.toFixed(2)} ms`);
  console.log(`assignment decision: p50 ${d.p50.toFixed(2)} ms, p99 ${d.p99.toFixed(2)} ms (target p99 < 20 ms); ${none} without an eligible lawyer`);
  console.log(`ratios to baseline: p50 ${(d.p50 / b.p50).toFixed(1)}x, p99 ${(d.p99 / b.p99).toFixed(1)}x`);
} finally {
  await database.close();
  await dropDb?.();
}
