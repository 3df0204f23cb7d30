import { createReadStream, type ReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { Readable } from 'node:stream';
import { createGunzip } from 'node:zlib';
import yauzl from 'yauzl';
import type { Compression, IncomingBytes, ReadLimits } from '../datastore.model.ts';
import { detectFormat } from './detect.ts';
import { ReadError } from './errors.ts';

export const CHUNK_SIZE = 256 * 1024;
/** Ratios are only judged past this many decompressed bytes: small, very regular files compress well. */
export const RATIO_FLOOR = 10 * 1024 * 1024;

/** The decompressed bytes of a file, as a single-use stream of chunks. */
export interface ByteSource {
  chunks: AsyncIterable<Buffer>;
  /** Bytes of the file on disk consumed so far. */
  bytesRead(): number;
  close(): Promise<void>;
  compression: Compression;
  /** The name of the data inside: the zip entry's name, or the file's own name. */
  innerName: string;
}

export async function checkFile(path: string): Promise<number> {
  try {
    const info = await stat(path);
    if (!info.isFile()) throw new ReadError('source-error', `the source "${basename(path)}" is not a file`);
    return info.size;
  } catch (error) {
    if (error instanceof ReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new ReadError(
      'source-error',
      code === 'ENOENT'
        ? `the source "${basename(path)}" does not exist`
        : `the source "${basename(path)}" cannot be read (${code ?? String(error)})`,
      { cause: error },
    );
  }
}

export function sourceError(path: string, error: unknown): ReadError {
  if (error instanceof ReadError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  return new ReadError(
    'source-error',
    `the source "${basename(path)}" cannot be read (${code ?? String(error)})`,
    {
      cause: error,
    },
  );
}

function compressionError(message: string, cause?: unknown): ReadError {
  return new ReadError('compression-error', message, cause === undefined ? undefined : { cause });
}

/** Stops a decompression that grows past the limits (a "zip bomb"), while it streams. */
export class InflationGuard {
  private readonly limits: ReadLimits;
  private readonly what: string;
  decompressed = 0;

  constructor(limits: ReadLimits, what: string) {
    this.limits = limits;
    this.what = what;
  }

  add(bytes: number, compressedSoFar: number): void {
    this.decompressed += bytes;
    if (this.decompressed > this.limits.maxDecompressedBytes)
      throw compressionError(
        `${this.what} decompresses to more than ${this.limits.maxDecompressedBytes} bytes, the most accepted`,
      );
    if (
      this.decompressed > RATIO_FLOOR &&
      this.decompressed / Math.max(compressedSoFar, 1) > this.limits.maxCompressionRatio
    )
      throw compressionError(
        `${this.what} decompresses more than ${this.limits.maxCompressionRatio} times its compressed size: it looks like a zip bomb`,
      );
  }
}

export async function openByteSource(
  path: string,
  compression: Compression,
  limits: ReadLimits,
  incoming?: IncomingBytes,
): Promise<ByteSource> {
  if (incoming !== undefined) return incomingSource(path, compression, limits, incoming);
  if (compression === 'zip') return openZipSource(path, limits);
  const file = createReadStream(path, { highWaterMark: CHUNK_SIZE });
  const close = async () => {
    file.destroy();
  };
  if (compression === 'gz') return openGzipSource(path, file, limits);
  return {
    chunks: fileChunks(path, file),
    bytesRead: () => file.bytesRead,
    close,
    compression: 'none',
    innerName: basename(path),
  };
}

async function* fileChunks(path: string, file: ReadStream): AsyncGenerator<Buffer> {
  try {
    for await (const chunk of file) yield chunk as Buffer;
  } catch (error) {
    throw sourceError(path, error);
  } finally {
    file.destroy();
  }
}

function openGzipSource(path: string, file: ReadStream, limits: ReadLimits): ByteSource {
  return gunzipSource(path, file, () => file.bytesRead, limits);
}

/**
 * The inflated bytes of `compressed` (a file, or bytes arriving), stopped as soon as they grow past the
 * limits. `release` lets go of what feeds `compressed`.
 */
function gunzipSource(
  path: string,
  compressed: Readable,
  bytesRead: () => number,
  limits: ReadLimits,
  release: () => void = () => undefined,
): ByteSource {
  const gunzip = createGunzip({ chunkSize: 64 * 1024 });
  let sourceFailure: unknown;
  compressed.on('error', (error) => {
    sourceFailure = error;
    gunzip.destroy(error);
  });
  compressed.pipe(gunzip);
  const guard = new InflationGuard(limits, 'the gzip file');
  const stop = () => {
    compressed.destroy();
    gunzip.destroy();
    release();
  };
  async function* chunks(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of gunzip) {
        guard.add((chunk as Buffer).length, bytesRead());
        yield chunk as Buffer;
      }
    } catch (error) {
      if (error instanceof ReadError) throw error;
      if (sourceFailure !== undefined) throw sourceError(path, sourceFailure);
      throw compressionError(`the gzip data cannot be decompressed: ${(error as Error).message}`, error);
    } finally {
      stop();
    }
  }
  return {
    chunks: chunks(),
    bytesRead,
    close: async () => stop(),
    compression: 'gz',
    innerName: basename(path).replace(/\.(gz|gzip)$/i, ''),
  };
}

/** Bytes as they arrive (an upload being stored), plain or gzip; `path` only names them. */
function incomingSource(
  path: string,
  compression: Compression,
  limits: ReadLimits,
  incoming: IncomingBytes,
): ByteSource {
  let read = 0;
  async function* counted(): AsyncGenerator<Buffer> {
    try {
      for await (const chunk of incoming.chunks) {
        read += chunk.length;
        yield chunk;
      }
    } catch (error) {
      throw sourceError(path, error);
    } finally {
      incoming.close();
    }
  }
  if (compression === 'gz')
    return gunzipSource(
      path,
      Readable.from(counted(), { objectMode: false }),
      () => read,
      limits,
      () => incoming.close(),
    );
  return {
    chunks: counted(),
    bytesRead: () => read,
    close: async () => incoming.close(),
    compression: 'none',
    innerName: basename(path),
  };
}

const MAX_ZIP_ENTRIES = 10_000;

export interface ZipListing {
  zip: yauzl.ZipFile;
  entries: yauzl.Entry[];
}

/** Opens a zip and reads its central directory (names and declared sizes, nothing inflated). */
export async function listZip(path: string, notZip: () => ReadError): Promise<ZipListing> {
  const zip = await new Promise<yauzl.ZipFile>((resolve, reject) => {
    yauzl.open(
      path,
      { lazyEntries: true, autoClose: false, validateEntrySizes: true, strictFileNames: false },
      (error, zipfile) => (error ? reject(notZip()) : resolve(zipfile)),
    );
  });
  const entries: yauzl.Entry[] = [];
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        entries.push(entry);
        if (entries.length > MAX_ZIP_ENTRIES)
          reject(compressionError(`the archive has more than ${MAX_ZIP_ENTRIES} entries`));
        else zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', () => reject(notZip()));
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw error;
  }
  return { zip, entries };
}

