import { useTranslation } from 'react-i18next';
import { Link, Navigate } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { organizationName } from './localized.ts';
import { myInstitutions, useInstitutions } from './use-catalog-data.ts';

/** "My catalog": straight to the user's institution, or a choice when they belong to several. */
export function MyCatalogPage() {
  const { t, i18n } = useTranslation();
  const { data: session } = useSession();
  const institutions = useInstitutions();
  if (institutions.isPending) return <PageLoading />;
  const mine = myInstitutions(session?.user, institutions.data);
  if (mine.length === 1) {
    return <Navigate to={`/catalog/institutions/${encodeURIComponent(mine[0]!.code)}?tab=quality`} replace />;
  }
  return (
    <>
      <PageHeader title={t('catalog.mine.title')} description={t('catalog.mine.intro')} />
      {institutions.error ? <ProblemAlert error={institutions.error} /> : null}
      {mine.length === 0 ? (
        <p>{t('catalog.mine.none')}</p>
      ) : (
        <ul>
          {mine.map((o) => {
            const name = organizationName(o, i18n.language);
            return (
              <li key={o.id}>
                <Link to={`/catalog/institutions/${encodeURIComponent(o.code)}?tab=quality`} lang={name.lang}>
                  {name.text}
                </Link>
              </li>
            );
          })}
        </ul>
      )}
    </>
  );
}
