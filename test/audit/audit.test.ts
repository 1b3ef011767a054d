import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';

const { app, db } = await buildTestApp(t);
const admin = await makeUser(db, 'admin', { name: 'Admin Qian' });
const alice = await makeUser(db, 'manager', { name: 'Alice Manager' });
const bob = await makeUser(db, 'manager', { name: 'Bob Manager' });

interface Entry {
  at?: string;
  actor?: { id: number; email: string } | null;
  action: string;
  entity: string;
  entityId?: string;
  before?: unknown;
  after?: unknown;
}

async function insert(entries: Entry[]) {
  await db
    .insertInto('audit_log')
    .values(
      entries.map((e) => ({
        at: e.at,
        actor_id: e.actor?.id ?? null,
        actor_name: e.actor?.email ?? 'system',
        action: e.action,
        entity: e.entity,
        entity_id: e.entityId ?? null,
        before: e.before === undefined ? null : JSON.stringify(e.before),
        after: e.after === undefined ? null : JSON.stringify(e.after),
      })),
    )
    .execute();
}

await insert([
  { actor: alice, action: 'probe.by_alice', entity: 'organization', entityId: '7', before: { phone: '0827-1111111' }, after: { phone: '0827-2222222' } },
  { actor: bob, action: 'probe.by_bob', entity: 'lawyer', entityId: '8' },
  { actor: null, action: 'probe.by_system', entity: 'system' },
  // the day boundary is midnight in Asia/Shanghai (UTC+8), not in UTC
  { at: '2025-03-01T23:30:00+08:00', action: 'range.day_before', entity: 'range' },
  { at: '2025-03-02T00:30:00+08:00', action: 'range.first_hour', entity: 'range' },
  { at: '2025-03-02T23:59:00+08:00', action: 'range.last_minute', entity: 'range' },
  { at: '2025-03-03T00:10:00+08:00', action: 'range.day_after', entity: 'range' },
]);
// 60 entries a minute apart, numbered so that none is a prefix of another
await insert(
  Array.from({ length: 60 }, (_, i) => ({
    at: new Date(Date.UTC(2025, 5, 1, 0, i)).toISOString(),
    action: `bulk.n${String(i).padStart(3, '0')}`,
    entity: 'bulk',
  })),
);
const bulk = (i: number) => `bulk.n${String(i).padStart(3, '0')}`;

const ac = new Client(app);
await ac.login(admin.email);

t.test('admins see entries with who, what and the before/after', async (t) => {
  const res = await ac.get('/audit');
  t.equal(res.statusCode, 200);
  const page = text(res.body);
  t.match(page, 'Audit log');
  t.match(page, 'probe.by_alice');
  t.match(page, 'Alice Manager', 'the actor by name');
  t.match(page, 'organization #7');
  t.match(page, '0827-1111111', 'before');
  t.match(page, '0827-2222222', 'after');
});

t.test('filter by user', async (t) => {
  const res = await ac.get(`/audit?user=${alice.id}`);
  t.equal(res.statusCode, 200);
  const page = text(res.body);
  t.match(page, 'probe.by_alice');
  t.notMatch(page, 'probe.by_bob');
  t.notMatch(page, 'probe.by_system');
  t.notMatch(page, 'bulk.n');
  t.match(res.body, new RegExp(`<option value="${alice.id}" selected>`), 'the filter shows the chosen user');
});

t.test('filter by entity', async (t) => {
  const res = await ac.get('/audit?entity=lawyer');
  const page = text(res.body);
  t.match(page, 'probe.by_bob');
  t.notMatch(page, 'probe.by_alice');
  t.match(page, /\b1 in all/);
  t.match(res.body, '<option value="lawyer" selected>');
  const options = [...res.body.matchAll(/<select id="f-entity"[\s\S]*?<\/select>/g)][0][0];
  for (const e of ['bulk', 'lawyer', 'organization', 'range', 'system', 'user']) t.match(options, `value="${e}"`, `entity ${e} offered`);
});

