import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, Button, Form, InputNumber, Radio, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { TableRegion } from '../../components/table-region.tsx';
import { Badge, GradeBadge } from '../catalog/badges.tsx';
import { ButtonLink } from '../catalog/button-link.tsx';
import type { DatastoreResource } from '../datastore/datastore-types.ts';
import { formatCount } from '../datastore/format-datastore.ts';
import { ResourceProblem } from './resource-problem.tsx';
import { RESOURCE_SECURITY_KEY, useResourceSecurityApi } from './resources-api.ts';
import type { ScanView } from './resources-types.ts';
import {
  activeScan,
  formatShare,
  type ScanRow,
  sampleSize,
  scanRows,
  scanSummary,
  shownScan,
} from './scan-rows.ts';
import { WorkProgress } from './work-progress.tsx';

export const STATE_TONES = { queued: 'blue', running: 'blue', done: 'green', failed: 'red' } as const;

export function gradingPath(entryCode: string): string {
  return `/security/grading/${encodeURIComponent(entryCode)}`;
}

/** Scan the table (all rows or a sample), follow the job, then read what each column holds. */
export function ScanPanel({ resource }: { resource: DatastoreResource }) {
  const { t, i18n } = useTranslation();
  const api = useResourceSecurityApi();
  const queryClient = useQueryClient();
  const [mode, setMode] = useState<'all' | 'sample'>('all');
  const [sample, setSample] = useState<number | null>(1000);
  const [requested, setRequested] = useState<string>();
  const [chosen, setChosen] = useState<string>();
  const [invalid, setInvalid] = useState(false);
  const scans = useQuery({
    queryKey: [...RESOURCE_SECURITY_KEY, 'scans', resource.id],
    queryFn: ({ signal }) => api.scans(resource.id, signal),
  });
  const start = useMutation({
    mutationFn: (size: number | undefined) =>
      api.scan({ resourceId: resource.id, ...(size === undefined ? {} : { sample: size }) }),
    onSuccess: (scan) => {
      setRequested(scan.id);
      setChosen(undefined);
      void queryClient.invalidateQueries({ queryKey: [...RESOURCE_SECURITY_KEY, 'scans', resource.id] });
    },
  });
  const items = scans.data?.items ?? [];
  const following = activeScan(items, requested);
  const shown = shownScan(items, chosen);
  const rows = scanRows(shown?.report);
  const summary = scanSummary(shown?.report);

  const submit = () => {
    const size = sampleSize(mode, sample);
    setInvalid(size === 'invalid');
    if (size !== 'invalid') start.mutate(size);
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <section aria-labelledby="sr-scan-form">
        <h2 id="sr-scan-form" className="dp-sr-heading">
          {t('securityResources.scan.title')}
        </h2>
        <p>{t('securityResources.scan.intro')}</p>
        <Form layout="vertical" onFinish={submit} className="dp-sr-form">
          <Radio.Group
            value={mode}
            onChange={(e) => setMode(e.target.value as 'all' | 'sample')}
            aria-label={t('securityResources.scan.rowsLabel')}
            style={{ display: 'flex', flexDirection: 'column', gap: 6, marginBottom: 12 }}
            options={[
              {
                value: 'all',
                label: t('securityResources.scan.all', {
                  rows: formatCount(resource.rowCount ?? 0, i18n.language),
                }),
              },
              { value: 'sample', label: t('securityResources.scan.sample') },
            ]}
          />
          {mode === 'sample' ? (
            <Form.Item
              label={t('securityResources.scan.sampleSize')}
              htmlFor="sr-scan-sample"
              validateStatus={invalid ? 'error' : ''}
              help={invalid ? t('securityResources.scan.sampleInvalid') : undefined}
            >
              <InputNumber
                id="sr-scan-sample"
                min={1}
                precision={0}
                value={sample}
                onChange={(v) => setSample(v)}
                aria-invalid={invalid ? 'true' : undefined}
              />
            </Form.Item>
          ) : null}
          <Button type="primary" htmlType="submit" loading={start.isPending} data-testid="start-scan">
            {t('securityResources.scan.start')}
          </Button>
        </Form>
        <div style={{ marginTop: 12 }}>
          <ResourceProblem error={start.error} />
        </div>
        {following?.jobId ? (
          <WorkProgress
            key={following.jobId}
            jobId={following.jobId}
            label={t('securityResources.scan.progressLabel')}
            testId="scan-status"
          />
        ) : null}
      </section>

      {scans.error ? <ResourceProblem error={scans.error} /> : null}

      {shown ? (
        <section aria-labelledby="sr-scan-report" data-testid="scan-report">
          <h2 id="sr-scan-report" className="dp-sr-heading">
            {t('securityResources.scan.reportTitle', {
              date: formatDateTime(shown.createdAt, i18n.language),
            })}
          </h2>
          <p role="status">
            {t('securityResources.scan.summary', {
              rows: formatCount(shown.report?.rowsScanned ?? 0, i18n.language),
              columns: summary.columns,
              personal: summary.personal,
              sensitive: summary.sensitive,
            })}
          </p>
          <TableRegion label={t('securityResources.scan.caption')}>
            <Table<ScanRow>
              data-testid="scan-columns"
              size="small"
              rowKey="name"
              pagination={false}
              dataSource={rows}
              caption={<span className="dp-visually-hidden">{t('securityResources.scan.caption')}</span>}
              columns={[
                {
                  title: t('securityResources.scan.column'),
                  dataIndex: 'name',
                  render: (v: string) => <code>{v}</code>,
                },
                {
                  title: t('securityResources.scan.holds'),
                  key: 'holds',
                  render: (_: unknown, r: ScanRow) =>
                    r.best === undefined ? (
                      t('securityResources.scan.nothing')
                    ) : (
                      <>
                        {t(`securityResources.recognizers.${r.best.recognizer}`, {
                          defaultValue: r.best.recognizer,
                        })}
                        {r.holds === undefined ? (
                          <span className="dp-meta-line"> {t('securityResources.scan.weak')}</span>
                        ) : null}
                        {r.others.length > 0 ? (
                          <div className="dp-meta-line">
                            {t('securityResources.scan.also', {
                              list: r.others
                                .map((f) =>
                                  t(`securityResources.recognizers.${f.recognizer}`, {
                                    defaultValue: f.recognizer,
                                  }),
                                )
                                .join(t('common.listSeparator')),
                            })}
                          </div>
                        ) : null}
                      </>
                    ),
                },
                {
                  title: t('securityResources.scan.share'),
                  key: 'share',
                  className: 'dp-nowrap',
                  render: (_: unknown, r: ScanRow) =>
                    r.best ? formatShare(r.best.share, i18n.language) : '—',
                },
                {
                  title: t('securityResources.scan.confidence'),
                  key: 'confidence',
                  className: 'dp-nowrap',
                  render: (_: unknown, r: ScanRow) =>
                    r.best ? formatShare(r.best.confidence, i18n.language, 0) : '—',
                },
                {
                  title: t('securityResources.scan.examples'),
                  key: 'examples',
                  render: (_: unknown, r: ScanRow) =>
                    r.best && r.best.examples.length > 0 ? (
                      <ul className="dp-sr-examples">
                        {r.best.examples.map((e) => (
                          <li key={e}>
                            <code>{e}</code>
                          </li>
                        ))}
                      </ul>
                    ) : (
                      '—'
                    ),
                },
                {
                  title: t('securityResources.scan.proposal'),
                  key: 'proposal',
                  render: (_: unknown, r: ScanRow) => (
                    <Space orientation="vertical" size={4}>
                      <Badge
                        text={t(`securityResources.personalInfo.${r.personalInfo}`)}
                        tone={
                          r.personalInfo === 'sensitive'
                            ? 'red'
                            : r.personalInfo === 'personal'
                              ? 'orange'
                              : 'grey'
                        }
                      />
                      <GradeBadge value={r.grade} />
                      <span className="dp-meta-line" lang="en">
                        {r.reason}
                      </span>
                    </Space>
                  ),
                },
              ]}
            />
          </TableRegion>
          <Alert
            type="info"
            showIcon
            style={{ marginTop: 12 }}
            title={t('securityResources.scan.gradeTitle')}
            description={
              <Space orientation="vertical">
                <span>{t('securityResources.scan.gradeHelp')}</span>
                <ButtonLink to={gradingPath(resource.entryCode)} type="primary">
                  {t('securityResources.scan.gradeAction', { code: resource.entryCode })}
                </ButtonLink>
              </Space>
            }
          />
        </section>
      ) : null}

      <section aria-labelledby="sr-scan-history">
        <h2 id="sr-scan-history" className="dp-sr-heading">
          {t('securityResources.scan.history')}
        </h2>
        <TableRegion label={t('securityResources.scan.history')}>
          <Table<ScanView>
            data-testid="scan-history"
            size="small"
            rowKey="id"
            loading={scans.isPending}
            dataSource={items}
            pagination={items.length > 10 ? { pageSize: 10, showSizeChanger: false } : false}
            caption={<span className="dp-visually-hidden">{t('securityResources.scan.history')}</span>}
            locale={{ emptyText: <EmptyText>{t('securityResources.scan.none')}</EmptyText> }}
            columns={[
              {
                title: t('securityResources.common.requestedAt'),
                dataIndex: 'createdAt',
                className: 'dp-nowrap',
                render: (v: string) => formatDateTime(v, i18n.language),
              },
              {
                title: t('securityResources.scan.rows'),
                key: 'rows',
                render: (_: unknown, s: ScanView) =>
                  s.sample === null
                    ? t('securityResources.scan.allRows')
                    : t('securityResources.scan.sampleOf', { rows: formatCount(s.sample, i18n.language) }),
              },
              {
                title: t('securityResources.common.state'),
                dataIndex: 'state',
                render: (v: ScanView['state'], s: ScanView) => (
                  <>
                    <Badge text={t(`securityResources.states.${v}`)} tone={STATE_TONES[v]} />
                    {s.error ? <div className="dp-meta-line">{s.error}</div> : null}
                  </>
                ),
              },
              {
                title: t('securityResources.scan.findings'),
                key: 'findings',
                render: (_: unknown, s: ScanView) => {
                  if (!s.report) return '—';
                  const sum = scanSummary(s.report);
                  return t('securityResources.scan.findingsShort', {
                    personal: sum.personal,
                    sensitive: sum.sensitive,
                  });
                },
              },
              {
                title: t('securityResources.common.actions'),
                key: 'actions',
                render: (_: unknown, s: ScanView) =>
                  s.state === 'done' ? (
                    <Button size="small" onClick={() => setChosen(s.id)} aria-pressed={shown?.id === s.id}>
                      <ActionLabel
                        text={t('securityResources.common.show')}
                        context={formatDateTime(s.createdAt, i18n.language)}
                      />
                    </Button>
                  ) : null,
              },
            ]}
          />
        </TableRegion>
      </section>
    </Space>
  );
}
