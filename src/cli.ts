// Command line: migrate, seed-demo, create-user, create-token, run-job.
import { parseArgs } from 'node:util';
import { loadConfig, ConfigError } from './config.js';
import { createDb } from './db/index.js';
import { DataDirLockedError } from './db/lock.js';
import { migrateToLatest } from './db/migrate.js';
import { seedDemo, DEMO_PASSWORD } from './seed/demo.js';
import { createUser } from './modules/users/users.service.js';
import { createToken } from './modules/tokens/tokens.service.js';
import { ValidationError } from './lib/errors.js';
import { translator } from './i18n/index.js';
import { ROLES, type Role } from './db/types.js';
import { JOBS, runJob } from './jobs/index.js';
import { replayHistory, replayLines } from './modules/rotation/replay.service.js';
import { sql } from 'kysely';

const USAGE = `Usage: npm run cli -- <command> [options]
  migrate                                   apply pending migrations
  seed-demo                                 fill an empty database with demo data (idempotent)
  create-user --email E --role R --name N [--password P] [--person-id ID]
                                            roles: ${ROLES.join(', ')}
  create-token --email E --name LABEL       prints the new API token as the last line
  run-job NAME                              run a scheduled job now (${JOBS.map((j) => j.name).join(', ')})
  rotation-replay                           re-run the rotation over the recorded assignments; exit 1 on differences`;

class UsageError extends Error {}

function need(values: Record<string, string | boolean | undefined>, name: string): string {
  const v = values[name];
  if (typeof v !== 'string' || !v.trim()) throw new UsageError(`--${name} is required`);
  return v.trim();
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const { values, positionals } = parseArgs({
    args: rest,
    allowPositionals: true,
    options: {
      email: { type: 'string' },
      role: { type: 'string' },
      name: { type: 'string' },
      password: { type: 'string' },
      'person-id': { type: 'string' },
      slot: { type: 'string' },
    },
  });
  const config = loadConfig();
  const database = await createDb({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
  const db = database.db;
  const actor = { id: null, name: 'cli' };
  try {
    await migrateToLatest(db);
    switch (command) {
      case 'migrate':
        process.stdout.write('migrations are up to date\n');
        break;
      case 'seed-demo': {
        const result = await seedDemo(db);
        process.stdout.write(result.seeded ? `demo data added; accounts use the password "${DEMO_PASSWORD}":\n` : 'demo data was already there\n');
        for (const a of result.accounts) process.stdout.write(`  ${a.role.padEnd(9)} ${a.email}\n`);
        break;
      }
      case 'create-user': {
        const role = need(values, 'role') as Role;
        if (!ROLES.includes(role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
        const personId = values['person-id'] ? Number(values['person-id']) : null;
        if (personId !== null) {
          if (role !== 'lawyer' && role !== 'volunteer') throw new UsageError('--person-id goes with --role lawyer or volunteer');
          const table = role === 'lawyer' ? 'lawyers' : 'volunteers';
          const found = Number.isInteger(personId) && (await sql`select 1 from ${sql.table(table)} where id = ${personId}`.execute(db)).rows.length > 0;
          if (!found) throw new UsageError(`no ${role} with id ${values['person-id']}`);
        }
        const { user, password } = await createUser(db, actor, {
          email: need(values, 'email'),
          name: need(values, 'name'),
          role,
          password: values.password ?? null,
          lawyerId: role === 'lawyer' ? personId : null,
          volunteerId: role === 'volunteer' ? personId : null,
        });
        process.stdout.write(`created ${user.role} ${user.email} (id ${user.id})\n`);
        if (!values.password) process.stdout.write(`generated password (must be changed at first login): ${password}\n`);
        break;
      }
      case 'create-token': {
        const email = need(values, 'email');
        const user = await db.selectFrom('users').select(['id', 'email']).where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
        if (!user) throw new UsageError(`no user with email ${email}`);
        const { token } = await createToken(db, actor, user.id, need(values, 'name'));
        process.stdout.write(`${token}\n`);
        break;
      }
      case 'run-job': {
        const name = positionals[0];
        if (!name) throw new UsageError(`name a job: ${JOBS.map((j) => j.name).join(', ')}`);
        const log = { info: (o: object, m?: string) => process.stdout.write(`${m ?? ''} ${JSON.stringify(o)}\n`), error: (o: object, m?: string) => process.stderr.write(`${m ?? ''} ${JSON.stringify(o)}\n`) };
        // a manual run gets its own slot so it never collides with the scheduled one
        const result = await runJob(db, name, { log }, { slot: values.slot ?? `manual:${new Date().toISOString()}` });
        process.stdout.write(result.ran ? `${name} ran (${result.slot}): ${result.detail ?? ''}\n` : `${name} already ran for ${result.slot}\n`);
        break;
      }
      case 'rotation-replay': {
        const report = await replayHistory(db);
        process.stdout.write(`${replayLines(report).join('\n')}\n`);
        if (report.differences.length || report.standings.length) process.exitCode = 1;
        break;
      }
      default:
        throw new UsageError(`unknown command "${command}"`);
    }
  } finally {
    await database.close();
  }
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof UsageError) process.stderr.write(`fayuan: ${err.message}\n\n${USAGE}\n`);
  else if (err instanceof ConfigError || err instanceof DataDirLockedError) process.stderr.write(`fayuan: ${err.message}\n`);
  else if (err instanceof ValidationError) {
    const t = translator('en');
    process.stderr.write(`fayuan: ${err.fields.map((f) => `--${f.field}: ${t(f.key, f.params)}`).join('; ')}\n`);
  } else process.stderr.write(`fayuan: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});
