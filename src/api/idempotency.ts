// Idempotency-Key for POSTs that create things outside systems must not create
// twice (a court retrying a notification, later assignments and payouts). The key
// is claimed by inserting its row (the primary key decides a race); the answer is
// stored when the work is done; a failure releases the key so a retry can run.
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { HttpError } from '../lib/errors.js';

const KEY_RE = /^[\x21-\x7e]{1,200}$/;

export class IdempotencyError extends HttpError {}

function bodyHash(body: unknown): string {
  return createHash('sha256').update(JSON.stringify(body ?? null)).digest('hex');
}

/**
 * Runs `work` once per (user, Idempotency-Key): the same key with the same body
 * returns the first answer again; with another body it is refused (422); while
 * the first is still running, 409. Without the header `work` simply runs.
 */
export async function idempotent<T>(request: FastifyRequest, reply: FastifyReply, work: () => Promise<{ status: number; body: T }>): Promise<T> {
  const header = request.headers['idempotency-key'];
  const key = Array.isArray(header) ? header[0] : header;
  if (key === undefined) {
    const result = await work();
    reply.code(result.status);
    return result.body;
  }
  if (!KEY_RE.test(key)) throw new IdempotencyError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1 to 200 visible ASCII characters');
  const db = request.server.db;
  const userId = request.user!.id;
  const route = `${request.method} ${request.routeOptions.url ?? request.url}`;
  const hash = bodyHash(request.body);
  const claimed = await db
    .insertInto('idempotency_keys')
    .values({ user_id: userId, key, route, body_hash: hash })
    .onConflict((oc) => oc.doNothing())
    .returning('key')
    .executeTakeFirst();
  if (!claimed) {
    const first = await db.selectFrom('idempotency_keys').selectAll().where('user_id', '=', userId).where('key', '=', key).executeTakeFirstOrThrow();
    if (first.route !== route || first.body_hash !== hash)
      throw new IdempotencyError(422, 'idempotency_key_reused', 'This Idempotency-Key was used with another request');
    if (first.status_code === null) throw new IdempotencyError(409, 'idempotency_in_progress', 'The first request with this Idempotency-Key is still running');
    reply.header('idempotent-replay', 'true');
    reply.code(first.status_code);
    return first.response as T;
  }
  try {
    const result = await work();
    await db
      .updateTable('idempotency_keys')
      .set({ status_code: result.status, response: JSON.stringify(result.body) })
      .where('user_id', '=', userId)
      .where('key', '=', key)
      .execute();
    reply.code(result.status);
    return result.body;
  } catch (err) {
    await db.deleteFrom('idempotency_keys').where('user_id', '=', userId).where('key', '=', key).execute();
    throw err;
  }
}
