import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { localized } from '../catalog/localized.ts';
import { USAGE_KEY, useUsageApi } from './usage-api.ts';
import { MOST_USED_QUERY } from './usage-view.ts';
import './usage.css';

/** The home page's "most used this month": plain links, no chart, so the public page stays light. */
export function MostUsed() {
  const { t, i18n } = useTranslation();
  const api = useUsageApi();
  const top = useQuery({
    queryKey: [...USAGE_KEY, 'top', MOST_USED_QUERY.days, MOST_USED_QUERY.limit],
    queryFn: ({ signal }) => api.top(MOST_USED_QUERY, signal),
    staleTime: 5 * 60_000,
  });
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <section aria-labelledby="most-used-title">
      <h2 id="most-used-title" className="dp-section-title">
        {t('usage.top.title')}
      </h2>
      {top.error ? <ProblemAlert error={top.error} /> : null}
      {top.isPending ? <p className="dp-meta-line">{t('common.loading')}</p> : null}
      {top.data && top.data.items.length === 0 ? (
        <p data-testid="most-used-empty">
          <EmptyText>{t('usage.top.empty')}</EmptyText>
        </p>
      ) : null}
      {top.data && top.data.items.length > 0 ? (
        <ol className="dp-most-used" data-testid="most-used">
          {top.data.items.map((item) => {
            const title = localized(item.title, i18n.language);
            return (
              <li key={item.entryCode}>
                <Link to={`/catalog/entries/${encodeURIComponent(item.entryCode)}`} lang={title.lang}>
                  {title.text || item.entryCode}
                </Link>{' '}
                <span className="dp-meta-line">
                  {t('usage.top.reads', { count: item.count, formatted: number.format(item.count) })}
                </span>
              </li>
            );
          })}
        </ol>
      ) : null}
    </section>
  );
}
