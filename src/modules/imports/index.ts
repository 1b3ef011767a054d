// CSV import pages: upload (multipart, registered only in this scope), the run
// page that shows progress and then the preview, confirm and cancel.
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { requireRole, redirect } from '../../plugins/auth.js';
import { authorize } from '../../lib/access.js';
import { NotFoundError } from '../../lib/errors.js';
import { pageNumber } from '../../lib/paging.js';
import type { MessageKey } from '../../i18n/index.js';
import { COLUMNS, isImportKind, type ImportKind } from './imports.columns.js';
import { ImportFileError, parseFile } from './imports.rules.js';
import { ImportJobs } from './imports.jobs.js';
import { beginWrite, cancelRun, createRun, expireStale, getRun, recentRuns, rowsPage, type RunSummary } from './imports.service.js';
import { templateCsv } from './exports.service.js';
import { sendCsv } from './exports.js';

export const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;
const ROWS_PER_PAGE = 100;

function kindOf(value: unknown): ImportKind {
  if (!isImportKind(value)) throw new NotFoundError();
  return value;
}

/** Only the file's own name, never a path, at most 200 characters. */
function cleanFileName(name: string): string {
  const base = name.split(/[\\/]/).pop()?.replace(/[\u0000-\u001f\u007f]/g, '').trim() ?? '';
  return (base || 'upload.csv').slice(0, 200);
}

export default async function importRoutes(app: FastifyInstance) {
  const staff = { preHandler: requireRole('admin', 'manager') };
  const jobs = new ImportJobs(app.db, app.log, app.dbKind === 'pg');
  // preClose: before any onClose hook, so the database is still open while jobs stop
  app.addHook('preClose', () => jobs.close());
  // this plugin is encapsulated: multipart bodies are accepted by these routes only
  await app.register(multipart, { limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 5, parts: 6 } });

  const loadRun = (request: FastifyRequest<{ Params: { id: string } }>, action: 'read' | 'write') =>
    authorize(request.user, 'import_run', action, () => getRun(app.db, Number(request.params.id)));

  async function form(request: FastifyRequest, reply: FastifyReply, kind: ImportKind, error?: string, status?: number) {
    const recent = await recentRuns(app.db, request.user!);
    return reply.page('imports/new', { kind, columns: COLUMNS[kind], recent, error: error ?? null, maxMb: MAX_UPLOAD_BYTES / 1024 / 1024 }, { status });
  }

  app.get<{ Querystring: { kind?: string } }>('/imports/new', staff, async (request, reply) => form(request, reply, kindOf(request.query.kind)));

  app.get<{ Querystring: { kind?: string } }>('/imports/template.csv', staff, async (request, reply) => {
    const kind = kindOf(request.query.kind);
    return sendCsv(reply, `${kind}-template.csv`, templateCsv(kind, request.t));
  });

  // the CSRF token of a multipart form comes in the query string: see plugins/csrf.ts
  app.post<{ Querystring: { kind?: string } }>('/imports', staff, async (request, reply) => {
    const kind = kindOf(request.query.kind);
    const fail = (key: MessageKey, params?: Record<string, string | number>) => form(request, reply, kind, request.t(key, params), 422);
    if (!request.isMultipart()) return fail('imports.err.file');
    let bytes: Buffer;
    let fileName: string;
    try {
      const part = await request.file();
      if (!part?.filename) return fail('imports.err.file');
      fileName = cleanFileName(part.filename);
      bytes = await part.toBuffer();
    } catch (err) {
      if (err instanceof app.multipartErrors.RequestFileTooLargeError) return fail('imports.err.tooLarge', { max: MAX_UPLOAD_BYTES / 1024 / 1024 });
      throw err;
    }
    try {
      const run = await createRun(app.db, request.user!.id, kind, fileName, parseFile(kind, bytes, request.t));
      jobs.check(run.id);
      return redirect(request, reply, `/imports/${run.id}`);
    } catch (err) {
      if (err instanceof ImportFileError) return fail(err.key, err.params);
      throw err;
    }
  });

  app.get<{ Params: { id: string }; Querystring: { show?: string; page?: string } }>('/imports/:id', staff, async (request, reply) => {
    let run = await loadRun(request, 'read');
    if (run.status === 'checking' || run.status === 'writing') {
      await expireStale(app.db, run.id);
      run = (await getRun(app.db, run.id))!;
    }
    const problemsOnly = request.query.show ? request.query.show === 'problems' : run.invalid > 0;
    const page = pageNumber(request.query.page);
    const shown = problemsOnly ? run.invalid : run.total;
    const rows = run.status === 'checked' ? await rowsPage(app.db, run.id, problemsOnly, page, ROWS_PER_PAGE) : [];
    const pager = { page, pages: Math.max(1, Math.ceil(shown / ROWS_PER_PAGE)), total: shown };
    return reply.page('imports/show', { run: view(run), rows, problemsOnly, pager, columns: COLUMNS[run.kind] }, { fragment: 'imports/_run' });
  });

  app.post<{ Params: { id: string } }>('/imports/:id/confirm', staff, async (request, reply) => {
    const run = await loadRun(request, 'write');
    if (await beginWrite(app.db, run.id)) jobs.write(run.id, request.actor());
    else await reply.flash('error', request.t('imports.err.notReady'));
    return redirect(request, reply, `/imports/${run.id}`);
  });

  app.post<{ Params: { id: string } }>('/imports/:id/cancel', staff, async (request, reply) => {
    const run = await loadRun(request, 'write');
    if (!(await cancelRun(app.db, run.id))) {
      await reply.flash('error', request.t('imports.err.notCancellable'));
      return redirect(request, reply, `/imports/${run.id}`);
    }
    await reply.flash('ok', request.t('imports.cancelled'));
    return redirect(request, reply, `/${run.kind}`);
  });
}

function view(run: RunSummary) {
  const active = run.status === 'checking' || run.status === 'writing';
  return { ...run, active, percent: run.total ? Math.round((run.processed / run.total) * 100) : 0 };
}
