export { type CopyValue, copyRows } from './copy.ts';
export { createDb, type Db, type DbCapabilities, type DbTarget } from './create-db.ts';
export type { Database } from './database.ts';
export { type MigrationSet, type MigrationSource, migrateToLatest, pendingMigrations } from './migrate.ts';
