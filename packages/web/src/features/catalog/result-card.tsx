import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { formatDate } from '../../components/format.ts';
import { EntryBadges } from './badges.tsx';
import type { EntrySummary } from './catalog-types.ts';
import { localized, organizationName } from './localized.ts';
import { useLabels } from './use-catalog-data.ts';

/** One search hit: title in the reader's language when the provider gave it, else the Chinese reference. */
export function ResultCard({ item }: { item: EntrySummary }) {
  const { t, i18n } = useTranslation();
  const { code } = useLabels();
  const id = useId();
  const title = localized(item.title, i18n.language);
  const summary = localized(item.summary, i18n.language);
  const provider = organizationName(item.provider, i18n.language);
  const updated = item.lastUpdate ?? item.updatedAt;
  return (
    <article className="dp-result" aria-labelledby={id} data-testid="catalog-result">
      <h3 id={id}>
        <Link to={`/catalog/entries/${encodeURIComponent(item.code)}`} lang={title.lang}>
          {title.text}
        </Link>
      </h3>
      <p className="dp-meta-line">
        {t('catalog.search.provider')}
        {t('common.labelSeparator')}
        <span lang={provider.lang}>{provider.text}</span>
        <span aria-hidden="true"> · </span>
        {t('catalog.search.updated')}
        {t('common.labelSeparator')}
        <time dateTime={updated}>{formatDate(updated, i18n.language)}</time>
        <span aria-hidden="true"> · </span>
        <span className="dp-code">{item.code}</span>
      </p>
      {summary.text ? (
        <p lang={summary.lang} className="dp-summary-clamp">
          {summary.text}
        </p>
      ) : null}
      <div style={{ display: 'flex', flexWrap: 'wrap', gap: '6px 16px', alignItems: 'center', marginTop: 8 }}>
        <EntryBadges openType={item.openType} shareType={item.shareType} grade={item.grade} />
        {item.formats.length > 0 ? (
          <span className="dp-meta-line">
            {t('catalog.fields.formats')}
            {t('common.labelSeparator')}
            {item.formats.map((f) => code('formats', f)).join(t('common.listSeparator'))}
          </span>
        ) : null}
      </div>
    </article>
  );
}
