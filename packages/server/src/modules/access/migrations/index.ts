import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createAccessTables from './202612020100_create_access_tables.ts';

export const accessMigrations: MigrationSet = {
  '202612020100_create_access_tables': createAccessTables,
};
