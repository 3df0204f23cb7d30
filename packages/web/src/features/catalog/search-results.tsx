import { Pagination } from 'antd';
import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { EntrySummary } from './catalog-types.ts';
import { ResultCard } from './result-card.tsx';

interface SearchResultsProps {
  title: string;
  items: EntrySummary[];
  total: number;
  /** The total is an estimate (a search with very many matches). */
  approximate?: boolean;
  page: number;
  pageSize: number;
  loading: boolean;
  emptyText: string;
  onPage: (page: number) => void;
}

/**
 * The result list with its count (announced as it changes) and paging. The heading takes focus after a
 * page change, so keyboard and screen-reader users start reading the new page from its top.
 */
export const SearchResults = forwardRef<HTMLHeadingElement, SearchResultsProps>(function SearchResults(
  { title, items, total, approximate = false, page, pageSize, loading, emptyText, onPage },
  headingRef,
) {
  const { t } = useTranslation();
  return (
    <section aria-labelledby="catalog-results-title" aria-busy={loading}>
      <h2
        id="catalog-results-title"
        ref={headingRef}
        tabIndex={-1}
        style={{ fontSize: 18, margin: '0 0 4px' }}
      >
        {title}
      </h2>
      <p role="status" className="dp-meta-line" style={{ margin: '0 0 12px' }} data-testid="catalog-total">
        {loading
          ? t('common.loading')
          : t(approximate ? 'catalog.search.totalAbout' : 'catalog.search.total', { count: total })}
      </p>
      {items.length === 0 && !loading ? <p className="dp-empty">{emptyText}</p> : null}
      <ol className="dp-results">
        {items.map((item) => (
          <li key={item.id}>
            <ResultCard item={item} />
          </li>
        ))}
      </ol>
      {total > pageSize ? (
        <nav aria-label={t('catalog.search.paging')} style={{ marginTop: 16 }}>
          <Pagination
            current={page}
            pageSize={pageSize}
            total={Math.min(total, 100_000)}
            showSizeChanger={false}
            onChange={onPage}
          />
        </nav>
      ) : null}
    </section>
  );
});
