// Named prepared statements for the few hot statements (the rotation decision's):
// a statement marked with `prepared` is sent to a PostgreSQL server under a name
// derived from its text, so each pooled connection parses it once and, once the
// server judges a generic plan good enough (after five runs, plan_cache_mode
// 'auto'), no longer plans it either. Only marked statements are named: a name
// lives as long as the connection, and a generic plan only suits a statement
// written for one (no parameter decides which index or partial index applies).
// The embedded database ignores the mark (a comment).
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import type pg from 'pg';

const MARK = '/* prepared */';

/** Appended to a statement (`.modifyEnd(prepared)`): run it as a named prepared statement on a server. */
export const prepared = sql.raw(MARK);

const names = new Map<string, string>();

/** The statement's name: the same text always gets the same name, different texts different names. */
export function statementName(text: string): string {
  let name = names.get(text);
  if (!name) names.set(text, (name = 'fy_' + createHash('sha1').update(text).digest('hex').slice(0, 32)));
  return name;
}

let generation = 0;

/**
 * The error of a prepared statement whose tables changed shape since it was
 * prepared ("cached plan must not change result type"). It changes nothing, and
 * a retry of the transaction prepares the statement afresh.
 */
export function isStalePlan(err: unknown): boolean {
  const e = err as { code?: unknown; message?: unknown };
  return e.code === '0A000' && typeof e.message === 'string' && e.message.includes('cached plan');
}

type Query = (config: unknown, values?: unknown, callback?: unknown) => unknown;
const PATCHED = Symbol('fayuan.prepared');

/**
 * Makes a pooled client send marked statements as named prepared statements
 * (once per client). A prepared statement that selects a table's every column
 * fails once that table gains or loses a column (after a migration by another
 * instance): see isStalePlan. Every client then prepares its statements afresh,
 * under new names.
 */
export function namePreparedStatements(client: pg.PoolClient): void {
  const c = client as unknown as { query: Query; [PATCHED]?: true };
  if (c[PATCHED]) return;
  c[PATCHED] = true;
  const query = c.query;
  c.query = function (this: unknown, config, values, callback) {
    if (typeof config !== 'string' || !config.endsWith(MARK) || !Array.isArray(values) || callback !== undefined) return query.call(this, config, values, callback);
    const name = statementName(config) + (generation ? `_${generation}` : '');
    return (query.call(this, { name, text: config, values }) as Promise<unknown>).catch((err: unknown) => {
      if (isStalePlan(err)) generation++;
      throw err;
    });
  };
}
