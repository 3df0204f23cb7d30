import { useQuery } from '@tanstack/react-query';
import { Space, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { PageLoading } from '../../app/status-pages.tsx';
import { usePageTitle } from '../../app/use-page-title.ts';
import { formatDate } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { RequestAccessButton } from '../access/request-access-button.tsx';
import { EntryDataTables } from '../datastore/entry-data-tables.tsx';
import { EntryBadges } from './badges.tsx';
import { useCatalogApi } from './catalog-api.ts';
import type { EntryDetail } from './catalog-types.ts';
import { EntryHistory } from './entry-history.tsx';
import { EntryObjections } from './entry-objections.tsx';
import { DistributionsTable, ExportLinks, InformationItemsTable, MetadataTable } from './entry-overview.tsx';
import { localized, organizationName } from './localized.ts';
import { QualityReportCard } from './quality-report.tsx';
import { WorkingCopyCard } from './working-copy.tsx';

const TABS = ['overview', 'history', 'objections'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | null): value is Tab {
  return value !== null && (TABS as readonly string[]).includes(value);
}

function EntryView({ detail }: { detail: EntryDetail }) {
  const { t, i18n } = useTranslation();
  const [params, setParams] = useSearchParams();
  const { entry } = detail;
  const metadata = entry.metadata;
  const title = localized(metadata.title, i18n.language);
  const summary = localized(metadata.summary, i18n.language);
  const provider = organizationName(entry.provider, i18n.language);
  const tab = isTab(params.get('tab')) ? (params.get('tab') as Tab) : 'overview';
  usePageTitle(title.text);

  const overview = (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      {summary.text ? (
        <section aria-labelledby="entry-summary">
          <h2 id="entry-summary" style={{ fontSize: 18, margin: '0 0 6px' }}>
            {t('catalog.fields.summary')}
          </h2>
          <p lang={summary.lang} style={{ margin: 0, lineHeight: 1.7, whiteSpace: 'pre-line' }}>
            {summary.text}
          </p>
        </section>
      ) : null}
      <MetadataTable record={entry} metadata={metadata} />
      <section aria-labelledby="entry-items">
        <h2 id="entry-items" style={{ fontSize: 18, margin: '0 0 6px' }}>
          {t('catalog.entry.itemsTitle')}
        </h2>
        <InformationItemsTable items={metadata.informationItems} />
      </section>
      <section aria-labelledby="entry-distributions">
        <h2 id="entry-distributions" style={{ fontSize: 18, margin: '0 0 6px' }}>
          {t('catalog.entry.distributionsTitle')}
        </h2>
        <DistributionsTable distributions={metadata.distributions} />
      </section>
      <EntryDataTables entryCode={entry.code} canCreate={detail.can.edit} />
      <QualityReportCard quality={detail.quality} />
      {detail.published ? <ExportLinks code={entry.code} /> : null}
    </Space>
  );

  return (
    <>
      <div className="dp-page-header">
        <p style={{ margin: '0 0 6px' }}>
          <Link to="/catalog">{t('catalog.entry.backToSearch')}</Link>
        </p>
        <h1 lang={title.lang}>{title.text}</h1>
        <p>
          <span className="dp-mono">{entry.code}</span>
          <span aria-hidden="true"> · </span>
          {t('catalog.search.provider')}
          {t('common.labelSeparator')}
          <Link to={`/catalog/institutions/${encodeURIComponent(entry.provider.code)}`} lang={provider.lang}>
            {provider.text}
          </Link>
          <span aria-hidden="true"> · </span>
          {t('catalog.entry.versionLine', { version: entry.version })}
          {entry.publishedAt ? (
            <>
              <span aria-hidden="true"> · </span>
              {t('catalog.entry.publishedOn', { date: formatDate(entry.publishedAt, i18n.language) })}
            </>
          ) : null}
        </p>
        <div style={{ marginTop: 10 }}>
          <EntryBadges openType={metadata.openType} shareType={metadata.shareType} grade={metadata.grade} />
        </div>
        {detail.published ? <RequestAccessButton code={entry.code} metadata={metadata} /> : null}
      </div>
      <WorkingCopyCard detail={detail} />
      <Tabs
        activeKey={tab}
        onChange={(key) => {
          const next = new URLSearchParams();
          if (key !== 'overview') next.set('tab', key);
          setParams(next, { replace: true });
        }}
        items={[
          { key: 'overview', label: t('catalog.entry.tabs.overview'), children: overview },
          {
            key: 'history',
            label: t('catalog.entry.tabs.history'),
            children: <EntryHistory code={entry.code} />,
          },
          {
            key: 'objections',
            label: t('catalog.entry.tabs.objections'),
            children: <EntryObjections detail={detail} />,
          },
        ]}
      />
    </>
  );
}

/** One catalog entry: its metadata, history with proofs, objections, and the working copy for its editors. */
export function EntryPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const api = useCatalogApi();
  const detail = useQuery({
    queryKey: ['catalog', 'entry', code],
    queryFn: ({ signal }) => api.entry(code, signal),
  });
  if (detail.isPending) return <PageLoading />;
  if (detail.error) {
    const missing = detail.error instanceof ApiError && detail.error.status === 404;
    return (
      <>
        <PageHeader
          title={missing ? t('catalog.entry.notFound') : t('errors.pageTitle')}
          description={missing ? t('catalog.entry.notFoundHelp') : undefined}
        />
        {missing ? null : <ProblemAlert error={detail.error} />}
        <p>
          <Link to="/catalog">{t('catalog.entry.backToSearch')}</Link>
        </p>
      </>
    );
  }
  return <EntryView detail={detail.data} />;
}
