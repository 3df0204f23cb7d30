import { Alert, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { usePageTitle } from '../../app/use-page-title.ts';
import type { DatastoreResource } from '../datastore/datastore-types.ts';
import { ResourceUnavailable, useResource } from '../datastore/resource-query.tsx';
import { DeidPanel } from './deid-panel.tsx';
import { RiskPanel } from './risk-panel.tsx';
import { ScanPanel } from './scan-panel.tsx';
import '../catalog/catalog.css';
import './security-resources.css';

const TABS = ['scan', 'risk', 'deidentify'] as const;
type Tab = (typeof TABS)[number];

export function securityResourcePath(id: string): string {
  return `/security/resources/${encodeURIComponent(id)}`;
}

function SecurityResourceView({ resource }: { resource: DatastoreResource }) {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const wanted = params.get('tab') as Tab | null;
  const tab: Tab = wanted && TABS.includes(wanted) ? wanted : 'scan';
  const title = t('securityResources.title', { name: resource.name });
  usePageTitle(title);
  const hasData = resource.liveVersion !== null;
  return (
    <>
      <div className="dp-page-header">
        <p style={{ margin: '0 0 6px' }}>
          <Link to={`/data/${encodeURIComponent(resource.id)}`}>{t('securityResources.backToTable')}</Link>
        </p>
        <h1>{title}</h1>
        <p>{t('securityResources.intro')}</p>
      </div>
      {hasData ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(new URLSearchParams({ tab: key }), { replace: true })}
          items={TABS.map((key) => ({
            key,
            label: t(`securityResources.tabs.${key}`),
            children:
              key === 'scan' ? (
                <ScanPanel resource={resource} />
              ) : key === 'risk' ? (
                <RiskPanel resource={resource} />
              ) : (
                <DeidPanel resource={resource} />
              ),
          }))}
        />
      ) : (
        <Alert type="info" showIcon title={t('securityResources.noData')} />
      )}
    </>
  );
}

/** Scan, risk assessment and de-identification of one data table, for those answerable for it. */
export function SecurityResourcePage() {
  const { id = '' } = useParams();
  const resource = useResource(id);
  if (resource.isPending) return <PageLoading />;
  if (resource.error) return <ResourceUnavailable error={resource.error} />;
  return <SecurityResourceView resource={resource.data} />;
}
