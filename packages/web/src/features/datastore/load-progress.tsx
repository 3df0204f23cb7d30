import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Card, Space } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { JOB_FINISHED, JobProgressBar } from '../../components/job-progress-bar.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { formatBytes, jobPercent } from '../catalog/format-catalog.ts';
import { useDatastoreApi } from './datastore-api.ts';
import { formatCount, loadPhase } from './format-datastore.ts';
import { ValidationReportView } from './validation-report.tsx';

interface LoadProgressProps {
  resourceId: string;
  jobId: string;
  version: number;
  onAnother: () => void;
}

/** Follows a load job: bytes read and the phase while it runs, then the new version or what was wrong. */
export function LoadProgress({ resourceId, jobId, version, onAnother }: LoadProgressProps) {
  const { t, i18n } = useTranslation();
  const api = useDatastoreApi();
  const queryClient = useQueryClient();
  const job = useQuery({
    queryKey: ['jobs', jobId],
    queryFn: ({ signal }) => api.job(jobId, signal),
    refetchInterval: (query) =>
      query.state.data && JOB_FINISHED.has(query.state.data.status) ? false : 1000,
  });
  const cancel = useMutation({
    mutationFn: () => api.cancelJob(jobId),
    onSuccess: () => void job.refetch(),
  });
  const data = job.data;
  const status = data?.status ?? 'queued';
  const finished = JOB_FINISHED.has(status);
  const report = useQuery({
    queryKey: ['datastore', 'report', resourceId, version],
    queryFn: ({ signal }) => api.report(resourceId, version, signal),
    enabled: status === 'succeeded' || status === 'failed',
  });

  // The resource, its versions and its rows all changed once the load ended.
  useEffect(() => {
    if (finished) void queryClient.invalidateQueries({ queryKey: ['datastore'] });
  }, [finished, queryClient]);

  const step = loadPhase(data?.progress.message);
  const phase =
    step?.kind === 'reading'
      ? t('datastore.load.phases.reading')
      : step?.kind === 'rowsRead'
        ? t('datastore.load.phases.rowsRead', {
            count: step.rows,
            rows: formatCount(step.rows, i18n.language),
          })
        : step?.text;
  const figures =
    status === 'running' && data?.progress.total
      ? t('datastore.load.bytes', {
          done: formatBytes(data.progress.done, i18n.language),
          total: formatBytes(data.progress.total, i18n.language),
        })
      : undefined;
  const statusText =
    status === 'running'
      ? [t('datastore.load.status.running'), phase, figures].filter(Boolean).join(t('common.listSeparator'))
      : t(`datastore.load.status.${status}`, { defaultValue: status });
  const rows = report.data?.stats.rows;

  return (
    <Card
      title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('datastore.load.title', { version })}</h2>}
      data-testid="load-job"
    >
      {job.error ? <ProblemAlert error={job.error} /> : null}
      <JobProgressBar
        percent={jobPercent(data)}
        status={status}
        label={t('datastore.load.progressLabel')}
        text={statusText}
        testId="load-status"
      />
      {!finished ? (
        <Space>
          <Button
            danger
            loading={cancel.isPending}
            disabled={data?.cancelRequested ?? false}
            onClick={() => cancel.mutate()}
          >
            {t('datastore.load.cancel')}
          </Button>
        </Space>
      ) : null}
      {cancel.error ? <ProblemAlert error={cancel.error} /> : null}
      {status === 'succeeded' ? (
        <Alert
          type="success"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={
            rows === undefined
              ? t('datastore.load.succeeded', { version })
              : t('datastore.load.succeededRows', {
                  version,
                  count: rows,
                  rows: formatCount(rows, i18n.language),
                })
          }
          description={
            <Link to={`/data/${encodeURIComponent(resourceId)}`} data-testid="view-table">
              {t('datastore.load.viewTable')}
            </Link>
          }
        />
      ) : null}
      {status === 'failed' ? (
        <Alert
          type="error"
          showIcon
          role="alert"
          style={{ marginBottom: 16 }}
          title={t('datastore.load.failed', { version })}
          description={data?.lastError ?? undefined}
        />
      ) : null}
      {status === 'cancelled' ? (
        <Alert type="info" showIcon style={{ marginBottom: 16 }} title={t('datastore.load.cancelled')} />
      ) : null}
      {status === 'failed' && report.data ? (
        <ValidationReportView report={report.data} level={3} testId="load-report" />
      ) : null}
      {finished ? (
        <p style={{ marginBottom: 0, marginTop: 16 }}>
          <Button onClick={onAnother}>{t('datastore.upload.another')}</Button>
        </p>
      ) : null}
    </Card>
  );
}
