// Where the migrated template lives, shared by the before-script and the helper.
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const key = createHash('sha256').update(process.cwd()).digest('hex').slice(0, 10);

/** A dump of a migrated embedded database, loaded by each test file. */
export const PGLITE_TEMPLATE = join(tmpdir(), `fayuan-test-${key}.tar`);
/** On PostgreSQL: the migrated template database, and the prefix of per-file clones. */
export const PG_TEMPLATE_DB = `fayuan_tpl_${key}`;
export const PG_TEST_PREFIX = `fayuan_t_${key}_`;

export function serverUrl(databaseUrl: string, database: string): string {
  const url = new URL(databaseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}
