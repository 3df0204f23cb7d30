/**
 * Streaming export writers: turn batches of rows, as the database driver returns them, into CSV, NDJSON, a JSON
 * array or XLSX bytes. Each writer pulls the next batch only when the consumer has taken the previous output,
 * so memory stays flat however large the table is; destroying the returned stream ends the batch iterator
 * (and with it the database cursor).
 */

import { once } from 'node:events';
import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { TableFieldType } from './datastore.model.ts';

export interface ExportField {
  name: string;
  type: TableFieldType;
}

/** Rows in field order, in batches (one batch per cursor fetch). */
export type RowBatches = AsyncIterable<unknown[][]>;

export interface CsvOptions {
  /** Start with a UTF-8 byte order mark so Excel reads the file as UTF-8. */
  bom?: boolean;
}

export interface XlsxOptions {
  /** Name of the first sheet; later sheets get " 2", " 3", ... (default "data"). */
  sheetName?: string;
  /** Data rows per sheet before a new sheet starts (default and maximum: what XLSX allows below a header). */
  maxRowsPerSheet?: number;
}

/** XLSX holds 1,048,576 rows per sheet; one is the header. */
export const XLSX_MAX_DATA_ROWS = 1_048_575;
/** Longest text Excel accepts in a cell. */
const XLSX_MAX_CELL_CHARS = 32_767;

const BOM = '\uFEFF';
/**
 * Output is encoded in pieces of about this many characters: small strings stay in V8's young generation,
 * where a whole batch as one string would land in large-object space and make the heap grow.
 */
const CHUNK_CHARS = 16 * 1024;
const CSV_EOL = '\r\n';
const JSON_NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const ISO_DATETIME =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}(?::?\d{2})?)?$/;
// Characters XML 1.0 cannot carry even escaped: they would make the workbook unreadable.
const XML_ILLEGAL =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

// ---------------------------------------------------------------------------------------------------------------
// Value normalisation shared by the text formats

/**
 * A date-only value as YYYY-MM-DD. A Date at UTC midnight is read in UTC (PGlite); any other Date is read in
 * local time, because node-postgres builds `date` values at local midnight.
 */
