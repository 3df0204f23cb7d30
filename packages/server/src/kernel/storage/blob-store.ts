import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Readable, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { PayloadTooLargeError } from '../errors.ts';

export interface StoredBlob {
  key: string;
  bytes: number;
  sha256: string;
}

/**
 * Where uploaded files live. Files are streamed in (never held in memory) and read back through a local
 * path, because the zip and XLSX readers need random access.
 */
export interface BlobStore {
  /** Streams `source` into a new blob. Over `maxBytes` it stops, keeps nothing and throws. */
  put(
    source: Readable,
    options: { maxBytes: number; onBytes?: (bytes: number) => void },
  ): Promise<StoredBlob>;
  /** A path the file can be opened at. */
  path(key: string): string;
  exists(key: string): Promise<boolean>;
  remove(key: string): Promise<void>;
}

const KEY = /^[a-z0-9]{2}\/[a-z0-9]{30}$/;

/** Blobs in a local folder, two levels deep so that no folder grows past a few thousand files. */
export function createLocalBlobStore(dir: string): BlobStore {
  function path(key: string): string {
    if (!KEY.test(key)) throw new Error(`Not a blob key: ${key}`);
    return join(dir, key);
  }
  return {
    path,
    async put(source, options) {
      const name = randomBytes(16).toString('hex').slice(0, 32);
      const key = `${name.slice(0, 2)}/${name.slice(2)}`;
      const target = path(key);
      const partial = `${target}.part`;
      await mkdir(join(dir, name.slice(0, 2)), { recursive: true });
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
        await pipeline(source, meter, createWriteStream(partial));
        if (tooLarge)
          throw new PayloadTooLargeError(`The file is larger than the ${options.maxBytes} bytes accepted.`);
        await rename(partial, target);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { key, bytes, sha256: hash.digest('hex') };
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
