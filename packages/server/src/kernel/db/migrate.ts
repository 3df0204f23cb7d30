// biome-ignore-all lint/suspicious/noExplicitAny: migrations run against any schema version.
import type { Kysely } from 'kysely';
import { type Migration, type MigrationResultSet, Migrator } from 'kysely/migration';
import { DatapolisError } from '../errors.ts';

/** A module's migrations: file name (YYYYMMDDHHmm_<verb>_<object>) to its up/down functions. */
export type MigrationSet = Record<string, Migration>;

export interface MigrationSource {
  module: string;
  migrations: MigrationSet;
}

// Migration names sort by their timestamp first, then module, so that modules added later interleave
// by date; unordered application is allowed because modules are written in parallel.
function collect(sources: MigrationSource[]): Record<string, Migration> {
  const all: Record<string, Migration> = {};
  for (const source of sources) {
    for (const [file, migration] of Object.entries(source.migrations)) {
      const [stamp, ...rest] = file.split('_');
      all[`${stamp}_${source.module}_${rest.join('_')}`] = migration;
    }
  }
  return all;
}

function migrator(db: Kysely<any>, sources: MigrationSource[]): Migrator {
  const migrations = collect(sources);
  return new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    allowUnorderedMigrations: true,
    migrationTableName: 'kernel_migrations',
    migrationLockTableName: 'kernel_migrations_lock',
  });
}

export async function migrateToLatest(db: Kysely<any>, sources: MigrationSource[]): Promise<string[]> {
  const result: MigrationResultSet = await migrator(db, sources).migrateToLatest();
  if (result.error !== undefined) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new DatapolisError(
      'MIGRATION_FAILED',
      500,
      `Migration ${failed?.migrationName ?? '(unknown)'} failed: ${String((result.error as Error).message ?? result.error)}`,
      { cause: result.error },
    );
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Names of migrations not applied yet (empty when the schema is current). */
export async function pendingMigrations(db: Kysely<any>, sources: MigrationSource[]): Promise<string[]> {
  const info = await migrator(db, sources).getMigrations();
  return info.filter((m) => m.executedAt === undefined).map((m) => m.name);
}
