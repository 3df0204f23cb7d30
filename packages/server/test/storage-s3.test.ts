import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/kernel/config/index.ts';
import { ConfigError, PayloadTooLargeError } from '../src/kernel/errors.ts';
import {
  type BlobStore,
  createS3BlobStore,
  ObjectStorageError,
  type S3BlobStoreOptions,
} from '../src/kernel/storage/index.ts';
import { canonicalQuery, EMPTY_SHA256, signRequest, uriEncode } from '../src/kernel/storage/sigv4.ts';
import { headers, organizationByCode, publishEntry, sampleEntry } from './support/catalog-fixtures.ts';
import { startTestPlatform } from './support/test-platform.ts';

/*
 * The store is tested against s3rver, an S3-compatible server in this process. s3rver 3.7.1 checks the
 * access key id and the clock of a SigV4 request but not its signature or payload hash, so it sits behind
 * a gateway that checks both the way S3 does (and refuses parts under 5 MiB, a missing Content-Length,
 * and answers AbortMultipartUpload, which s3rver lacks). The gateway's verifier is separate code from
 * the signer, and is itself checked against AWS's published examples below.
 */

const BUCKET = 'datapolis';
const ACCESS_KEY = 'S3RVER';
const SECRET = 'S3RVER';
const MiB = 1024 * 1024;

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

// ---------------------------------------------------------------------------------------------------
// AWS's examples (S3 API reference, "Signature Calculations for the Authorization Header: Transferring
// Payload in a Single Chunk"): bucket examplebucket, 24 May 2013, us-east-1.

const AWS = {
  accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
  secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
  host: 'examplebucket.s3.amazonaws.com',
  now: new Date('2013-05-24T00:00:00Z'),
  scope: { region: 'us-east-1', service: 's3' },
};

describe('the SigV4 signer', () => {
  it('signs AWS’s “GET Object” example: canonical request, string to sign and signature', () => {
    const signed = signRequest(
      {
        method: 'GET',
        host: AWS.host,
        path: '/test.txt',
        headers: { Range: 'bytes=0-9' },
        payloadHash: EMPTY_SHA256,
      },
      AWS,
      AWS.scope,
      AWS.now,
    );
    expect(signed.canonicalRequest).toBe(
      [
        'GET',
        '/test.txt',
        '',
        'host:examplebucket.s3.amazonaws.com',
        'range:bytes=0-9',
        'x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
        'x-amz-date:20130524T000000Z',
        '',
        'host;range;x-amz-content-sha256;x-amz-date',
        'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
      ].join('\n'),
    );
    expect(signed.stringToSign).toBe(
      [
        'AWS4-HMAC-SHA256',
        '20130524T000000Z',
        '20130524/us-east-1/s3/aws4_request',
        '7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972',
      ].join('\n'),
    );
    expect(signed.signature).toBe('f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41');
    expect(signed.headers.authorization).toBe(
      'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, ' +
        'SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, ' +
        'Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
    );
    expect(signed.headers['x-amz-date']).toBe('20130524T000000Z');
    expect(signed.headers['x-amz-content-sha256']).toBe(EMPTY_SHA256);
  });

  it('signs the “PUT Object”, “GET Bucket Lifecycle” and “List Objects” examples', () => {
    const body = 'Welcome to Amazon S3.';
    expect(sha256(body)).toBe('44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072');
    const put = signRequest(
      {
        method: 'PUT',
        host: AWS.host,
        path: `/${uriEncode('test$file.text', false)}`,
        headers: { Date: 'Fri, 24 May 2013 00:00:00 GMT', 'x-amz-storage-class': 'REDUCED_REDUNDANCY' },
        payloadHash: sha256(body),
      },
      AWS,
      AWS.scope,
      AWS.now,
    );
    expect(put.canonicalRequest.split('\n')[1]).toBe('/test%24file.text');
    expect(put.signature).toBe('98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd');
    const lifecycle = signRequest(
      { method: 'GET', host: AWS.host, path: '/', query: [['lifecycle', '']], payloadHash: EMPTY_SHA256 },
      AWS,
      AWS.scope,
      AWS.now,
    );
    expect(lifecycle.signature).toBe('fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543');
    const list = signRequest(
      {
        method: 'GET',
        host: AWS.host,
        path: '/',
        query: [
          ['prefix', 'J'],
          ['max-keys', '2'],
        ],
        payloadHash: EMPTY_SHA256,
      },
      AWS,
      AWS.scope,
      AWS.now,
    );
    expect(list.signature).toBe('34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7');
  });

  it('encodes the way S3 does', () => {
    expect(uriEncode("a b+c/é~!*'()", true)).toBe('a%20b%2Bc%2F%C3%A9~%21%2A%27%28%29');
    expect(uriEncode('ab/cdef', false)).toBe('ab/cdef');
    expect(
      canonicalQuery([
        ['uploadId', 'x/y z'],
        ['partNumber', '2'],
        ['uploads', ''],
      ]),
    ).toBe('partNumber=2&uploadId=x%2Fy%20z&uploads=');
  });
});

