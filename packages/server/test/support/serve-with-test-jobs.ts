// `datapolis serve` plus two job kinds that write into a fixture table, so tests can count how often
// each step of a job really ran across crashes and across several worker processes.
//
//   TEST_ENQUEUE_SLOW=1       enqueue one test.slow-count job at start and print "enqueued <id>"
//   TEST_SLOW_STEPS=40        steps of that job
//   TEST_SLOW_STEP_MS=100     milliseconds each step sleeps
//   TEST_WORKER_NAME=a        what the worker column says (default: the job worker's id)
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { loadConfig } from '../../src/kernel/config/index.ts';
import type { JobContext, Jobs } from '../../src/kernel/jobs/index.ts';
import { createPlatform, type Platform } from '../../src/platform/index.ts';

const SLOW_COUNT = 'test.slow-count';
const ONCE = 'test.once';

interface SlowCountPayload {
  steps: number;
  stepMs: number;
  jobTag: string;
}

function registerTestJobs(jobs: Jobs, worker: () => string): void {
  jobs.register<SlowCountPayload>(SLOW_COUNT, async (ctx: JobContext<SlowCountPayload>) => {
    const { steps, stepMs } = ctx.payload;
    const from = (ctx.checkpoint as { next: number } | null)?.next ?? 0;
    for (let step = from; step < steps; step += 1) {
      await sleep(stepMs);
      await ctx.transaction(async (trx) => {
        await sql`INSERT INTO test_job_effects (job_id, step, worker) VALUES (${ctx.id}, ${step}, ${worker()})`.execute(
          trx,
        );
        await ctx.saveCheckpoint({ next: step + 1 }, trx);
      });
      await ctx.progress(step + 1, steps, `step ${step + 1} of ${steps}`);
    }
    return { steps, resumedFrom: from, tag: ctx.payload.jobTag };
  });

  jobs.register(ONCE, async (ctx) => {
    await ctx.transaction(async (trx) => {
      await sql`INSERT INTO test_job_effects (job_id, step, worker) VALUES (${ctx.id}, 0, ${worker()})`.execute(
        trx,
      );
    });
    return { worker: worker() };
  });
}

async function main(): Promise<void> {
  const config = loadConfig();
  let platform: Platform | undefined;
  const worker = () => process.env.TEST_WORKER_NAME ?? platform?.jobs.workerId ?? 'unknown';
  platform = await createPlatform(config, { registerJobs: (jobs) => registerTestJobs(jobs, worker) });
  const db = platform.db.kysely;
  await sql`
    CREATE TABLE IF NOT EXISTS test_job_effects (
      job_id uuid NOT NULL,
      step integer NOT NULL,
      worker text NOT NULL,
      PRIMARY KEY (job_id, step)
    )`.execute(db);
  await platform.seedIfEmpty();

  if (process.env.TEST_ENQUEUE_SLOW === '1') {
    const payload: SlowCountPayload = {
      steps: Number(process.env.TEST_SLOW_STEPS ?? 40),
      stepMs: Number(process.env.TEST_SLOW_STEP_MS ?? 100),
      jobTag: 'crash',
    };
    const id = await platform.jobs.enqueue(db, { kind: SLOW_COUNT, payload: { ...payload } });
    process.stdout.write(`enqueued ${id}\n`);
  }

  const address = await platform.start();
  process.stdout.write(`listening ${address}\n`);

  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await platform?.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`datapolis: ${message.split('\n')[0]}\n`);
  process.exit(1);
});
