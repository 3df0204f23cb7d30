import type { ReadLimits, ReadOptions, SourceInfo, SourceRow, TableSource } from '../datastore.model.ts';
import { CsvTokenizer } from './csv-tokenizer.ts';
import { detectCompression, sniffDelimiter, sniffSkipInitialSpace } from './detect.ts';
import { ReadError } from './errors.ts';
import { openText } from './text.ts';

/** How many rows Frictionless samples to find the header row, and a cap on the text spent on it. */
const HEADER_SAMPLE_ROWS = 100;
const HEADER_SAMPLE_CHARS = 4 * 1024 * 1024;
/** Text tokenized at a time (at most, when it holds a line end): a few hundred rows of a typical table. */
const SLICE_CHARS = 16 * 1024;

function isBlank(cells: unknown[]): boolean {
  return cells.length === 1 && cells[0] === '';
}

/** Python's round(): halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Frictionless's header detection: the header is the first row whose width is within 10% of the sample's
 * mean width, which passes over notes and titles written above the table (countries.csv).
 */
function detectHeaderIndex(sample: SourceRow[], fallback: number): number {
  if (sample.length === 0) return fallback;
  const widths = sample.map((row) => (isBlank(row.cells) ? 0 : row.cells.length));
  const width = roundHalfEven(widths.reduce((a, b) => a + b, 0) / widths.length);
  const drift = Math.max(roundHalfEven(width * 0.1), 1);
  const index = widths.findIndex((w) => w >= width - drift && w <= width + drift);
  return index >= 0 && !isBlank(sample[index]?.cells ?? []) ? index : fallback;
}

export function generatedLabels(count: number): string[] {
  return Array.from({ length: count }, (_, i) => `field${i + 1}`);
}

export async function openCsv(
  path: string,
  options: ReadOptions,
  limits: ReadLimits,
  format: 'csv' | 'tsv',
): Promise<TableSource> {
  const compression = options.compression ?? detectCompression(path);
  const input = await openText(path, options, limits, compression, format.toUpperCase());
  const { bytes, sampleText } = input;
  let closed = false;
  const close = async () => {
    if (closed) return;
    closed = true;
    // Release the file first: a read still pending then ends instead of waiting for data.
    await bytes.close();
    await input.text.return(undefined).catch(() => undefined);
  };

  try {
    const quote = options.quoteChar ?? '"';
    const commentChar = options.commentChar === '' ? undefined : options.commentChar;
    const delimiter =
      options.delimiter ?? (format === 'tsv' ? '\t' : sniffDelimiter(sampleText, quote || '"', commentChar));
    if (delimiter === '') throw new ReadError('format-error', 'the delimiter cannot be empty');
    if (delimiter.includes('\n') || delimiter.includes('\r') || (quote !== '' && delimiter.includes(quote)))
      throw new ReadError('format-error', `the delimiter ${JSON.stringify(delimiter)} cannot be used`);
    if (quote.length > 1)
      throw new ReadError('format-error', 'the quote character must be a single character');
    const escapeChar = options.escapeChar === '' ? undefined : options.escapeChar;
    if (escapeChar !== undefined && escapeChar.length > 1)
      throw new ReadError('format-error', 'the escape character must be a single character');
    const ltrim = delimiter !== ' ' && sniffSkipInitialSpace(sampleText, delimiter);
    const header = options.header !== false;

    const tokenizer = new CsvTokenizer(
      { delimiter, quote: quote === '' ? undefined : quote, escape: escapeChar, ltrim },
      { maxRecordChars: limits.maxCellBytes, maxColumns: limits.maxColumns },
    );

    let rowNumber = 0;
    let width = 0;
    let batch: SourceRow[] = [];

    // Runs once per record: keep it lean. Comment rows are dropped but keep their number.
    const push = (record: string[]) => {
      rowNumber++;
      const first = record[0];
      if (record.length === 1 && first === '') {
        batch.push({ rowNumber, cells: width > 1 ? new Array<string>(width).fill('') : record });
        return;
      }
      if (commentChar !== undefined && first?.startsWith(commentChar)) return;
      batch.push({ rowNumber, cells: record });
    };

    const iterator = input.text[Symbol.asyncIterator]();
    let finished = false;
    let fed = 0;
    // Decoded text not tokenized yet. A decoded chunk (about 256K characters, kept by V8 in large-object
    // space until a full GC) is tokenized a slice at a time, cut just before a line end: the tokenizer holds
    // the last record back and joins it to the next slice, so each slice it parses is a new string of about
    // SLICE_CHARS. Cells are slices of the string they come from; cut from the chunk itself, the few that
    // live on would keep whole chunks alive, and the heap grows by a hundred MB or so during a load.
    let pending = '';
    /** Parses the next slice of text into `batch`; false once the input is exhausted. */
    const step = async (): Promise<boolean> => {
      if (finished) return false;
      if (pending === '') {
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          tokenizer.end(push);
          return false;
        }
        pending = next.value;
      }
      // Without a line end in the slice (a long record) the chunk goes whole, as it always did.
      const cut = pending.length > SLICE_CHARS ? Math.max(0, pending.lastIndexOf('\n', SLICE_CHARS)) : 0;
      const piece = cut > 0 ? pending.slice(0, cut) : pending;
      pending = cut > 0 ? pending.slice(cut) : '';
      fed += piece.length;
      tokenizer.write(piece, push);
      return true;
    };

    // Read enough rows to settle the header: one that holds something, or (header detection) a sample.
    const detect = options.header === undefined;
    const wanted = detect ? HEADER_SAMPLE_ROWS : 1;
    const contentRows = () => batch.reduce((n, row) => n + (isBlank(row.cells) ? 0 : 1), 0);
    while (!finished && (contentRows() === 0 || (batch.length < wanted && fed < HEADER_SAMPLE_CHARS)))
      await step();

    let labels: string[] = [];
    let headerRowNumber = 0;
    const firstContent = batch.findIndex((row) => !isBlank(row.cells));
    if (!header) {
      width = firstContent >= 0 ? (batch[firstContent]?.cells.length ?? 0) : 0;
      labels = generatedLabels(width);
    } else if (firstContent >= 0) {
      const index = detect
        ? detectHeaderIndex(batch.slice(0, HEADER_SAMPLE_ROWS), firstContent)
        : firstContent;
      const headerRow = batch[index]!;
      labels = headerRow.cells as string[];
      headerRowNumber = headerRow.rowNumber;
      width = labels.length;
      // Rows above the header (titles, notes) are not data.
      batch = batch.slice(index + 1);
    } else batch = [];
    if (width > 1)
      for (const row of batch) if (isBlank(row.cells)) row.cells = new Array<string>(width).fill('');

    const info: SourceInfo = {
      format,
      encoding: input.encoding,
      compression: bytes.compression,
      delimiter,
      labels,
      headerRowNumber,
    };

    async function* rows(): AsyncGenerator<SourceRow> {
      try {
        for (;;) {
          const current = batch;
          batch = [];
          for (const row of current) yield row;
          if (!(await step()) && batch.length === 0) break;
        }
      } finally {
        await close();
      }
    }

    async function* batches(): AsyncGenerator<SourceRow[]> {
      try {
        for (;;) {
          const current = batch;
          batch = [];
          if (current.length > 0) yield current;
          if (!(await step()) && batch.length === 0) break;
        }
      } finally {
        await close();
      }
    }

    return { info, rows: rows(), batches: batches(), bytesRead: () => bytes.bytesRead(), close };
  } catch (error) {
    await close();
    throw error;
  }
}
