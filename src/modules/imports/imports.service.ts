// Import runs: an uploaded file is stored, checked in the background in chunks
// (progress in the row), and written, after the user confirms, in one
// transaction that checks every row again against the database as it is then.
import { setImmediate as nextTurn } from 'node:timers/promises';
import { sql, type Kysely } from 'kysely';
import type { DB, ImportKind, ImportRun } from '../../db/types.js';
import { audit, type Actor } from '../../plugins/audit.js';
import type { MessageKey } from '../../i18n/index.js';
import { checkRows, countRows, type ImportRow, type ParsedFile } from './imports.rules.js';
import type { ImportKindModule } from './imports.kind.js';
import { lawyerImport } from './imports.lawyers.js';
import { volunteerImport } from './imports.volunteers.js';
import { isRowId } from '../../lib/access.js';

// the modules differ only in their row types, which the service never looks into
const KINDS: Record<ImportKind, ImportKindModule<unknown, unknown, unknown>> = {
  lawyers: lawyerImport,
  volunteers: volunteerImport,
};

export const CHUNK = 250;
// a failed check keeps no personal data; an interrupted write keeps its checked rows to be confirmed again
const KEEP_ROWS_IF_WRITING = sql<string>`case status when 'writing' then rows else '[]'::jsonb end`;
/** a run that has not moved for this long lost its process */
const STALE_AFTER = '2 minutes';

export type RunSummary = Omit<ImportRun, 'rows'>;

export interface JobOptions {
  /** true once the server is shutting down: stop between chunks */
  stopping(): boolean;
  /** write progress during the write transaction from another connection (PostgreSQL only) */
  progressWhileWriting: boolean;
}

/** The job was stopped (shutdown, cancel) before it finished. */
export class Interrupted extends Error {}

const SUMMARY = [
  'id', 'kind', 'status', 'file_name', 'fields', 'ignored', 'total', 'processed', 'created', 'updated', 'unchanged', 'invalid', 'error', 'created_by', 'created_at', 'updated_at', 'finished_at',
] as const;

export async function createRun(db: Kysely<DB>, userId: number, kind: ImportKind, fileName: string, file: ParsedFile): Promise<RunSummary> {
  return db
    .insertInto('import_runs')
    .values({ kind, file_name: fileName, fields: file.fields, ignored: file.ignored, total: file.rows.length, rows: JSON.stringify(file.rows), created_by: userId })
    .returning(SUMMARY)
    .executeTakeFirstOrThrow();
}

export async function getRun(db: Kysely<DB>, id: number): Promise<RunSummary | undefined> {
  if (!isRowId(id)) return undefined;
  return db.selectFrom('import_runs').select(SUMMARY).where('id', '=', id).executeTakeFirst();
}

export async function recentRuns(db: Kysely<DB>, user: { id: number; role: string }, limit = 10): Promise<RunSummary[]> {
  let q = db.selectFrom('import_runs').select(SUMMARY).orderBy('id', 'desc').limit(limit);
  if (user.role !== 'admin') q = q.where('created_by', '=', user.id);
  return q.execute();
}

/** One page of a run's rows, all or only those with problems, in file order. */
export async function rowsPage(db: Kysely<DB>, id: number, problemsOnly: boolean, page: number, size = 100): Promise<ImportRow[]> {
  const only = problemsOnly ? sql`and e.value->>'action' = 'invalid'` : sql``;
  const result = await sql<{ row: ImportRow }>`
    select e.value as row
    from import_runs r cross join lateral jsonb_array_elements(r.rows) with ordinality as e(value, n)
    where r.id = ${id} ${only}
    order by e.n limit ${size} offset ${(page - 1) * size}`.execute(db);
  return result.rows.map((r) => r.row);
}

