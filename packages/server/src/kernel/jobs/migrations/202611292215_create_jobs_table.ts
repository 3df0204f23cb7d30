import { type Kysely, sql } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    CREATE TABLE kernel_jobs (
      id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
      kind text NOT NULL,
      payload jsonb NOT NULL DEFAULT '{}'::jsonb,
      status text NOT NULL DEFAULT 'queued'
        CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
      attempts integer NOT NULL DEFAULT 0,
      max_attempts integer NOT NULL DEFAULT 5,
      run_at timestamptz NOT NULL DEFAULT now(),
      locked_by text,
      lease_until timestamptz,
      progress_done bigint NOT NULL DEFAULT 0,
      progress_total bigint,
      progress_message text,
      checkpoint jsonb,
      result jsonb,
      last_error text,
      cancel_requested boolean NOT NULL DEFAULT false,
      created_by uuid,
      created_at timestamptz NOT NULL DEFAULT now(),
      started_at timestamptz,
      finished_at timestamptz
    )`.execute(db);
  // The claim query scans only runnable jobs in run_at order.
  await sql`CREATE INDEX kernel_jobs_runnable ON kernel_jobs (run_at) WHERE status IN ('queued', 'running')`.execute(
    db,
  );
  await sql`CREATE INDEX kernel_jobs_created_by ON kernel_jobs (created_by, created_at DESC)`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await sql`DROP TABLE kernel_jobs`.execute(db);
}
