import type { MigrationSet } from '../../db/migrate.ts';
import * as createLedgerTables from './202611292210_create_ledger_tables.ts';

export const ledgerMigrations: MigrationSet = {
  '202611292210_create_ledger_tables': createLedgerTables,
};
