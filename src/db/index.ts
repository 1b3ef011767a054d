// createDb(config): one Kysely<DB> over either a PostgreSQL server (pg pool) or
// the embedded PGlite, with the same value types on both drivers.
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { Kysely, PostgresDialect, type Dialect } from 'kysely';
import pg from 'pg';
import type { PGlite } from '@electric-sql/pglite';
import { PGliteDialect } from 'kysely-pglite-dialect';
import type { DB } from './types.js';
import { acquireDataDirLock, type DataDirLock } from './lock.js';
import { namePreparedStatements } from './prepared.js';

export type { DB } from './types.js';

export interface Database {
  db: Kysely<DB>;
  kind: 'pg' | 'pglite';
  /** the embedded client, for dumps (tests) */
  pglite?: PGlite;
  close(): Promise<void>;
}

export interface DbOptions {
  databaseUrl?: string;
  /** embedded only: folder for the data, or 'memory://' */
  dataDir?: string;
  /** embedded only: start from this dump of a data directory (tests) */
  loadDataDir?: Blob;
  poolSize?: number;
  onPoolError?: (err: Error) => void;
}

const INT8 = 20;
const DATE = 1082;
const NUMERIC = 1700;

// int8 ids and counts as JS numbers (ours stay far below 2^53); calendar dates as
// 'YYYY-MM-DD' strings so no time zone ever shifts them; numeric stays a string.
pg.types.setTypeParser(INT8, (v) => Number(v));
pg.types.setTypeParser(DATE, (v) => v);

const pgliteParsers = {
  [INT8]: (v: string) => Number(v),
  [DATE]: (v: string) => v,
  [NUMERIC]: (v: string) => v,
};

export async function createDb(options: DbOptions): Promise<Database> {
  if (options.databaseUrl) {
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 3000,
      idleTimeoutMillis: 30_000,
    });
    // a client losing its server must never crash the process: idle clients
    // report through the pool, checked-out ones through their own listener
    // (their running query fails with the same error and is answered with 503)
    const report = (err: Error) => options.onPoolError?.(err);
    pool.on('error', report);
    pool.on('connect', (client) => {
      client.on('error', report);
      namePreparedStatements(client);
    });
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    return { db, kind: 'pg', close: () => db.destroy() };
  }
  const { PGlite } = await import('@electric-sql/pglite');
  const dataDir = options.dataDir ?? './.data';
  let lock: DataDirLock | undefined;
  let target: string | undefined;
  if (!dataDir.startsWith('memory://')) {
    target = resolve(dataDir);
    mkdirSync(target, { recursive: true });
    lock = acquireDataDirLock(target);
  }
  let client: PGlite;
  try {
    client = await PGlite.create({
      dataDir: target ? resolve(target, 'pg') : undefined,
      loadDataDir: options.loadDataDir,
      parsers: pgliteParsers,
    });
  } catch (err) {
    lock?.release();
    throw err;
  }
  const dialect: Dialect = new PGliteDialect(client);
  const db = new Kysely<DB>({ dialect });
  return {
    db,
    kind: 'pglite',
    pglite: client,
    close: async () => {
      await db.destroy();
      // Kysely skips the driver when no query ran; an open client's timer keeps the process alive
      if (!client.closed) await client.close();
      lock?.release();
    },
  };
}
