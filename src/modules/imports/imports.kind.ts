// What the import service needs from each kind of row (lawyers, volunteers).
import type { Kysely, Transaction } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Existing, RowRules } from './imports.rules.js';

export interface ImportKindModule<Input, Stored, Lookups> {
  rules: RowRules<Input, Stored, Lookups>;
  /** regions, firms: what the checks look names up in */
  lookups(db: Kysely<DB> | Transaction<DB>): Promise<Lookups>;
  /** the stored rows with these keys; locked when writing */
  existing(db: Kysely<DB> | Transaction<DB>, keys: string[], forUpdate: boolean): Promise<Existing<Stored>>;
  /** inserts or updates one batch of checked rows; counts what really happened */
  write(trx: Transaction<DB>, inputs: Input[], ids: (number | undefined)[]): Promise<{ created: number; updated: number }>;
}
