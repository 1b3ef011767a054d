// Runs the real server (src/server.ts under tsx) as a child process, for the
// tests of what an operator sees: the data-dir lock, shutdown, bad configuration.
import { spawn, type ChildProcess } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface Server {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** resolves with the exit code (or the signal's name) */
  exited: Promise<number | string>;
  /** resolves when stdout contains the text; rejects if the process exits first or time runs out */
  waitFor(text: string, ms: number): Promise<void>;
}

export function startServer(env: Record<string, string>): Server {
  const base: NodeJS.ProcessEnv = { ...process.env };
  // the parent's settings (a test run on PostgreSQL, say) must not leak into the child
  for (const k of ['DATABASE_URL', 'DATA_DIR', 'PORT', 'DEMO', 'LOG_LEVEL', 'ADMIN_EMAIL', 'ADMIN_PASSWORD', 'SESSION_SECRET', 'NODE_OPTIONS']) delete base[k];
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], { cwd: ROOT, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
  const exited = new Promise<number | string>((resolve) => child.on('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(text, ms) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no "${text}" within ${ms} ms; stderr: ${err}`)), ms);
        const check = () => {
          if (out.includes(text)) {
            clearTimeout(timer);
            child.stdout.off('data', check);
            resolve();
          }
        };
        child.stdout.on('data', check);
        void exited.then((code) => {
          clearTimeout(timer);
          if (!out.includes(text)) reject(new Error(`exited with ${code} before "${text}"; stderr: ${err}`));
        });
        check();
      });
    },
  };
}

/** The exit code, or 'timeout' if the process is still running after ms. */
export async function exitWithin(server: Server, ms: number): Promise<number | string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<string>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)));
  const result = await Promise.race([server.exited, timeout]);
  clearTimeout(timer);
  return result;
}
