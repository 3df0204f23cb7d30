import type { MigrationSet } from '../../../kernel/db/migrate.ts';

// One migration file per area of the module (grading, incidents, monitoring, derived resources).
export const securityMigrations: MigrationSet = {};
