import { useQuery } from '@tanstack/react-query';
import { Space, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { Badge } from '../catalog/badges.tsx';
import { formatBytes } from '../catalog/format-catalog.ts';
import { downloadUrl, useDatastoreApi } from './datastore-api.ts';
import { type DatastoreResource, type DatastoreVersion, DOWNLOAD_FORMATS } from './datastore-types.ts';
import { formatCount, hasReport, isDownloadable, versionTone } from './format-datastore.ts';

/** Every load of the table, newest first: its state, size, validity, report and downloads. */
export function VersionsView({ resource }: { resource: DatastoreResource }) {
  const { t, i18n } = useTranslation();
  const api = useDatastoreApi();
  const versions = useQuery({
    queryKey: ['datastore', 'versions', resource.id],
    queryFn: ({ signal }) => api.versions(resource.id, signal),
    // A load in progress changes state on its own; look again until it has finished.
    refetchInterval: (query) => (query.state.data?.items.some((v) => v.state === 'loading') ? 3000 : false),
  });
  const base = `/data/${encodeURIComponent(resource.id)}`;

  return (
    <section aria-labelledby="data-versions-title">
      <h2 id="data-versions-title" style={{ fontSize: 18, margin: '0 0 12px' }}>
        {t('datastore.versions.title')}
      </h2>
      {versions.error ? <ProblemAlert error={versions.error} /> : null}
      <TableRegion label={t('datastore.versions.title')}>
        <Table<DatastoreVersion>
          data-testid="versions-table"
          rowKey="version"
          size="small"
          loading={versions.isPending}
          dataSource={versions.data?.items ?? []}
          caption={<span className="dp-visually-hidden">{t('datastore.versions.title')}</span>}
          locale={{ emptyText: <EmptyText>{t('datastore.versions.empty')}</EmptyText> }}
          pagination={
            (versions.data?.items.length ?? 0) > 20 ? { pageSize: 20, showSizeChanger: false } : false
          }
          columns={[
            {
              title: t('datastore.versions.version'),
              dataIndex: 'version',
              render: (v: number) => t('datastore.versions.versionN', { version: v }),
            },
            {
              title: t('datastore.versions.state'),
              dataIndex: 'state',
              render: (v: DatastoreVersion['state']) => (
                <Badge text={t(`datastore.versionStates.${v}`, { defaultValue: v })} tone={versionTone(v)} />
              ),
            },
            {
              title: t('datastore.versions.rows'),
              dataIndex: 'rows',
              className: 'dp-nowrap',
              render: (v: number | null) => (v === null ? '—' : formatCount(v, i18n.language)),
            },
            {
              title: t('datastore.versions.file'),
              key: 'file',
              render: (_: unknown, v: DatastoreVersion) => (
                <>
                  {v.filename ?? '—'}
                  {v.bytes !== null ? (
                    <span className="dp-meta-line"> ({formatBytes(v.bytes, i18n.language)})</span>
                  ) : null}
                </>
              ),
            },
            {
              title: t('datastore.versions.createdAt'),
              dataIndex: 'createdAt',
              className: 'dp-nowrap',
              render: (v: string) => formatDateTime(v, i18n.language),
            },
            {
              title: t('datastore.versions.liveAt'),
              dataIndex: 'liveAt',
              className: 'dp-nowrap',
              render: (v: string | null) => formatDateTime(v, i18n.language),
            },
            {
              title: t('datastore.versions.valid'),
              key: 'valid',
              render: (_: unknown, v: DatastoreVersion) => {
                const text =
                  v.valid === null
                    ? '—'
                    : v.valid
                      ? t('datastore.versions.validYes')
                      : t('datastore.versions.validNo', {
                          count: v.errorCount,
                          errors: formatCount(v.errorCount, i18n.language),
                        });
                return hasReport(v) && v.valid !== null ? (
                  <Link to={`${base}?tab=schema&version=${v.version}`}>
                    <ActionLabel
                      text={text}
                      context={t('datastore.versions.reportOf', { version: v.version })}
                    />
                  </Link>
                ) : (
                  text
                );
              },
            },
            {
              title: t('datastore.versions.downloads'),
              key: 'downloads',
              render: (_: unknown, v: DatastoreVersion) =>
                isDownloadable(v) ? (
                  <Space wrap size="small">
                    {DOWNLOAD_FORMATS.map((format) => (
                      <a key={format} href={downloadUrl(resource.id, format, v.version)} download>
                        <ActionLabel
                          text={t(`datastore.download.short.${format}`)}
                          context={t('datastore.versions.versionN', { version: v.version })}
                        />
                      </a>
                    ))}
                  </Space>
                ) : (
                  '—'
                ),
            },
          ]}
        />
      </TableRegion>
    </section>
  );
}
