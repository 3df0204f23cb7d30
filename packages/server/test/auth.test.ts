import type { InjectOptions } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '3' });
});
afterAll(async () => t.close());

const inject = (options: InjectOptions) => t.platform.app.inject(options);

describe('sign-in with a session cookie', () => {
  it('sets an HttpOnly SameSite=Lax cookie and returns the user and a CSRF token', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'operator', password: DEMO_PASSWORD },
    });
    expect(response.statusCode).toBe(200);
    const cookie = response.cookies.find((c) => c.name === 'dp_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Lax');
    const body = response.json();
    expect(body.authenticated).toBe(true);
    expect(body.user.platformRoles).toEqual(['operator']);
    expect(body.user.memberships[0]).toMatchObject({ role: 'admin' });
    expect(body.csrfToken).toMatch(/^[\w-]{40,}$/);
    const session = await inject({
      url: '/api/v1/auth/session',
      headers: { cookie: `dp_session=${cookie.value}` },
    });
    expect(session.json()).toMatchObject({
      authenticated: true,
      user: { username: 'operator' },
      csrfToken: body.csrfToken,
    });
  });

  it('stores sessions only as hashes', async () => {
    const { cookie } = await t.login('auditor');
    const raw = cookie.split('=')[1]!;
    const rows = await sql<{ id_hash: Uint8Array }>`SELECT id_hash FROM identity_sessions`.execute(
      t.platform.db.kysely,
    );
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const row of rows.rows) expect(Buffer.from(row.id_hash).toString()).not.toContain(raw);
  });

  it('refuses a wrong password with 401 and throttles repeated failures with 429', async () => {
    for (let i = 0; i < 3; i += 1) {
      const response = await inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'citizen', password: 'wrong-password' },
      });
      expect(response.statusCode).toBe(401);
      expect(response.json().code).toBe('INVALID_CREDENTIALS');
    }
    const throttled = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'citizen', password: DEMO_PASSWORD },
    });
    expect(throttled.statusCode).toBe(429);
    expect(throttled.json().code).toBe('LOGIN_THROTTLED');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('does not tell unknown users from wrong passwords', async () => {
    const response = await inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { username: 'nobody-here', password: 'whatever-it-is' },
    });
    expect(response.statusCode).toBe(401);
    expect(response.json().detail).toBe('Wrong username or password.');
  });

  it('requires the CSRF token on state-changing requests made with the cookie', async () => {
    const session = await t.login('operator');
    const payload = { name: 'no csrf', scopes: ['session:own'], expiresInDays: 1 };
    const missing = await inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: session.cookie },
      payload,
    });
    expect(missing.statusCode).toBe(403);
    expect(missing.json().code).toBe('CSRF_TOKEN_INVALID');
    const wrong = await inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: session.cookie, 'x-csrf-token': 'x' },
      payload,
    });
    expect(wrong.json().code).toBe('CSRF_TOKEN_INVALID');
    const right = await inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      payload,
    });
    expect(right.statusCode).toBe(201);
  });

  it('signs out: the cookie no longer works', async () => {
    const session = await t.login('statistician');
    const out = await inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    });
    expect(out.statusCode).toBe(204);
    const after = await inject({ url: '/api/v1/me/tokens', headers: { cookie: session.cookie } });
    expect(after.statusCode).toBe(401);
  });
});

