import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { JobView } from '../src/kernel/jobs/index.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
type Session = Awaited<ReturnType<TestPlatform['login']>>;
let editor: Session;
let citizen: Session;
let operator: Session;

// The running-job test holds its job here until it has asked for the cancel.
const gate = {
  started: Promise.withResolvers<void>(),
  release: Promise.withResolvers<void>(),
  reachedEnd: false,
};

beforeAll(async () => {
  t = await startTestPlatform(
    { DATAPOLIS_JOBS_POLL_MS: '20' },
    {
      registerJobs: (jobs) => {
        jobs.register<{ question: string }>('test.report', async (ctx) => {
          await ctx.progress(1, 3, 'thinking');
          await ctx.progress(3, 3, 'done');
          return { answer: 42, question: ctx.payload.question };
        });
        jobs.register('test.fail', async (ctx) => {
          throw new Error(`boom on attempt ${ctx.attempt}`);
        });
        jobs.register('test.gate', async (ctx) => {
          await ctx.progress(1, 2, 'waiting at the gate');
          gate.started.resolve();
          await gate.release.promise;
          await ctx.progress(2, 2, 'past the gate');
          gate.reachedEnd = true;
          return { passed: true };
        });
      },
    },
  );
  editor = await t.login('transport-editor');
  citizen = await t.login('citizen');
  operator = await t.login('operator');
});
afterAll(async () => t?.close());

function enqueue(
  kind: string,
  createdBy: string | null,
  extra: { maxAttempts?: number; payload?: object } = {},
) {
  return t.platform.jobs.enqueue(t.platform.db.kysely, {
    kind,
    createdBy,
    ...(extra.maxAttempts === undefined ? {} : { maxAttempts: extra.maxAttempts }),
    ...(extra.payload === undefined ? {} : { payload: { ...extra.payload } }),
  });
}

function getJob(id: string, session: Session | undefined) {
  return t.platform.app.inject({
    url: `/api/v1/jobs/${id}`,
    headers: session === undefined ? {} : { cookie: session.cookie },
  });
}

function cancelJob(id: string, session: Session) {
  return t.platform.app.inject({
    method: 'POST',
    url: `/api/v1/jobs/${id}/cancel`,
    headers: { cookie: session.cookie, 'x-csrf-token': session.csrf },
  });
}

async function dbNow(): Promise<number> {
  const result = await sql<{ now: Date }>`SELECT now() AS now`.execute(t.platform.db.kysely);
  return result.rows[0]!.now.getTime();
}

