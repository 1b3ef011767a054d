// Start: config, database, bootstrap, listen; graceful shutdown on SIGTERM/SIGINT.
import { loadConfig, ConfigError, type Config } from './config.js';
import { createDb, type Database } from './db/index.js';
import { DataDirLockedError } from './db/lock.js';
import { buildApp, loggerOptions } from './app.js';
import { bootstrap, DEMO_PASSWORD } from './bootstrap.js';

const SHUTDOWN_LIMIT_MS = 10_000;

async function canLoad(name: string): Promise<boolean> {
  try {
    await import(name);
    return true;
  } catch {
    return false;
  }
}

function fail(message: string): never {
  process.stderr.write(`fayuan: ${message}\n`);
  process.exit(1);
}

async function main() {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }

  let database: Database;
  try {
    database = await createDb({
      databaseUrl: config.databaseUrl,
      dataDir: config.dataDir,
      onPoolError: (err) => process.stderr.write(`fayuan: database connection lost: ${err.message}\n`),
    });
  } catch (err) {
    if (err instanceof DataDirLockedError) fail(err.message);
    throw err;
  }

  let boot;
  try {
    boot = await bootstrap(database.db, config, database.kind === 'pglite');
  } catch (err) {
    await database.close();
    const e = err as { code?: string; message?: string };
    if (e.code === 'ECONNREFUSED' || e.code === 'ENOTFOUND' || e.code === '3D000' || e.code === '28P01') {
      fail(`cannot use the database at DATABASE_URL: ${e.message ?? e.code}`);
    }
    throw err;
  }

  // readable lines in a developer's terminal; JSON lines everywhere else
  const pretty = process.stdout.isTTY && process.env.NODE_ENV !== 'production' && (await canLoad('pino-pretty'));
  const logger = pretty ? { ...(loggerOptions(config.logLevel) as object), transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss', ignore: 'pid,hostname' } } } : undefined;
  const app = await buildApp(config, { database, logger });
  if (boot.migrations.length) app.log.info({ migrations: boot.migrations }, 'migrations applied');

  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down: finishing requests in flight');
    const timer = setTimeout(() => {
      app.log.error('shutdown took longer than 10 s; exiting');
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        app.log.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));

  try {
    await app.listen({ port: config.port, host: config.host });
  } catch (err) {
    const e = err as NodeJS.ErrnoException;
    await app.close();
    if (e.code === 'EADDRINUSE') fail(`port ${config.port} is already in use (set PORT to another)`);
    throw err;
  }

  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  const url = `http://localhost:${port}`;
  const lines = [`Fayuan is running at ${url}`, `database: ${database.kind === 'pg' ? 'PostgreSQL (DATABASE_URL)' : `embedded, in ${config.dataDir}`}`];
  if (boot.demoAccounts) {
    lines.push(`Demo accounts (password "${DEMO_PASSWORD}"):`);
    for (const a of boot.demoAccounts) lines.push(`  ${a.role.padEnd(9)} ${a.email}`);
  }
  if (boot.generatedAdmin) {
    lines.push(`First admin created: ${boot.generatedAdmin.email}`);
    lines.push(`  one-time password: ${boot.generatedAdmin.password}  (shown only now; change it after logging in)`);
  }
  if (boot.createdAdmin) lines.push(`First admin created from ADMIN_EMAIL: ${boot.createdAdmin}`);
  // printed to the terminal, not through the JSON log: log lines never carry passwords
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`fayuan: failed to start: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
