import type { Generated, JSONColumnType } from 'kysely';

export type JobStatus = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

export interface JobsTables {
  kernel_jobs: {
    id: Generated<string>;
    kind: string;
    payload: JSONColumnType<Record<string, unknown>, string, string>;
    status: Generated<JobStatus>;
    attempts: Generated<number>;
    max_attempts: Generated<number>;
    run_at: Generated<Date>;
    locked_by: string | null;
    lease_until: Date | null;
    progress_done: Generated<number>;
    progress_total: number | null;
    progress_message: string | null;
    checkpoint: JSONColumnType<object | null, string | null, string | null>;
    result: JSONColumnType<object | null, string | null, string | null>;
    last_error: string | null;
    cancel_requested: Generated<boolean>;
    created_by: string | null;
    created_at: Generated<Date>;
    started_at: Date | null;
    finished_at: Date | null;
  };
}