async function jobRow(id: string) {
  return t.platform.db.kysely
    .selectFrom('kernel_jobs')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

describe('background jobs', () => {
  it('runs a job to success; its creator and operators read result and progress, others get 403', async () => {
    const id = await enqueue('test.report', editor.userId, { payload: { question: 'life' } });
    const queued = await getJob(id, editor);
    expect(queued.statusCode).toBe(200);
    expect(queued.json()).toMatchObject({ id, kind: 'test.report', status: 'queued', attempts: 0 });

    expect(await t.platform.jobs.runOnce()).toBe(true);
    expect(await t.platform.jobs.runOnce()).toBe(false);

    const response = await getJob(id, editor);
    expect(response.statusCode).toBe(200);
    const job = response.json() as JobView;
    expect(job).toMatchObject({
      id,
      status: 'succeeded',
      attempts: 1,
      result: { answer: 42, question: 'life' },
      progress: { done: 3, total: 3, message: 'done' },
      lastError: null,
      createdBy: editor.userId,
    });
    expect(job.startedAt).not.toBeNull();
    expect(job.finishedAt).not.toBeNull();

    const other = await getJob(id, citizen);
    expect(other.statusCode).toBe(403);
    expect(other.headers['content-type']).toContain('application/problem+json');
    expect(other.json()).toMatchObject({ status: 403, code: 'FORBIDDEN' });

    const asOperator = await getJob(id, operator);
    expect(asOperator.statusCode).toBe(200);
    expect(asOperator.json()).toMatchObject({ id, status: 'succeeded' });

    expect((await getJob(id, undefined)).statusCode).toBe(401);

    const mine = await t.platform.app.inject({ url: '/api/v1/jobs', headers: { cookie: editor.cookie } });
    expect((mine.json() as { items: JobView[] }).items.map((j) => j.id)).toContain(id);
    const theirs = await t.platform.app.inject({ url: '/api/v1/jobs', headers: { cookie: citizen.cookie } });
    expect((theirs.json() as { items: JobView[] }).items.map((j) => j.id)).not.toContain(id);
  });

  it('retries a failing job with exponential backoff and fails it for good after max attempts', async () => {
    const id = await enqueue('test.fail', editor.userId, { maxAttempts: 3 });
    let previousRunAt = (await jobRow(id)).run_at.getTime();

    for (const attempt of [1, 2]) {
      const before = await dbNow();
      expect(await t.platform.jobs.runOnce()).toBe(true);
      const after = await dbNow();
      const row = await jobRow(id);
      expect(row.status).toBe('queued');
      expect(row.attempts).toBe(attempt);
      expect(row.last_error).toBe(`boom on attempt ${attempt}`);
      expect(row.locked_by).toBeNull();
      // The retry is due 2^attempt seconds after the failure, which happened between `before` and `after`.
      const runAt = row.run_at.getTime();
      expect(runAt).toBeGreaterThan(previousRunAt);
      expect(runAt - 2 ** attempt * 1000).toBeGreaterThanOrEqual(before - 1);
      expect(runAt - 2 ** attempt * 1000).toBeLessThanOrEqual(after + 1);
      previousRunAt = runAt;

      // Not due yet: the worker leaves it alone.
      expect(await t.platform.jobs.runOnce()).toBe(false);
      // Stand in for the wait: make the retry due now.
      await t.platform.db.kysely
        .updateTable('kernel_jobs')
        .set({ run_at: new Date() })
        .where('id', '=', id)
        .execute();
    }

    expect(await t.platform.jobs.runOnce()).toBe(true);
    const response = await getJob(id, editor);
    expect(response.json()).toMatchObject({
      status: 'failed',
      attempts: 3,
      maxAttempts: 3,
      lastError: 'boom on attempt 3',
    });
    expect((response.json() as JobView).finishedAt).not.toBeNull();
    expect(await t.platform.jobs.runOnce()).toBe(false);
  });

  it('cancels a queued job over HTTP and writes it to the transparency log', async () => {
    const id = await enqueue('test.report', editor.userId, { payload: { question: 'never asked' } });

    const noCsrf = await t.platform.app.inject({
      method: 'POST',
      url: `/api/v1/jobs/${id}/cancel`,
      headers: { cookie: editor.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().code).toBe('CSRF_TOKEN_INVALID');
    expect((await cancelJob(id, citizen)).statusCode).toBe(403);
    expect((await jobRow(id)).status).toBe('queued');

    const sizeBefore = await t.platform.ledger.size();
    const response = await cancelJob(id, editor);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ id, status: 'cancelled', cancelRequested: true });

    expect(await t.platform.ledger.size()).toBe(sizeBefore + 1);
    const { items } = await t.platform.ledger.listEntries(0, 1, 'desc');
    const entry = JSON.parse(items[0]!.entry) as Record<string, unknown>;
    expect(entry).toMatchObject({
      action: 'kernel.job.cancel-requested',
      actor: { type: 'user', id: editor.userId },
      objects: [{ type: 'job', id }],
      details: { kind: 'test.report' },
    });

    // A cancelled job is never picked up.
    expect(await t.platform.jobs.runOnce()).toBe(false);
    expect((await getJob(id, editor)).json()).toMatchObject({
      status: 'cancelled',
      attempts: 0,
      result: null,
    });
  });

  it('stops a running job at its next progress report once cancelled', async () => {
    const id = await enqueue('test.gate', editor.userId);
    const run = t.platform.jobs.runOnce();
    await gate.started.promise;

    const running = await getJob(id, editor);
    expect(running.json()).toMatchObject({ status: 'running', progress: { done: 1, total: 2 } });

    const response = await cancelJob(id, operator);
    expect(response.statusCode).toBe(200);
    // The handler is still inside: it learns about the cancel when it next reports progress.
    expect(response.json()).toMatchObject({ status: 'running', cancelRequested: true });

    gate.release.resolve();
    expect(await run).toBe(true);
    expect(gate.reachedEnd).toBe(false);
    const job = (await getJob(id, editor)).json() as JobView;
    expect(job).toMatchObject({ status: 'cancelled', cancelRequested: true, result: null });
    expect(job.finishedAt).not.toBeNull();
    expect(await t.platform.jobs.runOnce()).toBe(false);
  });

  it('refuses to cancel a finished job with 409', async () => {
    const id = await enqueue('test.report', editor.userId, { payload: { question: 'quick' } });
    expect(await t.platform.jobs.runOnce()).toBe(true);
    const sizeBefore = await t.platform.ledger.size();
    const response = await cancelJob(id, editor);
    expect(response.statusCode).toBe(409);
    expect(response.headers['content-type']).toContain('application/problem+json');
    expect(response.json()).toMatchObject({
      status: 409,
      code: 'JOB_FINISHED',
      type: 'urn:datapolis:problem:job-finished',
    });
    expect((await getJob(id, editor)).json()).toMatchObject({ status: 'succeeded', cancelRequested: false });
    expect(await t.platform.ledger.size()).toBe(sizeBefore);
  });

  it('answers an unknown job id with 404', async () => {
    const unknown = randomUUID();
    for (const response of [await getJob(unknown, operator), await cancelJob(unknown, operator)]) {
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toContain('application/problem+json');
      expect(response.json()).toMatchObject({ status: 404, code: 'JOB_NOT_FOUND' });
    }
  });

  it('lets the auditor start a ledger verification that the worker runs to ok', async () => {
    const auditor = await t.login('auditor');
    const forbidden = await t.platform.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/verifications',
      headers: { cookie: citizen.cookie, 'x-csrf-token': citizen.csrf },
    });
    expect(forbidden.statusCode).toBe(403);

    const started = await t.platform.app.inject({
      method: 'POST',
      url: '/api/v1/ledger/verifications',
      headers: { cookie: auditor.cookie, 'x-csrf-token': auditor.csrf },
    });
    expect(started.statusCode).toBe(202);
    const { jobId } = started.json() as { jobId: string };
    expect((await getJob(jobId, auditor)).json()).toMatchObject({
      kind: 'ledger.verify',
      status: 'queued',
      createdBy: auditor.userId,
    });

    await t.platform.jobs.start();
    try {
      const deadline = Date.now() + 30_000;
      while ((await t.platform.jobs.get(jobId)).status !== 'succeeded') {
        const job = await t.platform.jobs.get(jobId);
        if (job.status === 'failed' || job.status === 'cancelled')
          throw new Error(`verify job ${job.status}`);
        if (Date.now() > deadline) throw new Error(`verify job still ${job.status}`);
        await sleep(20);
      }
    } finally {
      await t.platform.jobs.stop();
    }

    const response = await getJob(jobId, auditor);
    expect(response.statusCode).toBe(200);
    const job = response.json() as JobView & { result: { ok: boolean; size: number; problems: unknown[] } };
    expect(job.status).toBe('succeeded');
    expect(job.result.ok).toBe(true);
    expect(job.result.problems).toEqual([]);
    expect(job.result.size).toBeGreaterThan(0);
  });
});