// ---------------------------------------------------------------------------------------------------
// A verifier written apart from the signer, as S3 checks a request it receives.

interface Refusal {
  status: number;
  code: string;
  message: string;
}

function awsEncode(text: string, keepSlash: boolean): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    if (/[A-Za-z0-9\-_.~]/.test(c) || (keepSlash && c === '/')) out += c;
    else out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

function verifySigV4(
  request: { method: string; url: string; headers: IncomingHttpHeaders },
  secrets: ReadonlyMap<string, string>,
  region: string,
  now: Date,
): Refusal | undefined {
  const header = (name: string) => {
    const value = request.headers[name];
    return Array.isArray(value) ? value.join(',') : value;
  };
  const match =
    /^AWS4-HMAC-SHA256 Credential=([^/,\s]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request, ?SignedHeaders=([a-z0-9;-]+), ?Signature=([0-9a-f]{64})$/.exec(
      header('authorization') ?? '',
    );
  if (match === null) return { status: 403, code: 'AccessDenied', message: 'No valid SigV4 Authorization.' };
  const [, accessKeyId = '', day = '', credentialRegion = '', signedList = '', given = ''] = match;
  const secret = secrets.get(accessKeyId);
  if (secret === undefined)
    return {
      status: 403,
      code: 'InvalidAccessKeyId',
      message: 'The AWS Access Key Id you provided does not exist.',
    };
  if (credentialRegion !== region)
    return {
      status: 400,
      code: 'AuthorizationHeaderMalformed',
      message: `The region '${credentialRegion}' is wrong.`,
    };
  const stamp = header('x-amz-date') ?? '';
  const time = Date.parse(stamp.replace(/^(\d{4})(\d\d)(\d\d)T(\d\d)(\d\d)(\d\d)Z$/, '$1-$2-$3T$4:$5:$6Z'));
  if (!stamp.startsWith(day) || Number.isNaN(time) || Math.abs(time - now.getTime()) > 15 * 60_000)
    return { status: 403, code: 'RequestTimeTooSkewed', message: 'The request time is too far off.' };
  const signedNames = signedList.split(';');
  for (const required of ['host', 'x-amz-content-sha256', 'x-amz-date'])
    if (!signedNames.includes(required))
      return { status: 403, code: 'AccessDenied', message: `${required} must be signed.` };
  const question = request.url.indexOf('?');
  const rawPath = question < 0 ? request.url : request.url.slice(0, question);
  const rawQuery = question < 0 ? '' : request.url.slice(question + 1);
  const canonicalUri = rawPath
    .split('/')
    .map((segment) => awsEncode(decodeURIComponent(segment), false))
    .join('/');
  const pairs = rawQuery
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const name = decodeURIComponent(eq < 0 ? p : p.slice(0, eq));
      const value = eq < 0 ? '' : decodeURIComponent(p.slice(eq + 1));
      return `${awsEncode(name, false)}=${awsEncode(value, false)}`;
    })
    .sort();
  const canonical = [
    request.method,
    canonicalUri,
    pairs.join('&'),
    ...signedNames.map((name) => `${name}:${(header(name) ?? '').trim().replace(/ +/g, ' ')}`),
    '',
    signedList,
    header('x-amz-content-sha256') ?? '',
  ].join('\n');
  const toSign = `AWS4-HMAC-SHA256\n${stamp}\n${day}/${region}/s3/aws4_request\n${sha256(canonical)}`;
  let key = createHmac('sha256', `AWS4${secret}`).update(day).digest();
  for (const part of [region, 's3', 'aws4_request']) key = createHmac('sha256', key).update(part).digest();
  const expected = createHmac('sha256', key).update(toSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(given, 'hex')))
    return {
      status: 403,
      code: 'SignatureDoesNotMatch',
      message: 'The request signature we calculated does not match the signature you provided.',
    };
  return undefined;
}

