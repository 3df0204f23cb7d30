import { createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { DatapolisError } from '../errors.ts';
import { type BlobStore, checkBlobKey, newBlobKey, receiveFile } from './blob-store.ts';
import { canonicalQuery, EMPTY_SHA256, type SigV4Credentials, signRequest, uriEncode } from './sigv4.ts';

const MiB = 1024 * 1024;
/** S3's limits: parts of at least 5 MiB (the last excepted), at most 10,000 of them. */
const MIN_PART_BYTES = 5 * MiB;
const MAX_PARTS = 10_000;
const RETRIED = new Set([500, 502, 503, 504]);

export interface S3BlobStoreOptions {
  /** The service's address, http(s)://host[:port]. */
  endpoint: string;
  region: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  /** The bucket in the path (endpoint/bucket/key: MinIO, Ceph) rather than in the host (bucket.endpoint/key). */
  forcePathStyle: boolean;
  /** Local copies: every upload passes through here and stays; files read later are fetched into it. */
  cacheDir: string;
  /** Files larger than this go up in parts. Default 64 MiB. */
  multipartThresholdBytes?: number;
  /** Size of each part, at least 5 MiB; larger when a file would need more than 10,000 parts. Default 32 MiB. */
  partSizeBytes?: number;
  /** Parts sent at the same time. Default 4. */
  partConcurrency?: number;
  /** Tries of a request that gets no answer or 500, 502, 503, 504. Default 3. */
  attempts?: number;
  /** Wait before the second try, doubled for each one after. Default 250 ms. */
  retryDelayMs?: number;
}

/** The object storage refused or did not answer. The message names the operation, bucket and key. */
export class ObjectStorageError extends DatapolisError {
  /** The storage's HTTP status; undefined when it did not answer. */
  readonly storageStatus: number | undefined;
  constructor(message: string, storageStatus?: number) {
    super('STORAGE_FAILED', 502, message);
    this.storageStatus = storageStatus;
  }
}

interface S3Call {
  operation: string;
  key: string | undefined;
  method: 'GET' | 'HEAD' | 'PUT' | 'POST' | 'DELETE';
  query?: [string, string][];
  payloadHash: string;
  /** Made again for each try. */
  body?: () => string | ReadableStream<Uint8Array>;
  contentLength?: number;
  /** Statuses that are answers rather than failures (404 to HEAD). */
  accept?: number[];
}

function fileRange(file: string, start: number, length: number): ReadableStream<Uint8Array> {
  return Readable.toWeb(
    createReadStream(file, { start, end: start + length - 1 }),
  ) as unknown as ReadableStream<Uint8Array>;
}

async function hashRange(file: string, start: number, length: number): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { start, end: start + length - 1 }))
    hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

function xmlValue(xml: string, tag: string): string | undefined {
  const match = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  if (match?.[1] === undefined) return undefined;
  return match[1]
    .replaceAll('&quot;', '"')
    .replaceAll('&apos;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');
}

function escapeXml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

function oneLine(text: string, max = 300): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/**
 * Blobs in a bucket of any S3-compatible service (AWS, MinIO, Ceph, OSS or COS S3 endpoints), reached
 * with fetch and signed with SigV4. The readers need a local file, so every file also lives in
 * `cacheDir`: an upload is received there first (counted and hashed as the local store does), then sent
 * (one PutObject, or a multipart upload above the threshold), and the copy kept; `localPath` fetches a
 * file that is not there (another host uploaded it, or the cache was emptied).
 */
