// Shared bench plumbing: child servers, logging in, autocannon runs, reporting.
import { spawn, type ChildProcess } from 'node:child_process';
import autocannon from 'autocannon';

export const root = new URL('../../', import.meta.url).pathname;

export async function startServer(script: string, env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    cwd: root,
    env: { ...process.env, LOG_LEVEL: 'silent', SCHEDULER: '0', DEMO: '0', NODE_ENV: 'production', SESSION_SECRET: 'bench-secret-'.padEnd(48, 'x'), ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} did not start`)), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('listening')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`${script} exited with ${code}`)));
  });
  return child;
}

export async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function cookiesOf(res: Response): string[] {
  return res.headers.getSetCookie().map((c) => c.split(';')[0]);
}

/** Logs in like a browser: the form's CSRF token, then the session cookie. */
export async function login(base: string, email: string, password: string): Promise<string> {
  const form = await fetch(`${base}/login`);
  const anon = cookiesOf(form).join('; ');
  const csrf = /name="_csrf" value="([^"]+)"/.exec(await form.text())?.[1] ?? '';
  const res = await fetch(`${base}/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: anon },
    body: new URLSearchParams({ _csrf: csrf, email, password }).toString(),
  });
  if (res.status !== 303) throw new Error(`login failed: ${res.status}`);
  return cookiesOf(res).join('; ');
}

export interface Result {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

export async function load(name: string, url: string, headers: Record<string, string> = {}, seconds = 10): Promise<Result> {
  // warm up (JIT, caches, pool) before measuring
  await autocannon({ url, headers, connections: 10, duration: 2 });
  const r = await autocannon({ url, headers, connections: 10, duration: seconds });
  return { name, rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, errors: r.errors, non2xx: r.non2xx };
}

export function report(results: Result[], baseline: Result): void {
  const rows = results.map((r) => ({
    target: r.name,
    'req/s': Math.round(r.rps),
    'p50 ms': r.p50,
    'p99 ms': r.p99,
    'vs baseline': `${((r.rps / baseline.rps) * 100).toFixed(1)}%`,
    errors: r.errors + r.non2xx,
  }));
  console.table(rows);
}
