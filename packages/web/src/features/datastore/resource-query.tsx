import { useQuery } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useDatastoreApi } from './datastore-api.ts';

/** The data table a page is about; every datastore page reads it under the same key. */
export function useResource(id: string) {
  const api = useDatastoreApi();
  return useQuery({
    queryKey: ['datastore', 'resource', id],
    queryFn: ({ signal }) => api.resource(id, signal),
  });
}

/** What a datastore page shows when its table cannot be read: not found (or not visible), or the problem. */
export function ResourceUnavailable({ error, backToSearch }: { error: Error; backToSearch?: boolean }) {
  const { t } = useTranslation();
  const missing = error instanceof ApiError && error.status === 404;
  return (
    <>
      <PageHeader
        title={missing ? t('datastore.resource.notFound') : t('errors.pageTitle')}
        description={missing ? t('datastore.resource.notFoundHelp') : undefined}
      />
      {missing ? null : <ProblemAlert error={error} />}
      {backToSearch === true ? (
        <p>
          <Link to="/catalog">{t('catalog.entry.backToSearch')}</Link>
        </p>
      ) : null}
    </>
  );
}
