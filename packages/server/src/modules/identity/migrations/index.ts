import type { MigrationSet } from '../../../kernel/db/migrate.ts';
import * as createIdentityTables from './202611292220_create_identity_tables.ts';
import * as createClients from './202612020400_create_clients.ts';

export const identityMigrations: MigrationSet = {
  '202611292220_create_identity_tables': createIdentityTables,
  '202612020400_create_clients': createClients,
};