function dateOnly(value: Date): string {
  const utcMidnight =
    value.getUTCHours() === 0 &&
    value.getUTCMinutes() === 0 &&
    value.getUTCSeconds() === 0 &&
    value.getUTCMilliseconds() === 0;
  const y = utcMidnight ? value.getUTCFullYear() : value.getFullYear();
  const m = (utcMidnight ? value.getUTCMonth() : value.getMonth()) + 1;
  const d = utcMidnight ? value.getUTCDate() : value.getDate();
  return `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

function dateText(value: Date, type: TableFieldType): string {
  if (Number.isNaN(value.getTime())) return '';
  return type === 'date' ? dateOnly(value) : value.toISOString();
}

/** The text of a value for CSV (null is handled by the caller). */
function textOf(value: unknown, type: TableFieldType): string {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
    case 'bigint':
    case 'boolean':
      return String(value);
    case 'object':
      if (value instanceof Date) return dateText(value, type);
      if (Buffer.isBuffer(value)) return value.toString('utf8');
      return JSON.stringify(value);
    default:
      return String(value);
  }
}

/**
 * The JSON text of a value. Integers beyond 2^53 become strings so JavaScript readers never get a silently
 * rounded number; numeric values keep the database's exact decimal text.
 */
function jsonOf(value: unknown, type: TableFieldType): string {
  if (value === null || value === undefined) return 'null';
  if (type === 'integer' || type === 'number' || type === 'year') {
    const text =
      typeof value === 'string' ? value.trim() : typeof value === 'bigint' ? String(value) : undefined;
    if (text !== undefined) {
      if (!JSON_NUMBER.test(text)) return JSON.stringify(text);
      if (type === 'number') return text;
      return Number.isSafeInteger(Number(text)) ? String(Number(text)) : JSON.stringify(text);
    }
    if (typeof value === 'number')
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
  }
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : JSON.stringify(String(value));
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? String(value) : JSON.stringify(String(value));
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object':
      if (value instanceof Date) return JSON.stringify(dateText(value, type));
      if (Buffer.isBuffer(value)) return JSON.stringify(value.toString('utf8'));
      return JSON.stringify(value);
    default:
      return JSON.stringify(String(value));
  }
}

// ---------------------------------------------------------------------------------------------------------------
// CSV, NDJSON, JSON

/**
 * Takes the batch iterator up front so it can be closed (ending the database cursor) whenever the output
 * stream closes early, even before the first read.
 */
function closable(batches: RowBatches): { rows: RowBatches; close: () => void } {
  const iterator = batches[Symbol.asyncIterator]();
  let finished = false;
  const close = async (): Promise<void> => {
    if (finished) return;
    finished = true;
    await iterator.return?.();
  };
  const rows: RowBatches = {
    [Symbol.asyncIterator]: () => ({
      next: async () => {
        const result = await iterator.next();
        if (result.done === true) finished = true;
        return result;
      },
      return: async () => {
        await close();
        return { done: true, value: undefined };
      },
    }),
  };
  return {
    rows,
    close: () => {
      close().catch(() => {});
    },
  };
}

/** A byte stream over `render(rows)` that closes the batches when it closes. */
function byteStream(batches: RowBatches, render: (rows: RowBatches) => AsyncGenerator<Buffer>): Readable {
  const { rows, close } = closable(batches);
  const stream = Readable.from(render(rows), { objectMode: false });
  stream.once('close', close);
  return stream;
}

function csvCell(value: unknown, type: TableFieldType): string {
  if (value === null || value === undefined) return '';
  const text = textOf(value, type);
  // An empty string is quoted so it stays distinguishable from null (as PostgreSQL's COPY CSV does).
  if (text === '') return '""';
  if (/[",\r\n]/.test(text)) return `"${text.replaceAll('"', '""')}"`;
  return text;
}

/**
 * RFC 4180 CSV: a header row of field names, CRLF line ends, fields quoted only when they contain a comma,
 * quote or line break. Null is an empty field; an empty string is `""`. JSON values are written as JSON text.
 */
export function csvStream(fields: ExportField[], batches: RowBatches, options: CsvOptions = {}): Readable {
  const types = fields.map((f) => f.type);
  return byteStream(batches, async function* (rows) {
    const header = fields.map((f) => csvCell(f.name, 'string')).join(',') + CSV_EOL;
    yield Buffer.from(options.bom === true ? BOM + header : header, 'utf8');
    for await (const batch of rows) {
      let out = '';
      for (const row of batch) {
        for (let i = 0; i < types.length; i++) {
          if (i > 0) out += ',';
          out += csvCell(row[i], types[i]!);
        }
        out += CSV_EOL;
        if (out.length >= CHUNK_CHARS) {
          yield Buffer.from(out, 'utf8');
          out = '';
        }
      }
      if (out !== '') yield Buffer.from(out, 'utf8');
    }
  });
}

/** Builds `{"a":1,"b":"x"}` as text: keys come from field names, so no object (or prototype key) is built. */
function objectWriter(fields: ExportField[]): (row: unknown[]) => string {
  const keys = fields.map((f, i) => `${i === 0 ? '{' : ','}${JSON.stringify(f.name)}:`);
  const types = fields.map((f) => f.type);
  return (row) => {
    if (keys.length === 0) return '{}';
    let out = '';
    for (let i = 0; i < keys.length; i++) out += keys[i]! + jsonOf(row[i], types[i]!);
    return `${out}}`;
  };
}

/** Newline-delimited JSON: one object per row, keyed by field name, each line ended by LF. */
export function ndjsonStream(fields: ExportField[], batches: RowBatches): Readable {
  const write = objectWriter(fields);
  return byteStream(batches, async function* (rows) {
    for await (const batch of rows) {
      let out = '';
      for (const row of batch) {
        out += `${write(row)}\n`;
        if (out.length >= CHUNK_CHARS) {
          yield Buffer.from(out, 'utf8');
          out = '';
        }
      }
      if (out !== '') yield Buffer.from(out, 'utf8');
    }
  });
}

