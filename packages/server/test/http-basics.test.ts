import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../src/kernel/auth/index.ts';
import { createHttpServer } from '../src/kernel/http/index.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;

/** A stream that keeps every line written to it. */
function lineSink(): { lines: string[]; sink: Writable } {
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(
        ...String(chunk)
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  return { lines, sink };
}
beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_BODY_LIMIT: '4096' });
});
afterAll(async () => t.close());

describe('HTTP basics', () => {
  it('answers liveness and readiness', async () => {
    const health = await t.platform.app.inject({ url: '/api/v1/health' });
    expect(health.statusCode).toBe(200);
    expect(health.json()).toMatchObject({ status: 'ok' });
    const ready = await t.platform.app.inject({ url: '/api/v1/ready' });
    expect(ready.json()).toEqual({ status: 'ready', database: 'ok', migrations: 'current' });
  });

  it('publishes an OpenAPI 3.1 document that lists the routes', async () => {
    const response = await t.platform.app.inject({ url: '/api/v1/openapi.json' });
    expect(response.statusCode).toBe(200);
    const doc = response.json() as { openapi: string; paths: Record<string, unknown> };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(['/api/v1/organizations', '/api/v1/ledger/sth']),
    );
    const docs = await t.platform.app.inject({ url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.body).toContain('Swagger UI');
    expect(docs.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it('gives every request an id and echoes it', async () => {
    const response = await t.platform.app.inject({
      url: '/api/v1/health',
      headers: { 'x-request-id': 'trace-123' },
    });
    expect(response.headers['x-request-id']).toBe('trace-123');
  });

  it('writes one JSON access line per request, carrying the request id and no credentials', async () => {
    const { lines, sink } = lineSink();
    const logged = await startTestPlatform({}, { logger: pino({ level: 'info' }, sink), seed: false });
    try {
      await logged.platform.app.inject({
        url: '/api/v1/health',
        headers: { 'x-request-id': 'trace-log-1', authorization: 'Bearer dpt_secret-value' },
      });
    } finally {
      await logged.close();
    }
    const entries = lines
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .filter((e) => e.reqId === 'trace-log-1');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      // The line pino itself would write: its level number, time and bindings first.
      level: 30,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      msg: 'request',
      method: 'GET',
      url: '/api/v1/health',
      // An unknown token is refused even on a public route: a client with a broken token should know.
      statusCode: 401,
      ms: expect.any(Number),
    });
    expect(lines.join('\n')).not.toContain('dpt_secret-value');
  });

  it('logs a failure through the request logger, with the request id, and escapes what it writes', async () => {
    const { lines, sink } = lineSink();
    const app = await createHttpServer({
      logger: pino({ level: 'info' }, sink),
      bodyLimitBytes: 1024,
      rateLimitPerMinute: 1000,
      accountRateLimitPerMinute: 1000,
      upgradeInsecureRequests: false,
      resolveIdentity: () => ({ actor: ANONYMOUS, sessionCsrf: undefined }),
      webDistDir: undefined,
      registerRoutes: (api) => {
        api.get('/boom', { config: { permission: 'public' } }, async () => {
          throw new Error('boom');
        });
      },
    });
    try {
      const failed = await app.inject({ url: '/api/v1/boom', headers: { 'x-request-id': 'boom-1' } });
      expect(failed.statusCode).toBe(500);
      const quoted = await app.inject({
        url: '/api/v1/nope?q=%22x%22&k="\\名',
        headers: { 'x-request-id': 'quoted-1' },
      });
      expect(quoted.statusCode).toBe(404);
    } finally {
      await app.close();
    }
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    const boom = entries.filter((e) => e.reqId === 'boom-1');
    expect(boom.map((e) => e.msg).sort()).toEqual(['request', 'unhandled error']);
    expect(boom.find((e) => e.msg === 'unhandled error')).toMatchObject({
      level: 50,
      err: { message: 'boom' },
    });
    // The client encodes the quote and the Chinese character; the backslash comes through as it is.
    expect(entries.find((e) => e.reqId === 'quoted-1')).toMatchObject({
      url: '/api/v1/nope?q=%22x%22&k=%22\\%E5%90%8D',
      statusCode: 404,
    });
  });

  it('answers unknown routes with a problem document', async () => {
    const response = await t.platform.app.inject({ url: '/api/v1/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      status: 404,
      code: 'ROUTE_NOT_FOUND',
      type: 'urn:datapolis:problem:route-not-found',
    });
  });

  it('rejects malformed JSON, wrong types, unknown fields and missing fields', async () => {
    const session = await t.login('operator');
    const headers = {
      cookie: session.cookie,
      'x-csrf-token': session.csrf,
      'content-type': 'application/json',
    };
    const cases: [string, number, string][] = [
      ['{"code": "x",', 400, 'MALFORMED_JSON'],
      [
        JSON.stringify({ code: 'acme', name: 'Acme', kind: 'company', creditCode: 12 }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        JSON.stringify({
          code: 'acme',
          name: 'Acme',
          kind: 'company',
          creditCode: '91350100M000100Y43',
          extra: 1,
        }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        JSON.stringify({ name: 'Acme', kind: 'company', creditCode: '91350100M000100Y43' }),
        400,
        'VALIDATION_FAILED',
      ],
      [
        JSON.stringify({ code: 'acme', name: 'Acme', kind: 'company', creditCode: '91350100M000100Y44' }),
        400,
        'VALIDATION_FAILED',
      ],
    ];
    const before = await t.platform.identity.counts();
    for (const [payload, status, code] of cases) {
      const response = await t.platform.app.inject({
        method: 'POST',
        url: '/api/v1/organizations',
        headers,
        payload,
      });
      expect(response.statusCode, payload).toBe(status);
      expect(response.json().code, payload).toBe(code);
      expect(response.body).not.toMatch(/at .*\.ts:\d+/);
    }
    const unknown = await t.platform.app.inject({
      method: 'POST',
      url: '/api/v1/organizations',
      headers,
      payload: JSON.stringify({
        code: 'acme',
        name: 'Acme',
        kind: 'company',
        creditCode: '91350100M000100Y43',
        extra: 1,
      }),
    });
    expect(unknown.json().errors).toEqual([{ path: 'extra', message: 'is not a known field' }]);
    expect(await t.platform.identity.counts()).toEqual(before);
  });

  it('refuses bodies over the size limit with 413', async () => {
    const response = await t.platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x'.repeat(10_000), password: 'y' }),
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().code).toBe('BODY_TOO_LARGE');
  });

  it('refuses a body that is not JSON', async () => {
    const response = await t.platform.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'text/plain' },
      payload: 'username=operator',
    });
    expect(response.statusCode).toBe(415);
    expect(response.json().code).toBe('UNSUPPORTED_MEDIA_TYPE');
  });

  it('serves Prometheus metrics to operators only', async () => {
    expect((await t.platform.app.inject({ url: '/metrics' })).statusCode).toBe(401);
    const token = await t.token('operator', ['metrics:read']);
    await t.platform.app.inject({ url: '/api/v1/health' });
    const response = await t.platform.app.inject({
      url: '/metrics',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('datapolis_http_requests_total');
    expect(response.body).toContain('datapolis_http_request_duration_seconds_bucket');
    expect(response.body).toMatch(/datapolis_jobs\{status="queued"\} \d+/);
    expect(response.body).toMatch(/datapolis_ledger_entries \d+/);
  });

  it('sets strict security headers on API answers and the page policy on the web app', async () => {
    const api = await t.platform.app.inject({ url: '/api/v1/health' });
    expect(api.headers['x-content-type-options']).toBe('nosniff');
    expect(api.headers['x-frame-options']).toBe('DENY');
    expect(api.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
    // Plain-http deployments (an intranet address) must not be told to use https only.
    expect(api.headers['strict-transport-security']).toBeUndefined();
    const page = await t.platform.app.inject({ url: '/account' });
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });
});
