import { basename } from 'node:path';
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import type yauzl from 'yauzl';
import type { ReadLimits, ReadOptions, SourceInfo, SourceRow, TableSource } from '../datastore.model.ts';
import { checkFile, checkZipEntry, listZip, openZipEntry } from './bytes.ts';
import { generatedLabels } from './csv.ts';
import { ReadError } from './errors.ts';

function formatError(message: string): ReadError {
  return new ReadError('format-error', message);
}

async function readEntryText(zip: yauzl.ZipFile, entry: yauzl.Entry, maxBytes: number): Promise<string> {
  const stream = await openZipEntry(zip, entry);
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of stream) {
      parts.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= maxBytes) break;
    }
  } finally {
    stream.destroy();
  }
  return Buffer.concat(parts).toString('utf8');
}

function xmlAttributes(tag: string): Map<string, string> {
  const attributes = new Map<string, string>();
  for (const match of tag.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g))
    attributes.set(match[1] ?? '', xmlUnescape(match[2] ?? match[3] ?? ''));
  return attributes;
}

function xmlUnescape(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|amp|lt|gt|quot|apos);/gi, (_, entity: string) => {
    const e = entity.toLowerCase();
    if (e === 'amp') return '&';
    if (e === 'lt') return '<';
    if (e === 'gt') return '>';
    if (e === 'quot') return '"';
    if (e === 'apos') return "'";
    return String.fromCodePoint(
      e.startsWith('#x') ? Number.parseInt(e.slice(2), 16) : Number.parseInt(e.slice(1), 10),
    );
  });
}

/** Column number of a cell reference (`E6` → 5). */
function columnNumber(ref: string): number {
  let n = 0;
  for (const ch of ref.toUpperCase()) {
    const code = ch.charCodeAt(0);
    if (code < 65 || code > 90) break;
    n = n * 26 + (code - 64);
  }
  return n;
}

/** The parts of a workbook needed to read one sheet, located through the central directory. */
interface Workbook {
  zip: yauzl.ZipFile;
  workbook: yauzl.Entry;
  sheet: yauzl.Entry;
  sharedStrings: yauzl.Entry | undefined;
  styles: yauzl.Entry | undefined;
  /** The number in xl/worksheets/sheetN.xml. */
  sheetNumber: string;
  /** Columns the sheet declares in its <dimension>, when it does. */
  width: number | undefined;
}

const METADATA_MAX_BYTES = 16 * 1024 * 1024;

