import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, api, buildUrl, setCsrfToken } from '../src/api/client.ts';

// A real HTTP server standing in for the API, so the client is tested against actual responses.
let server: Server;
let base = '';
const seen: { method: string; csrf: string | undefined; body: string }[] = [];

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let data = '';
    req.on('data', (chunk: Buffer) => {
      data += chunk.toString('utf8');
    });
    req.on('end', () => resolve(data));
  });
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = await readBody(req);
    const csrf = req.headers['x-csrf-token'];
    seen.push({ method: req.method ?? '', csrf: typeof csrf === 'string' ? csrf : undefined, body });
    if (req.url === '/ok') {
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"hello":"world"}');
    } else if (req.url === '/empty') {
      res.writeHead(204).end();
    } else if (req.url === '/invalid') {
      res.writeHead(400, { 'content-type': 'application/problem+json' }).end(
        JSON.stringify({
          type: 'about:blank',
          title: 'Invalid input',
          status: 400,
          detail: 'The body does not match the schema',
          code: 'VALIDATION_FAILED',
          errors: [{ path: '/email', message: 'must be an email' }],
        }),
      );
    } else {
      res.writeHead(502, { 'content-type': 'text/html' }).end('<h1>Bad gateway</h1>');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  setCsrfToken(undefined);
  await new Promise((resolve) => server.close(resolve));
});

describe('api client', () => {
  it('returns parsed JSON and undefined for 204', async () => {
    expect(await api.get<{ hello: string }>(`${base}/ok`)).toEqual({ hello: 'world' });
    expect(await api.delete(`${base}/empty`)).toBeUndefined();
  });

  it('sends the CSRF token on state-changing requests only', async () => {
    seen.length = 0;
    setCsrfToken('token-123');
    await api.get(`${base}/ok`);
    await api.post(`${base}/ok`, { a: 1 });
    expect(seen).toEqual([
      { method: 'GET', csrf: undefined, body: '' },
      { method: 'POST', csrf: 'token-123', body: '{"a":1}' },
    ]);
    setCsrfToken(undefined);
    await api.post(`${base}/ok`);
    expect(seen[2]?.csrf).toBeUndefined();
  });

  it('turns a problem document into an ApiError with its fields', async () => {
    const error = await api.post(`${base}/invalid`, {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    const problem = error as ApiError;
    expect(problem.status).toBe(400);
    expect(problem.title).toBe('Invalid input');
    expect(problem.detail).toBe('The body does not match the schema');
    expect(problem.code).toBe('VALIDATION_FAILED');
    expect(problem.errors).toEqual([{ path: '/email', message: 'must be an email' }]);
    expect(problem.message).toBe('The body does not match the schema');
  });

  it('still gives a readable error when the answer is not JSON', async () => {
    const error = await api.get(`${base}/proxy-down`).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(502);
    expect((error as ApiError).title).toBeTruthy();
  });

  it('builds query strings without empty values', () => {
    expect(buildUrl('/api/v1/users', { offset: 0, limit: 20, q: '' })).toBe(
      '/api/v1/users?offset=0&limit=20',
    );
    expect(buildUrl('/x', { q: '北京 交通' })).toBe('/x?q=%E5%8C%97%E4%BA%AC+%E4%BA%A4%E9%80%9A');
  });
});
