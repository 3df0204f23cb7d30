import { useQuery } from '@tanstack/react-query';
import { Card, Select } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { ACCESS_KEY, useAccessApi } from './access-api.ts';
import { APPLICATION_STATES, type ApplicationState } from './access-types.ts';
import { ApplicationsTable } from './applications-table.tsx';

function isState(value: string | null): value is ApplicationState {
  return value !== null && (APPLICATION_STATES as readonly string[]).includes(value);
}

/** The signed-in user's own applications, newest first, filtered by state in the address. */
export function ApplicationsPage() {
  const { t } = useTranslation();
  const api = useAccessApi();
  const [params, setParams] = useSearchParams();
  const filterId = useId();
  const requested = params.get('state');
  const state = isState(requested) ? requested : undefined;
  const applications = useQuery({
    queryKey: [...ACCESS_KEY, 'applications', 'mine', state ?? 'all'],
    queryFn: ({ signal }) =>
      api.applications({ view: 'mine', ...(state ? { state } : {}), limit: 200, offset: 0 }, signal),
  });
  const rows = [...(applications.data?.items ?? [])].sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  return (
    <>
      <PageHeader title={t('access.applications.title')} description={t('access.applications.intro')} />
      <Card>
        <div className="dp-toolbar">
          <div>
            <label htmlFor={filterId} className="dp-field-label">
              {t('access.applications.show')}
            </label>
            <Select<string>
              id={filterId}
              value={state ?? 'all'}
              style={{ width: 220 }}
              onChange={(s) => setParams(s === 'all' ? {} : { state: s })}
              options={[
                { value: 'all', label: t('access.applications.allStates') },
                ...APPLICATION_STATES.map((s) => ({ value: s, label: t(`access.states.${s}`) })),
              ]}
            />
          </div>
        </div>
        {applications.error ? <ProblemAlert error={applications.error} /> : null}
        <ApplicationsTable
          testId="my-applications"
          caption={t('access.applications.caption')}
          rows={rows}
          loading={applications.isFetching}
          perspective="applicant"
          emptyText={t('access.applications.empty')}
        />
      </Card>
    </>
  );
}