/** A JSON array of row objects, one object per line: `[\n{...},\n{...}\n]\n` (`[]\n` when there are no rows). */
export function jsonStream(fields: ExportField[], batches: RowBatches): Readable {
  const write = objectWriter(fields);
  return byteStream(batches, async function* (rows) {
    let first = true;
    yield Buffer.from('[', 'utf8');
    for await (const batch of rows) {
      let out = '';
      for (const row of batch) {
        out += `${first ? '\n' : ',\n'}${write(row)}`;
        first = false;
        if (out.length >= CHUNK_CHARS) {
          yield Buffer.from(out, 'utf8');
          out = '';
        }
      }
      if (out !== '') yield Buffer.from(out, 'utf8');
    }
    yield Buffer.from(first ? ']\n' : '\n]\n', 'utf8');
  });
}

// ---------------------------------------------------------------------------------------------------------------
// XLSX

type CellValue = string | number | boolean | Date | null;

/** A Date from database text, read as UTC (Excel dates have no zone); undefined when it is not one. */
function parseDateText(text: string, type: TableFieldType): Date | undefined {
  if (type === 'date') {
    const m = ISO_DATE.exec(text);
    if (m === null) return undefined;
    return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  }
  const m = ISO_DATETIME.exec(text);
  if (m === null) return undefined;
  const ms = Number((m[7] ?? '0').padEnd(3, '0').slice(0, 3));
  const utc = Date.UTC(
    Number(m[1]),
    Number(m[2]) - 1,
    Number(m[3]),
    Number(m[4]),
    Number(m[5]),
    Number(m[6]),
    ms,
  );
  const zone = m[8];
  if (zone === undefined || zone === 'Z') return new Date(utc);
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const offset = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2) || '0');
  return new Date(utc - sign * offset * 60_000);
}

function xlsxText(text: string): string {
  const clean = text.replace(XML_ILLEGAL, '');
  return clean.length > XLSX_MAX_CELL_CHARS ? clean.slice(0, XLSX_MAX_CELL_CHARS) : clean;
}

function xlsxCell(value: unknown, type: TableFieldType): CellValue {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
    case 'year':
    case 'number': {
      if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
      const text = String(value).trim();
      if (!JSON_NUMBER.test(text)) return xlsxText(text);
      const n = Number(text);
      // Integers Excel (a double) cannot hold exactly stay text rather than lose digits.
      if (/^-?\d+$/.test(text) && !Number.isSafeInteger(n)) return text;
      return n;
    }
    case 'boolean':
      return typeof value === 'boolean' ? value : String(value) === 'true';
    case 'date':
    case 'datetime': {
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) return null;
        return type === 'date' ? (parseDateText(dateOnly(value), 'date') ?? null) : value;
      }
      const text = String(value);
      const date = parseDateText(text, type);
      // Excel cannot show dates before 1900; such values (and BC, infinity) stay text.
      return date !== undefined && date.getUTCFullYear() >= 1900 ? date : xlsxText(text);
    }
    default:
      if (typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
        return xlsxText(JSON.stringify(value));
      }
      return xlsxText(textOf(value, type));
  }
}

/** Sheet names: at most 31 characters, none of []:*?/\ (Excel's rules). */
function sheetTitle(base: string, index: number): string {
  const suffix = index === 1 ? '' : ` ${index}`;
  const clean = base.replace(/[[\]:*?/\\]/g, ' ').trim() || 'data';
  return clean.slice(0, 31 - suffix.length) + suffix;
}

type Emitter = NodeJS.EventEmitter;

