// No password, API token or session id ever reaches a log line, at the most verbose
// level, through the app's real logger configuration.
import { Writable } from 'node:stream';
import t from 'tap';
import { buildTestApp } from '../helpers/app.js';
import { Client } from '../helpers/client.js';
import { makeUser, PASSWORD } from '../helpers/factories.js';
import { loggerOptions } from '../../src/app.js';
import { SESSION_COOKIE } from '../../src/plugins/session.js';
import { api, createTokenViaUi } from './support.js';

function memoryLog() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(chunk.toString());
      done();
    },
  });
  return { lines, logger: { ...(loggerOptions('trace') as object), stream } };
}

void t.test('logins, a password change, a token and an API call leave no secret in the log', async (t) => {
  const log = memoryLog();
  const { app, db } = await buildTestApp(t, { logger: log.logger });
  const user = await makeUser(db, 'admin');
  const c = new Client(app);
  const secrets: string[] = [];

  await c.get('/login');
  const wrongPassword = 'Wr0ng-passw0rd-for-log';
  t.equal((await c.post('/login', { email: user.email, password: wrongPassword })).statusCode, 422);
  await c.login(user.email, PASSWORD);
  const firstSession = c.cookies.get(SESSION_COOKIE)!;

  await c.get('/password');
  const newPassword = 'N3w-passw0rd-for-log';
  t.equal((await c.post('/password', { current: PASSWORD, next: newPassword, confirm: newPassword })).statusCode, 303);

  const token = await createTokenViaUi(c, 'log test');
  const call = await api(app, token);
  t.equal(call.statusCode, 200, 'the token works on the API');
  t.equal((await api(app, `${token}x`)).statusCode, 401, 'a wrong token is refused (and logged as a 401)');

  await c.post('/logout');
  await c.get('/login');
  await c.post('/login', { email: user.email, password: newPassword });
  const secondSession = c.cookies.get(SESSION_COOKIE)!;
  secrets.push(PASSWORD, wrongPassword, newPassword, token, firstSession, secondSession);

  const all = log.lines.join('');
  t.ok(log.lines.length > 20, `lines were logged (${log.lines.length})`);
  t.match(all, '"url":"/login"', 'requests are logged with their URL');
  t.match(all, '"url":"/api/v1/organizations"', 'API calls are logged');
  t.match(all, '"url":"/password"');
  t.match(all, '"statusCode":401');
  for (const secret of secrets) t.notOk(all.includes(secret), `the log does not contain ${secret.slice(0, 4)}…`);
  t.notOk(all.includes(token.slice(3, 20)), 'not even part of the token');
});

void t.test('redaction catches secrets that a future log call might pass in', async (t) => {
  const log = memoryLog();
  const { app } = await buildTestApp(t, { logger: log.logger });
  const password = 'S3cret-in-a-body';
  const token = 'fy_aVeryLongTokenValueForTheLog';
  app.log.info({ body: { email: 'a@b.example', password } }, 'form received');
  app.log.info({ token }, 'token issued');
  app.log.info({ password }, 'password given');
  const lines = log.lines.join('');
  t.match(lines, 'form received');
  t.match(lines, 'a@b.example', 'the rest of the object is kept');
  t.match(lines, '[redacted]');
  t.notOk(lines.includes(password), 'no password');
  t.notOk(lines.includes(token), 'no token');
});
