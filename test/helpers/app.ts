// Builds the app on a fresh database for one test file: a copy of the migrated
// embedded template, or a clone of the PostgreSQL template when DATABASE_URL is set.
import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { Test } from 'tap';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createDb, type Database } from '../../src/db/index.js';
import type { DB } from '../../src/db/types.js';
import { PGLITE_TEMPLATE, PG_TEMPLATE_DB, PG_TEST_PREFIX, serverUrl } from '../setup/template.js';

export const onPostgres = Boolean(process.env.DATABASE_URL);

export interface TestDatabase {
  database: Database;
  url?: string;
  drop(): Promise<void>;
}

let templateDump: Blob | undefined;

export async function freshDatabase(options: { poolSize?: number } = {}): Promise<TestDatabase> {
  const databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    templateDump ??= new Blob([readFileSync(PGLITE_TEMPLATE)]);
    const database = await createDb({ dataDir: 'memory://', loadDataDir: templateDump });
    return { database, drop: async () => {} };
  }
  const name = PG_TEST_PREFIX + randomBytes(5).toString('hex');
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`create database "${name}" template "${PG_TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const url = serverUrl(databaseUrl, name);
  const database = await createDb({ databaseUrl: url, poolSize: options.poolSize ?? 5 });
  return {
    database,
    url,
    drop: async () => {
      const c = new pg.Client({ connectionString: databaseUrl });
      await c.connect();
      try {
        await c.query(`drop database if exists "${name}" with (force)`);
      } finally {
        await c.end();
      }
    },
  };
}

export function testConfig(overrides: Partial<Config> = {}): Config {
  return {
    ...loadConfig({ LOG_LEVEL: 'silent', SCHEDULER: '0', SESSION_SECRET: 'test-secret-'.padEnd(40, 'x') }),
    ...overrides,
  };
}

export interface TestApp {
  app: FastifyInstance;
  db: Kysely<DB>;
  config: Config;
  url?: string;
}

/** The app on its own fresh database; closed and dropped when the test ends. */
export async function buildTestApp(
  t: Test,
  options: {
    config?: Partial<Config>;
    logger?: unknown;
    database?: TestDatabase;
    /** runs after the app's own plugins and routes, before ready: extra test-only routes */
    beforeReady?: (app: FastifyInstance) => void | Promise<void>;
  } = {},
): Promise<TestApp> {
  const testDb = options.database ?? (await freshDatabase());
  const config = testConfig(options.config);
  let app: FastifyInstance;
  try {
    app = await buildApp(config, { database: testDb.database, logger: (options.logger as false | undefined) ?? false });
    await options.beforeReady?.(app);
    await app.ready();
  } catch (err) {
    await testDb.database.close();
    await testDb.drop();
    throw err;
  }
  t.teardown(async () => {
    await app.close();
    await testDb.drop();
  });
  return { app, db: testDb.database.db, config, url: testDb.url };
}