describe('the gateway’s verifier', () => {
  // AWS's own requests, with the Authorization headers exactly as the documentation prints them.
  const example = (
    url: string,
    signedHeaders: string,
    signature: string,
    extra: Record<string, string> = {},
  ) => ({
    method: 'GET',
    url,
    headers: {
      host: AWS.host,
      'x-amz-date': '20130524T000000Z',
      'x-amz-content-sha256': EMPTY_SHA256,
      ...extra,
      authorization: `AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,SignedHeaders=${signedHeaders},Signature=${signature}`,
    },
  });
  const examples = [
    example(
      '/test.txt',
      'host;range;x-amz-content-sha256;x-amz-date',
      'f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41',
      { range: 'bytes=0-9' },
    ),
    example(
      '/?lifecycle',
      'host;x-amz-content-sha256;x-amz-date',
      'fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543',
    ),
    example(
      '/?max-keys=2&prefix=J',
      'host;x-amz-content-sha256;x-amz-date',
      '34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7',
    ),
  ];

  it('accepts AWS’s examples with their secret and refuses them with another', () => {
    const right = new Map([[AWS.accessKeyId, AWS.secretAccessKey]]);
    const wrong = new Map([[AWS.accessKeyId, `${AWS.secretAccessKey}x`]]);
    for (const request of examples) {
      expect(verifySigV4(request, right, 'us-east-1', AWS.now)).toBeUndefined();
      expect(verifySigV4(request, wrong, 'us-east-1', AWS.now)?.code).toBe('SignatureDoesNotMatch');
    }
    const tampered = { ...examples[0]!, headers: { ...examples[0]!.headers, range: 'bytes=0-10' } };
    expect(verifySigV4(tampered, right, 'us-east-1', AWS.now)?.code).toBe('SignatureDoesNotMatch');
    expect(verifySigV4(examples[0]!, right, 'us-east-1', new Date())?.code).toBe('RequestTimeTooSkewed');
  });
});

// ---------------------------------------------------------------------------------------------------
// s3rver behind the verifying gateway.

interface Logged {
  method: string;
  operation: string;
  status: number;
}

interface Fault {
  operation: string;
  partNumber?: string;
  status: number;
  times: number;
}

interface Gateway {
  url: string;
  s3rverUrl: string;
  log: Logged[];
  faults: Fault[];
  aborted: string[];
  keys(): Promise<string[]>;
  close(): Promise<void>;
}

function operationOf(method: string, query: URLSearchParams): string {
  if (method === 'PUT') return query.has('partNumber') ? 'UploadPart' : 'PutObject';
  if (method === 'POST') return query.has('uploads') ? 'CreateMultipartUpload' : 'CompleteMultipartUpload';
  if (method === 'DELETE') return query.has('uploadId') ? 'AbortMultipartUpload' : 'DeleteObject';
  if (method === 'HEAD') return 'HeadObject';
  return 'GetObject';
}

