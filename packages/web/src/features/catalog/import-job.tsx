import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { JOB_FINISHED, JobProgressBar } from '../../components/job-progress-bar.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useCatalogApi } from './catalog-api.ts';
import type { HarvestReport } from './catalog-types.ts';
import { jobPercent } from './format-catalog.ts';

function isReport(value: unknown): value is HarvestReport {
  return typeof value === 'object' && value !== null && 'records' in value && 'problems' in value;
}

function ReportView({
  report,
  institutionCode,
}: {
  report: HarvestReport;
  institutionCode: string | undefined;
}) {
  const { t } = useTranslation();
  const figures: [string, number][] = [
    [t('catalog.import.report.records'), report.records],
    [t('catalog.import.report.created'), report.created],
    [t('catalog.import.report.updated'), report.updated],
    [t('catalog.import.report.unchanged'), report.unchanged],
    [t('catalog.import.report.repaired'), report.repaired],
    [t('catalog.import.report.problems'), report.problems.length],
  ];
  return (
    <div data-testid="import-report" style={{ display: 'grid', gap: 16 }}>
      {report.fatal ? (
        <Alert type="error" showIcon title={t('catalog.import.report.fatal')} description={report.fatal} />
      ) : (
        <Alert
          type={report.problems.length > 0 ? 'warning' : 'success'}
          showIcon
          title={t('catalog.import.report.done', { created: report.created, updated: report.updated })}
        />
      )}
      <table className="dp-kv" style={{ maxWidth: 520 }}>
        <caption>{t('catalog.import.report.title')}</caption>
        <tbody>
          {figures.map(([label, value]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td>{value}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {report.problems.length > 0 ? (
        <TableRegion label={t('catalog.import.report.problemsTitle')}>
          <Table
            data-testid="import-problems"
            rowKey={(p) => `${p.sourceUri ?? ''}:${p.reason}`}
            dataSource={report.problems}
            pagination={report.problems.length > 50 ? { pageSize: 50, showSizeChanger: false } : false}
            caption={<span className="dp-table-caption">{t('catalog.import.report.problemsTitle')}</span>}
            locale={{ emptyText: <EmptyText>{t('common.empty')}</EmptyText> }}
            columns={[
              { title: t('catalog.fields.title'), dataIndex: 'title', render: (v?: string) => v || '—' },
              {
                title: t('catalog.import.report.source'),
                dataIndex: 'sourceUri',
                render: (v?: string) => (v ? <span className="dp-mono">{v}</span> : '—'),
              },
              { title: t('catalog.import.report.reason'), dataIndex: 'reason' },
            ]}
          />
        </TableRegion>
      ) : null}
      {report.repairs.length > 0 ? (
        <section aria-labelledby="import-repairs">
          <h3 id="import-repairs" style={{ fontSize: 16 }}>
            {t('catalog.import.report.repairsTitle')}
          </h3>
          <ul>
            {report.repairs.map((r) => (
              <li key={r.sourceUri}>
                <span className="dp-mono">{r.sourceUri}</span>
                <ul>
                  {r.repairs.map((text) => (
                    <li key={text}>{text}</li>
                  ))}
                </ul>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      {institutionCode && !report.fatal ? (
        <p style={{ margin: 0 }}>
          <Link to={`/catalog/institutions/${encodeURIComponent(institutionCode)}?tab=entries`}>
            {t('catalog.import.report.seeEntries')}
          </Link>
        </p>
      ) : null}
    </div>
  );
}

/** Follows a harvest job: a progress bar while it runs, then its report. */
export function ImportJob({
  jobId,
  institutionCode,
}: {
  jobId: string;
  institutionCode: string | undefined;
}) {
  const { t } = useTranslation();
  const api = useCatalogApi();
  const job = useQuery({
    queryKey: ['jobs', jobId],
    queryFn: ({ signal }) => api.job(jobId, signal),
    refetchInterval: (query) =>
      query.state.data && JOB_FINISHED.has(query.state.data.status) ? false : 1000,
  });
  const data = job.data;
  const percent = jobPercent(data);
  const status = data?.status ?? 'queued';
  const progressText =
    status === 'running'
      ? data?.progress.total
        ? t('catalog.import.progress.running', { done: data.progress.done, total: data.progress.total })
        : t('catalog.import.progress.started')
      : t(`catalog.import.progress.${status}`, { defaultValue: status });
  return (
    <Card
      title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('catalog.import.progressTitle')}</h2>}
      data-testid="import-job"
    >
      {job.error ? <ProblemAlert error={job.error} /> : null}
      <JobProgressBar
        percent={percent}
        status={status}
        label={t('catalog.import.progressLabel')}
        text={progressText}
        testId="import-status"
      />
      {status === 'failed' && data?.lastError ? (
        <Alert type="error" showIcon title={t('catalog.import.failed')} description={data.lastError} />
      ) : null}
      {status === 'succeeded' && isReport(data?.result) ? (
        <ReportView report={data.result} institutionCode={institutionCode} />
      ) : null}
    </Card>
  );
}