export function openZipEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => {
    zip.openReadStream(entry, (error, stream) =>
      error
        ? reject(compressionError(`"${entry.fileName}" cannot be read from the archive: ${error.message}`))
        : resolve(stream),
    );
  });
}

/** Refuses an entry whose declared sizes are over the limits, before anything is inflated. */
export function checkZipEntry(entry: yauzl.Entry, limits: ReadLimits, what: string): void {
  if (entry.uncompressedSize > limits.maxDecompressedBytes)
    throw compressionError(
      `${what} declares ${entry.uncompressedSize} decompressed bytes; at most ${limits.maxDecompressedBytes} are accepted`,
    );
  if (
    entry.uncompressedSize > RATIO_FLOOR &&
    entry.uncompressedSize / Math.max(entry.compressedSize, 1) > limits.maxCompressionRatio
  )
    throw compressionError(
      `${what} decompresses ${Math.round(entry.uncompressedSize / Math.max(entry.compressedSize, 1))} times its compressed size (at most ${limits.maxCompressionRatio} is accepted): it looks like a zip bomb`,
    );
}

function isDataEntry(entry: yauzl.Entry): boolean {
  const name = entry.fileName;
  if (name.endsWith('/')) return false;
  const base = name.split('/').pop() ?? '';
  return !name.startsWith('__MACOSX/') && !base.startsWith('.');
}

