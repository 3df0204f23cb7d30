import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/kernel/db/index.ts';
import type { JobView } from '../src/kernel/jobs/index.ts';
import {
  childEnv,
  killServerProcesses,
  runCli,
  signIn,
  startServerProcess,
  waitFor,
} from './support/processes.ts';
import { DEMO_PASSWORD, freshDatabase, usePostgres } from './support/test-platform.ts';

const STEPS = 40;

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  killServerProcesses();
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function waitForJob(
  address: string,
  id: string,
  cookie: string,
  until: (job: JobView) => boolean,
  timeoutMs = 60_000,
): Promise<JobView> {
  let job: JobView | undefined;
  await waitFor(
    () => `job ${id}: ${JSON.stringify(job)}`,
    async () => {
      const response = await fetch(`${address}/api/v1/jobs/${id}`, { headers: { cookie } });
      expect(response.status).toBe(200);
      job = (await response.json()) as JobView;
      return until(job);
    },
    timeoutMs,
  );
  return job!;
}

const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

describe('a job whose worker is killed', () => {
  it('resumes from its checkpoint on restart, and every step lands exactly once', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'datapolis-crash-'));
    cleanups.push(async () => rmSync(dataDir, { recursive: true, force: true }));
    const env = childEnv({
      DATAPOLIS_DATA_DIR: dataDir,
      DATAPOLIS_PORT: '0',
      DATAPOLIS_DEMO_PASSWORD: DEMO_PASSWORD,
      DATAPOLIS_LOG_LEVEL: 'warn',
      DATAPOLIS_RATE_LIMIT: '100000',
      DATAPOLIS_JOBS_POLL_MS: '50',
      // On PostgreSQL the restarted worker takes the job over once the dead worker's lease runs out.
      DATAPOLIS_JOBS_LEASE_SECONDS: '3',
    });
    // The embedded database lives in the data dir; on PostgreSQL the crash is tried against a server.
    let database: Db | undefined;
    if (usePostgres) {
      const fresh = await freshDatabase();
      cleanups.push(async () => {
        await fresh.db.close();
        await fresh.drop();
      });
      database = fresh.db;
      env.DATABASE_URL = fresh.url!;
    }

    const first = await startServerProcess({
      ...env,
      TEST_ENQUEUE_SLOW: '1',
      TEST_SLOW_STEPS: String(STEPS),
      TEST_SLOW_STEP_MS: '100',
      TEST_WORKER_NAME: 'first',
    });
    const jobId = first.lines.find((l) => l.startsWith('enqueued '))?.slice('enqueued '.length);
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const { cookie } = await signIn(first.address, 'operator');

    const midway = await waitForJob(first.address, jobId!, cookie, (job) => job.progress.done >= 3);
    expect(midway.status).toBe('running');
    expect((await first.kill()).signal).toBe('SIGKILL');

    // Same data dir (or database): the embedded database must open again after the crash.
    const second = await startServerProcess({ ...env, TEST_WORKER_NAME: 'second' });
    // Sessions live in the database, so the cookie from before the crash still works.
    const done = await waitForJob(second.address, jobId!, cookie, (job) =>
      ['succeeded', 'failed', 'cancelled'].includes(job.status),
    );
    expect(done, JSON.stringify(done)).toMatchObject({
      status: 'succeeded',
      lastError: null,
      progress: { done: STEPS, total: STEPS },
    });
    expect(done.attempts).toBeGreaterThanOrEqual(2);
    const resumedFrom = (done.result as { resumedFrom: number }).resumedFrom;
    expect(resumedFrom).toBeGreaterThanOrEqual(midway.progress.done);
    expect(resumedFrom).toBeLessThan(STEPS);

    expect(await second.stop()).toEqual({ code: 0, signal: null });

    // Every step exactly once (the primary key would have refused a second run of any step), the
    // ones before the crash by the first worker and the rest by the second.
    const db = database ?? (await createDb({ kind: 'pglite', dataDir }));
    try {
      const { rows } = await sql<{ step: number; worker: string }>`
        SELECT step, worker FROM test_job_effects WHERE job_id = ${jobId} ORDER BY step`.execute(db.kysely);
      expect(rows.map((r) => r.step)).toEqual(range(0, STEPS));
      expect(rows.filter((r) => r.worker === 'first').map((r) => r.step)).toEqual(range(0, resumedFrom));
      expect(rows.filter((r) => r.worker === 'second').map((r) => r.step)).toEqual(range(resumedFrom, STEPS));
    } finally {
      if (database === undefined) await db.close();
    }

    const verify = await runCli(['ledger', 'verify'], env);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toMatch(/^OK: \d+ entries/);
  });
});
