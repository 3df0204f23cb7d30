import type { MigrationSet } from '../../db/migrate.ts';
import * as createJobsTable from './202611292215_create_jobs_table.ts';

export const jobsMigrations: MigrationSet = {
  '202611292215_create_jobs_table': createJobsTable,
};
