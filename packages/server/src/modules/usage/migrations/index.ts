import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createUsageTables from './202612020300_create_usage_tables.ts';

export const usageMigrations: MigrationSet = {
  '202612020300_create_usage_tables': createUsageTables,
};
