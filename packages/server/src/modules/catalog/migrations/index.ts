import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createCatalogTables from './202611300100_create_catalog_tables.ts';

export const catalogMigrations: MigrationSet = {
  '202611300100_create_catalog_tables': createCatalogTables,
};