t.test('filter by date range, in Asia/Shanghai days', async (t) => {
  const one = text((await ac.get('/audit?entity=range&from=2025-03-02&to=2025-03-02')).body);
  t.match(one, 'range.first_hour', '00:30 in Shanghai is that day (still the day before in UTC)');
  t.match(one, 'range.last_minute', '23:59 in Shanghai is still that day');
  t.notMatch(one, 'range.day_before');
  t.notMatch(one, 'range.day_after', '00:10 the next morning in Shanghai is not (though it is that day in UTC)');
  t.match(one, /\b2 in all/);

  const from = text((await ac.get('/audit?entity=range&from=2025-03-02')).body);
  t.notMatch(from, 'range.day_before');
  t.match(from, 'range.day_after');
  t.match(from, /\b3 in all/);

  const to = text((await ac.get('/audit?entity=range&to=2025-03-01')).body);
  t.match(to, 'range.day_before');
  t.notMatch(to, 'range.first_hour');
  t.match(to, /\b1 in all/);

  const none = text((await ac.get('/audit?entity=range&from=2025-03-04')).body);
  t.match(none, 'No entries match.');
});

t.test('paging: 50 a page, newest first, page 2 by the pager link and as an htmx fragment', async (t) => {
  const first = await ac.get('/audit?entity=bulk');
  const p1 = text(first.body);
  t.match(p1, /\b60 in all/);
  t.match(p1, '1 / 2');
  t.match(p1, bulk(59), 'newest first');
  t.match(p1, bulk(10));
  t.notMatch(p1, bulk(9), 'the 51st is on the next page');
  const link = /<a href="([^"]+)"[^>]*rel="next"/.exec(first.body);
  t.ok(link, 'a link to the next page');
  const href = link![1].replace(/&amp;/g, '&');
  t.match(href, /^\/audit\?/);
  t.match(href, 'entity=bulk', 'the link keeps the filter');
  t.match(href, 'page=2');

  const second = await ac.get(href);
  t.equal(second.statusCode, 200);
  const p2 = text(second.body);
  t.match(second.body, '<html');
  t.match(p2, '2 / 2');
  for (let i = 0; i < 10; i++) t.match(p2, bulk(i));
  t.notMatch(p2, bulk(10), 'no entry on both pages');
  t.notMatch(second.body, 'rel="next"', 'no page 3');
  t.match(second.body, 'rel="prev"');

  const fragment = await ac.get(href, { 'hx-request': 'true' });
  t.equal(fragment.statusCode, 200);
  t.notMatch(fragment.body, '<html', 'only the fragment');
  t.match(fragment.body.trim(), /^<div id="results"/);
  t.match(String(fragment.headers.vary), /HX-Request/i);
  t.match(text(fragment.body), bulk(0));
  t.notMatch(text(fragment.body), bulk(10));
});

t.test('auditors may read the log; lawyers, volunteers and managers may not', async (t) => {
  const auditor = await makeUser(db, 'auditor');
  const c = new Client(app);
  await c.login(auditor.email);
  const res = await c.get('/audit');
  t.equal(res.statusCode, 200);
  t.match(text(res.body), 'probe.by_alice');
  t.match(res.body, 'href="/audit"', 'in the auditor’s navigation');

  for (const role of ['lawyer', 'volunteer', 'manager'] as const) {
    const user = await makeUser(db, role);
    const rc = new Client(app);
    await rc.login(user.email);
    const denied = await rc.get('/audit');
    t.equal(denied.statusCode, 403, role);
    t.match(text(denied.body), 'Not allowed');
    t.notMatch(text(denied.body), 'probe.by_alice', `${role} sees no entries`);
    t.notMatch(denied.body, 'href="/audit"', `${role} has no link to the log`);
  }

  const anon = await new Client(app).get('/audit');
  t.equal(anon.statusCode, 303);
  t.match(anon.headers.location, /^\/login/);
});
