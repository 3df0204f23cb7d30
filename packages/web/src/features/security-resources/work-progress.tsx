import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { JOB_FINISHED, JobProgressBar } from '../../components/job-progress-bar.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { jobPercent } from '../catalog/format-catalog.ts';
import { RESOURCE_SECURITY_KEY, useResourceSecurityApi } from './resources-api.ts';

/**
 * Follows the job behind a scan or a derivation, as the datastore's load page does: a labelled progress bar
 * whose sentence is a live status region. Once the job has finished, the scans and derivations are read
 * again so the report appears.
 */
export function WorkProgress({ jobId, label, testId }: { jobId: string; label: string; testId: string }) {
  const { t } = useTranslation();
  const api = useResourceSecurityApi();
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: [...RESOURCE_SECURITY_KEY, 'job', jobId],
    queryFn: ({ signal }) => api.job(jobId, signal),
    refetchInterval: (query) =>
      query.state.data && JOB_FINISHED.has(query.state.data.status) ? false : 1000,
  });
  const status = job.data?.status ?? 'queued';
  const finished = JOB_FINISHED.has(status);
  useEffect(() => {
    if (finished)
      void queryClient.invalidateQueries({
        queryKey: RESOURCE_SECURITY_KEY,
        predicate: (q) => q.queryKey[2] !== 'job',
      });
  }, [finished, queryClient]);
  const percent = jobPercent(job.data);
  const text =
    status === 'running'
      ? t('securityResources.job.running', { percent })
      : t(`securityResources.job.${status}`, { defaultValue: status });
  return (
    <div data-testid={`${testId}-progress`}>
      {job.error ? <ProblemAlert error={job.error} /> : null}
      <JobProgressBar percent={percent} status={status} label={label} text={text} testId={testId} />
    </div>
  );
}
