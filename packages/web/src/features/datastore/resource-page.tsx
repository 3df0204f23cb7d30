import { Alert, Space, Spin, Tabs } from 'antd';
import { lazy, Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { usePageTitle } from '../../app/use-page-title.ts';
import { formatDateTime } from '../../components/format.ts';
import { ButtonLink } from '../catalog/button-link.tsx';
import { localized } from '../catalog/localized.ts';
import { SecurityResourceLink } from '../security-resources/security-link.tsx';
import { downloadUrl } from './datastore-api.ts';
import { type DatastoreResource, DOWNLOAD_FORMATS } from './datastore-types.ts';
import { formatCount } from './format-datastore.ts';
import { IntakeView } from './intake-view.tsx';
import { RecordsTable } from './records-table.tsx';
import { SchemaView } from './schema-view.tsx';
import { VersionsView } from './versions-view.tsx';
import '../catalog/catalog.css';
import './datastore.css';
import { ResourceUnavailable, useResource } from './resource-query.tsx';

// The chart and map tabs pull in ECharts; readers of the table alone never download it.
const ChartView = lazy(() => import('./chart-view.tsx').then((m) => ({ default: m.ChartView })));
const MapView = lazy(() => import('./map-view.tsx').then((m) => ({ default: m.MapView })));

const TABS = ['table', 'chart', 'map', 'schema', 'versions', 'intake'] as const;
type Tab = (typeof TABS)[number];

export function resourcePath(id: string): string {
  return `/data/${encodeURIComponent(id)}`;
}

export function entryPath(code: string): string {
  return `/catalog/entries/${encodeURIComponent(code)}`;
}

/** Download links for the live data, or for one version of it. */
export function DownloadLinks({ id, version }: { id: string; version?: number }) {
  const { t } = useTranslation();
  return (
    <div className="dp-data-downloads" data-testid="data-downloads">
      <span>{t('datastore.download.label')}</span>
      {DOWNLOAD_FORMATS.map((format) => (
        <a key={format} href={downloadUrl(id, format, version)} download>
          {t(`datastore.download.${format}`)}
        </a>
      ))}
    </div>
  );
}

function ResourceView({ resource }: { resource: DatastoreResource }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const entryName = localized(resource.entryName, i18n.language);
  const hasData = resource.liveVersion !== null;
  // Without live rows there is nothing to browse, chart or map; the map also needs a location column.
  // Only the table's managers see, and set, its scheduled intake.
  const available: Tab[] = TABS.filter((tab) => {
    if (tab === 'schema' || tab === 'versions') return true;
    if (tab === 'intake') return resource.access.manage;
    return hasData && (tab !== 'map' || resource.geo !== null);
  });
  const wanted = params.get('tab') as Tab | null;
  const tab: Tab = wanted && available.includes(wanted) ? wanted : (available[0] ?? 'schema');
  usePageTitle(resource.name);

  const panel = (key: Tab) => {
    switch (key) {
      case 'table':
        return <RecordsTable resource={resource} />;
      case 'chart':
        return (
          <Suspense fallback={<Spin description={t('common.loading')} />}>
            <ChartView resource={resource} />
          </Suspense>
        );
      case 'map':
        return resource.geo ? (
          <Suspense fallback={<Spin description={t('common.loading')} />}>
            <MapView resource={resource} geo={resource.geo} />
          </Suspense>
        ) : null;
      case 'schema':
        return <SchemaView resource={resource} />;
      case 'versions':
        return <VersionsView resource={resource} />;
      case 'intake':
        return <IntakeView resource={resource} />;
    }
  };

  return (
    <>
      <div className="dp-page-header">
        <p style={{ margin: '0 0 6px' }}>
          <Link to={entryPath(resource.entryCode)}>
            {t('datastore.resource.backToEntry')}
            {t('common.labelSeparator')}
            <span lang={entryName.lang}>{entryName.text || resource.entryCode}</span>
          </Link>
        </p>
        <div style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'flex-start', gap: 16 }}>
          <h1>{resource.name}</h1>
          <Space wrap>
            <SecurityResourceLink resource={resource} />
            {resource.access.manage ? (
              <ButtonLink to={`${resourcePath(resource.id)}/upload`} type="primary">
                {t('datastore.upload.action')}
              </ButtonLink>
            ) : null}
          </Space>
        </div>
        {resource.description ? <p style={{ whiteSpace: 'pre-line' }}>{resource.description}</p> : null}
        <p className="dp-meta-line" data-testid="resource-summary">
          {hasData
            ? t('datastore.resource.summary', {
                rows: formatCount(resource.rowCount ?? 0, i18n.language),
                version: resource.liveVersion,
                date: formatDateTime(resource.updatedAt, i18n.language),
              })
            : t('datastore.resource.noData')}
        </p>
        {hasData ? <DownloadLinks id={resource.id} /> : null}
      </div>
      {hasData ? null : (
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title={t('datastore.resource.noDataTitle')}
          description={resource.access.manage ? t('datastore.resource.noDataManage') : undefined}
        />
      )}
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          const next = new URLSearchParams();
          next.set('tab', key);
          setParams(next, { replace: true });
        }}
        items={available.map((key) => ({
          key,
          label: t(`datastore.tabs.${key}`),
          children: (
            <Space orientation="vertical" style={{ width: '100%' }}>
              {panel(key)}
            </Space>
          ),
        }))}
      />
    </>
  );
}

/** One data table behind a catalog entry: browse, chart, map, schema, versions, downloads and intake. */
export function ResourcePage() {
  const { id = '' } = useParams();
  const resource = useResource(id);
  if (resource.isPending) return <PageLoading />;
  if (resource.error) return <ResourceUnavailable error={resource.error} backToSearch />;
  return <ResourceView resource={resource.data} />;
}
