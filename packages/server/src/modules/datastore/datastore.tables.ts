import type { ColumnType, Generated } from 'kysely';
import type { TableSchema, ValidationReport } from './datastore.model.ts';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type VersionState = 'loading' | 'live' | 'failed' | 'cancelled' | 'superseded' | 'pruned';

/** A table of data behind a catalog entry; each load makes a new version. */
export interface DatastoreResourcesTable {
  id: string;
  entry_code: string;
  organization_id: string;
  name: string;
  description: string | null;
  live_version: number | null;
  next_version: Generated<number>;
  created_by: string | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
  /** For a de-identified derivation of personal information: the strictest use scenario its risk passed. */
  release_clearance: ColumnType<string | null, string | null | undefined, string | null>;
}

/** How a load was asked for: what the reader and validator were told. */
export interface LoadOptions {
  format?: string;
  encoding?: string;
  delimiter?: string;
  header?: boolean;
  sheet?: number | string;
  schema?: TableSchema;
  indexes?: string[][];
  primaryKey?: string[];
}

/** The physical column of each schema field, and what the load learnt about it. */
export interface ColumnInfo {
  field: string;
  column: string;
  type: string;
  /** Cells left empty in this version: keyset paging skips its NULL handling when there are none. */
  nulls: number;
}

export interface DatastoreVersionsTable {
  resource_id: string;
  version: number;
  state: VersionState;
  table_name: string;
  upload_id: string | null;
  filename: string | null;
  options: Json<LoadOptions>;
  schema: Json<TableSchema> | null;
  columns: Json<ColumnInfo[]> | null;
  report: Json<ValidationReport> | null;
  rows: number | null;
  bytes: number | null;
  sha256: string | null;
  format: string | null;
  encoding: string | null;
  job_id: string | null;
  created_by: string | null;
  created_at: Generated<Date>;
  live_at: Date | null;
  finished_at: Date | null;
}

export interface DatastoreUploadsTable {
  id: string;
  filename: string;
  bytes: number;
  sha256: string;
  storage_key: string;
  created_by: string | null;
  created_at: Generated<Date>;
}

export interface DatastoreIntakesTable {
  resource_id: string;
  url: string;
  format: string | null;
  interval_minutes: number;
  enabled: boolean;
  last_run_at: Date | null;
  last_status: 'unchanged' | 'loaded' | 'failed' | null;
  last_error: string | null;
  failures: Generated<number>;
  last_sha256: string | null;
  next_run_at: Timestamp;
  created_by: string | null;
  updated_at: Timestamp;
}

export interface DatastoreTables {
  datastore_resources: DatastoreResourcesTable;
  datastore_versions: DatastoreVersionsTable;
  datastore_uploads: DatastoreUploadsTable;
  datastore_intakes: DatastoreIntakesTable;
}
