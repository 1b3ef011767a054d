// What happens on start before the app listens: migrations, the first admin,
// and demo data on an empty embedded database.
import { sql, type Kysely } from 'kysely';
import type { Config } from './config.js';
import type { DB } from './db/types.js';
import { migrateToLatest } from './db/migrate.js';
import { createUser } from './modules/users/users.service.js';
import { SYSTEM_ACTOR } from './plugins/audit.js';
import { seedDemo, DEMO_ACCOUNTS, DEMO_PASSWORD, type DemoAccount } from './seed/demo.js';

export interface BootstrapResult {
  migrations: string[];
  /** set when an admin was created with a generated password (print it once) */
  generatedAdmin?: { email: string; password: string };
  createdAdmin?: string;
  demoAccounts?: readonly DemoAccount[];
}

export async function bootstrap(db: Kysely<DB>, config: Config, embedded: boolean): Promise<BootstrapResult> {
  const migrations = await migrateToLatest(db);
  const result: BootstrapResult = { migrations };
  const empty = !(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());
  if (embedded && config.demo && empty) await seedDemo(db);
  const demoSeeded = await db.selectFrom('app_meta').select('key').where('key', '=', 'demo_seeded').executeTakeFirst();
  if (embedded && demoSeeded) result.demoAccounts = DEMO_ACCOUNTS;
  // the first admin: from ADMIN_EMAIL/ADMIN_PASSWORD, or with a password printed once
  const noUsers = !(await db.selectFrom('users').select('id').limit(1).executeTakeFirst());
  if (noUsers || (empty && config.adminEmail)) {
    const email = config.adminEmail ?? 'admin@fayuan.local';
    const exists = await db.selectFrom('users').select('id').where(sql<string>`lower(email)`, '=', email.toLowerCase()).executeTakeFirst();
    if (!exists) {
      const { password } = await createUser(db, SYSTEM_ACTOR, { email, name: 'Administrator', role: 'admin', password: config.adminPassword ?? null });
      if (config.adminPassword) result.createdAdmin = email;
      else result.generatedAdmin = { email, password };
    }
  }
  return result;
}

export { DEMO_PASSWORD };
