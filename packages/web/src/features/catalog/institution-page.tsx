import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Space, Tabs } from 'antd';
import { useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { usePageTitle } from '../../app/use-page-title.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { ButtonLink } from './button-link.tsx';
import { useCatalogApi } from './catalog-api.ts';
import type { Institution } from './catalog-types.ts';
import { InstitutionEntries } from './institution-entries.tsx';
import { organizationName } from './localized.ts';
import { QualityDashboard } from './quality-dashboard.tsx';
import { SearchResults } from './search-results.tsx';
import { apiQuery, emptySearchState, PAGE_SIZE } from './search-state.ts';
import { SubmitCatalogButton } from './submit-catalog.tsx';
import { canSubmitFor, isStaffOf, useInstitutions } from './use-catalog-data.ts';

const TABS = ['published', 'quality', 'entries'] as const;
type Tab = (typeof TABS)[number];

function PublishedEntries({ institution }: { institution: Institution }) {
  const { t } = useTranslation();
  const api = useCatalogApi();
  const [params, setParams] = useSearchParams();
  const heading = useRef<HTMLHeadingElement>(null);
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const state = emptySearchState();
  state.filters.organization = [institution.code];
  state.page = page;
  const query = apiQuery(state);
  const results = useQuery({
    queryKey: ['catalog', 'search', query],
    queryFn: ({ signal }) => api.search(query, signal),
    placeholderData: keepPreviousData,
  });
  return (
    <>
      {results.error ? <ProblemAlert error={results.error} /> : null}
      <SearchResults
        ref={heading}
        title={t('catalog.institution.publishedTitle')}
        items={results.data?.items ?? []}
        total={results.data?.total ?? 0}
        page={page}
        pageSize={PAGE_SIZE}
        loading={results.isPending}
        emptyText={t('catalog.institution.nothingPublished')}
        onPage={(p) => {
          const next = new URLSearchParams(params);
          if (p > 1) next.set('page', String(p));
          else next.delete('page');
          setParams(next);
          heading.current?.focus();
        }}
      />
      <p style={{ marginTop: 16 }}>
        <Link to={`/catalog?organization=${encodeURIComponent(institution.code)}`}>
          {t('catalog.institution.searchWithin')}
        </Link>
      </p>
    </>
  );
}

function InstitutionView({ institution }: { institution: Institution }) {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const [params, setParams] = useSearchParams();
  const name = organizationName(institution, i18n.language);
  usePageTitle(name.text);
  const staff = isStaffOf(user, institution.id);
  const admin = canSubmitFor(user, institution.id);
  const requested = params.get('tab');
  const tab: Tab =
    staff && (TABS as readonly string[]).includes(requested ?? '') ? (requested as Tab) : 'published';

  return (
    <>
      <div className="dp-page-header">
        <p style={{ margin: '0 0 6px' }}>
          <Link to="/catalog/institutions">{t('catalog.institution.backToList')}</Link>
        </p>
        <div
          style={{
            display: 'flex',
            justifyContent: 'space-between',
            alignItems: 'flex-start',
            gap: 16,
            flexWrap: 'wrap',
          }}
        >
          <h1 lang={name.lang}>{name.text}</h1>
          {admin ? (
            <Space wrap>
              <SubmitCatalogButton organizationId={institution.id} />
              <ButtonLink to={`/catalog/import?organization=${encodeURIComponent(institution.code)}`}>
                {t('catalog.import.title')}
              </ButtonLink>
            </Space>
          ) : null}
        </div>
        <p>
          {t('catalog.institution.summary', { listed: institution.listed })}
          {institution.quality !== null
            ? ` ${t('catalog.institution.averageQuality', { score: institution.quality })}`
            : ''}
          <span aria-hidden="true"> · </span>
          {t('catalog.institution.creditCode')}
          {t('common.labelSeparator')}
          <span className="dp-mono">{institution.creditCode}</span>
        </p>
      </div>
      {staff ? (
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'published' ? {} : { tab: key }, { replace: true })}
          items={[
            {
              key: 'published',
              label: t('catalog.institution.tabs.published'),
              children: <PublishedEntries institution={institution} />,
            },
            {
              key: 'quality',
              label: t('catalog.institution.tabs.quality'),
              children: (
                <>
                  <h2 style={{ fontSize: 18, marginTop: 0 }}>{t('catalog.dashboard.title')}</h2>
                  <QualityDashboard organizationId={institution.id} />
                </>
              ),
            },
            {
              key: 'entries',
              label: t('catalog.institution.tabs.entries'),
              children: (
                <>
                  <h2 style={{ fontSize: 18, marginTop: 0 }}>{t('catalog.institution.entriesTitle')}</h2>
                  <InstitutionEntries organizationId={institution.id} />
                </>
              ),
            },
          ]}
        />
      ) : (
        <PublishedEntries institution={institution} />
      )}
    </>
  );
}

/** An institution's published entries; for its staff also its quality dashboard, drafts and submission. */
export function InstitutionPage() {
  const { t } = useTranslation();
  const { code = '' } = useParams();
  const institutions = useInstitutions();
  if (institutions.isPending) return <PageLoading />;
  const institution = institutions.data?.find((o) => o.code === code || o.id === code);
  if (institutions.error || institution === undefined) {
    return (
      <>
        <PageHeader title={t('catalog.institution.notFound')} />
        {institutions.error ? <ProblemAlert error={institutions.error} /> : null}
        <p>
          <Link to="/catalog/institutions">{t('catalog.institution.backToList')}</Link>
        </p>
      </>
    );
  }
  return <InstitutionView institution={institution} />;
}
