// Applies pending migrations from migrations/ (TypeScript under tsx, compiled
// JavaScript under dist/). Kysely's migrator serialises concurrent runners.
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FileMigrationProvider, Migrator, type Kysely } from 'kysely';

const here = dirname(fileURLToPath(import.meta.url));

export function migrationsFolder(): string {
  // src/db -> ../../migrations ; dist/db -> ../migrations (compiled copies)
  const compiled = join(here, '..', 'migrations');
  if (here.includes(`${join('dist', 'db')}`) && existsSync(compiled)) return compiled;
  return join(here, '..', '..', 'migrations');
}

export async function migrateToLatest(db: Kysely<any>): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path: { join }, migrationFolder: migrationsFolder() }),
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error instanceof Error ? error : new Error('migration failed', { cause: error });
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
