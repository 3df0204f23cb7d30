import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type Json<T> = ColumnType<T, string, string>;

export type WorkState = 'queued' | 'running' | 'done' | 'failed';

/** A sensitive-data scan of one version of a data table; its report proposes each field's category and grade. */
export interface SecurityScansTable {
  id: string;
  resource_id: string;
  entry_code: string;
  organization_id: string;
  version: number | null;
  /** Rows to scan at most; NULL: every row. */
  sample: number | null;
  state: WorkState;
  job_id: string | null;
  report: Json<unknown> | null;
  error: string | null;
  requested_by: string | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
}

/**
 * A de-identified table made from a source table (Art. 46): the plan as given (secrets never), the risk
 * assessment asked for, and once made, the new table, its report and how far it may be served.
 */
export interface SecurityDerivationsTable {
  id: string;
  source_resource_id: string;
  source_version: number | null;
  organization_id: string;
  target_entry_code: string;
  target_name: string;
  plan: Json<unknown>;
  risk: Json<unknown>;
  state: WorkState;
  job_id: string | null;
  target_resource_id: string | null;
  target_version: number | null;
  rows: number | null;
  records_suppressed: number | null;
  report: Json<unknown> | null;
  /** Pass or fail of the same table under each scenario's thresholds. */
  scenarios: Json<unknown> | null;
  clearance: string | null;
  lineage: Json<unknown> | null;
  error: string | null;
  requested_by: string | null;
  created_at: Generated<Date>;
  finished_at: Timestamp | null;
}

/** Secrets the platform keeps for itself, such as the key of keyed hashing; never served. */
export interface SecurityKeysTable {
  name: string;
  secret: Buffer;
  created_at: Generated<Date>;
}

export interface SecurityResourceTables {
  security_scans: SecurityScansTable;
  security_derivations: SecurityDerivationsTable;
  security_keys: SecurityKeysTable;
}