/** A relationship target as a path inside the zip (targets are relative to xl/ unless absolute). */
function partPath(target: string): string {
  const parts: string[] = target.startsWith('/') ? [] : ['xl'];
  for (const piece of target.replace(/^\//, '').split('/')) {
    if (piece === '..') parts.pop();
    else if (piece !== '.' && piece !== '') parts.push(piece);
  }
  return parts.join('/');
}

/**
 * Reads the zip's central directory (nothing is inflated) to refuse a bomb, then the workbook's sheet list
 * to find the sheet asked for, and the first bytes of that sheet for its declared dimension.
 */
async function openWorkbook(path: string, sheet: number | string, limits: ReadLimits): Promise<Workbook> {
  const name = basename(path);
  const { zip, entries } = await listZip(path, () =>
    formatError(`the file "${name}" is not an XLSX document: it is not a zip archive`),
  );
  try {
    let total = 0;
    for (const entry of entries) {
      total += entry.uncompressedSize;
      checkZipEntry(entry, limits, `the XLSX part "${entry.fileName}"`);
    }
    if (total > limits.maxDecompressedBytes)
      throw new ReadError(
        'compression-error',
        `the XLSX document decompresses to ${total} bytes; at most ${limits.maxDecompressedBytes} are accepted`,
      );
    const byName = new Map(entries.map((e) => [e.fileName.replace(/^\//, ''), e]));
    const workbookEntry = byName.get('xl/workbook.xml');
    const relsEntry = byName.get('xl/_rels/workbook.xml.rels');
    if (workbookEntry === undefined || relsEntry === undefined)
      throw formatError(`the file "${name}" is not an XLSX document: it has no workbook`);
    const workbook = await readEntryText(zip, workbookEntry, METADATA_MAX_BYTES);
    const rels = await readEntryText(zip, relsEntry, METADATA_MAX_BYTES);
    const targets = new Map<string, string>();
    let sharedStrings: yauzl.Entry | undefined;
    let styles: yauzl.Entry | undefined;
    for (const match of rels.matchAll(/<(?:\w+:)?Relationship\b[^>]*>/g)) {
      const attributes = xmlAttributes(match[0]);
      const id = attributes.get('Id');
      const target = attributes.get('Target');
      const type = attributes.get('Type') ?? '';
      if (id === undefined || target === undefined) continue;
      targets.set(id, partPath(target));
      if (type.endsWith('/sharedStrings')) sharedStrings = byName.get(partPath(target));
      if (type.endsWith('/styles')) styles = byName.get(partPath(target));
    }
    const sheets: { name: string; rid: string }[] = [];
    for (const match of workbook.matchAll(/<(?:\w+:)?sheet\b[^>]*>/g)) {
      const attributes = xmlAttributes(match[0]);
      let rid = '';
      for (const [key, value] of attributes) if (key.endsWith(':id')) rid = value;
      sheets.push({ name: attributes.get('name') ?? '', rid });
    }
    const chosen = typeof sheet === 'number' ? sheets[sheet - 1] : sheets.find((s) => s.name === sheet);
    if (chosen === undefined) throw formatError(`Excel document "${name}" does not have a sheet "${sheet}"`);
    const target = targets.get(chosen.rid) ?? '';
    const sheetNumber = /\/sheet(\d+)\.xml$/.exec(target)?.[1] ?? '1';
    const sheetEntry = byName.get(target);
    if (sheetEntry === undefined) throw formatError(`the sheet "${chosen.name}" of "${name}" is missing`);
    // <dimension> comes before <sheetData>: the first bytes hold it.
    const head = await readEntryText(zip, sheetEntry, 64 * 1024);
    const dimension = /<(?:\w+:)?dimension\b[^>]*\bref\s*=\s*"([A-Za-z]+)\d*(?::([A-Za-z]+)\d*)?"/.exec(head);
    const width = dimension ? columnNumber(dimension[2] ?? dimension[1] ?? '') : undefined;
    return {
      zip,
      workbook: workbookEntry,
      sheet: sheetEntry,
      sharedStrings,
      styles,
      sheetNumber,
      width: width === 0 ? undefined : width,
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

/** The text of a zip entry as strings, decoded across chunk edges (a character may straddle two chunks). */
async function* entryText(
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  onBytes?: (bytes: number) => void,
): AsyncGenerator<string> {
  const stream = await openZipEntry(zip, entry);
  let decoder: TextDecoder | undefined;
  try {
    for await (const chunk of stream) {
      const buf = chunk as Buffer;
      onBytes?.(buf.length);
      decoder ??= new TextDecoder(buf[0] === 0xff && buf[1] === 0xfe ? 'utf-16le' : 'utf-8');
      const text = decoder.decode(buf, { stream: true });
      if (text.length > 0) yield text;
    }
    const rest = decoder?.decode() ?? '';
    if (rest.length > 0) yield rest;
  } finally {
    stream.destroy();
  }
}

/** The parts of exceljs's streaming reader used here, fed from our own zip reading (any entry order). */
interface ExcelStreamInternals {
  _parseWorkbook(stream: Readable): Promise<void>;
  _parseSharedStrings(stream: Readable): AsyncGenerator<unknown>;
  _parseStyles(stream: Readable): Promise<void>;
  _parseWorksheet(
    iterator: AsyncIterable<string>,
    sheetNo: string,
  ): Iterable<{ eventType: string; value: AsyncIterable<ExcelJS.Row> }>;
}

function isoDate(date: Date): string {
  const pad = (n: number, size = 2) => String(n).padStart(size, '0');
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const ms = date.getUTCMilliseconds();
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}${ms ? `.${pad(ms, 3)}` : ''}`;
  // Excel stores a time of day as a fraction of a day from its epoch.
  if (day === '1899-12-30' || day === '1899-12-31') return time;
  return time === '00:00:00' ? day : `${day}T${time}`;
}

/** An Excel cell as a plain JSON value: formulas give their result, rich text its text, dates ISO strings. */
function cellValue(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value !== 'object') return value;
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : isoDate(value);
  const v = value as Record<string, unknown>;
  if (Array.isArray(v.richText))
    return (v.richText as { text?: unknown }[])
      .map((part) => (typeof part.text === 'string' ? part.text : ''))
      .join('');
  if ('formula' in v || 'sharedFormula' in v) return cellValue(v.result);
  if ('error' in v) return typeof v.error === 'string' ? v.error : null;
  if ('hyperlink' in v) return cellValue(v.text);
  if ('text' in v) return cellValue(v.text);
  return null;
}

export async function openXlsx(path: string, options: ReadOptions, limits: ReadLimits): Promise<TableSource> {
  const size = await checkFile(path);
  if (size === 0) throw new ReadError('source-error', 'the source is empty');
  const book = await openWorkbook(path, options.sheet ?? 1, limits);
  const { zip, sheet } = book;
  let closed = false;
  let sheetBytes = 0;
  const close = async () => {
    closed = true;
    zip.close();
  };
  const bytesRead = () =>
    closed
      ? size
      : Math.round(
          sheet.relativeOffsetOfLocalHeader +
            (sheet.uncompressedSize > 0 ? (sheetBytes / sheet.uncompressedSize) * sheet.compressedSize : 0),
        );

  const fail = (error: unknown): ReadError => {
    if (error instanceof ReadError) return error;
    return formatError(`the XLSX document "${basename(path)}" cannot be read: ${(error as Error).message}`);
  };

  let worksheet: AsyncIterable<ExcelJS.Row>;
  try {
    if (book.width !== undefined && book.width > limits.maxColumns)
      throw formatError(`the table has ${book.width} columns; at most ${limits.maxColumns} are accepted`);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    }) as unknown as ExcelStreamInternals;
    await reader._parseWorkbook(Readable.from(entryText(zip, book.workbook)));
    if (book.styles !== undefined) await reader._parseStyles(Readable.from(entryText(zip, book.styles)));
    if (book.sharedStrings !== undefined)
      for await (const _ of reader._parseSharedStrings(Readable.from(entryText(zip, book.sharedStrings)))) {
        // Cached by the reader: nothing to do per string.
      }
    const parsed = [
      ...reader._parseWorksheet(
        entryText(zip, sheet, (n) => {
          sheetBytes += n;
        }),
        book.sheetNumber,
      ),
    ][0];
    if (parsed === undefined) throw formatError(`the sheet of "${basename(path)}" cannot be read`);
    worksheet = parsed.value;
  } catch (error) {
    await close();
    throw fail(error);
  }

  /** The rows of the chosen sheet as Excel numbers them, with the cells as plain values. */
  async function* sheetRows(): AsyncGenerator<{ number: number; cells: unknown[] }> {
    for await (const row of worksheet) {
      const values = row.values as unknown[];
      const cells: unknown[] = new Array(Math.max(values.length - 1, 0));
      for (let i = 1; i < values.length; i++) {
        const value = cellValue(values[i]);
        if (typeof value === 'string' && value.length > limits.maxCellBytes)
          throw formatError(
            `row ${row.number} has a cell longer than ${limits.maxCellBytes} bytes, the most accepted`,
          );
        cells[i - 1] = value;
      }
      for (let i = 0; i < cells.length; i++) if (cells[i] === undefined) cells[i] = null;
      if (cells.length > limits.maxColumns)
        throw formatError(`the table has ${cells.length} columns; at most ${limits.maxColumns} are accepted`);
      yield { number: row.number, cells };
    }
  }

  const source = sheetRows();
  const header = options.header !== false;
  let labels: string[] = [];
  let headerRowNumber = 0;
  let first: { number: number; cells: unknown[] } | undefined;
  try {
    const next = await source.next();
    if (!next.done) first = next.value;
  } catch (error) {
    await close();
    throw fail(error);
  }
  const declared = book.width ?? 0;
  let lastNumber = 0;
  if (first !== undefined) {
    const width = Math.max(declared, first.cells.length);
    if (header) {
      // The first row that holds anything is the header; rows above it are skipped but keep their numbers.
      labels = Array.from({ length: width }, (_, i) => {
        const cell = first?.cells[i];
        return cell === null || cell === undefined ? '' : typeof cell === 'string' ? cell : String(cell);
      });
      headerRowNumber = first.number;
      lastNumber = first.number;
      first = undefined;
    } else labels = generatedLabels(width);
  }

  const info: SourceInfo = {
    format: 'xlsx',
    encoding: null,
    compression: 'none',
    delimiter: null,
    labels,
    headerRowNumber,
  };

  const width = labels.length;
  const shape = (cells: unknown[]): unknown[] => {
    if (cells.length < width) {
      const start = cells.length;
      cells.length = width;
      cells.fill(null, start);
    } else {
      // Empty cells past the header are formatting, not data.
      let end = cells.length;
      while (end > width && cells[end - 1] === null) end--;
      cells.length = end;
    }
    return cells;
  };

  async function* rows(): AsyncGenerator<SourceRow> {
    try {
      let pendingFirst = first;
      for (;;) {
        let current: { number: number; cells: unknown[] };
        if (pendingFirst !== undefined) {
          current = pendingFirst;
          pendingFirst = undefined;
        } else {
          const next = await source.next();
          if (next.done) break;
          current = next.value;
        }
        const cells = shape(current.cells);
        // Rows with nothing in them (left out by the reader, or only formatted) are blank rows when data
        // follows; after the last row with data they are the sheet's formatting and are dropped, as the
        // sheet's own dimension says.
        if (cells.every((c) => c === null || c === '')) continue;
        while (lastNumber + 1 < current.number) {
          lastNumber++;
          yield { rowNumber: lastNumber, cells: new Array(width).fill(null) };
        }
        lastNumber = current.number;
        yield { rowNumber: current.number, cells };
      }
    } catch (error) {
      if (closed) return;
      throw fail(error);
    } finally {
      await source.return(undefined);
      await close();
    }
  }

  return { info, rows: rows(), bytesRead, close };
}
