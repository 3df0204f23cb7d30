import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb, type Db } from '../src/kernel/db/index.ts';
import type { JobView } from '../src/kernel/jobs/index.ts';
import { DEMO_PASSWORD, freshDatabase, ROOT, usePostgres } from './support/test-platform.ts';

const FIXTURE = join(ROOT, 'packages/server/test/support/serve-with-test-jobs.ts');
const CLI = join(ROOT, 'packages/server/src/cli/main.ts');
const STEPS = 40;

interface Server {
  child: ChildProcess;
  address: string;
  lines: string[];
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

const children = new Set<ChildProcess>();
const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const child of children)
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** The environment of a child: this one's, minus any Datapolis or test database settings. */
function childEnv(extra: Record<string, string>): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (
      value === undefined ||
      key.startsWith('DATAPOLIS_') ||
      key.startsWith('TEST_') ||
      key === 'DATABASE_URL'
    )
      continue;
    env[key] = value;
  }
  return { ...env, ...extra };
}

function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [FIXTURE], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(child);
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start within 90 s: ${stderr}`));
    }, 90_000);
    createInterface({ input: child.stdout! }).on('line', (line) => {
      lines.push(line);
      const match = /^listening (\S+)$/.exec(line);
      if (match !== null) {
        clearTimeout(timer);
        resolve({ child, address: match[1]!, lines, exited });
      }
    });
    void exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code ?? signal}) before listening: ${stderr}`));
    });
  });
}

function runCli(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function login(address: string, username: string): Promise<string> {
  const response = await fetch(`${address}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: DEMO_PASSWORD }),
  });
  expect(response.status).toBe(200);
  const cookie = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith('dp_session='));
  expect(cookie).toBeDefined();
  return cookie!;
}

async function waitForJob(
  address: string,
  id: string,
  cookie: string,
  until: (job: JobView) => boolean,
  timeoutMs = 60_000,
): Promise<JobView> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const response = await fetch(`${address}/api/v1/jobs/${id}`, { headers: { cookie } });
    expect(response.status).toBe(200);
    const job = (await response.json()) as JobView;
    if (until(job)) return job;
    if (Date.now() > deadline) throw new Error(`gave up waiting for job ${id}: ${JSON.stringify(job)}`);
    await sleep(50);
  }
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

    const first = await startServer({
      ...env,
      TEST_ENQUEUE_SLOW: '1',
      TEST_SLOW_STEPS: String(STEPS),
      TEST_SLOW_STEP_MS: '100',
      TEST_WORKER_NAME: 'first',
    });
    const jobId = first.lines.find((l) => l.startsWith('enqueued '))?.slice('enqueued '.length);
    expect(jobId).toMatch(/^[0-9a-f-]{36}$/);
    const cookie = await login(first.address, 'operator');

    const midway = await waitForJob(first.address, jobId!, cookie, (job) => job.progress.done >= 3);
    expect(midway.status).toBe('running');
    first.child.kill('SIGKILL');
    expect((await first.exited).signal).toBe('SIGKILL');

    // Same data dir (or database): the embedded database must open again after the crash.
    const second = await startServer({ ...env, TEST_WORKER_NAME: 'second' });
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

    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });

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