/** Resolves on the first of `event` on `target` or 'close' on `out` (a destroyed output never drains). */
async function until(target: Emitter, event: string, out: PassThrough): Promise<void> {
  if (out.destroyed) return;
  const ac = new AbortController();
  try {
    await Promise.race([
      once(target, event, { signal: ac.signal }),
      once(out, 'close', { signal: ac.signal }),
    ]);
  } catch (error) {
    if (!ac.signal.aborted) throw error;
  } finally {
    ac.abort();
  }
}

/**
 * The stream the zip archive reads the open sheet's XML from. ExcelJS writes committed rows into it without
 * looking at backpressure, so the writer waits on it. Relies on ExcelJS 4.4 / archiver 5 internals: when
 * they are not there the writer still yields to the event loop, only without this bound.
 */
function zipInput(
  sheet: ExcelJS.Worksheet,
): (Emitter & { _writableState?: { needDrain?: boolean } }) | undefined {
  const pipes = (sheet as unknown as { _stream?: { pipes?: unknown[] } })._stream?.pipes;
  const input = pipes?.[0] as (Emitter & { _writableState?: { needDrain?: boolean } }) | undefined;
  return typeof input?.once === 'function' ? input : undefined;
}

/**
 * XLSX through ExcelJS's streaming writer: inline strings (no shared-string table kept in memory), each row
 * committed as soon as it is added, a bold frozen header row, and a new sheet every `maxRowsPerSheet` rows.
 * integer/number/year cells are numbers (integers beyond 2^53 stay text), date/datetime cells are dates,
 * booleans are booleans, JSON values are JSON text; text is cut at Excel's 32,767-character cell limit.
 */
export function xlsxStream(fields: ExportField[], batches: RowBatches, options: XlsxOptions = {}): Readable {
  const out = new PassThrough();
  const perSheet = Math.min(Math.max(1, options.maxRowsPerSheet ?? XLSX_MAX_DATA_ROWS), XLSX_MAX_DATA_ROWS);
  const base = options.sheetName ?? 'data';
  const types = fields.map((f) => f.type);
  const { rows, close } = closable(batches);
  out.once('close', close);

  const run = async (): Promise<void> => {
    const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useStyles: true,
      useSharedStrings: false,
    });
    let sheetIndex = 0;
    const addSheet = (): ExcelJS.Worksheet => {
      sheetIndex++;
      const sheet = workbook.addWorksheet(sheetTitle(base, sheetIndex), {
        views: [{ state: 'frozen', ySplit: 1 }],
      });
      sheet.columns = fields.map((f) => ({
        key: f.name,
        width: Math.min(Math.max(f.name.length + 2, 10), 60),
        ...(f.type === 'date' ? { style: { numFmt: 'yyyy-mm-dd' } } : {}),
        ...(f.type === 'datetime' ? { style: { numFmt: 'yyyy-mm-dd hh:mm:ss' } } : {}),
      }));
      const header = sheet.addRow(fields.map((f) => xlsxText(f.name)));
      header.font = { bold: true };
      header.commit();
      return sheet;
    };

    let sheet = addSheet();
    let rowsInSheet = 0;
    for await (const batch of rows) {
      if (out.destroyed) return;
      for (const row of batch) {
        if (rowsInSheet === perSheet) {
          sheet.commit();
          sheet = addSheet();
          rowsInSheet = 0;
        }
        const values: CellValue[] = new Array(types.length);
        for (let i = 0; i < types.length; i++) values[i] = xlsxCell(row[i], types[i]!);
        sheet.addRow(values).commit();
        rowsInSheet++;
      }
      // Let zlib and the zip make progress, then wait while either the zip's input or the output is full.
      await new Promise((resolve) => setImmediate(resolve));
      const input = zipInput(sheet);
      if (input?._writableState?.needDrain === true) await until(input, 'drain', out);
      if (out.writableNeedDrain) await until(out, 'drain', out);
    }
    sheet.commit();
    await workbook.commit();
  };

  run().catch((error: unknown) => {
    out.destroy(error instanceof Error ? error : new Error(String(error)));
  });
  return out;
}
