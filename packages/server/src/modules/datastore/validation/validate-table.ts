/**
 * End-to-end validation of a table source: sample, infer a schema when none is given, stream every row
 * through the validator, and fold reader failures into the report.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type {
  ReadOptions,
  SourceRow,
  TableSchema,
  TableSource,
  ValidationError,
  ValidationReport,
} from '../datastore.model.ts';
import { type InferOptions, inferSchema } from './infer.ts';
import { createTableValidator } from './validator.ts';

export const DEFAULT_SAMPLE_ROWS = 1_000;

export interface ValidateTableOptions {
  /** Validate against this schema; inferred from the first `sampleRows` rows when absent. */
  schema?: TableSchema;
  errorLimit?: number;
  sampleRows?: number;
  /** Validate only the first rows (Frictionless `limit_rows`). */
  limitRows?: number;
  /** Inference options (missing values, confidence) when no schema is given. */
  infer?: InferOptions;
  /** Known file digests and size, reported as they are. */
  sha256?: string | null;
  md5?: string | null;
  bytes?: number;
  /**
   * What the resource descriptor declares (`hash`, `bytes`, `rows`): a difference is a hash-count, byte-count
   * or row-count error. `hash` is `sha256:<hex>` or `md5:<hex>`; a bare hex is md5 (Table Schema v1).
   */
  expected?: { hash?: string; bytes?: number; rows?: number };
}

function statErrors(
  expected: NonNullable<ValidateTableOptions['expected']>,
  actual: { sha256: string | null; md5: string | null; bytes: number; rows: number },
): ValidationError[] {
  const errors: ValidationError[] = [];
  if (expected.hash !== undefined) {
    const colon = expected.hash.indexOf(':');
    const algorithm = colon < 0 ? 'md5' : expected.hash.slice(0, colon);
    const want = colon < 0 ? expected.hash : expected.hash.slice(colon + 1);
    const got = algorithm === 'sha256' ? actual.sha256 : algorithm === 'md5' ? actual.md5 : null;
    if (got !== null && got !== want)
      errors.push({
        type: 'hash-count',
        message: `The ${algorithm} hash of the file is "${got}" but "${want}" was expected.`,
      });
  }
  if (expected.bytes !== undefined && expected.bytes !== actual.bytes)
    errors.push({
      type: 'byte-count',
      message: `The file has ${actual.bytes} bytes but ${expected.bytes} were expected.`,
    });
  if (expected.rows !== undefined && expected.rows !== actual.rows)
    errors.push({
      type: 'row-count',
      message: `The table has ${actual.rows} rows but ${expected.rows} were expected.`,
    });
  return errors;
}

/** Reader failures carry their own report entry; anything else is reported as a source error. */
function toValidationError(error: unknown): ValidationError {
  if (typeof error === 'object' && error !== null && 'toValidationError' in error) {
    const convert = (error as { toValidationError: unknown }).toValidationError;
    if (typeof convert === 'function') return convert.call(error) as ValidationError;
  }
  return { type: 'source-error', message: error instanceof Error ? error.message : String(error) };
}

function isReaderError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && 'toValidationError' in error;
}

export async function validateTable(
  source: TableSource,
  options: ValidateTableOptions = {},
): Promise<ValidationReport> {
  const limitRows = options.limitRows ?? Number.POSITIVE_INFINITY;
  const sampleRows = Math.min(options.sampleRows ?? DEFAULT_SAMPLE_ROWS, limitRows);
  const iterator = source.rows[Symbol.asyncIterator]();
  let readError: ValidationError | undefined;
  try {
    const sample: SourceRow[] = [];
    try {
      if (options.schema === undefined)
        while (sample.length < sampleRows) {
          const next = await iterator.next();
          if (next.done === true) break;
          sample.push(next.value);
        }
    } catch (error) {
      if (!isReaderError(error)) throw error;
      readError = toValidationError(error);
    }
    const { labels, headerRowNumber } = source.info;
    const schema =
      options.schema ??
      inferSchema(
        labels,
        sample.map((r) => r.cells),
        options.infer,
      );
    const validator = createTableValidator(
      schema,
      options.errorLimit === undefined ? {} : { errorLimit: options.errorLimit },
    );
    // Generated labels (no header row) are not compared with the schema.
    validator.header(headerRowNumber === 0 ? [] : labels);
    let rows = 0;
    for (const row of sample) {
      validator.row(row);
      rows++;
    }
    if (readError !== undefined) validator.fail(readError);
    else
      try {
        while (rows < limitRows) {
          const next = await iterator.next();
          if (next.done === true) break;
          validator.row(next.value);
          rows++;
        }
      } catch (error) {
        if (!isReaderError(error)) throw error;
        validator.fail(toValidationError(error));
      }
    const bytes = options.bytes ?? source.bytesRead();
    const sha256 = options.sha256 ?? null;
    if (options.expected !== undefined && readError === undefined)
      for (const error of statErrors(options.expected, { sha256, md5: options.md5 ?? null, bytes, rows }))
        validator.fail(error);
    const report = validator.finish({ bytes, sha256 });
    const { format, encoding, compression, delimiter } = source.info;
    return { ...report, source: { format, encoding, compression, delimiter } };
  } finally {
    await source.close();
  }
}

export interface ValidateFileOptions extends Omit<ValidateTableOptions, 'sha256' | 'md5' | 'bytes'> {
  read?: ReadOptions;
  /** Compute the file's SHA-256 (a second pass over the bytes); default true. */
  hash?: boolean;
}

async function digestsOf(path: string): Promise<{ sha256: string; md5: string }> {
  const sha256 = createHash('sha256');
  const md5 = createHash('md5');
  for await (const chunk of createReadStream(path)) {
    sha256.update(chunk as Buffer);
    md5.update(chunk as Buffer);
  }
  return { sha256: sha256.digest('hex'), md5: md5.digest('hex') };
}

/** Opens a file with the tabular readers and validates it; a file that cannot be opened gives a one-error report. */
export async function validateFile(
  path: string,
  options: ValidateFileOptions = {},
): Promise<ValidationReport> {
  // Loaded on demand: validating in-memory rows needs none of the readers' dependencies.
  const { openTableSource } = await import('../tabular/index.ts');
  const bytes = (await stat(path)).size;
  const digests = options.hash === false ? null : await digestsOf(path);
  const sha256 = digests?.sha256 ?? null;
  let source: TableSource;
  try {
    source = await openTableSource(path, options.read ?? {});
  } catch (error) {
    if (!isReaderError(error)) throw error;
    return {
      valid: false,
      errors: [toValidationError(error)],
      errorCount: 1,
      limitReached: false,
      stats: { rows: 0, fields: 0, bytes, sha256 },
      schema: options.schema ?? { fields: [] },
      source: null,
    };
  }
  const { read: _read, hash: _hash, ...rest } = options;
  return validateTable(source, { ...rest, bytes, sha256, md5: digests?.md5 ?? null });
}
