import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateSigningKey } from '@datapolis/ledger';
import { sql } from 'kysely';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../src/kernel/db/index.ts';
import { createJobs } from '../src/kernel/jobs/index.ts';
import { withCreditCheck } from '../src/lib/credit-code.ts';
import {
  childEnv,
  killServerProcesses,
  runCli,
  type ServerProcess,
  type Session,
  signIn,
  startServerProcess,
  waitFor,
} from './support/processes.ts';
import { DEMO_PASSWORD, freshDatabase, usePostgres } from './support/test-platform.ts';

async function call(server: ServerProcess, method: string, path: string, session?: Session, body?: unknown) {
  const headers: Record<string, string> = {};
  if (session !== undefined) {
    headers.cookie = session.cookie;
    headers['x-csrf-token'] = session.csrf;
  }
  if (body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.address}/api/v1${path}`, {
    method,
    headers,
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  return {
    status: response.status,
    body: text === '' ? null : (JSON.parse(text) as Record<string, unknown>),
  };
}

// The embedded database is single-process by design: this is about several processes sharing PostgreSQL.
describe.skipIf(!usePostgres)('two server processes on one PostgreSQL database', () => {
  let database: Awaited<ReturnType<typeof freshDatabase>>;
  let db: Db;
  let env: Record<string, string>;
  let a: ServerProcess;
  let b: ServerProcess;
  const dirs: string[] = [];

  beforeAll(async () => {
    database = await freshDatabase();
    db = database.db;
    const common = {
      DATABASE_URL: database.url!,
      DATAPOLIS_LEDGER_SIGNING_KEY: generateSigningKey().privateKeyPem,
      DATAPOLIS_DEMO_PASSWORD: DEMO_PASSWORD,
      DATAPOLIS_PORT: '0',
      DATAPOLIS_LOG_LEVEL: 'warn',
      DATAPOLIS_RATE_LIMIT: '100000',
      DATAPOLIS_JOBS_POLL_MS: '50',
      DATAPOLIS_JOBS_CONCURRENCY: '2',
      // Long enough that only a change notification, never expiry, can explain a fresh view.
      DATAPOLIS_AUTH_CACHE_SECONDS: '3600',
      DATAPOLIS_DB_POOL_SIZE: '5',
    };
    const dataDir = (name: string) => {
      const dir = mkdtempSync(join(tmpdir(), `datapolis-multi-${name}-`));
      dirs.push(dir);
      return dir;
    };
    env = childEnv({ ...common, DATAPOLIS_DATA_DIR: dataDir('cli') });
    // One after the other: the first migrates and seeds the demo city, the second finds both done.
    a = await startServerProcess(
      childEnv({ ...common, DATAPOLIS_DATA_DIR: dataDir('a'), TEST_WORKER_NAME: 'a' }),
      'a',
    );
    b = await startServerProcess(
      childEnv({ ...common, DATAPOLIS_DATA_DIR: dataDir('b'), TEST_WORKER_NAME: 'b' }),
      'b',
    );
  });

  afterAll(async () => {
    killServerProcesses();
    await database?.db.close();
    await database?.drop();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('the second process found the demo city already seeded', async () => {
    const users = await db.kysely.selectFrom('identity_users').select(['username']).execute();
    expect(users.filter((u) => u.username === 'operator')).toHaveLength(1);
    const fromA = await call(a, 'GET', '/organizations?limit=500');
    const fromB = await call(b, 'GET', '/organizations?limit=500');
    expect(fromB.body!.total).toBe(fromA.body!.total);
    expect(fromA.body!.total).toBe(9);
  });

  it('accepts a session from one process on the other and keeps both in step under concurrent writes', async () => {
    const operator = await signIn(a.address, 'operator');
    const onB = await call(b, 'GET', '/auth/session', operator);
    expect(onB.body).toMatchObject({ authenticated: true, user: { username: 'operator' } });

    const ledgerBefore = Number((await call(a, 'GET', '/ledger/sth')).body!.treeSize);
    const servers = [a, b];
    const created = await Promise.all(
      Array.from({ length: 40 }, (_, i) =>
        call(servers[i % 2]!, 'POST', '/organizations', operator, {
          code: `multi-${i}`,
          name: `Multi-process organisation ${i}`,
          kind: 'company',
          creditCode: withCreditCheck(`91110108MA0${String(i).padStart(6, '0')}`),
        }),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(40).fill(201));
    const orgIds = created.map((r) => String(r.body!.id));

    const citizen = await db.kysely
      .selectFrom('identity_users')
      .select('id')
      .where('username', '=', 'citizen')
      .executeTakeFirstOrThrow();
    // Each organisation: add the citizen on one process, change the role on the other, remove on the first for half.
    const added = await Promise.all(
      orgIds.map((id, i) =>
        call(servers[i % 2]!, 'PUT', `/organizations/${id}/members/${citizen.id}`, operator, {
          role: 'member',
        }),
      ),
    );
    expect(added.map((r) => r.status)).toEqual(Array(40).fill(200));
    const changed = await Promise.all(
      orgIds.map((id, i) =>
        call(servers[(i + 1) % 2]!, 'PUT', `/organizations/${id}/members/${citizen.id}`, operator, {
          role: 'editor',
        }),
      ),
    );
    expect(changed.map((r) => r.status)).toEqual(Array(40).fill(200));
    const removed = await Promise.all(
      orgIds
        .filter((_, i) => i % 2 === 0)
        .map((id, i) =>
          call(servers[i % 2]!, 'DELETE', `/organizations/${id}/members/${citizen.id}`, operator),
        ),
    );
    expect(removed.map((r) => r.status)).toEqual(Array(20).fill(204));

    for (const [i, id] of orgIds.entries()) {
      const expected = i % 2 === 0 ? [] : [{ userId: citizen.id, role: 'editor' }];
      for (const server of servers) {
        const members = await call(server, 'GET', `/organizations/${id}/members`, operator);
        expect(members.body!.items).toEqual(expected.map((m) => expect.objectContaining(m)));
      }
    }
    const all = await call(b, 'GET', '/organizations?limit=500');
    expect(all.body!.total).toBe(49);
    // One log entry per change, none lost between the processes.
    const ledgerAfter = Number((await call(b, 'GET', '/ledger/sth')).body!.treeSize);
    expect(ledgerAfter - ledgerBefore).toBe(40 + 40 + 40 + 20);
  });

  it('drops a cached caller on every process when their memberships change elsewhere', async () => {
    const operator = await signIn(a.address, 'operator');
    const citizen = await signIn(a.address, 'citizen');
    const created = await call(a, 'POST', '/organizations', operator, {
      code: 'multi-cache',
      name: 'Cache test organisation',
      kind: 'other',
      creditCode: withCreditCheck('91110108MA0900001'),
    });
    expect(created.status).toBe(201);
    const orgId = String(created.body!.id);

    // B resolves (and caches) the citizen as a non-member.
    expect((await call(b, 'GET', `/organizations/${orgId}/members`, citizen)).status).toBe(403);
    expect(
      (await call(a, 'PUT', `/organizations/${orgId}/members/${citizen.userId}`, operator, { role: 'admin' }))
        .status,
    ).toBe(200);
    // The change notification reaches B; its one-hour cache would otherwise keep saying 403.
    await waitFor('process b sees the new membership', async () => {
      return (await call(b, 'GET', `/organizations/${orgId}/members`, citizen)).status === 200;
    });
    const asAdmin = await call(b, 'PUT', `/organizations/${orgId}/members/${operator.userId}`, citizen, {
      role: 'member',
    });
    expect(asAdmin.status).toBe(200);
  });

  it('shares the job queue: each job runs exactly once across both workers', async () => {
    const jobs = createJobs({
      db: db.kysely,
      logger: pino({ level: 'silent' }),
      singleProcess: false,
      pollMs: 1000,
      leaseSeconds: 30,
      concurrency: 1,
    });
    const ids = await db.kysely.transaction().execute(async (trx) => {
      const once: string[] = [];
      for (let i = 0; i < 30; i += 1)
        once.push(await jobs.enqueue(trx, { kind: 'test.once', payload: { i } }));
      const slow: string[] = [];
      for (let i = 0; i < 4; i += 1) {
        slow.push(
          await jobs.enqueue(trx, {
            kind: 'test.slow-count',
            payload: { steps: 8, stepMs: 25, jobTag: `slow-${i}` },
          }),
        );
      }
      return { once, slow };
    });
    const all = [...ids.once, ...ids.slow];

    await waitFor(
      'all jobs finished',
      async () => {
        const rows = await db.kysely
          .selectFrom('kernel_jobs')
          .select(['id', 'status', 'last_error'])
          .where('id', 'in', all)
          .execute();
        const broken = rows.filter((r) => r.status === 'failed' || r.status === 'cancelled');
        if (broken.length > 0) throw new Error(`jobs did not succeed: ${JSON.stringify(broken)}`);
        return rows.every((r) => r.status === 'succeeded');
      },
      60_000,
    );

    const { rows } = await sql<{ job_id: string; step: number; worker: string }>`
      SELECT job_id, step, worker FROM test_job_effects WHERE job_id = ANY(${all}::uuid[]) ORDER BY job_id, step`.execute(
      db.kysely,
    );
    for (const id of ids.once) {
      expect(rows.filter((r) => r.job_id === id).map((r) => r.step)).toEqual([0]);
    }
    for (const id of ids.slow) {
      expect(rows.filter((r) => r.job_id === id).map((r) => r.step)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    }
    const byWorker = new Map<string, number>();
    for (const row of rows) byWorker.set(row.worker, (byWorker.get(row.worker) ?? 0) + 1);
    // Which worker wins each claim is up to the scheduler; both usually do, but that is not a failure.
    console.log(`job effects per worker: ${JSON.stringify(Object.fromEntries(byWorker))}`);
    const attempts = await db.kysely
      .selectFrom('kernel_jobs')
      .select('attempts')
      .where('id', 'in', all)
      .execute();
    expect(attempts.every((r) => r.attempts === 1)).toBe(true);
  });

  it('stops cleanly and leaves one unforked, verifiable log', async () => {
    const [stoppedA, stoppedB] = await Promise.all([a.stop(), b.stop()]);
    expect(stoppedA).toEqual({ code: 0, signal: null });
    expect(stoppedB).toEqual({ code: 0, signal: null });

    const verify = await runCli(['ledger', 'verify'], env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^OK: \d+ entries/);

    const stats = await db.kysely
      .selectFrom('ledger_entries')
      .select([
        sql<number>`count(*)::int`.as('count'),
        sql<number>`count(DISTINCT idx)::int`.as('distinct'),
        sql<number>`min(idx)`.as('min'),
        sql<number>`max(idx)`.as('max'),
      ])
      .executeTakeFirstOrThrow();
    expect(Number(stats.min)).toBe(0);
    expect(Number(stats.max)).toBe(stats.count - 1);
    expect(stats.distinct).toBe(stats.count);
    const heads = await db.kysely.selectFrom('ledger_tree_heads').select(['tree_size', 'key_id']).execute();
    expect(new Set(heads.map((h) => h.key_id)).size).toBe(1);
    expect(Math.max(...heads.map((h) => Number(h.tree_size)))).toBe(stats.count);
  });
});
