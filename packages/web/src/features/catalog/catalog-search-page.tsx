import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Input, Select, Space } from 'antd';
import { useEffect, useId, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { hasPermission, PERMISSIONS, useSession } from '../auth/session.ts';
import { ButtonLink } from './button-link.tsx';
import { useCatalogApi } from './catalog-api.ts';
import { SearchFacets, useFacetLabel } from './search-facets.tsx';
import { SearchResults } from './search-results.tsx';
import {
  activeFilters,
  apiQuery,
  clearFilters,
  effectiveSort,
  PAGE_SIZE,
  parseSearchState,
  type SearchState,
  SORTS,
  searchParamsOf,
  toggleFilter,
  withQuery,
  withSort,
} from './search-state.ts';
import './catalog.css';

/** The public catalog search. Its whole state is in the address, so a search can be linked and revisited. */
export function CatalogSearchPage() {
  const { t } = useTranslation();
  const api = useCatalogApi();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const [params, setParams] = useSearchParams();
  const state = useMemo(() => parseSearchState(params), [params]);
  const query = apiQuery(state);
  const results = useQuery({
    queryKey: ['catalog', 'search', query],
    queryFn: ({ signal }) => api.search(query, signal),
    placeholderData: keepPreviousData,
  });
  const facetLabel = useFacetLabel();
  const searchId = useId();
  const sortId = useId();
  const resultsHeading = useRef<HTMLHeadingElement>(null);

  // The box follows the address, so going back shows the words of that search.
  const [text, setText] = useState(state.q);
  useEffect(() => setText(state.q), [state.q]);

  const go = (next: SearchState) => setParams(searchParamsOf(next));
  const active = activeFilters(state);

  return (
    <>
      <PageHeader
        title={t('catalog.search.title')}
        description={t('catalog.search.intro')}
        extra={
          <Space wrap>
            <Link to="/catalog/institutions">{t('catalog.institutions.title')}</Link>
            {hasPermission(user, PERMISSIONS.catalogEdit) ? (
              <ButtonLink to="/catalog/new" type="primary">
                {t('catalog.editor.newTitle')}
              </ButtonLink>
            ) : null}
            {hasPermission(user, PERMISSIONS.catalogHarvest) ? (
              <Link to="/catalog/import">{t('catalog.import.title')}</Link>
            ) : null}
          </Space>
        }
      />
      <search className="dp-toolbar" style={{ display: 'flex' }}>
        <div style={{ flex: '1 1 360px', maxWidth: 560 }}>
          <label htmlFor={searchId} className="dp-field-label">
            {t('catalog.search.label')}
          </label>
          <Input.Search
            id={searchId}
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder={t('catalog.search.placeholder')}
            enterButton={t('common.search')}
            onSearch={(value) => go(withQuery(state, value))}
          />
        </div>
        <div>
          <label htmlFor={sortId} className="dp-field-label">
            {t('catalog.search.sort')}
          </label>
          <Select
            id={sortId}
            value={effectiveSort(state)}
            style={{ width: 180 }}
            options={SORTS.map((s) => ({ value: s, label: t(`catalog.search.sorts.${s}`) }))}
            onChange={(s) => go(withSort(state, s))}
          />
        </div>
      </search>
      {active.length > 0 ? (
        <div style={{ display: 'flex', flexWrap: 'wrap', gap: 8, alignItems: 'center', marginBottom: 16 }}>
          <span>{t('catalog.search.activeFilters')}</span>
          <ul className="dp-badges" style={{ gap: 8 }}>
            {active.map(({ facet, value }) => {
              const shown = facetLabel(facet, value);
              const name = `${t(`catalog.facets.${facet}`)}${t('common.labelSeparator')}${shown.text}`;
              return (
                <li key={`${facet}:${value}`} className="dp-chip">
                  <span lang={shown.lang}>{name}</span>
                  <Button
                    size="small"
                    type="text"
                    aria-label={t('catalog.search.removeFilter', { name })}
                    onClick={() => go(toggleFilter(state, facet, value))}
                  >
                    <span aria-hidden="true">×</span>
                  </Button>
                </li>
              );
            })}
          </ul>
          <Button size="small" onClick={() => go(clearFilters(state))}>
            {t('catalog.search.clearFilters')}
          </Button>
        </div>
      ) : null}
      <div className="dp-catalog-layout">
        <SearchFacets
          facets={results.data?.facets}
          selected={state.filters}
          onToggle={(facet, value) => go(toggleFilter(state, facet, value))}
        />
        <div>
          {results.error ? <ProblemAlert error={results.error} /> : null}
          <SearchResults
            ref={resultsHeading}
            title={state.q ? t('catalog.search.resultsFor', { q: state.q }) : t('catalog.search.results')}
            items={results.data?.items ?? []}
            total={results.data?.total ?? 0}
            approximate={results.data?.approximate ?? false}
            page={state.page}
            pageSize={PAGE_SIZE}
            loading={results.isPending}
            emptyText={t('catalog.search.empty')}
            onPage={(page) => {
              go({ ...state, page });
              resultsHeading.current?.focus();
            }}
          />
        </div>
      </div>
    </>
  );
}