function xmlError(refusal: Refusal): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${refusal.code}</Code><Message>${refusal.message}</Message></Error>`;
}

async function startGateway(): Promise<Gateway> {
  const S3rver = createRequire(import.meta.url)('s3rver') as new (
    options: Record<string, unknown>,
  ) => { run(): Promise<AddressInfo>; close(): Promise<void> };
  const directory = mkdtempSync(join(tmpdir(), 'datapolis-s3rver-'));
  const s3rver = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory,
    configureBuckets: [{ name: BUCKET }],
  });
  const upstream = `http://127.0.0.1:${(await s3rver.run()).port}`;
  const secrets = new Map([[ACCESS_KEY, SECRET]]);
  const log: Logged[] = [];
  const faults: Fault[] = [];
  const aborted: string[] = [];
  const uploads = new Map<string, Map<number, { size: number; etag: string }>>();

  const server: Server = createServer(async (req, res) => {
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    const query = new URL(url, 'http://gateway').searchParams;
    const operation = operationOf(method, query);
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const answer = (status: number, text = '', extra: Record<string, string> = {}) => {
      log.push({ method, operation, status });
      res.writeHead(status, text === '' ? extra : { 'content-type': 'application/xml', ...extra });
      res.end(method === 'HEAD' ? undefined : text);
    };
    const refuse = (refusal: Refusal) => answer(refusal.status, xmlError(refusal));

    const refusal = verifySigV4({ method, url, headers: req.headers }, secrets, 'us-east-1', new Date());
    if (refusal !== undefined) return refuse(refusal);
    const claimed = req.headers['x-amz-content-sha256'];
    if (claimed !== 'UNSIGNED-PAYLOAD' && claimed !== sha256(body))
      return refuse({
        status: 400,
        code: 'XAmzContentSHA256Mismatch',
        message: 'The payload hash is wrong.',
      });
    if (method === 'PUT' && req.headers['content-length'] === undefined)
      return refuse({ status: 411, code: 'MissingContentLength', message: 'Send Content-Length.' });

    const fault = faults.find(
      (f) =>
        f.times > 0 &&
        f.operation === operation &&
        (f.partNumber === undefined || f.partNumber === query.get('partNumber')),
    );
    if (fault !== undefined) {
      fault.times--;
      return refuse({
        status: fault.status,
        code: 'ServiceUnavailable',
        message: 'Please reduce your request rate.',
      });
    }

    const uploadId = query.get('uploadId') ?? '';
    if (operation === 'UploadPart' && !uploads.has(uploadId))
      return refuse({ status: 404, code: 'NoSuchUpload', message: 'No such upload.' });
    if (operation === 'AbortMultipartUpload') {
      if (!uploads.delete(uploadId))
        return refuse({ status: 404, code: 'NoSuchUpload', message: 'No such upload.' });
      aborted.push(uploadId);
      return answer(204);
    }
    if (operation === 'CompleteMultipartUpload') {
      const parts = uploads.get(uploadId);
      if (parts === undefined)
        return refuse({ status: 404, code: 'NoSuchUpload', message: 'No such upload.' });
      const listed = [
        ...body.toString('utf8').matchAll(/<PartNumber>(\d+)<\/PartNumber><ETag>([^<]*)<\/ETag>/g),
      ];
      for (const [i, [, number, etag]] of listed.entries()) {
        const part = parts.get(Number(number));
        const plain = (s: string) => s.replaceAll('&quot;', '').replaceAll('"', '');
        if (part === undefined || Number(number) !== i + 1 || plain(part.etag) !== plain(etag ?? ''))
          return refuse({ status: 400, code: 'InvalidPart', message: `Part ${number} is not as uploaded.` });
        if (i < listed.length - 1 && part.size < 5 * MiB)
          return refuse({ status: 400, code: 'EntityTooSmall', message: `Part ${number} is under 5 MiB.` });
      }
    }

    const forwarded: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers))
      if (
        typeof value === 'string' &&
        !['host', 'connection', 'content-length', 'transfer-encoding'].includes(name)
      )
        forwarded[name] = value;
    const response = await fetch(`${upstream}${url}`, {
      method,
      headers: forwarded,
      ...(body.length === 0 ? {} : { body }),
    });
    const payload = Buffer.from(await response.arrayBuffer());
    const returned: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      if (!['connection', 'keep-alive', 'transfer-encoding', 'content-encoding'].includes(name))
        returned[name] = value;
    });
    if (response.ok && operation === 'CreateMultipartUpload') {
      const id = /<UploadId>([^<]+)<\/UploadId>/.exec(payload.toString('utf8'))?.[1];
      if (id !== undefined) uploads.set(id, new Map());
    }
    if (response.ok && operation === 'UploadPart')
      uploads.get(uploadId)?.set(Number(query.get('partNumber')), {
        size: body.length,
        etag: response.headers.get('etag') ?? '',
      });
    if (response.ok && operation === 'CompleteMultipartUpload') uploads.delete(uploadId);
    log.push({ method, operation, status: response.status });
    res.writeHead(response.status, returned);
    res.end(method === 'HEAD' ? undefined : payload);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    s3rverUrl: upstream,
    log,
    faults,
    aborted,
    // Straight from s3rver, which lets unsigned requests through: what the bucket really holds.
    async keys() {
      const listing = await (await fetch(`${upstream}/${BUCKET}?max-keys=1000`)).text();
      return [...listing.matchAll(/<Key>([^<]+)<\/Key>/g)].map((m) => m[1]!).sort();
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await s3rver.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

let gateway: Gateway;
const cacheDirs: string[] = [];

function storeWith(overrides: Partial<S3BlobStoreOptions> = {}): { store: BlobStore; cacheDir: string } {
  const cacheDir = mkdtempSync(join(tmpdir(), 'datapolis-s3-cache-'));
  cacheDirs.push(cacheDir);
  const store = createS3BlobStore({
    endpoint: gateway.url,
    region: 'us-east-1',
    bucket: BUCKET,
    accessKeyId: ACCESS_KEY,
    secretAccessKey: SECRET,
    forcePathStyle: true,
    cacheDir,
    retryDelayMs: 1,
    ...overrides,
  });
  return { store, cacheDir };
}

function filesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name));
}