export function createS3BlobStore(options: S3BlobStoreOptions): BlobStore {
  const endpoint = new URL(options.endpoint);
  if (endpoint.protocol !== 'http:' && endpoint.protocol !== 'https:')
    throw new Error('The object storage endpoint must be an http(s) address.');
  if (endpoint.username !== '' || endpoint.password !== '')
    throw new Error('The object storage endpoint must not carry credentials.');
  const { bucket, cacheDir, forcePathStyle } = options;
  const basePath = endpoint.pathname.replace(/\/+$/, '');
  const origin = forcePathStyle ? endpoint.origin : `${endpoint.protocol}//${bucket}.${endpoint.host}`;
  const host = forcePathStyle ? endpoint.host : `${bucket}.${endpoint.host}`;
  const credentials: SigV4Credentials = {
    accessKeyId: options.accessKeyId,
    secretAccessKey: options.secretAccessKey,
  };
  const scope = { region: options.region, service: 's3' };
  const threshold = options.multipartThresholdBytes ?? 64 * MiB;
  const partSize = options.partSizeBytes ?? 32 * MiB;
  if (partSize < MIN_PART_BYTES) throw new Error('Parts of a multipart upload must be at least 5 MiB.');
  const concurrency = Math.max(1, options.partConcurrency ?? 4);
  const attempts = Math.max(1, options.attempts ?? 3);
  const retryDelayMs = options.retryDelayMs ?? 250;
  const downloads = new Map<string, Promise<void>>();

  function cachePath(key: string): string {
    return join(cacheDir, checkBlobKey(key));
  }

  function objectPath(key: string | undefined): string {
    const keyPath = key === undefined ? '' : `/${uriEncode(key, false)}`;
    const path = forcePathStyle ? `${basePath}/${uriEncode(bucket)}${keyPath}` : `${basePath}${keyPath}`;
    return path === '' ? '/' : path;
  }

  function what(call: S3Call): string {
    return call.key === undefined
      ? `${call.operation} in bucket "${bucket}"`
      : `${call.operation} of "${call.key}" in bucket "${bucket}"`;
  }

  function refused(call: S3Call, status: number, body: string): ObjectStorageError {
    const code = xmlValue(body, 'Code');
    const message = xmlValue(body, 'Message');
    const reason = [code, message === undefined ? undefined : `(${oneLine(message).replace(/\.$/, '')})`]
      .filter((part) => part !== undefined && part !== '')
      .join(' ');
    const hint =
      status === 403
        ? ' Check DATAPOLIS_S3_ACCESS_KEY_ID, DATAPOLIS_S3_SECRET_ACCESS_KEY and the bucket’s permissions.'
        : '';
    return new ObjectStorageError(
      `Object storage: ${what(call)} failed with ${status}${reason === '' ? '' : ` ${reason}`}.${hint}`,
      status,
    );
  }

  async function send(call: S3Call): Promise<Response> {
    const path = objectPath(call.key);
    const query = canonicalQuery(call.query);
    const signed = signRequest(
      {
        method: call.method,
        host,
        path,
        ...(call.query ? { query: call.query } : {}),
        payloadHash: call.payloadHash,
      },
      credentials,
      scope,
      new Date(),
    );
    const headers: Record<string, string> = { ...signed.headers, 'accept-encoding': 'identity' };
    if (call.contentLength !== undefined) headers['content-length'] = String(call.contentLength);
    const body = call.body?.();
    return fetch(`${origin}${path}${query === '' ? '' : `?${query}`}`, {
      method: call.method,
      headers,
      redirect: 'manual',
      ...(body === undefined ? {} : { body, duplex: 'half' as const }),
    });
  }

  /** One S3 request, tried again on no answer or a 5xx; any other failure becomes one clear line. */
  async function call(request: S3Call): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      let response: Response;
      try {
        response = await send(request);
      } catch (error) {
        if (attempt < attempts) {
          await sleep(retryDelayMs * 2 ** (attempt - 1));
          continue;
        }
        const cause = (error as { cause?: { code?: string; message?: string } }).cause;
        const reason = cause?.code ?? cause?.message ?? (error as Error).message;
        throw new ObjectStorageError(
          `Object storage: ${what(request)} failed: no answer from ${endpoint.origin} (${oneLine(String(reason))}).`,
        );
      }
      if (response.ok || request.accept?.includes(response.status)) return response;
      const body = await response.text().catch(() => '');
      if (RETRIED.has(response.status) && attempt < attempts) {
        await sleep(retryDelayMs * 2 ** (attempt - 1));
        continue;
      }
      throw refused(request, response.status, body);
    }
  }

  async function putObject(key: string, file: string, bytes: number, sha256: string): Promise<void> {
    const response = await call({
      operation: 'PutObject',
      key,
      method: 'PUT',
      payloadHash: sha256,
      contentLength: bytes,
      body: () => (bytes === 0 ? '' : fileRange(file, 0, bytes)),
    });
    await response.text();
  }

  async function multipartUpload(key: string, file: string, bytes: number): Promise<void> {
    const size = Math.max(partSize, Math.ceil(bytes / MAX_PARTS / MiB) * MiB);
    const count = Math.ceil(bytes / size);
    const create: S3Call = {
      operation: 'CreateMultipartUpload',
      key,
      method: 'POST',
      query: [['uploads', '']],
      payloadHash: EMPTY_SHA256,
    };
    const created = await (await call(create)).text();
    const uploadId = xmlValue(created, 'UploadId');
    if (uploadId === undefined || uploadId === '')
      throw new ObjectStorageError(`Object storage: ${what(create)} answered without an UploadId.`);
    try {
      const etags: string[] = [];
      let next = 0;
      let failed = false;
      const worker = async () => {
        while (!failed && next < count) {
          const index = next++;
          const start = index * size;
          const length = Math.min(size, bytes - start);
          try {
            const part: S3Call = {
              operation: `UploadPart ${index + 1}/${count}`,
              key,
              method: 'PUT',
              query: [
                ['partNumber', String(index + 1)],
                ['uploadId', uploadId],
              ],
              payloadHash: await hashRange(file, start, length),
              contentLength: length,
              body: () => fileRange(file, start, length),
            };
            const response = await call(part);
            await response.text();
            const etag = response.headers.get('etag');
            if (etag === null)
              throw new ObjectStorageError(`Object storage: ${what(part)} answered without an ETag.`);
            etags[index] = etag;
          } catch (error) {
            // The other workers finish the part they are sending and take no more.
            failed = true;
            throw error;
          }
        }
      };
      const results = await Promise.allSettled(
        Array.from({ length: Math.min(concurrency, count) }, () => worker()),
      );
      const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
      if (rejected !== undefined) throw rejected.reason;
      const xml =
        '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
        etags
          .map((etag, i) => `<Part><PartNumber>${i + 1}</PartNumber><ETag>${escapeXml(etag)}</ETag></Part>`)
          .join('') +
        '</CompleteMultipartUpload>';
      const complete: S3Call = {
        operation: 'CompleteMultipartUpload',
        key,
        method: 'POST',
        query: [['uploadId', uploadId]],
        payloadHash: createHash('sha256').update(xml).digest('hex'),
        contentLength: Buffer.byteLength(xml),
        body: () => xml,
      };
      const answer = await (await call(complete)).text();
      // S3 may answer 200 and still report the failure in the body.
      if (/<Error>/.test(answer)) throw refused(complete, 200, answer);
    } catch (error) {
      await call({
        operation: 'AbortMultipartUpload',
        key,
        method: 'DELETE',
        query: [['uploadId', uploadId]],
        payloadHash: EMPTY_SHA256,
        accept: [404],
      })
        .then((response) => response.text())
        .catch(() => undefined);
      throw error;
    }
  }

  async function download(key: string, file: string): Promise<void> {
    const request: S3Call = { operation: 'GetObject', key, method: 'GET', payloadHash: EMPTY_SHA256 };
    const response = await call(request);
    const partial = `${file}.${randomBytes(4).toString('hex')}.download`;
    await mkdir(dirname(file), { recursive: true });
    try {
      if (response.body === null) throw new Error('no body');
      await pipeline(Readable.fromWeb(response.body as never), createWriteStream(partial));
      const expected = Number(response.headers.get('content-length') ?? Number.NaN);
      const received = (await stat(partial)).size;
      if (Number.isFinite(expected) && received !== expected)
        throw new Error(`${received} of ${expected} bytes arrived`);
      await rename(partial, file);
    } catch (error) {
      await rm(partial, { force: true });
      if (error instanceof ObjectStorageError) throw error;
      throw new ObjectStorageError(
        `Object storage: ${what(request)} broke off: ${oneLine((error as Error).message)}.`,
      );
    }
  }

  return {
    async put(source, putOptions) {
      const key = newBlobKey();
      const file = cachePath(key);
      const partial = `${file}.part`;
      const { bytes, sha256 } = await receiveFile(source, partial, putOptions);
      try {
        if (bytes > threshold) await multipartUpload(key, partial, bytes);
        else await putObject(key, partial, bytes, sha256);
        await rename(partial, file);
      } catch (error) {
        await rm(partial, { force: true });
        throw error;
      }
      return { key, bytes, sha256 };
    },
    async localPath(key) {
      const file = cachePath(key);
      if (await isFile(file)) return file;
      let pending = downloads.get(key);
      if (pending === undefined) {
        pending = download(key, file).finally(() => downloads.delete(key));
        downloads.set(key, pending);
      }
      await pending;
      return file;
    },
    async exists(key) {
      checkBlobKey(key);
      const response = await call({
        operation: 'HeadObject',
        key,
        method: 'HEAD',
        payloadHash: EMPTY_SHA256,
        accept: [404],
      });
      await response.body?.cancel();
      return response.status !== 404;
    },
    async remove(key) {
      const file = cachePath(key);
      const response = await call({
        operation: 'DeleteObject',
        key,
        method: 'DELETE',
        payloadHash: EMPTY_SHA256,
        accept: [404],
      });
      await response.text();
      await rm(file, { force: true });
    },
  };
}
