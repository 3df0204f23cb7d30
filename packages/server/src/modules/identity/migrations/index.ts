import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createIdentityTables from './202611292220_create_identity_tables.ts';

export const identityMigrations: MigrationSet = {
  '202611292220_create_identity_tables': createIdentityTables,
};
