// Runs once before the test files: migrates a template database so each file
// starts from a copy instead of migrating again.
import { renameSync, writeFileSync } from 'node:fs';
import pg from 'pg';
import { createDb } from '../../src/db/index.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { PGLITE_TEMPLATE, PG_TEMPLATE_DB, PG_TEST_PREFIX, serverUrl } from './template.js';

async function pgliteTemplate() {
  const database = await createDb({ dataDir: 'memory://' });
  await migrateToLatest(database.db);
  const dump = await database.pglite!.dumpDataDir('none');
  // write then rename, so a test file starting meanwhile never reads half a dump
  const partial = `${PGLITE_TEMPLATE}.${process.pid}`;
  writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
  renameSync(partial, PGLITE_TEMPLATE);
  await database.close();
}

async function pgTemplate(databaseUrl: string) {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    const old = await admin.query<{ datname: string }>(
      'select datname from pg_database where datname = $1 or datname like $2',
      [PG_TEMPLATE_DB, `${PG_TEST_PREFIX}%`],
    );
    for (const { datname } of old.rows) await admin.query(`drop database if exists "${datname}" with (force)`);
    await admin.query(`create database "${PG_TEMPLATE_DB}"`);
  } finally {
    await admin.end();
  }
  const database = await createDb({ databaseUrl: serverUrl(databaseUrl, PG_TEMPLATE_DB), poolSize: 1 });
  await migrateToLatest(database.db);
  await database.close();
}

await pgliteTemplate();
if (process.env.DATABASE_URL) await pgTemplate(process.env.DATABASE_URL);
