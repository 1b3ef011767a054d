// Two processes on one embedded data directory would corrupt it silently: the
// second must refuse to start and touch nothing. SIGTERM shuts the first down cleanly.
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import t from 'tap';
import { exitWithin, startServer, type Server } from './process.js';

function snapshot(dir: string): Map<string, number> {
  const files = new Map<string, number>();
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(path, statSync(path).mtimeMs);
  }
  return files;
}

void t.test('a second process on the same DATA_DIR refuses to start; SIGTERM stops the first cleanly', { timeout: 90_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'fayuan-lock-'));
  const servers: Server[] = [];
  t.teardown(() => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const env = { DATA_DIR: dir, PORT: '0', DEMO: '0', LOG_LEVEL: 'silent', HOST: '127.0.0.1' };

  const first = startServer(env);
  servers.push(first);
  await first.waitFor('Fayuan is running', 60_000);
  const lockFile = join(dir, 'fayuan.lock');
  t.equal(readFileSync(lockFile, 'utf8').trim(), String(first.child.pid), 'the first process holds the lock');
  const port = /running at http:\/\/localhost:(\d+)/.exec(first.stdout())![1];
  const health = await fetch(`http://127.0.0.1:${port}/healthz`);
  t.equal(health.status, 200, 'the first process serves requests');
  const before = snapshot(dir);

  const second = startServer(env);
  servers.push(second);
  const started = Date.now();
  // about 5 s of it is tsx compiling the sources; the margin is for a busy test machine
  const code = await exitWithin(second, 15_000);
  t.not(code, 'timeout', `the second process exits quickly (${Date.now() - started} ms)`);
  t.not(code, 0, `with a failure code (${code})`);
  const lines = second.stderr().trim().split('\n');
  t.equal(lines.length, 1, 'one line on stderr');
  t.match(lines[0], `in use by process ${first.child.pid}`, 'naming the process that holds the data');
  t.notMatch(second.stderr(), /^\s+at /m, 'no stack trace');
  t.notMatch(second.stdout(), 'Fayuan is running', 'it never claimed to be running');

  t.equal(readFileSync(lockFile, 'utf8').trim(), String(first.child.pid), 'the lock still names the first process');
  const after = snapshot(dir);
  const touched = [...after].filter(([path, mtime]) => before.get(path) !== mtime).map(([path]) => path);
  const created = [...after.keys()].filter((path) => !before.has(path));
  // the first process may write to its own files meanwhile; the lock file and the set of files must not change
  t.same(created, [], 'no file was created');
  t.notOk(touched.includes(lockFile), 'the lock file was not rewritten');
  t.equal((await fetch(`http://127.0.0.1:${port}/healthz`)).status, 200, 'the first process still serves');

  first.child.kill('SIGTERM');
  const stopped = Date.now();
  const firstCode = await exitWithin(first, 10_000);
  t.equal(firstCode, 0, `SIGTERM: the first process exits 0 (in ${Date.now() - stopped} ms)`);
  t.notOk(existsSync(lockFile), 'and removes its lock file');

  // with the lock released, a new process may take the same data (and finds it intact)
  const third = startServer(env);
  servers.push(third);
  await third.waitFor('Fayuan is running', 60_000);
  t.equal(readFileSync(lockFile, 'utf8').trim(), String(third.child.pid));
  t.notMatch(third.stdout(), 'First admin created', 'the data of the first run is still there');
  third.child.kill('SIGINT');
  t.equal(await exitWithin(third, 10_000), 0, 'SIGINT shuts down cleanly too');
  t.notOk(existsSync(lockFile));
});
