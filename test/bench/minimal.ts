// The yardstick for a real page (DESIGN.md): a minimal hand-written Fastify +
// Kysely + Eta server doing the same work as the organisations list — the
// session lookup, the list with its count, the regions — with no plugins.
import { createHash } from 'node:crypto';
import Fastify from 'fastify';
import { Eta } from 'eta';
import { sql } from 'kysely';
import { createDb } from '../../src/db/index.js';

const database = await createDb({ databaseUrl: process.env.DATABASE_URL, dataDir: process.env.DATA_DIR, poolSize: 10 });
const db = database.db;
const eta = new Eta({ autoEscape: true });
eta.loadTemplate('@list', `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>机构</title>
<link rel="stylesheet" href="/assets/app.css"></head><body><header><nav><a href="/">首页</a> <a href="/organizations">机构</a></nav>
<span><%= it.user.name %></span></header><main><h1>机构</h1>
<form><input name="q"><select name="region"><% for (const r of it.regions) { %><option value="<%= r.code %>"><%= r.name_zh %></option><% } %></select></form>
<p>共 <%= it.total %> 个机构</p><table><thead><tr><th>名称</th><th>类型</th><th>地区</th><th>上级机构</th><th>电话</th></tr></thead><tbody>
<% for (const o of it.rows) { %><tr><td><a href="/organizations/<%= o.id %>/edit"><%= o.name %></a></td><td><%= o.kind %></td><td><%= o.region_zh %></td><td><%= o.parent_name ?? '' %></td><td><%= o.phone ?? '' %></td></tr><% } %>
</tbody></table></main></body></html>`);

const app = Fastify({ logger: false });
app.get('/organizations', async (request, reply) => {
  const raw = /fy_session=([^;]+)/.exec(request.headers.cookie ?? '')?.[1];
  if (!raw) return reply.code(401).send();
  const user = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.name', 'u.role'])
    .where('s.id', '=', createHash('sha256').update(raw).digest('hex'))
    .where('s.expires_at', '>', sql<Date>`now()`)
    .executeTakeFirst();
  if (!user) return reply.code(401).send();
  const [rows, regions] = await Promise.all([
    db
      .selectFrom('organizations as o')
      .innerJoin('regions as r', 'r.code', 'o.region_code')
      .leftJoin('organizations as p', 'p.id', 'o.parent_id')
      .select(['o.id', 'o.name', 'o.kind', 'o.phone', 'r.name_zh as region_zh', 'p.name as parent_name', sql<number>`(count(*) over ())::int`.as('total')])
      .orderBy('o.name')
      .limit(50)
      .execute(),
    db.selectFrom('regions').select(['code', 'name_zh']).orderBy('code').execute(),
  ]);
  const html = eta.render('@list', { user, rows, regions, total: rows[0]?.total ?? 0 });
  return reply.type('text/html; charset=utf-8').send(html);
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('listening\n');
process.on('SIGTERM', () => {
  void app.close().then(() => database.close()).then(() => process.exit(0));
});