describe('personal API tokens', () => {
  it('shows the token once, stores only its hash, and lists it without the secret', async () => {
    const session = await t.login('auditor');
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    const created = await inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers,
      payload: { name: 'audit robot', scopes: ['ledger:entries:read'], expiresInDays: 30 },
    });
    expect(created.statusCode).toBe(201);
    const { token, item } = created.json();
    expect(token).toMatch(/^dpt_[\w-]{43}$/);
    const list = await inject({ url: '/api/v1/me/tokens', headers });
    expect(list.body).not.toContain(token);
    expect(list.json().items.map((i: { id: string }) => i.id)).toContain(item.id);
    const stored = await sql<{
      n: number;
    }>`SELECT count(*)::int AS n FROM identity_api_tokens WHERE token_hash::text LIKE ${`%${token}%`}`.execute(
      t.platform.db.kysely,
    );
    expect(stored.rows[0]!.n).toBe(0);

    const use = await inject({
      url: '/api/v1/ledger/entries?limit=1',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(use.statusCode).toBe(200);
  });

  it('limits a token to its scopes', async () => {
    const token = await t.token('operator', ['ledger:entries:read']);
    const inScope = await inject({
      url: '/api/v1/ledger/entries',
      headers: { authorization: `Bearer ${token}` },
    });
    expect(inScope.statusCode).toBe(200);
    const outOfScope = await inject({ url: '/api/v1/users', headers: { authorization: `Bearer ${token}` } });
    expect(outOfScope.statusCode).toBe(403);
  });

  it('refuses scopes the user does not hold', async () => {
    const session = await t.login('haidian-member');
    const response = await inject({
      method: 'POST',
      url: '/api/v1/me/tokens',
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
      payload: { name: 'grab', scopes: ['users:manage'], expiresInDays: 1 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().errors[0]).toMatchObject({ path: 'scopes' });
  });

  it('rejects missing-prefix, unknown, revoked and expired tokens with distinct 401s', async () => {
    const malformed = await inject({
      url: '/api/v1/me/tokens',
      headers: { authorization: 'Bearer nonsense' },
    });
    expect(malformed.json()).toMatchObject({ status: 401, code: 'TOKEN_INVALID' });
    const notBearer = await inject({ url: '/api/v1/me/tokens', headers: { authorization: 'Basic abc' } });
    expect(notBearer.json()).toMatchObject({ status: 401, code: 'TOKEN_INVALID' });
    const unknown = await inject({
      url: '/api/v1/me/tokens',
      headers: { authorization: `Bearer dpt_${'a'.repeat(43)}` },
    });
    expect(unknown.json()).toMatchObject({ status: 401, code: 'TOKEN_INVALID' });

    const session = await t.login('transport-admin');
    const headers = { cookie: session.cookie, 'x-csrf-token': session.csrf };
    const created = (
      await inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        headers,
        payload: { name: 'r', scopes: ['tokens:manage'], expiresInDays: 5 },
      })
    ).json();
    const bearer = { authorization: `Bearer ${created.token}` };
    expect((await inject({ url: '/api/v1/me/tokens', headers: bearer })).statusCode).toBe(200);
    const revoke = await inject({ method: 'DELETE', url: `/api/v1/me/tokens/${created.item.id}`, headers });
    expect(revoke.statusCode).toBe(204);
    const revoked = await inject({ url: '/api/v1/me/tokens', headers: bearer });
    expect(revoked.json()).toMatchObject({ status: 401, code: 'TOKEN_REVOKED' });
    const again = await inject({ method: 'DELETE', url: `/api/v1/me/tokens/${created.item.id}`, headers });
    expect(again.statusCode).toBe(404);

    const second = await t.token('transport-admin', ['tokens:manage']);
    await sql`UPDATE identity_api_tokens SET expires_at = now() - interval '1 minute' WHERE revoked_at IS NULL`.execute(
      t.platform.db.kysely,
    );
    const expired = await inject({
      url: '/api/v1/me/tokens',
      headers: { authorization: `Bearer ${second}` },
    });
    expect(expired.json()).toMatchObject({ status: 401, code: 'TOKEN_EXPIRED' });
  });

  it('puts token creation and revocation on the transparency log without the secret', async () => {
    const token = await t.token('health-admin', ['session:own']);
    const { items } = await t.platform.ledger.listEntries(0, 5, 'desc');
    const created = items.find((e) => e.entry.includes('identity.token.created'));
    expect(created).toBeDefined();
    expect(created!.entry).not.toContain(token);
  });
});
