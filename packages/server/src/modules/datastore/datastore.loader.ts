import { sql } from 'kysely';
import type { Db } from '../../kernel/db/index.ts';
import { createBulkWriter } from './datastore.bulk.ts';
import {
  COLUMN_TYPES,
  type ReadOptions,
  type SourceRow,
  type TableSchema,
  type ValidationReport,
} from './datastore.model.ts';
import type { ColumnInfo } from './datastore.tables.ts';
import { openTableSource, ReadError } from './tabular/index.ts';
import { createTableValidator, inferSchema } from './validation/index.ts';

export const SAMPLE_ROWS = 1_000;
export const ERROR_LIMIT = 1_000;

export interface LoadInput {
  path: string;
  read: ReadOptions;
  /** Given by the publisher; inferred from the first rows when absent. */
  schema: TableSchema | undefined;
  /** A primary key for an inferred schema (the fields are inferred, the key is declared). */
  primaryKey?: string[];
  /** Schema-qualified, quoted name of the table to create. */
  table: string;
  /** The file's size and hash, once it is all stored (a file loaded while it arrives is hashed as it is). */
  stored(): Promise<{ bytes: number; sha256: string }>;
  indexes: string[][];
  /** Called every few thousand rows; throws to stop (a cancelled job). */
  progress(bytesRead: number, rows: number): Promise<void>;
}

export interface LoadResult {
  report: ValidationReport;
  columns: ColumnInfo[];
  rows: number;
}

const MAX_IDENTIFIER_BYTES = 63;

/**
 * Column names are the field names, so that the SQL endpoint reads as the publisher named things.
 * PostgreSQL keeps 63 bytes of a name: longer names are cut on a character boundary and made unique.
 */
export function columnNames(fields: string[]): string[] {
  const used = new Set<string>(['_id']);
  const cut = (text: string, room: number) => {
    const chars = Array.from(text);
    while (Buffer.byteLength(chars.join('')) > room) chars.pop();
    return chars.join('');
  };
  return fields.map((name) => {
    const base = cut(name, MAX_IDENTIFIER_BYTES);
    let column = base;
    for (let n = 2; used.has(column); n++)
      column = `${cut(base, MAX_IDENTIFIER_BYTES - `_${n}`.length)}_${n}`;
    used.add(column);
    return column;
  });
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

export async function dropTable(db: Db, table: string): Promise<void> {
  await sql.raw(`DROP TABLE IF EXISTS ${table}`).execute(db.kysely);
}

/**
 * Reads, validates and writes a file in one pass. Rows are written while the file is valid; at the first
 * error writing stops and reading goes on only to complete the report. The caller decides from the
 * report whether the table goes live or is dropped.
 */
export async function loadTable(db: Db, input: LoadInput): Promise<LoadResult> {
  let source: Awaited<ReturnType<typeof openTableSource>>;
  try {
    source = await openTableSource(input.path, input.read);
  } catch (error) {
    if (error instanceof ReadError) {
      // Bytes still arriving are not read: the store takes the rest.
      input.read.incoming?.close();
      return failedBeforeRows(error, await input.stored(), input.schema);
    }
    throw error;
  }
  const writer = { current: undefined as Awaited<ReturnType<typeof createBulkWriter>> | undefined };
  try {
    const iterator = (source.batches ?? oneByOne(source.rows))[Symbol.asyncIterator]();
    const sample: SourceRow[] = [];
    // Rows of the last batch read for the sample that are past it.
    let rest: SourceRow[] = [];
    let readError: ReadError | undefined;
    try {
      while (sample.length < SAMPLE_ROWS) {
        const next = await iterator.next();
        if (next.done === true) break;
        const room = SAMPLE_ROWS - sample.length;
        sample.push(...next.value.slice(0, room));
        rest = next.value.slice(room);
      }
    } catch (error) {
      if (!(error instanceof ReadError)) throw error;
      readError = error;
    }
    const labels = source.info.labels;
    const inferred =
      input.schema ??
      inferSchema(
        labels,
        sample.map((r) => r.cells),
      );
    const declared =
      input.primaryKey === undefined || inferred.primaryKey !== undefined
        ? inferred
        : { ...inferred, primaryKey: input.primaryKey };
    const unknownKey = (declared.primaryKey ?? []).filter((k) => !declared.fields.some((f) => f.name === k));
    const schema = unknownKey.length === 0 ? declared : inferred;
    const reserved = schema.fields.findIndex((f) => f.name === '_id');
    const validator = createTableValidator(schema, { errorLimit: ERROR_LIMIT });
    // Without a header row the labels are generated, and there is nothing to check them against.
    validator.header(source.info.headerRowNumber === 0 ? [] : labels);
    if (reserved >= 0)
      validator.fail({
        type: 'schema-error',
        fieldNumber: reserved + 1,
        fieldName: '_id',
        message: 'The field name "_id" is reserved for the row number; rename the column.',
      });
    if (readError !== undefined) validator.fail(readError.toValidationError());
    for (const key of unknownKey)
      validator.fail({
        type: 'schema-error',
        message: `The primary key names "${key}", which is not a field.`,
      });

    const names = columnNames(schema.fields.map((f) => f.name));
    const columns: ColumnInfo[] = schema.fields.map((f, i) => ({
      field: f.name,
      column: names[i]!,
      type: COLUMN_TYPES[f.type] ?? 'text',
      nulls: 0,
    }));
    if (!validator.failed) {
      const definition = ['"_id" bigint NOT NULL', ...columns.map((c) => `${quote(c.column)} ${c.type}`)];
      await sql.raw(`CREATE TABLE ${input.table} (${definition.join(', ')})`).execute(db.kysely);
      writer.current = await createBulkWriter(db, input.table);
    }

    let rows = 0;
    let sinceProgress = 0;
    const nulls = new Array<number>(columns.length).fill(0);
    const line: (string | number | null)[] = new Array(columns.length + 1);
    async function stopWriting(): Promise<void> {
      await writer.current?.abort();
      writer.current = undefined;
    }
    // Runs once per row: it returns a promise only when the caller has to wait (backpressure, progress,
    // stopping the writer), so that most rows cost no promise and no turn of the event loop.
    function take(row: SourceRow): Promise<void> | undefined {
      const values = validator.row(row);
      rows++;
      let wait: Promise<void> | undefined;
      if (writer.current !== undefined && validator.failed) wait = stopWriting();
      else if (values !== undefined && writer.current !== undefined) {
        line[0] = rows;
        for (let i = 0; i < values.length; i++) {
          const v = values[i] ?? null;
          if (v === null) nulls[i]!++;
          line[i + 1] = v;
        }
        wait = writer.current.write(line);
      }
      if (++sinceProgress >= 5_000) {
        sinceProgress = 0;
        const report = () => input.progress(source.bytesRead(), rows);
        wait = wait === undefined ? report() : wait.then(report);
      }
      return wait;
    }
    for (const row of sample) await take(row);
    for (const row of rest) {
      const pending = take(row);
      if (pending !== undefined) await pending;
    }
    if (readError === undefined) {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done === true) break;
          for (const row of next.value) {
            const pending = take(row);
            if (pending !== undefined) await pending;
          }
        }
      } catch (error) {
        if (!(error instanceof ReadError)) throw error;
        validator.fail(error.toValidationError());
      }
    }
    // How the file was read (given or detected): the report and the version record show it.
    const { format, encoding, compression, delimiter } = source.info;
    const report: ValidationReport = {
      ...validator.finish(await input.stored()),
      source: { format, encoding, compression, delimiter },
    };
    if (!report.valid || writer.current === undefined) {
      await writer.current?.abort();
      writer.current = undefined;
      return { report: { ...report, valid: false }, columns, rows };
    }
    await writer.current.finish();
    writer.current = undefined;
    await input.progress(source.bytesRead(), rows);
    columns.forEach((c, i) => {
      c.nulls = nulls[i]!;
    });
    await buildIndexes(db, input.table, columns, schema, input.indexes);
    return { report, columns, rows };
  } finally {
    await writer.current?.abort();
    await source.close();
  }
}

