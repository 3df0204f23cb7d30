import { randomUUID } from 'node:crypto';
import { type Kysely, sql, type Transaction } from 'kysely';
import type { Logger } from 'pino';
import type { Database } from '../db/database.ts';
import { ConflictError, NotFoundError } from '../errors.ts';
import type { JobStatus } from './jobs.tables.ts';

export interface JobView {
  id: string;
  kind: string;
  status: JobStatus;
  attempts: number;
  maxAttempts: number;
  progress: { done: number; total: number | null; message: string | null };
  result: unknown;
  lastError: string | null;
  cancelRequested: boolean;
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

/** Thrown inside a handler (by `progress`) once someone asked to cancel the job. */
export class JobCancelledError extends Error {
  constructor() {
    super('The job was cancelled.');
  }
}

/** Thrown by a handler when trying again cannot help (the input is invalid): the job fails at once. */
export class JobFailedForGoodError extends Error {}

/** Thrown when this worker lost its lease (it stalled and another worker took the job over). */
export class JobLeaseLostError extends Error {
  constructor(jobId: string) {
    super(`Job ${jobId} was taken over by another worker.`);
  }
}

export interface JobContext<P = Record<string, unknown>> {
  id: string;
  payload: P;
  attempt: number;
  /** What the last attempt saved with `checkpoint`: a job resumes from here after a crash. */
  checkpoint: unknown;
  /** Records progress, renews the lease, and throws JobCancelledError if a cancel was requested. */
  progress(done: number, total?: number | null, message?: string | null): Promise<void>;
  /**
   * Saves where the job is, so a restarted job skips what is done. Pass the transaction of
   * `transaction` to save it atomically with the effects of that step.
   */
  saveCheckpoint(value: unknown, trx?: Transaction<Database>): Promise<void>;
  /**
   * Runs `fn` in a transaction that also proves this worker still holds the job; effects written
   * there land exactly once even if a stalled worker wakes up later.
   */
  transaction<T>(fn: (trx: Transaction<Database>) => Promise<T>): Promise<T>;
}

export type JobHandler<P = Record<string, unknown>> = (ctx: JobContext<P>) => Promise<unknown>;

export interface EnqueueInput {
  kind: string;
  payload?: Record<string, unknown>;
  createdBy?: string | null;
  maxAttempts?: number;
  runAt?: Date;
}

export interface JobsDeps {
  db: Kysely<Database>;
  logger: Logger;
  /** Embedded database: no other process can hold a job, so running jobs found at start are orphans. */
  singleProcess: boolean;
  pollMs: number;
  leaseSeconds: number;
  concurrency: number;
  workerId?: string;
}

type JobRow = Awaited<ReturnType<typeof selectJob>>;

function selectJob(db: Kysely<Database> | Transaction<Database>, id: string) {
  return db.selectFrom('kernel_jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

function view(row: NonNullable<JobRow>): JobView {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    attempts: row.attempts,
    maxAttempts: row.max_attempts,
    progress: { done: Number(row.progress_done), total: row.progress_total, message: row.progress_message },
    result: row.result ?? null,
    lastError: row.last_error,
    cancelRequested: row.cancel_requested,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    startedAt: row.started_at?.toISOString() ?? null,
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export type Jobs = ReturnType<typeof createJobs>;

/** A durable job queue in the database: retries with backoff, progress, cancellation, crash recovery. */
export function createJobs(deps: JobsDeps) {
  const { db, logger } = deps;
  const workerId = deps.workerId ?? `${process.pid}-${randomUUID().slice(0, 8)}`;
  const handlers = new Map<string, JobHandler<never>>();
  let timer: NodeJS.Timeout | undefined;
  let running = 0;
  let stopping = false;
  const inFlight = new Set<Promise<void>>();

  function register<P>(kind: string, handler: JobHandler<P>): void {
    if (handlers.has(kind)) throw new Error(`Job kind ${kind} is registered twice.`);
    handlers.set(kind, handler as JobHandler<never>);
  }

  /** Enqueue in the caller's transaction, so the job exists exactly when the change that asked for it does. */
  async function enqueue(
    executor: Kysely<Database> | Transaction<Database>,
    input: EnqueueInput,
  ): Promise<string> {
    const row = await executor
      .insertInto('kernel_jobs')
      .values({
        kind: input.kind,
        payload: JSON.stringify(input.payload ?? {}),
        created_by: input.createdBy ?? null,
        ...(input.maxAttempts === undefined ? {} : { max_attempts: input.maxAttempts }),
        ...(input.runAt === undefined ? {} : { run_at: input.runAt }),
        locked_by: null,
        lease_until: null,
        progress_total: null,
        progress_message: null,
        checkpoint: null,
        result: null,
        last_error: null,
        started_at: null,
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function get(id: string): Promise<JobView> {
    const row = UUID.test(id) ? await selectJob(db, id) : undefined;
    if (row === undefined) throw new NotFoundError('JOB_NOT_FOUND', `No job has id ${id}.`);
    return view(row);
  }

  async function list(filter: { createdBy?: string; status?: JobStatus; offset: number; limit: number }) {
    let query = db.selectFrom('kernel_jobs');
    if (filter.createdBy !== undefined) query = query.where('created_by', '=', filter.createdBy);
    if (filter.status !== undefined) query = query.where('status', '=', filter.status);
    const [rows, count] = await Promise.all([
      query.selectAll().orderBy('created_at', 'desc').offset(filter.offset).limit(filter.limit).execute(),
      query.select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow(),
    ]);
    return { items: rows.map(view), total: Number(count.n) };
  }

  /** Asks a job to stop: a queued job is cancelled at once, a running one at its next progress report. */
  async function requestCancel(trx: Transaction<Database>, id: string): Promise<JobView> {
    const row = UUID.test(id) ? await selectJob(trx, id) : undefined;
    if (row === undefined) throw new NotFoundError('JOB_NOT_FOUND', `No job has id ${id}.`);
    if (row.status === 'succeeded' || row.status === 'failed' || row.status === 'cancelled') {
      throw new ConflictError('JOB_FINISHED', `Job ${id} has already finished (${row.status}).`);
    }
    await trx.updateTable('kernel_jobs').set({ cancel_requested: true }).where('id', '=', id).execute();
    await trx
      .updateTable('kernel_jobs')
      .set({ status: 'cancelled', finished_at: sql`now()`, locked_by: null, lease_until: null })
      .where('id', '=', id)
      .where('status', '=', 'queued')
      .execute();
    return view((await selectJob(trx, id))!);
  }

  async function queueDepth(): Promise<{ queued: number; running: number }> {
    const rows = await db
      .selectFrom('kernel_jobs')
      .select(['status', sql<number>`count(*)::int`.as('n')])
      .where('status', 'in', ['queued', 'running'])
      .groupBy('status')
      .execute();
    const count = (status: string) => Number(rows.find((r) => r.status === status)?.n ?? 0);
    return { queued: count('queued'), running: count('running') };
  }

  /** Takes the next runnable job (queued and due, or running with an expired lease) for this worker. */
  async function claim(): Promise<NonNullable<JobRow> | undefined> {
    const kinds = [...handlers.keys()];
    if (kinds.length === 0) return undefined;
    const result = await sql<NonNullable<JobRow>>`
      UPDATE kernel_jobs SET
        status = 'running',
        attempts = attempts + 1,
        locked_by = ${workerId},
        lease_until = now() + make_interval(secs => ${deps.leaseSeconds}),
        started_at = coalesce(started_at, now())
      WHERE id = (
        SELECT id FROM kernel_jobs
        WHERE kind = ANY(${kinds}::text[])
          AND ((status = 'queued' AND run_at <= now()) OR (status = 'running' AND lease_until < now()))
        ORDER BY run_at
        LIMIT 1
        FOR UPDATE SKIP LOCKED
      )
      RETURNING *`.execute(db);
    return result.rows[0];
  }

  async function finish(id: string, set: Record<string, unknown>): Promise<void> {
    await db
      .updateTable('kernel_jobs')
      .set({ ...set, locked_by: null, lease_until: null })
      .where('id', '=', id)
      .where('locked_by', '=', workerId)
      .execute();
  }

  async function execute(row: NonNullable<JobRow>): Promise<void> {
    const handler = handlers.get(row.kind);
    if (handler === undefined) return;
    const id = row.id;
    if (row.cancel_requested) {
      await finish(id, { status: 'cancelled', finished_at: sql`now()` });
      return;
    }
    if (row.attempts > row.max_attempts) {
      await finish(id, {
        status: 'failed',
        finished_at: sql`now()`,
        last_error: row.last_error ?? 'Too many attempts.',
      });
      return;
    }
    const lease = () => sql<Date>`now() + make_interval(secs => ${deps.leaseSeconds})`;
    const ctx: JobContext<never> = {
      id,
      payload: row.payload as never,
      attempt: row.attempts,
      checkpoint: row.checkpoint ?? null,
      async progress(done, total, message) {
        const updated = await db
          .updateTable('kernel_jobs')
          .set({
            progress_done: done,
            ...(total === undefined ? {} : { progress_total: total }),
            ...(message === undefined ? {} : { progress_message: message }),
            lease_until: lease(),
          })
          .where('id', '=', id)
          .where('locked_by', '=', workerId)
          .returning('cancel_requested')
          .executeTakeFirst();
        if (updated === undefined) throw new JobLeaseLostError(id);
        if (updated.cancel_requested) throw new JobCancelledError();
      },
      async saveCheckpoint(value, trx) {
        const updated = await (trx ?? db)
          .updateTable('kernel_jobs')
          .set({ checkpoint: JSON.stringify(value), lease_until: lease() })
          .where('id', '=', id)
          .where('locked_by', '=', workerId)
          .executeTakeFirst();
        if (Number(updated.numUpdatedRows) === 0) throw new JobLeaseLostError(id);
      },
      transaction(fn) {
        return db.transaction().execute(async (trx) => {
          const owned = await trx
            .selectFrom('kernel_jobs')
            .select('id')
            .where('id', '=', id)
            .where('locked_by', '=', workerId)
            .forUpdate()
            .executeTakeFirst();
          if (owned === undefined) throw new JobLeaseLostError(id);
          return fn(trx);
        });
      },
    };
    try {
      const result = await handler(ctx);
      await finish(id, {
        status: 'succeeded',
        finished_at: sql`now()`,
        result: JSON.stringify(result ?? null),
        last_error: null,
      });
    } catch (error) {
      if (error instanceof JobLeaseLostError) {
        logger.warn({ jobId: id }, error.message);
        return;
      }
      if (error instanceof JobCancelledError) {
        await finish(id, { status: 'cancelled', finished_at: sql`now()` });
        return;
      }
      const message = error instanceof Error ? error.message : String(error);
      if (row.attempts >= row.max_attempts || error instanceof JobFailedForGoodError) {
        logger.error({ jobId: id, kind: row.kind, err: error }, 'job failed for good');
        await finish(id, { status: 'failed', finished_at: sql`now()`, last_error: message });
      } else {
        // Exponential backoff: 2, 4, 8 ... seconds, at most five minutes.
        const delay = Math.min(2 ** row.attempts, 300);
        logger.warn(
          { jobId: id, kind: row.kind, attempt: row.attempts, retryInSeconds: delay },
          'job failed, will retry',
        );
        await finish(id, {
          status: 'queued',
          run_at: sql`now() + make_interval(secs => ${delay})`,
          last_error: message,
        });
      }
    }
  }

  /** Claims and runs one job; returns whether there was one. Tests drive the queue with it. */
  async function runOnce(): Promise<boolean> {
    const row = await claim();
    if (row === undefined) return false;
    await execute(row);
    return true;
  }

  function schedule(delay: number): void {
    if (stopping) return;
    timer = setTimeout(tick, delay);
  }

  function tick(): void {
    timer = undefined;
    void (async () => {
      try {
        while (!stopping && running < deps.concurrency) {
          const row = await claim();
          if (row === undefined) break;
          running += 1;
          const task = execute(row)
            .catch((error: unknown) => logger.error({ err: error, jobId: row.id }, 'job bookkeeping failed'))
            .finally(() => {
              running -= 1;
              inFlight.delete(task);
              if (!stopping && timer === undefined) schedule(0);
            });
          inFlight.add(task);
        }
      } catch (error) {
        logger.error({ err: error }, 'job polling failed');
      }
      if (timer === undefined) schedule(deps.pollMs);
    })();
  }

  async function start(): Promise<void> {
    stopping = false;
    if (deps.singleProcess) {
      // Nobody else can hold these: they were running when the process died. Hand them back at once.
      await db
        .updateTable('kernel_jobs')
        .set({ status: 'queued', locked_by: null, lease_until: null })
        .where('status', '=', 'running')
        .execute();
    }
    schedule(0);
  }

  async function stop(): Promise<void> {
    stopping = true;
    if (timer !== undefined) clearTimeout(timer);
    timer = undefined;
    await Promise.allSettled([...inFlight]);
  }

  return { register, enqueue, get, list, requestCancel, queueDepth, runOnce, start, stop, workerId };
}
