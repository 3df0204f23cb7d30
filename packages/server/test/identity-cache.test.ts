import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from '../src/kernel/db/index.ts';
import { createPlatform, type Platform } from '../src/platform/index.ts';
import { startTestPlatform, type TestPlatform, usePostgres } from './support/test-platform.ts';

// Two platforms on one PostgreSQL database, each with its own pool and listener, stand for two API
// processes. The embedded database has one process only, so this is PostgreSQL's test.
describe.skipIf(!usePostgres)('cached sign-ins are dropped on every process', () => {
  let a: TestPlatform;
  let b: Platform;
  let closeB: () => Promise<void>;

  beforeAll(async () => {
    a = await startTestPlatform({ DATAPOLIS_AUTH_CACHE_SECONDS: '600' });
    const url = (a.platform.db.pool as unknown as { options: { connectionString: string } }).options
      .connectionString;
    const db = await createDb({ kind: 'postgres', url, poolSize: 4 });
    b = await createPlatform(a.config, { db, logger: pino({ level: 'silent' }) });
    await b.app.ready();
    closeB = async () => {
      await b.stop();
      await db.close();
    };
  });
  afterAll(async () => {
    await closeB?.();
    await a?.close();
  });

  async function statusOnB(token: string): Promise<number> {
    return (await b.app.inject({ url: '/api/v1/me/tokens', headers: { authorization: `Bearer ${token}` } }))
      .statusCode;
  }

  async function eventually(check: () => Promise<boolean>): Promise<boolean> {
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      if (await check()) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  it('a token revoked on one process stops working on the other', async () => {
    const session = await a.login('auditor');
    const created = (
      await a.platform.app.inject({
        method: 'POST',
        url: '/api/v1/me/tokens',
        headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
        payload: { name: 'cached', scopes: ['tokens:manage'], expiresInDays: 1 },
      })
    ).json();
    expect(await statusOnB(created.token)).toBe(200);
    const revoke = await a.platform.app.inject({
      method: 'DELETE',
      url: `/api/v1/me/tokens/${created.item.id}`,
      headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
    });
    expect(revoke.statusCode).toBe(204);
    expect(await eventually(async () => (await statusOnB(created.token)) === 401)).toBe(true);
  });

  it('a role taken away on one process is gone on the other', async () => {
    const operator = await a.login('operator');
    const auditorToken = await a.token('auditor', ['users:read']);
    expect(
      (await b.app.inject({ url: '/api/v1/users', headers: { authorization: `Bearer ${auditorToken}` } }))
        .statusCode,
    ).toBe(200);
    const auditor = await a.platform.identity.userByUsername('auditor');
    const patch = await a.platform.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${auditor!.id}`,
      headers: { cookie: operator.cookie, 'x-csrf-token': operator.csrf },
      payload: { platformRoles: [] },
    });
    expect(patch.statusCode).toBe(200);
    expect(
      await eventually(
        async () =>
          (await b.app.inject({ url: '/api/v1/users', headers: { authorization: `Bearer ${auditorToken}` } }))
            .statusCode === 403,
      ),
    ).toBe(true);
  });
});