const operationsSince = (mark: number) => gateway.log.slice(mark).map((l) => l.operation);

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  gateway = await startGateway();
});

afterAll(async () => {
  await gateway?.close();
  for (const dir of cacheDirs) rmSync(dir, { recursive: true, force: true });
});

describe('the S3 blob store', () => {
  it('puts, finds, reads back and removes a file', async () => {
    const { store, cacheDir } = storeWith();
    const content = Buffer.concat([Buffer.from('line,name\n'), randomBytes(200_000)]);
    const seen: number[] = [];
    const mark = gateway.log.length;
    const stored = await store.put(Readable.from([content.subarray(0, 70_000), content.subarray(70_000)]), {
      maxBytes: 1_000_000,
      onBytes: (bytes) => seen.push(bytes),
    });
    expect(stored.key).toMatch(/^[a-z0-9]{2}\/[a-z0-9]{30}$/);
    expect(stored.bytes).toBe(content.length);
    expect(stored.sha256).toBe(sha256(content));
    expect(seen.at(-1)).toBe(content.length);
    expect(operationsSince(mark)).toEqual(['PutObject']);
    expect(await gateway.keys()).toContain(stored.key);
    // What s3rver holds is the file.
    const held = Buffer.from(
      await (await fetch(`${gateway.s3rverUrl}/${BUCKET}/${stored.key}`)).arrayBuffer(),
    );
    expect(sha256(held)).toBe(stored.sha256);

    // The upload stays as the local copy: no download to read it.
    const local = await store.localPath(stored.key);
    expect(local).toBe(join(cacheDir, stored.key));
    expect(sha256(readFileSync(local))).toBe(stored.sha256);
    expect(operationsSince(mark)).toEqual(['PutObject']);

    // Without the copy (another host, an emptied cache) the file is fetched once, however many ask.
    rmSync(cacheDir, { recursive: true, force: true });
    const [a, b] = await Promise.all([store.localPath(stored.key), store.localPath(stored.key)]);
    expect(a).toBe(local);
    expect(b).toBe(local);
    expect(sha256(readFileSync(local))).toBe(stored.sha256);
    expect(operationsSince(mark)).toEqual(['PutObject', 'GetObject']);
    expect(filesIn(cacheDir)).toEqual([local]);

    expect(await store.exists(stored.key)).toBe(true);
    await store.remove(stored.key);
    expect(await store.exists(stored.key)).toBe(false);
    expect(existsSync(local)).toBe(false);
    expect(await gateway.keys()).not.toContain(stored.key);
    await store.remove(stored.key); // removing twice is fine

    const gone = await failure(store.localPath(stored.key));
    expect(gone).toBeInstanceOf(ObjectStorageError);
    expect(gone.message).toBe(
      `Object storage: GetObject of "${stored.key}" in bucket "${BUCKET}" failed with 404 NoSuchKey (The specified key does not exist).`,
    );
    expect(filesIn(cacheDir)).toEqual([]);
  });

  it('sends a large file in parts and reads it back', async () => {
    const { store, cacheDir } = storeWith({ multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB });
    const content = randomBytes(11 * MiB + 12_345);
    const mark = gateway.log.length;
    const stored = await store.put(Readable.from([content]), { maxBytes: 20 * MiB });
    expect(stored.sha256).toBe(sha256(content));
    expect(operationsSince(mark)).toEqual([
      'CreateMultipartUpload',
      'UploadPart',
      'UploadPart',
      'UploadPart',
      'CompleteMultipartUpload',
    ]);
    rmSync(cacheDir, { recursive: true, force: true });
    expect(sha256(readFileSync(await store.localPath(stored.key)))).toBe(stored.sha256);
    await store.remove(stored.key);
  });

  it('tries again after a 503, and aborts a multipart upload whose part keeps failing', async () => {
    const { store, cacheDir } = storeWith({ multipartThresholdBytes: 5 * MiB, partSizeBytes: 5 * MiB });
    gateway.faults.push({ operation: 'PutObject', status: 503, times: 1 });
    const small = await store.put(Readable.from([Buffer.from('a,b\n1,2\n')]), { maxBytes: 1000 });
    expect(await store.exists(small.key)).toBe(true);
    await store.remove(small.key);

    const before = await gateway.keys();
    gateway.faults.push({ operation: 'UploadPart', partNumber: '2', status: 503, times: 1000 });
    const mark = gateway.log.length;
    const error = await failure(store.put(Readable.from([randomBytes(11 * MiB)]), { maxBytes: 20 * MiB }));
    gateway.faults.length = 0;
    expect(error).toBeInstanceOf(ObjectStorageError);
    expect(error.message).toMatch(
      /^Object storage: UploadPart 2\/3 of "[a-z0-9]{2}\/[a-z0-9]{30}" in bucket "datapolis" failed with 503 ServiceUnavailable \(Please reduce your request rate\)\.$/,
    );
    expect(operationsSince(mark).filter((op) => op === 'UploadPart').length).toBeGreaterThanOrEqual(3);
    expect(operationsSince(mark).at(-1)).toBe('AbortMultipartUpload');
    expect(gateway.aborted).toHaveLength(1);
    expect(await gateway.keys()).toEqual(before);
    expect(filesIn(cacheDir)).toEqual([]);
  });

  it('refuses a file over maxBytes, sending and keeping nothing', async () => {
    const { store, cacheDir } = storeWith();
    const before = await gateway.keys();
    const mark = gateway.log.length;
    const error = await failure(
      store.put(Readable.from([Buffer.alloc(600, 120), Buffer.alloc(600, 120)]), { maxBytes: 1000 }),
    );
    expect(error).toBeInstanceOf(PayloadTooLargeError);
    expect(operationsSince(mark)).toEqual([]);
    expect(await gateway.keys()).toEqual(before);
    expect(filesIn(cacheDir)).toEqual([]);
  });

  it('fails with one clear line, and no secret, on wrong credentials', async () => {
    const wrongSecret = 'not-the-secret-at-all';
    const { store, cacheDir } = storeWith({ secretAccessKey: wrongSecret });
    const before = await gateway.keys();
    const error = await failure(store.put(Readable.from([Buffer.from('a,b\n')]), { maxBytes: 1000 }));
    expect(error).toBeInstanceOf(ObjectStorageError);
    expect(error.message).toMatch(
      /^Object storage: PutObject of "[a-z0-9]{2}\/[a-z0-9]{30}" in bucket "datapolis" failed with 403 SignatureDoesNotMatch \(The request signature we calculated does not match the signature you provided\)\. Check DATAPOLIS_S3_ACCESS_KEY_ID, DATAPOLIS_S3_SECRET_ACCESS_KEY and the bucket’s permissions\.$/,
    );
    expect(error.message).not.toContain(wrongSecret);
    expect(error.message).not.toContain('\n');
    expect(await gateway.keys()).toEqual(before);
    expect(filesIn(cacheDir)).toEqual([]);

    const head = await failure(store.exists('ab/cdefghijklmnopqrstuvwxyz012345'));
    expect(head.message).toBe(
      'Object storage: HeadObject of "ab/cdefghijklmnopqrstuvwxyz012345" in bucket "datapolis" failed with 403. Check DATAPOLIS_S3_ACCESS_KEY_ID, DATAPOLIS_S3_SECRET_ACCESS_KEY and the bucket’s permissions.',
    );

    const { store: unknownKey } = storeWith({ accessKeyId: 'NOBODY' });
    const unknown = await failure(unknownKey.put(Readable.from([Buffer.from('a')]), { maxBytes: 10 }));
    expect(unknown.message).toContain('failed with 403 InvalidAccessKeyId');

    // A port nothing listens on.
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const { store: nowhere } = storeWith({ endpoint: `http://127.0.0.1:${port}`, attempts: 2 });
    const refused = await failure(nowhere.put(Readable.from([Buffer.from('a')]), { maxBytes: 10 }));
    expect(refused.message).toMatch(
      new RegExp(
        `^Object storage: PutObject of "[a-z0-9/]+" in bucket "datapolis" failed: no answer from http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)\\.$`,
      ),
    );
  });
});

