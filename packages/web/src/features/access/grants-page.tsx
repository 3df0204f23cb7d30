import { useQuery } from '@tanstack/react-query';
import { Alert, Card, Select } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { ACCESS_KEY, useAccessApi } from './access-api.ts';
import { GRANT_STATES, type GrantState } from './access-types.ts';
import { GrantsTable } from './grants-table.tsx';

function isGrantState(value: string | null): value is GrantState {
  return value !== null && (GRANT_STATES as readonly string[]).includes(value);
}

/** The data the signed-in user may use under approved applications, with how long each grant lasts. */
export function GrantsPage() {
  const { t } = useTranslation();
  const api = useAccessApi();
  const [params, setParams] = useSearchParams();
  const filterId = useId();
  const requested = params.get('state');
  const state = isGrantState(requested) ? requested : undefined;
  const grants = useQuery({
    queryKey: [...ACCESS_KEY, 'grants', 'mine', state ?? 'all'],
    queryFn: ({ signal }) => api.grants({ view: 'mine', ...(state ? { state } : {}) }, signal),
  });
  const rows = [...(grants.data?.items ?? [])].sort((a, b) => a.validUntil.localeCompare(b.validUntil));
  return (
    <>
      <PageHeader title={t('access.grants.title')} description={t('access.grants.intro')} />
      <Alert
        type="info"
        showIcon
        style={{ marginBottom: 16 }}
        title={t('access.grants.tokensHint')}
        description={<Link to="/account">{t('access.grants.tokensLink')}</Link>}
      />
      <Card>
        <div className="dp-toolbar">
          <div>
            <label htmlFor={filterId} className="dp-field-label">
              {t('access.applications.show')}
            </label>
            <Select<string>
              id={filterId}
              value={state ?? 'all'}
              style={{ width: 200 }}
              onChange={(s) => setParams(s === 'all' ? {} : { state: s })}
              options={[
                { value: 'all', label: t('access.grants.allStates') },
                ...GRANT_STATES.map((s) => ({ value: s, label: t(`access.grantStates.${s}`) })),
              ]}
            />
          </div>
        </div>
        {grants.error ? <ProblemAlert error={grants.error} /> : null}
        <GrantsTable
          testId="my-grants"
          caption={t('access.grants.caption')}
          rows={rows}
          loading={grants.isFetching}
          perspective="grantee"
          emptyText={t('access.grants.empty')}
        />
      </Card>
    </>
  );
}
