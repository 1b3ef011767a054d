// The only reader of process.env. Every variable is optional; bad values stop
// the process with one clear line (see server.ts) instead of a stack trace.
import { randomBytes } from 'node:crypto';

export interface Config {
  databaseUrl: string | undefined;
  dataDir: string;
  port: number;
  host: string;
  sessionSecret: string;
  /** cookies marked Secure: set when the app is served over https */
  secureCookies: boolean;
  smtpUrl: string | undefined;
  tz: string;
  logLevel: string;
  /** embedded database only: fill an empty database with demo data */
  demo: boolean;
  adminEmail: string | undefined;
  adminPassword: string | undefined;
  /** run the schedules (off in tests unless asked) */
  scheduler: boolean;
  trustProxy: boolean;
}

export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function flag(name: string, value: string | undefined, fallback: boolean): boolean {
  if (value === undefined || value === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(value.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(value.toLowerCase())) return false;
  throw new ConfigError(`${name} must be 0 or 1 (got "${value}")`);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const portText = env.PORT ?? '3000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be a whole number from 0 to 65535 (got "${portText}")`);
  }
  const databaseUrl = env.DATABASE_URL || undefined;
  if (databaseUrl !== undefined) {
    let url: URL;
    try {
      url = new URL(databaseUrl);
    } catch {
      throw new ConfigError('DATABASE_URL is not a valid URL (expected postgres://user@host:5432/db)');
    }
    if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
      throw new ConfigError(`DATABASE_URL must start with postgres:// (got "${url.protocol}//")`);
    }
    if (!url.pathname || url.pathname === '/') {
      throw new ConfigError('DATABASE_URL must name a database (postgres://user@host:5432/db)');
    }
  }
  const tz = env.TZ_APP || 'Asia/Shanghai';
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
  } catch {
    throw new ConfigError(`TZ_APP is not a known time zone (got "${tz}")`);
  }
  const logLevel = env.LOG_LEVEL || 'info';
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got "${logLevel}")`);
  }
  const sessionSecret = env.SESSION_SECRET || randomBytes(32).toString('hex');
  if (env.SESSION_SECRET && env.SESSION_SECRET.length < 32) {
    throw new ConfigError('SESSION_SECRET must be at least 32 characters long');
  }
  if (databaseUrl && !env.SESSION_SECRET && env.NODE_ENV === 'production') {
    throw new ConfigError('SESSION_SECRET is required in production on PostgreSQL (instances must share it)');
  }
  const adminEmail = env.ADMIN_EMAIL || undefined;
  if (adminEmail && !/^[^@\s]+@[^@\s]+$/.test(adminEmail)) {
    throw new ConfigError(`ADMIN_EMAIL is not an email address (got "${adminEmail}")`);
  }
  if (env.ADMIN_PASSWORD && env.ADMIN_PASSWORD.length < 10) {
    throw new ConfigError('ADMIN_PASSWORD must be at least 10 characters long');
  }
  if (env.SMTP_URL) {
    try {
      new URL(env.SMTP_URL);
    } catch {
      throw new ConfigError('SMTP_URL is not a valid URL (expected smtp://host:25)');
    }
  }
  return {
    databaseUrl,
    dataDir: env.DATA_DIR || './.data',
    port,
    host: env.HOST || '0.0.0.0',
    sessionSecret,
    secureCookies: flag('COOKIE_SECURE', env.COOKIE_SECURE, false),
    smtpUrl: env.SMTP_URL || undefined,
    tz,
    logLevel,
    demo: flag('DEMO', env.DEMO, true),
    adminEmail,
    adminPassword: env.ADMIN_PASSWORD || undefined,
    scheduler: flag('SCHEDULER', env.SCHEDULER, true),
    trustProxy: flag('TRUST_PROXY', env.TRUST_PROXY, false),
  };
}