/** A run stuck in an active state whose process is gone: a check fails, a write may be confirmed again. */
export async function expireStale(db: Kysely<DB>, id: number): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({
      status: sql`case status when 'writing' then 'checked' else 'failed' end`,
      rows: KEEP_ROWS_IF_WRITING,
      error: 'imports.err.interrupted',
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .where('status', 'in', ['checking', 'writing'])
    .where('updated_at', '<', sql<Date>`now() - ${STALE_AFTER}::interval`)
    .execute();
}

async function setProgress(db: Kysely<DB>, id: number, status: 'checking' | 'writing', processed: number): Promise<boolean> {
  const r = await db.updateTable('import_runs').set({ processed, updated_at: new Date() }).where('id', '=', id).where('status', '=', status).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

async function loadRun(db: Kysely<DB>, id: number) {
  const run = await db.selectFrom('import_runs').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  return { run, rows: run.rows as ImportRow[], fields: new Set(run.fields), kind: KINDS[run.kind] };
}

const keysOf = (kind: ImportKindModule<unknown, unknown, unknown>, rows: ImportRow[]) => [
  ...new Set(rows.map((r) => kind.rules.keyOf(r.values)).filter((k): k is string => k !== null)),
];

/** The background check: chunk by chunk against the stored rows, progress after each. */
export async function checkRun(db: Kysely<DB>, id: number, options: JobOptions): Promise<void> {
  const { rows, fields, kind } = await loadRun(db, id);
  const lookups = await kind.lookups(db);
  const seen = new Map<string, number>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    if (options.stopping()) throw new Interrupted();
    const chunk = rows.slice(i, i + CHUNK);
    const existing = await kind.existing(db, keysOf(kind, chunk), false);
    checkRows(chunk, fields, kind.rules, lookups, existing, seen);
    // a cancelled run stops here
    if (!(await setProgress(db, id, 'checking', i + chunk.length))) return;
    await nextTurn();
  }
  await db
    .updateTable('import_runs')
    .set({ status: 'checked', rows: JSON.stringify(rows), ...countRows(rows), processed: rows.length, error: null, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'checking')
    .execute();
}

/** Moves a clean, checked run to 'writing'; false when it is not in that state. */
export async function beginWrite(db: Kysely<DB>, id: number): Promise<boolean> {
  const r = await db
    .updateTable('import_runs')
    .set({ status: 'writing', processed: 0, error: null, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', '=', 'checked')
    .where('invalid', '=', 0)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

export async function cancelRun(db: Kysely<DB>, id: number): Promise<boolean> {
  const r = await db
    .updateTable('import_runs')
    .set({ status: 'cancelled', rows: '[]', updated_at: new Date(), finished_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', ['checking', 'checked', 'failed'])
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** After an unexpected error: a check fails for good, a write goes back to 'checked'. */
export async function failRun(db: Kysely<DB>, id: number, error: MessageKey): Promise<void> {
  await db
    .updateTable('import_runs')
    .set({ status: sql`case status when 'writing' then 'checked' else 'failed' end`, rows: KEEP_ROWS_IF_WRITING, error, updated_at: new Date() })
    .where('id', '=', id)
    .where('status', 'in', ['checking', 'writing'])
    .execute();
}

const RETRYABLE = new Set(['40001', '40P01']);

async function retrying<T>(fn: () => Promise<T>, attempts = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (err) {
      if (i >= attempts || !RETRYABLE.has((err as { code?: string }).code ?? '')) throw err;
    }
  }
}

/**
 * The write: one transaction, one import of a kind at a time. Every row is
 * checked again against the locked stored rows; if anything became invalid
 * nothing is written and the run goes back to 'checked' with the new problems.
 */
export async function writeRun(db: Kysely<DB>, id: number, actor: Actor, options: JobOptions): Promise<void> {
  const { run, rows, fields, kind } = await loadRun(db, id);
  if (run.status !== 'writing') return;
  const outcome = await retrying(() =>
    db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(hashtext(${`fayuan.import.${run.kind}`}))`.execute(trx);
      const lookups = await kind.lookups(trx);
      const existing = await kind.existing(trx, keysOf(kind, rows), true);
      const { inputs } = checkRows(rows, fields, kind.rules, lookups, existing, new Map());
      const counts = countRows(rows);
      if (counts.invalid) return { stale: true as const, counts };
      let created = 0;
      let updated = 0;
      for (let i = 0; i < rows.length; i += CHUNK) {
        if (options.stopping()) throw new Interrupted();
        const batch: unknown[] = [];
        const ids: (number | undefined)[] = [];
        for (let j = i; j < Math.min(i + CHUNK, rows.length); j++) {
          if (rows[j].action !== 'new' && rows[j].action !== 'update') continue;
          batch.push(inputs[j]);
          ids.push(rows[j].id);
        }
        const done = await kind.write(trx, batch, ids);
        created += done.created;
        updated += done.updated;
        // on PGlite the one connection is this transaction's: progress shows when it commits
        if (options.progressWhileWriting) await setProgress(db, id, 'writing', Math.min(i + CHUNK, rows.length));
        await nextTurn();
      }
      const after = { file: run.file_name, total: rows.length, created, updated, unchanged: counts.unchanged };
      await audit(trx, actor, { action: `${run.kind}.imported`, entity: 'import_run', entityId: id, after });
      const finished = await trx
        .updateTable('import_runs')
        .set({ status: 'done', processed: rows.length, created, updated, unchanged: counts.unchanged, invalid: 0, rows: '[]', error: null, updated_at: new Date(), finished_at: new Date() })
        .where('id', '=', id)
        .where('status', '=', 'writing')
        .executeTakeFirst();
      // the run was expired or changed meanwhile: undo everything
      if (Number(finished.numUpdatedRows) !== 1) throw new Interrupted();
      return { stale: false as const };
    }),
  );
  if (outcome.stale) {
    await db
      .updateTable('import_runs')
      .set({ status: 'checked', rows: JSON.stringify(rows), ...outcome.counts, processed: rows.length, error: 'imports.err.stale', updated_at: new Date() })
      .where('id', '=', id)
      .where('status', '=', 'writing')
      .execute();
  }
}
