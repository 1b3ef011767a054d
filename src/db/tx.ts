// Runs fn in a transaction, joining the caller's when there already is one, so
// services compose (approving a volunteer creates a user in the same transaction).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './types.js';

export function inTransaction<T>(db: Kysely<DB> | Transaction<DB>, fn: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db as Transaction<DB>) : db.transaction().execute(fn);
}