/** Batches of one row, for readers that hand rows over one at a time. */
async function* oneByOne(rows: AsyncIterable<SourceRow>): AsyncGenerator<SourceRow[]> {
  for await (const row of rows) yield [row];
}

function failedBeforeRows(
  error: ReadError,
  file: { bytes: number; sha256: string },
  schema: TableSchema | undefined,
): LoadResult {
  const report: ValidationReport = {
    valid: false,
    errors: [error.toValidationError()],
    errorCount: 1,
    limitReached: false,
    stats: { rows: 0, fields: 0, ...file },
    schema: schema ?? { fields: [] },
    source: null,
  };
  return { report, columns: [], rows: 0 };
}

async function buildIndexes(
  db: Db,
  table: string,
  columns: ColumnInfo[],
  schema: TableSchema,
  indexes: string[][],
): Promise<void> {
  const short = table.split('.').pop()!.replaceAll('"', '');
  const columnFor = (field: string) => columns.find((c) => c.field === field)?.column;
  const wanted: string[][] = [];
  if (schema.primaryKey !== undefined && schema.primaryKey.length > 0) wanted.push(schema.primaryKey);
  for (const fields of indexes) wanted.push(fields);
  const statements = [`ALTER TABLE ${table} ADD CONSTRAINT ${quote(`${short}_pk`)} PRIMARY KEY ("_id")`];
  let n = 0;
  for (const fields of wanted) {
    const cols = fields.map(columnFor);
    if (cols.some((c) => c === undefined) || cols.length === 0) continue;
    const withId = [...cols.map((c) => quote(c!)), '"_id"'].join(', ');
    // `_id` last makes every index usable for keyset paging in the same order.
    statements.push(`CREATE INDEX ${quote(`${short}_i${++n}`)} ON ${table} (${withId})`);
  }
  for (const statement of statements) await sql.raw(statement).execute(db.kysely);
}

/**
 * Planner statistics of a loaded table. The caller runs it once the version is live: the keys are built, so
 * the planner already picks the indexes, and the rows are served a few hundred milliseconds sooner per
 * million. (On a server, autovacuum would gather them within a minute anyway.)
 */
export async function analyzeTable(db: Db, table: string): Promise<void> {
  await sql.raw(`ANALYZE ${table}`).execute(db.kysely);
}
