// Runs checks and writes in the background of this process, after the request
// that started them has been answered. Closing the app stops them between
// chunks and waits, so no query runs against a closed database.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/types.js';
import type { Actor } from '../../plugins/audit.js';
import { checkRun, failRun, Interrupted, writeRun, type JobOptions } from './imports.service.js';

export class ImportJobs {
  private readonly running = new Set<Promise<void>>();
  private closing = false;
  private readonly options: JobOptions;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly log: FastifyBaseLogger,
    progressWhileWriting: boolean,
  ) {
    this.options = { stopping: () => this.closing, progressWhileWriting };
  }

  check(id: number): void {
    this.start(id, 'check', () => checkRun(this.db, id, this.options));
  }

  write(id: number, actor: Actor): void {
    this.start(id, 'write', () => writeRun(this.db, id, actor, this.options));
  }

  /** Number of jobs still running (tests, shutdown). */
  get active(): number {
    return this.running.size;
  }

  async close(): Promise<void> {
    this.closing = true;
    await Promise.allSettled([...this.running]);
  }

  private start(id: number, what: string, work: () => Promise<void>): void {
    // shutting down: the run is left as it is and expires (see expireStale)
    if (this.closing) {
      this.log.warn({ importRun: id, job: what }, 'import job not started: shutting down');
      return;
    }
    const job: Promise<void> = (async () => {
      // let the request that started the job be answered first
      await new Promise((resolve) => setImmediate(resolve));
      const started = Date.now();
      try {
        await work();
        this.log.info({ importRun: id, job: what, ms: Date.now() - started }, 'import job finished');
      } catch (err) {
        const interrupted = err instanceof Interrupted;
        if (interrupted) this.log.warn({ importRun: id, job: what }, 'import job interrupted');
        else this.log.error({ err, importRun: id, job: what }, 'import job failed');
        try {
          await failRun(this.db, id, interrupted ? 'imports.err.interrupted' : 'imports.err.failed');
        } catch (e) {
          this.log.error({ err: e, importRun: id }, 'could not mark the import run as failed');
        }
      }
    })().finally(() => this.running.delete(job));
    this.running.add(job);
  }
}
