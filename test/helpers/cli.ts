// Runs the command line as a user would (a separate process, `node --import tsx
// src/cli.ts ...`) against a database of its own: a cloned test database on
// PostgreSQL, else an embedded one in a temporary folder.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Test } from 'tap';
import { freshDatabase, onPostgres } from './app.js';
import { createDb, type Database } from '../../src/db/index.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export interface CliTarget {
  /** runs one command to its end */
  cli: (...args: string[]) => Promise<CliRun>;
  /** opens the database in this process; close it before the next command on the embedded one */
  open: () => Promise<Database>;
  /** opens, runs, closes */
  withDb: <T>(fn: (database: Database) => Promise<T>) => Promise<T>;
}

export async function cliTarget(t: Test): Promise<CliTarget> {
  let env: Record<string, string>;
  let open: () => Promise<Database>;
  if (onPostgres) {
    const fresh = await freshDatabase();
    // the command opens its own connections
    await fresh.database.close();
    env = { DATABASE_URL: fresh.url! };
    open = () => createDb({ databaseUrl: fresh.url!, poolSize: 2 });
    t.teardown(() => fresh.drop());
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'fayuan-cli-'));
    env = { DATA_DIR: dir };
    open = () => createDb({ dataDir: dir });
    t.teardown(() => rmSync(dir, { recursive: true, force: true }));
  }

  function cli(...args: string[]): Promise<CliRun> {
    const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env, LOG_LEVEL: 'silent' };
    delete childEnv.NODE_OPTIONS;
    if (!onPostgres) delete childEnv.DATABASE_URL;
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli.ts', ...args], { cwd: root, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.on('error', reject);
      child.on('close', (code) => resolve({ code, stdout, stderr }));
    });
  }

  async function withDb<T>(fn: (database: Database) => Promise<T>): Promise<T> {
    const database = await open();
    try {
      return await fn(database);
    } finally {
      await database.close();
    }
  }

  return { cli, open, withDb };
}
