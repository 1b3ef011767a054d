// The database handle on the instance, and the "database is down" state: logged
// once when lost, once when back; requests meanwhile get 503, never a crash.
import fp from 'fastify-plugin';
import type { FastifyInstance } from 'fastify';
import type { Database } from '../db/index.js';

const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now
  '08000',
  '08001',
  '08003',
  '08004',
  '08006',
]);

export function isConnectionError(err: unknown): boolean {
  if (!err || typeof err !== 'object') return false;
  const e = err as { code?: string; message?: string };
  if (e.code && CONNECTION_CODES.has(e.code)) return true;
  const msg = e.message ?? '';
  return (
    msg.includes('Connection terminated') ||
    msg.includes('timeout exceeded when trying to connect') ||
    msg.includes('Client has encountered a connection error') ||
    msg.includes('connect ECONNREFUSED')
  );
}

export interface DbHealth {
  down: boolean;
  markDown(err: unknown): void;
  markUp(): void;
}

export default fp(
  async function dbPlugin(app: FastifyInstance, opts: { database: Database }) {
    const { database } = opts;
    app.decorate('db', database.db);
    app.decorate('dbKind', database.kind);
    const health: DbHealth = {
      down: false,
      markDown(err) {
        if (health.down) return;
        health.down = true;
        app.log.error({ err }, 'database unreachable: answering 503 until it returns');
      },
      markUp() {
        if (!health.down) return;
        health.down = false;
        app.log.info('database reachable again');
      },
    };
    app.decorate('dbHealth', health);
  },
  { name: 'db' },
);
