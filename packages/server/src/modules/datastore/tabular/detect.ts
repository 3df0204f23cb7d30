import type { Compression, SourceFormat } from '../datastore.model.ts';

const FORMAT_BY_EXTENSION: Record<string, SourceFormat> = {
  csv: 'csv',
  txt: 'csv',
  tsv: 'tsv',
  tab: 'tsv',
  xlsx: 'xlsx',
  xlsm: 'xlsx',
  json: 'json',
  jsonl: 'ndjson',
  ndjson: 'ndjson',
  geojson: 'geojson',
};

const COMPRESSION_BY_EXTENSION: Record<string, Compression> = { gz: 'gz', gzip: 'gz', zip: 'zip' };

function extensions(filename: string): string[] {
  const base =
    filename
      .replace(/[?#].*$/, '')
      .split(/[\\/]/)
      .pop() ?? '';
  return base.toLowerCase().split('.').slice(1);
}

/** The compression a file name announces (`table.csv.gz` → gz); `none` when it announces none. */
export function detectCompression(filename: string): Compression {
  const ext = extensions(filename).at(-1);
  return (ext !== undefined && COMPRESSION_BY_EXTENSION[ext]) || 'none';
}

/** The table format a file name announces, looking through a compression suffix (`table.csv.zip` → csv). */
export function detectFormat(filename: string): SourceFormat | undefined {
  const exts = extensions(filename);
  let ext = exts.at(-1);
  if (ext !== undefined && COMPRESSION_BY_EXTENSION[ext]) ext = exts.at(-2);
  return ext === undefined ? undefined : FORMAT_BY_EXTENSION[ext];
}

const CANDIDATE_DELIMITERS = [',', ';', '\t', '|'] as const;

/**
 * Guesses the delimiter from the start of a text: the candidate that occurs the same non-zero number of
 * times on most records wins. Quoted sections (which may span lines) are ignored.
 */
export function sniffDelimiter(sample: string, quoteChar = '"', commentChar?: string): string {
  const counts: number[][] = [];
  let current = [0, 0, 0, 0];
  let quoted = false;
  let lineStart = true;
  let comment = false;
  let empty = true;
  const limit = Math.min(sample.length, 64 * 1024);
  for (let i = 0; i < limit && counts.length < 50; i++) {
    const ch = sample[i];
    if (lineStart) {
      lineStart = false;
      comment = commentChar !== undefined && commentChar !== '' && sample.startsWith(commentChar, i);
    }
    if (ch === quoteChar) {
      quoted = !quoted;
      empty = false;
    } else if (!quoted && (ch === '\n' || ch === '\r')) {
      if (!comment && !empty) counts.push(current);
      current = [0, 0, 0, 0];
      lineStart = true;
      empty = true;
    } else if (!quoted && !comment) {
      const k = CANDIDATE_DELIMITERS.indexOf(ch as (typeof CANDIDATE_DELIMITERS)[number]);
      if (k >= 0) current[k] = (current[k] ?? 0) + 1;
      empty = false;
    }
  }
  // A last line cut by the sample edge is only trusted when it is the only line.
  if (!empty && !comment && (counts.length === 0 || limit === sample.length)) counts.push(current);
  let best: string = ',';
  let bestScore = 0;
  CANDIDATE_DELIMITERS.forEach((delimiter, k) => {
    const frequency = new Map<number, number>();
    for (const line of counts) {
      const n = line[k] ?? 0;
      if (n > 0) frequency.set(n, (frequency.get(n) ?? 0) + 1);
    }
    for (const [n, lines] of frequency) {
      // Consistency across lines matters most; more occurrences per line breaks ties.
      const score = lines * 1000 + Math.min(n, 999);
      if (score > bestScore) {
        bestScore = score;
        best = delimiter;
      }
    }
  });
  return best;
}

/**
 * Python's csv sniffer sets skipinitialspace when every delimiter on the first line is followed by a
 * space (`ID, Test`); Frictionless reads such files with the spaces skipped, and so do we.
 */
export function sniffSkipInitialSpace(sample: string, delimiter: string): boolean {
  const end = sample.search(/[\r\n]/);
  const line = end < 0 ? sample : sample.slice(0, end);
  const total = line.split(delimiter).length - 1;
  return total > 0 && total === line.split(`${delimiter} `).length - 1;
}
