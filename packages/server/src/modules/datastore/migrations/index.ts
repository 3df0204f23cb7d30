import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createDatastoreTables from './202612010100_create_datastore_tables.ts';

export const datastoreMigrations: MigrationSet = {
  '202612010100_create_datastore_tables': createDatastoreTables,
};
