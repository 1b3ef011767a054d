// A lost database gives 503 pages and JSON, is logged once, and the app
// recovers by itself when the database returns. Needs a real server: the
// connection runs through a TCP proxy the test can cut and restore.
import net from 'node:net';
import { Writable } from 'node:stream';
import t from 'tap';
import { buildApp, loggerOptions } from '../../src/app.js';
import { createDb } from '../../src/db/index.js';
import { createToken } from '../../src/modules/tokens/tokens.service.js';
import { freshDatabase, onPostgres, testConfig } from '../helpers/app.js';
import { Client, text } from '../helpers/client.js';
import { makeUser } from '../helpers/factories.js';

if (!onPostgres) {
  t.pass('needs DATABASE_URL: the embedded database cannot be cut off');
} else {
  t.test('database lost and back', async (t) => {
    const target = new URL(process.env.DATABASE_URL!);
    const sockets = new Set<net.Socket>();
    const proxy = () =>
      net.createServer((client) => {
        const upstream = net.connect(Number(target.port || 5432), target.hostname);
        sockets.add(client).add(upstream);
        client.pipe(upstream).pipe(client);
        const drop = () => {
          client.destroy();
          upstream.destroy();
        };
        client.on('error', drop).on('close', drop);
        upstream.on('error', drop).on('close', drop);
      });
    let server = proxy();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;

    const fresh = await freshDatabase();
    await fresh.database.close();
    const url = new URL(fresh.url!);
    url.hostname = '127.0.0.1';
    url.port = String(port);
    const database = await createDb({ databaseUrl: url.toString(), poolSize: 3 });
    const lines: string[] = [];
    const stream = new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    });
    const app = await buildApp(testConfig(), { database, logger: { ...(loggerOptions('info') as object), stream } });
    await app.ready();
    t.teardown(async () => {
      await app.close();
      server.close();
      await fresh.drop();
    });

    const user = await makeUser(database.db, 'admin');
    const { token } = await createToken(database.db, { id: user.id, name: user.email }, user.id, 'test');
    const c = new Client(app);
    await c.login(user.email);
    t.equal((await c.get('/')).statusCode, 200, 'up');

    // cut: existing connections die, new ones are refused
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of sockets) s.destroy();
    sockets.clear();
    await closed;

    for (let i = 0; i < 3; i++) {
      const page = await c.get('/');
      t.equal(page.statusCode, 503, `page ${i} answers 503`);
      t.match(text(page.body), 'Temporarily unavailable', 'inside the layout, says what is wrong');
    }
    const api = await app.inject({ url: '/api/v1/organizations', headers: { authorization: `Bearer ${token}` } });
    t.equal(api.statusCode, 503);
    t.same(api.json().error.code, 'database_unavailable');
    t.equal((await app.inject({ url: '/readyz' })).statusCode, 503, 'not ready');
    t.equal((await app.inject({ url: '/healthz' })).statusCode, 200, 'but alive');
    const downLogs = lines.filter((l) => l.includes('database unreachable'));
    t.equal(downLogs.length, 1, 'logged once, not per request');

    // restore on the same port: the pool reconnects by itself
    server = proxy();
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    let status = 0;
    for (let i = 0; i < 20 && status !== 200; i++) {
      status = (await c.get('/')).statusCode;
      if (status !== 200) await new Promise((r) => setTimeout(r, 250));
    }
    t.equal(status, 200, 'recovered without a restart');
    t.equal((await app.inject({ url: '/readyz' })).statusCode, 200);
    t.ok(lines.some((l) => l.includes('database reachable again')), 'recovery is logged');
  });
}
