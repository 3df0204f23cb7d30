/**
 * Scans a table file where it lies: `datapolis scan` and tests use it on files that never enter the
 * platform. Reading goes through the datastore's streaming readers, so every format, compression and
 * encoding they accept is scanned the same way, a row at a time.
 */
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { isReadError, openTableSource, type ReadOptions } from '../../datastore/index.ts';
import type { ScanOptions, ScanReport } from './discovery.model.ts';
import { ScanError } from './scan-error.ts';
import { createColumnScanner } from './scanner.ts';

export type ScanFileOptions = ReadOptions & ScanOptions & { sample?: number };

/** Leading bytes of common non-table files, so that a scan of an image says so instead of guessing. */
const SIGNATURES: readonly { bytes: readonly number[]; what: string }[] = [
  { bytes: [0x89, 0x50, 0x4e, 0x47], what: 'a PNG image' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image' },
  { bytes: [0x25, 0x50, 0x44, 0x46], what: 'a PDF document' },
  { bytes: [0x7f, 0x45, 0x4c, 0x46], what: 'an executable (ELF)' },
  { bytes: [0x49, 0x49, 0x2a, 0x00], what: 'a TIFF image' },
  { bytes: [0x4d, 0x4d, 0x00, 0x2a], what: 'a TIFF image' },
  { bytes: [0x37, 0x7a, 0xbc, 0xaf], what: 'a 7z archive' },
  { bytes: [0x52, 0x61, 0x72, 0x21], what: 'a RAR archive' },
];
const ZIP = [0x50, 0x4b, 0x03, 0x04];

async function leadingBytes(path: string): Promise<Buffer> {
  const handle = await open(path, 'r').catch(() => undefined);
  if (handle === undefined) return Buffer.alloc(0);
  try {
    const buffer = Buffer.alloc(16);
    const { bytesRead } = await handle.read(buffer, 0, 16, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

function startsWith(head: Buffer, bytes: readonly number[]): boolean {
  return head.length >= bytes.length && bytes.every((b, i) => head[i] === b);
}

/** Turns what the readers throw into one ScanError with a stable code and the file's name in front. */
function scanErrorOf(error: unknown, name: string, zip: boolean): ScanError {
  if (error instanceof ScanError) return error;
  if (isReadError(error)) {
    const message = `${name}: ${error.message}`;
    if (error.type === 'source-error')
      return new ScanError('SECURITY_SCAN_UNREADABLE', message, { cause: error });
    if (/looks binary/.test(error.message))
      return new ScanError('SECURITY_SCAN_BINARY', `${message}; only tables can be scanned`, {
        cause: error,
      });
    if (/holds no file|none of them is a table/.test(error.message) || (zip && error.type === 'format-error'))
      return new ScanError(
        'SECURITY_SCAN_NO_TABLE',
        `${name}: the archive holds no table (${error.message})`,
        {
          cause: error,
        },
      );
    return new ScanError('SECURITY_SCAN_MALFORMED', message, { cause: error });
  }
  const text = error instanceof Error ? error.message : String(error);
  return new ScanError(
    'SECURITY_SCAN_MALFORMED',
    `${name} cannot be read as a table: ${text.split('\n')[0]}`,
    {
      cause: error,
    },
  );
}

/**
 * Scans every row of a table file, or the first `sample` rows. Throws a ScanError for binary data, an
 * archive without a table, a malformed or missing file.
 */
export async function scanFile(path: string, options: ScanFileOptions = {}): Promise<ScanReport> {
  const name = basename(path);
  const { sample, examples, ...read } = options;
  if (sample !== undefined && !(Number.isSafeInteger(sample) && sample > 0))
    throw new ScanError(
      'SECURITY_SCAN_INVALID_OPTIONS',
      `the sample must be a whole number of rows above 0, not ${sample}`,
    );
  if (examples !== undefined && !(Number.isSafeInteger(examples) && examples >= 0 && examples <= 100))
    throw new ScanError(
      'SECURITY_SCAN_INVALID_OPTIONS',
      `examples must be a whole number from 0 to 100, not ${examples}`,
    );

  const head = await leadingBytes(path);
  const signature = SIGNATURES.find((s) => startsWith(head, s.bytes));
  if (signature !== undefined)
    throw new ScanError(
      'SECURITY_SCAN_BINARY',
      `${name} is ${signature.what}, not a table; only tables can be scanned`,
    );
  const zip = startsWith(head, ZIP) && !/\.xlsx$/i.test(name) && read.format !== 'xlsx';
  if (zip && read.compression === undefined && !/\.zip$/i.test(name)) read.compression = 'zip';

  let source: Awaited<ReturnType<typeof openTableSource>>;
  try {
    source = await openTableSource(path, read);
  } catch (error) {
    throw scanErrorOf(error, name, zip);
  }
  const fields = source.info.labels.map((label, i) => ({ name: label === '' ? `field${i + 1}` : label }));
  if (fields.length === 0) {
    await source.close();
    throw new ScanError('SECURITY_SCAN_NO_TABLE', `${name} holds no columns to scan`);
  }
  const scanner = createColumnScanner(fields, examples === undefined ? {} : { examples });
  const limit = sample ?? Number.POSITIVE_INFINITY;
  let rows = 0;
  const take = (cells: readonly unknown[], rowNumber: number): void => {
    for (const cell of cells)
      if (typeof cell === 'string' && cell.includes('\0'))
        throw new ScanError(
          'SECURITY_SCAN_BINARY',
          `${name}: row ${rowNumber} holds NUL bytes, which text tables do not; only tables can be scanned`,
        );
    scanner.add(cells);
    rows++;
  };
  try {
    if (source.batches !== undefined) {
      outer: for await (const batch of source.batches) {
        for (const row of batch) {
          if (rows >= limit) break outer;
          take(row.cells, row.rowNumber);
        }
      }
    } else {
      for await (const row of source.rows) {
        if (rows >= limit) break;
        take(row.cells, row.rowNumber);
      }
    }
  } catch (error) {
    throw scanErrorOf(error, name, zip);
  } finally {
    await source.close();
  }
  return scanner.result();
}
