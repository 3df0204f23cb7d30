import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PayloadTooLargeError } from '../errors.ts';

export interface StoredBlob {
  key: string;
  bytes: number;
  sha256: string;
}

export interface PutOptions {
  maxBytes: number;
  onBytes?: (bytes: number) => void;
}

/**
 * Where uploaded files live. Files are streamed in (never held in memory) and read back through a local
 * path, because the zip and XLSX readers need random access.
 */
export interface BlobStore {
  /** Streams `source` into a new blob. Over `maxBytes` it stops, keeps nothing and throws. */
  put(source: Readable, options: PutOptions): Promise<StoredBlob>;
  /** A local path the file can be opened at; a remote store fetches the file first when not cached. */
  localPath(key: string): Promise<string>;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
}

const KEY = /^[a-z0-9]{2}\/[a-z0-9]{30}$/;

/** A fresh key, `ab/` and 30 more characters: two levels, so that no folder grows past a few thousand files. */
export function newBlobKey(): string {
  const name = randomBytes(16).toString('hex').slice(0, 32);
  return `${name.slice(0, 2)}/${name.slice(2)}`;
}

export function checkBlobKey(key: string): string {
  if (!KEY.test(key)) throw new Error(`Not a blob key: ${key}`);
  return key;
}

/**
 * Streams `source` into `file`, counting and hashing on the way. Over `maxBytes` the rest is read and
 * dropped, the file removed, and PayloadTooLargeError thrown; on any failure the file is removed.
 */
export async function receiveFile(
  source: Readable,
  file: string,
  options: PutOptions,
): Promise<{ bytes: number; sha256: string }> {
  await mkdir(dirname(file), { recursive: true });
  const hash = createHash('sha256');
  let bytes = 0;
  let tooLarge = false;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      bytes += chunk.length;
      if (tooLarge || bytes > options.maxBytes) {
        // The rest is read and dropped rather than the source destroyed, so that an HTTP caller
        // still gets the answer saying why.
        tooLarge = true;
        callback();
        return;
      }
      hash.update(chunk);
      options.onBytes?.(bytes);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(source, meter, createWriteStream(file));
    if (tooLarge)
      throw new PayloadTooLargeError(`The file is larger than the ${options.maxBytes} bytes accepted.`);
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return { bytes, sha256: hash.digest('hex') };
}

/** Blobs in a local folder, two levels deep. */
export function createLocalBlobStore(dir: string): BlobStore {
  function path(key: string): string {
    return join(dir, checkBlobKey(key));
  }
  return {
    async put(source, options) {
      const key = newBlobKey();
      const target = path(key);
      const partial = `${target}.part`;
      const received = await receiveFile(source, partial, options);
      try {
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { key, ...received };
    },
    async localPath(key) {
      return path(key);
    },
    async exists(key) {
      try {
        return (await stat(path(key))).isFile();
      } catch {
        return false;
      }
    },
    async remove(key) {
      await rm(path(key), { force: true });
    },
  };
}
