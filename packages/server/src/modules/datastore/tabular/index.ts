/**
 * Streaming table readers: CSV/TSV, XLSX, JSON, NDJSON and GeoJSON, plain or gzip/zip compressed, read
 * chunk by chunk so that files of several GB never sit in memory. Each reader settles the header before
 * `openTableSource` resolves and then streams rows numbered as Frictionless numbers them.
 */
import {
  type Compression,
  DEFAULT_READ_LIMITS,
  type ReadLimits,
  type ReadOptions,
  type SourceFormat,
  type TableSource,
} from '../datastore.model.ts';
import { checkFile, zipDataName } from './bytes.ts';
import { openCsv } from './csv.ts';
import { detectCompression, detectFormat } from './detect.ts';
import { ReadError } from './errors.ts';
import { openJson } from './json.ts';
import { openXlsx } from './xlsx.ts';

export { detectCompression, detectFormat, sniffDelimiter } from './detect.ts';
export { isReadError, ReadError, type ReadErrorType } from './errors.ts';

const COMPRESSIONS: readonly string[] = ['none', 'gz', 'zip'];
const FORMATS: readonly string[] = ['csv', 'tsv', 'xlsx', 'json', 'ndjson', 'geojson'];

export function resolveLimits(limits: Partial<ReadLimits> | undefined): ReadLimits {
  return { ...DEFAULT_READ_LIMITS, ...limits };
}

/**
 * Opens a table file for streaming. Resolves once the header is read (`info` is complete); rejects with a
 * ReadError for a file that cannot be read at all. Errors met later surface as ReadErrors from `rows`.
 * The source closes itself when `rows` is exhausted or abandoned; call `close()` when never iterating.
 */
export async function openTableSource(path: string, options: ReadOptions = {}): Promise<TableSource> {
  const limits = resolveLimits(options.limits);
  const compression: Compression = options.compression ?? detectCompression(path);
  if (!COMPRESSIONS.includes(compression))
    throw new ReadError('compression-error', `compression "${String(compression)}" is not supported`);
  // Arriving bytes have no size yet: the text reader finds an empty source.
  if (options.incoming === undefined && (await checkFile(path)) === 0)
    throw new ReadError('source-error', 'the source is empty');
  let format: SourceFormat | undefined = options.format ?? detectFormat(path);
  // A zip named without the inner format (data.zip): the entry's name tells it.
  if (format === undefined && compression === 'zip') format = detectFormat(await zipDataName(path));
  if (format === undefined)
    throw new ReadError(
      'format-error',
      `the format of "${path.split(/[\\/]/).pop()}" cannot be told from its name; give it`,
    );
  if (!FORMATS.includes(format))
    throw new ReadError('format-error', `format "${String(format)}" is not supported`);
  if (options.incoming !== undefined && (format === 'xlsx' || compression === 'zip'))
    throw new ReadError(
      'source-error',
      `a ${format === 'xlsx' ? 'XLSX' : 'zip'} file is read only once stored`,
    );
  if (format === 'xlsx' && compression !== 'none')
    throw new ReadError(
      'compression-error',
      `an XLSX document cannot be read from ${compression} compression`,
    );

  const resolved: ReadOptions = { ...options, compression };
  switch (format) {
    case 'csv':
    case 'tsv':
      return openCsv(path, resolved, limits, format);
    case 'xlsx':
      return openXlsx(path, resolved, limits);
    default:
      return openJson(path, resolved, limits, format);
  }
}