/** The data file of an archive: its single file, or else the first whose name announces a table format. */
export function chooseZipEntry(entries: yauzl.Entry[]): yauzl.Entry {
  const files = entries.filter(isDataEntry);
  const entry = files.length === 1 ? files[0] : files.find((e) => detectFormat(e.fileName) !== undefined);
  if (entry === undefined)
    throw compressionError(
      files.length === 0
        ? 'the zip archive holds no file'
        : `the zip archive holds ${files.length} files and none of them is a table (${files
            .slice(0, 5)
            .map((e) => e.fileName)
            .join(', ')})`,
    );
  return entry;
}

/** The name of the data file inside a zip archive, read from its central directory. */
export async function zipDataName(path: string): Promise<string> {
  const { zip, entries } = await listZip(path, () =>
    compressionError(`the file "${basename(path)}" is not a valid zip archive`),
  );
  try {
    return chooseZipEntry(entries).fileName;
  } finally {
    zip.close();
  }
}

async function openZipSource(path: string, limits: ReadLimits): Promise<ByteSource> {
  const { zip, entries } = await listZip(path, () =>
    compressionError(`the file "${basename(path)}" is not a valid zip archive`),
  );
  try {
    const entry: yauzl.Entry = chooseZipEntry(entries);
    if (entry.isEncrypted()) throw compressionError(`"${entry.fileName}" is encrypted in the archive`);
    checkZipEntry(entry, limits, `"${entry.fileName}" in the archive`);
    const stream = await openZipEntry(zip, entry);
    const guard = new InflationGuard(limits, `"${entry.fileName}" in the archive`);
    // The share of the entry read so far stands in for the compressed bytes consumed.
    const compressedSoFar = () =>
      entry.uncompressedSize > 0
        ? Math.min(entry.compressedSize, (guard.decompressed / entry.uncompressedSize) * entry.compressedSize)
        : entry.compressedSize;
    async function* chunks(): AsyncGenerator<Buffer> {
      try {
        for await (const chunk of stream) {
          guard.add((chunk as Buffer).length, Math.max(compressedSoFar(), 1));
          yield chunk as Buffer;
        }
      } catch (error) {
        if (error instanceof ReadError) throw error;
        throw compressionError(
          `"${entry.fileName}" cannot be decompressed: ${(error as Error).message}`,
          error,
        );
      } finally {
        stream.destroy();
        zip.close();
      }
    }
    return {
      chunks: chunks(),
      bytesRead: () => Math.round(entry.relativeOffsetOfLocalHeader + compressedSoFar()),
      close: async () => {
        stream.destroy();
        zip.close();
      },
      compression: 'zip',
      innerName: entry.fileName.split('/').pop() ?? entry.fileName,
    };
  } catch (error) {
    zip.close();
    throw error;
  }
}

/** Lets the reader look at the first bytes (to detect the encoding, the delimiter, binary data) and then read on. */
export class PeekableChunks {
  private readonly iterator: AsyncIterator<Buffer>;
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private done = false;

  constructor(chunks: AsyncIterable<Buffer>) {
    this.iterator = chunks[Symbol.asyncIterator]();
  }

  /** Up to `size` bytes from the start (fewer when the data is shorter), and whether that is all of it. */
  async peek(size: number): Promise<{ sample: Buffer; complete: boolean }> {
    while (!this.done && this.headBytes < size) {
      const next = await this.iterator.next();
      if (next.done) this.done = true;
      else {
        this.head.push(next.value);
        this.headBytes += next.value.length;
      }
    }
    const all = Buffer.concat(this.head);
    return { sample: all.subarray(0, size), complete: this.done && all.length <= size };
  }

  async *[Symbol.asyncIterator](): AsyncGenerator<Buffer> {
    try {
      while (this.head.length > 0) yield this.head.shift()!;
      while (!this.done) {
        const next = await this.iterator.next();
        if (next.done) this.done = true;
        else yield next.value;
      }
    } finally {
      await this.iterator.return?.();
    }
  }
}
