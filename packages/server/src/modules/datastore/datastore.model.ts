/**
 * The shapes the datastore shares between its reader, validator, loader and API: a Frictionless Table
 * Schema (v1 fields, v2 `fieldsMatch`), the dialect a file is read with, and the validation report.
 */

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

export interface FieldConstraints {
  required?: boolean;
  unique?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: number | string;
  maximum?: number | string;
  pattern?: string;
  enum?: unknown[];
}

export interface TableField {
  name: string;
  type: TableFieldType;
  format?: string;
  title?: string;
  description?: string;
  constraints?: FieldConstraints;
  /** Per-field missing values override the schema's. */
  missingValues?: string[];
  /** integer/number: allow `1,000` style grouping and `%`/currency around numbers (Table Schema). */
  groupChar?: string;
  decimalChar?: string;
  bareNumber?: boolean;
  trueValues?: string[];
  falseValues?: string[];
  /** array fields: constraints on each item. */
  arrayItem?: { type?: TableFieldType; constraints?: FieldConstraints };
}

export interface ForeignKey {
  fields: string[];
  /** `resource: ""` (or absent) refers to the same table. */
  reference: { resource?: string; fields: string[] };
}

export interface TableSchema {
  fields: TableField[];
  primaryKey?: string[];
  foreignKeys?: ForeignKey[];
  missingValues?: string[];
  /** How header labels are matched to fields (Table Schema v2): exact by position by default. */
  fieldsMatch?: 'exact' | 'equal' | 'subset' | 'superset' | 'partial';
}

export type SourceFormat = 'csv' | 'tsv' | 'xlsx' | 'json' | 'ndjson' | 'geojson';
export type Compression = 'none' | 'gz' | 'zip';

/** How to read a file; everything not given is detected. */
export interface ReadOptions {
  format?: SourceFormat;
  /** A WHATWG encoding label (utf-8, gb18030, gbk, windows-1252, ...); detected when absent. */
  encoding?: string;
  delimiter?: string;
  quoteChar?: string;
  escapeChar?: string;
  commentChar?: string;
  /** false: the first row is data, fields are named field1, field2, ... */
  header?: boolean;
  compression?: Compression;
  /** xlsx: sheet by 1-based index or by name. */
  sheet?: number | string;
  /** Caps that protect the platform from hostile files. */
  limits?: Partial<ReadLimits>;
  /**
   * The bytes as they arrive, read instead of the file at the path (which then only names the source):
   * an upload is validated while it is being stored. Streaming readers only: not XLSX, not zip.
   */
  incoming?: IncomingBytes;
}

/** A single-use stream of a file's bytes. */
export interface IncomingBytes {
  chunks: AsyncIterable<Buffer>;
  /** Stops the stream when the reader gives up early. */
  close(): void;
}

