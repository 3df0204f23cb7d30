export { jobsRoutes } from './jobs.routes.ts';
export {
  createJobs,
  type EnqueueInput,
  JobCancelledError,
  type JobContext,
  JobFailedForGoodError,
  type JobHandler,
  JobLeaseLostError,
  type Jobs,
  type JobView,
} from './jobs.service.ts';
export type { JobStatus } from './jobs.tables.ts';
export { jobsMigrations } from './migrations/index.ts';
