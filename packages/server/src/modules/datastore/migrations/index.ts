import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createDatastoreTables from './202612010100_create_datastore_tables.ts';
import * as addReleaseClearance from './202612030500_add_release_clearance.ts';

export const datastoreMigrations: MigrationSet = {
  '202612010100_create_datastore_tables': createDatastoreTables,
  '202612030500_add_release_clearance': addReleaseClearance,
};
