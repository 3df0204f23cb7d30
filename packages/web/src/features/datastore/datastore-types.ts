// Shapes of the datastore API (/api/v1/datastore); kept by hand like the catalog's.

export const FIELD_TYPES = [
  'string',
  'integer',
  'number',
  'boolean',
  'date',
  'datetime',
  'time',
  'year',
  'yearmonth',
  'duration',
  'geopoint',
  'geojson',
  'object',
  'array',
  'any',
] as const;
export type TableFieldType = (typeof FIELD_TYPES)[number];

export interface DatastoreField {
  name: string;
  type: TableFieldType;
  title?: string;
  description?: string;
}

export type GeoConfig = { kind: 'geojson'; field: string } | { kind: 'latlon'; lat: string; lon: string };

export interface DatastoreResource {
  id: string;
  entryCode: string;
  entryName: { zh: string; en?: string; fr?: string };
  organizationId: string;
  name: string;
  description: string | null;
  liveVersion: number | null;
  rowCount: number | null;
  fields: DatastoreField[];
  geo: GeoConfig | null;
  createdAt: string;
  updatedAt: string;
  access: { read: boolean; manage: boolean; conditional: boolean };
}

export const VERSION_STATES = ['loading', 'live', 'failed', 'cancelled', 'superseded', 'pruned'] as const;
export type VersionState = (typeof VERSION_STATES)[number];

export interface DatastoreVersion {
  version: number;
  state: VersionState;
  rows: number | null;
  bytes: number | null;
  sha256: string | null;
  filename: string | null;
  format: string | null;
  encoding: string | null;
  valid: boolean | null;
  errorCount: number;
  jobId: string | null;
  createdAt: string;
  createdBy: string | null;
  liveAt: string | null;
}

export interface ValidationError {
  type: string;
  rowNumber?: number;
  fieldNumber?: number;
  fieldName?: string;
  cell?: string;
  message: string;
}

export interface ValidationReport {
  valid: boolean;
  errors: ValidationError[];
  errorCount: number;
  limitReached: boolean;
  stats: { rows: number; fields: number; bytes: number; sha256: string | null };
  schema: { fields: DatastoreField[]; primaryKey?: string[] };
  source: { format: string; encoding: string | null; compression: string; delimiter: string | null } | null;
}

export type DataRecord = Record<string, unknown>;

export interface RecordsPage {
  resource: string;
  version: number;
  fields: DatastoreField[];
  records: DataRecord[];
  total: number | null;
  totalExact: boolean;
  limit: number;
  offset: number;
  nextCursor: string | null;
}

/** Row keys are the group-by field names and metric names such as `count` or `sum:price`. */
export interface AggregateResult {
  groupBy: string[];
  metrics: string[];
  rows: DataRecord[];
}

export interface UploadResult {
  id: string;
  filename: string;
  bytes: number;
  sha256: string;
}

export interface LoadRequest {
  uploadId: string;
  format?: string;
  encoding?: string;
  delimiter?: string;
  header?: boolean;
  /** A 1-based sheet number or a sheet name. */
  sheet?: number | string;
}

export interface LoadStarted {
  jobId: string;
  version: number;
}

export const INTAKE_FORMATS = ['csv', 'json', 'ndjson'] as const;
export type IntakeFormat = (typeof INTAKE_FORMATS)[number];
export type IntakeStatus = 'unchanged' | 'loaded' | 'failed';

/** A table's scheduled intake: the address pulled on schedule and how its last pull went. */
export interface DatastoreIntake {
  url: string;
  /** Null: taken from the response's content type. */
  format: IntakeFormat | null;
  intervalMinutes: number;
  enabled: boolean;
  lastRunAt: string | null;
  lastStatus: IntakeStatus | null;
  lastError: string | null;
  /** Failed pulls in a row; back to 0 after a good one. */
  failures: number;
  nextRunAt: string | null;
}

export interface IntakeRequest {
  url: string;
  format?: IntakeFormat;
  intervalMinutes: number;
  enabled: boolean;
}

export const DOWNLOAD_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type DownloadFormat = (typeof DOWNLOAD_FORMATS)[number];

/** Field types whose values are ordered: filtered by range, summed or averaged when numeric. */
export const NUMERIC_TYPES: readonly TableFieldType[] = ['integer', 'number'];
export const TEMPORAL_TYPES: readonly TableFieldType[] = ['date', 'datetime', 'time', 'year', 'yearmonth'];