describe('virtual-hosted addressing', () => {
  it('puts the bucket in the host name and signs for that host', async () => {
    const seen: { url: string; method: string; headers: Record<string, string> }[] = [];
    const realFetch = globalThis.fetch;
    globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
      seen.push({
        url: String(input),
        method: init?.method ?? 'GET',
        headers: init?.headers as Record<string, string>,
      });
      return new Response(null, { status: 404 });
    }) as typeof fetch;
    try {
      const { store } = storeWith({ endpoint: 'https://oss-cn-beijing.aliyuncs.com', forcePathStyle: false });
      expect(await store.exists('ab/cdefghijklmnopqrstuvwxyz012345')).toBe(false);
    } finally {
      globalThis.fetch = realFetch;
    }
    const [request] = seen;
    expect(request?.url).toBe(
      'https://datapolis.oss-cn-beijing.aliyuncs.com/ab/cdefghijklmnopqrstuvwxyz012345',
    );
    const url = new URL(request!.url);
    expect(
      verifySigV4(
        { method: request!.method, url: url.pathname, headers: { ...request!.headers, host: url.host } },
        new Map([[ACCESS_KEY, SECRET]]),
        'us-east-1',
        new Date(),
      ),
    ).toBeUndefined();
  });
});

describe('configuration', () => {
  const s3 = {
    DATAPOLIS_S3_ENDPOINT: 'http://minio:9000',
    DATAPOLIS_S3_BUCKET: 'open-data',
    DATAPOLIS_S3_ACCESS_KEY_ID: 'datapolis',
    DATAPOLIS_S3_SECRET_ACCESS_KEY: 'super-secret-value',
  };

  it('uses the local folder unless DATAPOLIS_S3_ENDPOINT is set, with path style and us-east-1 by default', () => {
    expect(loadConfig({}, '/srv').s3).toBeUndefined();
    expect(loadConfig(s3, '/srv').s3).toEqual({
      endpoint: 'http://minio:9000',
      region: 'us-east-1',
      bucket: 'open-data',
      accessKeyId: 'datapolis',
      secretAccessKey: 'super-secret-value',
      forcePathStyle: true,
    });
    expect(
      loadConfig({ ...s3, DATAPOLIS_S3_REGION: 'cn-north-1', DATAPOLIS_S3_FORCE_PATH_STYLE: 'false' }, '/srv')
        .s3,
    ).toMatchObject({ region: 'cn-north-1', forcePathStyle: false });
  });

  it.each([
    [{ ...s3, DATAPOLIS_S3_BUCKET: '' }, 'DATAPOLIS_S3_BUCKET'],
    [{ ...s3, DATAPOLIS_S3_ACCESS_KEY_ID: '' }, 'DATAPOLIS_S3_ACCESS_KEY_ID'],
    [{ ...s3, DATAPOLIS_S3_SECRET_ACCESS_KEY: '' }, 'DATAPOLIS_S3_SECRET_ACCESS_KEY'],
    [{ ...s3, DATAPOLIS_S3_ENDPOINT: 'minio:9000' }, 'DATAPOLIS_S3_ENDPOINT'],
    [{ ...s3, DATAPOLIS_S3_ENDPOINT: 'http://user:pw@minio:9000' }, 'DATAPOLIS_S3_ENDPOINT'],
    [{ ...s3, DATAPOLIS_S3_BUCKET: 'a' }, 'DATAPOLIS_S3_BUCKET'],
    [
      { ...s3, DATAPOLIS_S3_BUCKET: 'Open_Data', DATAPOLIS_S3_FORCE_PATH_STYLE: 'false' },
      'DATAPOLIS_S3_BUCKET',
    ],
    [{ ...s3, DATAPOLIS_S3_REGION: 'us east' }, 'DATAPOLIS_S3_REGION'],
    [{ ...s3, DATAPOLIS_S3_FORCE_PATH_STYLE: 'sometimes' }, 'DATAPOLIS_S3_FORCE_PATH_STYLE'],
    [{ DATAPOLIS_S3_BUCKET: 'open-data', DATAPOLIS_S3_SECRET_ACCESS_KEY: 'x' }, 'DATAPOLIS_S3_ENDPOINT'],
  ])('stops on %o with one line naming %s', (env, name) => {
    const error = (() => {
      try {
        loadConfig(env, '/srv');
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('expected a ConfigError');
    })();
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toContain(name);
    expect(error.message).not.toContain('\n');
    expect(error.message).not.toContain('super-secret-value');
  });
});

describe('a platform configured for S3', () => {
  it('keeps an uploaded CSV in the bucket and loads it from there', async () => {
    const t = await startTestPlatform({
      DATAPOLIS_S3_ENDPOINT: gateway.url,
      DATAPOLIS_S3_BUCKET: BUCKET,
      DATAPOLIS_S3_ACCESS_KEY_ID: ACCESS_KEY,
      DATAPOLIS_S3_SECRET_ACCESS_KEY: SECRET,
    });
    try {
      const [editor, admin, operator] = [
        await t.login('transport-editor'),
        await t.login('transport-admin'),
        await t.login('operator'),
      ];
      const transport = await organizationByCode(t, 'bjjtw');
      const { code } = await publishEntry(t, editor, admin, operator, sampleEntry(transport));
      const inject = (
        method: 'GET' | 'POST',
        url: string,
        payload?: unknown,
        extra: Record<string, string> = {},
      ) =>
        t.platform.app.inject({
          method,
          url,
          headers: headers(editor, extra),
          ...(payload === undefined ? {} : { payload: payload as string }),
        });
      const created = await inject('POST', '/api/v1/datastore/resources', {
        entryCode: code,
        name: '公交站点',
      });
      expect(created.statusCode, created.body).toBe(201);
      const id = (created.json() as { id: string }).id;

      const csv = 'stop,name,district\n1,西直门,西城区\n2,国贸,朝阳区\n3,五道口,海淀区\n';
      const before = await gateway.keys();
      const mark = gateway.log.length;
      const uploaded = await inject('POST', '/api/v1/datastore/uploads?filename=stops.csv', csv, {
        'content-type': 'application/octet-stream',
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
      const added = (await gateway.keys()).filter((key) => !before.includes(key));
      expect(added).toHaveLength(1);
      const cacheDir = join(t.config.storageDir, 'cache');
      expect(filesIn(t.config.storageDir)).toEqual([join(cacheDir, added[0]!)]);

      // An emptied cache: the load job has to fetch the file from the bucket.
      rmSync(cacheDir, { recursive: true, force: true });
      const load = await inject('POST', `/api/v1/datastore/resources/${id}/loads`, {
        uploadId: (uploaded.json() as { id: string }).id,
      });
      expect(load.statusCode, load.body).toBe(202);
      while (await t.platform.jobs.runOnce()) {
        // run the load to the end
      }
      const { jobId } = load.json() as { jobId: string };
      const job = (await inject('GET', `/api/v1/jobs/${jobId}`)).json() as {
        status: string;
        lastError: string | null;
      };
      expect(job.status, job.lastError ?? '').toBe('succeeded');
      expect(operationsSince(mark)).toEqual(['PutObject', 'GetObject']);

      const records = (await inject('GET', `/api/v1/datastore/${id}/records?sort=stop`)).json() as {
        records: { name: string }[];
      };
      expect(records.records.map((r) => r.name)).toEqual(['西直门', '国贸', '五道口']);
    } finally {
      await t.close();
    }
  });
});
