import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createOpeningTables from './202612020200_create_opening_tables.ts';

export const openingMigrations: MigrationSet = {
  '202612020200_create_opening_tables': createOpeningTables,
};