export interface ReadLimits {
  maxColumns: number;
  /** Longest physical line or cell, in bytes. */
  maxCellBytes: number;
  /** Total decompressed bytes accepted from a compressed input (zip/gz/xlsx). */
  maxDecompressedBytes: number;
  /** Decompressed/compressed ratio above which an archive is treated as a bomb. */
  maxCompressionRatio: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = {
  maxColumns: 1_000,
  maxCellBytes: 16 * 1024 * 1024,
  maxDecompressedBytes: 20 * 1024 * 1024 * 1024,
  maxCompressionRatio: 200,
};

/** One physical row as read: cells are strings for text formats, JSON values for JSON/XLSX. */
export interface SourceRow {
  /** Physical row number as Frictionless counts it: the header row is 1 in a CSV with a header. */
  rowNumber: number;
  cells: unknown[];
}

/** What a reader found out about the file, available once the header is read. */
export interface SourceInfo {
  format: SourceFormat;
  encoding: string | null;
  compression: Compression;
  delimiter: string | null;
  /** Header labels as written (empty string for a blank label); generated labels when header is false. */
  labels: string[];
  /** Physical row number of the header row (0 when there is no header). */
  headerRowNumber: number;
}

export interface TableSource {
  info: SourceInfo;
  rows: AsyncIterable<SourceRow>;
  /**
   * The same rows, several at a time, for readers that parse in slices (CSV): a load then waits once a
   * slice instead of once a row. Read either `rows` or `batches`, not both.
   */
  batches?: AsyncIterable<SourceRow[]>;
  /** Bytes read from the underlying file so far (compressed bytes for compressed inputs): drives progress bars. */
  bytesRead(): number;
  close(): Promise<void>;
}

/** Frictionless error types, named as Frictionless names them. */
export type ValidationErrorType =
  | 'blank-label'
  | 'duplicate-label'
  | 'missing-label'
  | 'extra-label'
  | 'incorrect-label'
  | 'blank-row'
  | 'extra-cell'
  | 'missing-cell'
  | 'type-error'
  | 'constraint-error'
  | 'unique-error'
  | 'primary-key'
  | 'foreign-key'
  | 'encoding-error'
  | 'source-error'
  | 'format-error'
  | 'compression-error'
  | 'schema-error'
  | 'row-count'
  | 'byte-count'
  | 'hash-count';

export interface ValidationError {
  type: ValidationErrorType;
  /** Physical row number (header = 1); absent for header and file errors. */
  rowNumber?: number;
  /** 1-based field number; absent for row and file errors. */
  fieldNumber?: number;
  fieldName?: string;
  /** The offending cell as read, when there is one. */
  cell?: string;
  /** One readable English sentence, in the manner of Frictionless's notes. */
  message: string;
}

export interface ValidationReport {
  valid: boolean;
  /** Errors in Frictionless order: header errors first, then by row and, within a row, by field. */
  errors: ValidationError[];
  /** How many errors there were in all (errors[] stops at the limit). */
  errorCount: number;
  limitReached: boolean;
  stats: { rows: number; fields: number; bytes: number; sha256: string | null };
  schema: TableSchema;
  source: Omit<SourceInfo, 'labels' | 'headerRowNumber'> | null;
}

/**
 * The PostgreSQL column type each Table Schema type is stored as. Cast values reach the loader as the text
 * PostgreSQL reads for that type (COPY text format and `$n::type` parameters alike).
 */
export const COLUMN_TYPES: Record<TableFieldType, string> = {
  string: 'text',
  integer: 'bigint',
  number: 'numeric',
  boolean: 'boolean',
  date: 'date',
  // Naive date-times stay naive; zoned ones are converted to UTC before they are stored.
  datetime: 'timestamp',
  time: 'time',
  year: 'integer',
  yearmonth: 'text',
  duration: 'text',
  geopoint: 'jsonb',
  geojson: 'jsonb',
  object: 'jsonb',
  array: 'jsonb',
  any: 'text',
};

/** One row after casting: in schema field order, each value as PostgreSQL text input, null for missing. */
export type CastValues = (string | null)[];

/**
 * Validates a table as it streams by: the loader feeds it the header, then every row, and writes the cast
 * values of rows that passed. Memory stays bounded except for what unique, primary-key and foreign-key
 * checks must remember (the key values seen).
 */
export interface TableValidator {
  /** Header checks (blank/duplicate/missing/extra labels); call once before the rows. */
  header(labels: string[]): void;
  /**
   * Casts and checks one row. Returns the values to store, or undefined when the row has an error. The array
   * is the validator's own and is overwritten by the next call: copy what you keep.
   */
  row(row: SourceRow): CastValues | undefined;
  /** Adds a file-level error found by the reader (encoding-error, source-error, format-error, ...). */
  fail(error: ValidationError): void;
  /** Ends the table: runs the checks that need every row (foreign keys) and returns the report. */
  finish(stats: { bytes: number; sha256: string | null }): ValidationReport;
  /** True once any error was recorded: the loader can stop writing and only keep validating. */
  readonly failed: boolean;
}
