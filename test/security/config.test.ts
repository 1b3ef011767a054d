// A bad setting stops the server with one clear line naming the variable, not a
// stack trace (which might also print more of the environment than it should).
import t from 'tap';
import { exitWithin, startServer } from './process.js';

const CASES: [string, Record<string, string>, string, RegExp][] = [
  ['PORT=abc', { PORT: 'abc' }, 'PORT', /PORT must be a whole number/],
  ['PORT=70000', { PORT: '70000' }, 'PORT', /PORT must be a whole number/],
  ['DATABASE_URL=mysql://x/y', { DATABASE_URL: 'mysql://x/y' }, 'DATABASE_URL', /DATABASE_URL must start with postgres:\/\//],
  ['DATABASE_URL without a database', { DATABASE_URL: 'postgres://u:hunter2secret@db.example:5432' }, 'DATABASE_URL', /DATABASE_URL must name a database/],
  ['DATABASE_URL nobody answers', { DATABASE_URL: 'postgres://u:hunter2secret@127.0.0.1:1/db' }, 'DATABASE_URL', /cannot use the database at DATABASE_URL: connect ECONNREFUSED/],
  ['SESSION_SECRET too short', { SESSION_SECRET: 'short' }, 'SESSION_SECRET', /at least 32 characters/],
];

for (const [label, env, variable, message] of CASES) {
  void t.test(label, { timeout: 60_000 }, async (t) => {
    const server = startServer({ DEMO: '0', LOG_LEVEL: 'silent', DATA_DIR: '/nonexistent/should-not-be-created', ...env });
    t.teardown(() => {
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
    });
    const code = await exitWithin(server, 30_000);
    t.not(code, 'timeout', 'the process stops by itself');
    t.not(code, 0, `with a failure code (${code})`);
    const stderr = server.stderr();
    const lines = stderr.split('\n').filter((l) => l.trim() !== '');
    t.equal(lines.length, 1, `exactly one line on stderr: ${JSON.stringify(stderr)}`);
    t.match(lines[0], variable, `it names ${variable}`);
    t.match(lines[0], message, 'and says what is wrong');
    t.notMatch(stderr, /^\s*at /m, 'no stack trace');
    t.notMatch(stderr, 'hunter2secret', 'no password from the URL is echoed');
    t.notMatch(server.stdout(), 'Fayuan is running', 'the server did not start');
  });
}
