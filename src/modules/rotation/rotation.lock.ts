// The one row that serialises every rotation decision, and the retry the house
// rules ask for when PostgreSQL gives up a transaction (40001, 40P01).
import { sql, type Kysely, type Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import { isStalePlan } from '../../db/prepared.js';

export const ROTATION_SCOPE = 'city';

/**
 * Locks the rotation state for the rest of the transaction and returns its seq.
 * Two managers assigning at once queue here, so the second sees the first's
 * turn and standings: no turn is given twice.
 */
export async function lockRotation(trx: Transaction<DB>): Promise<number> {
  const row = await trx.selectFrom('rotation_state').select('seq').where('scope', '=', ROTATION_SCOPE).forUpdate().executeTakeFirst();
  if (row) return Number(row.seq);
  // a database set up without the migration's seed row: create it (the primary key decides a race)
  await trx.insertInto('rotation_state').values({ scope: ROTATION_SCOPE }).onConflict((oc) => oc.doNothing()).execute();
  const again = await trx.selectFrom('rotation_state').select('seq').where('scope', '=', ROTATION_SCOPE).forUpdate().executeTakeFirstOrThrow();
  return Number(again.seq);
}

/**
 * Takes the next seq in one statement, which also locks the rotation state for
 * the rest of the transaction (as lockRotation does). A transaction that rolls
 * back gives the seq back: seqs stay gapless.
 */
export async function takeSeq(trx: Transaction<DB>): Promise<number> {
  const bump = () =>
    trx
      .updateTable('rotation_state')
      .set({ seq: sql`seq + 1` })
      .where('scope', '=', ROTATION_SCOPE)
      .returning('seq')
      .executeTakeFirst();
  const row = await bump();
  if (row) return Number(row.seq);
  await trx.insertInto('rotation_state').values({ scope: ROTATION_SCOPE }).onConflict((oc) => oc.doNothing()).execute();
  return Number((await bump())!.seq);
}

/** The current seq without a lock (for a preview). */
export async function currentSeq(db: Kysely<DB> | Transaction<DB>): Promise<number> {
  const row = await db.selectFrom('rotation_state').select('seq').where('scope', '=', ROTATION_SCOPE).executeTakeFirst();
  return row ? Number(row.seq) : 0;
}

export async function setSeq(trx: Transaction<DB>, seq: number): Promise<void> {
  await trx.updateTable('rotation_state').set({ seq }).where('scope', '=', ROTATION_SCOPE).execute();
}

const RETRYABLE = new Set(['40001', '40P01']);

/**
 * Runs a transaction, again (up to 3 times) when the server aborted it for a
 * serialization failure or deadlock, or because a prepared statement's tables
 * changed shape (db/prepared.ts: the retry prepares it afresh).
 */
export async function transactionWithRetry<T>(db: Kysely<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await db.transaction().execute(fn);
    } catch (err) {
      const code = (err as { code?: unknown }).code;
      if (attempt >= 3 || ((typeof code !== 'string' || !RETRYABLE.has(code)) && !isStalePlan(err))) throw err;
    }
  }
}
