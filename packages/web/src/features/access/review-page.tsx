import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Card, Tabs } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { ACCESS_KEY, useAccessApi } from './access-api.ts';
import type { Grant } from './access-types.ts';
import { byDeadline, isOverdue, mayRevoke } from './application-rules.ts';
import { ApplicationsTable } from './applications-table.tsx';
import { GrantsTable } from './grants-table.tsx';
import { RevokeDialog } from './revoke-dialog.tsx';

const TABS = ['pending', 'all', 'grants'] as const;
type Tab = (typeof TABS)[number];

function isTab(value: string | null): value is Tab {
  return value !== null && (TABS as readonly string[]).includes(value);
}

function ProviderApplications({ pending }: { pending: boolean }) {
  const { t } = useTranslation();
  const api = useAccessApi();
  const applications = useQuery({
    queryKey: [...ACCESS_KEY, 'applications', 'provider', pending ? 'submitted' : 'all'],
    queryFn: ({ signal }) =>
      api.applications(
        { view: 'provider', ...(pending ? { state: 'submitted' as const } : {}), limit: 200, offset: 0 },
        signal,
      ),
  });
  const rows = [...(applications.data?.items ?? [])].sort(byDeadline);
  const overdue = rows.filter((a) => isOverdue(a)).length;
  return (
    <>
      {applications.error ? <ProblemAlert error={applications.error} /> : null}
      {overdue > 0 ? (
        <p role="status" className="dp-meta-line" data-testid="overdue-count">
          {t('access.review.overdueCount', { count: overdue })}
        </p>
      ) : null}
      <ApplicationsTable
        testId={pending ? 'provider-pending' : 'provider-all'}
        caption={t(pending ? 'access.review.pendingCaption' : 'access.review.allCaption')}
        rows={rows}
        loading={applications.isFetching}
        perspective="provider"
        emptyText={t(pending ? 'access.review.emptyPending' : 'access.review.empty')}
      />
    </>
  );
}

function ProviderGrants() {
  const { t } = useTranslation();
  const api = useAccessApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const [revoking, setRevoking] = useState<Grant>();
  const grants = useQuery({
    queryKey: [...ACCESS_KEY, 'grants', 'provider'],
    queryFn: ({ signal }) => api.grants({ view: 'provider' }, signal),
  });
  const revoke = useMutation({
    mutationFn: ({ grant, reason }: { grant: Grant; reason: string }) => api.revoke(grant.id, reason),
    onSuccess: () => {
      setRevoking(undefined);
      void message.success(t('access.revoke.done'));
      void queryClient.invalidateQueries({ queryKey: ACCESS_KEY });
    },
  });
  const rows = [...(grants.data?.items ?? [])].sort((a, b) => a.validUntil.localeCompare(b.validUntil));
  return (
    <>
      {grants.error ? <ProblemAlert error={grants.error} /> : null}
      <GrantsTable
        testId="provider-grants"
        caption={t('access.review.grantsCaption')}
        rows={rows}
        loading={grants.isFetching}
        perspective="provider"
        emptyText={t('access.review.noGrants')}
        canRevoke={(g) => mayRevoke(g, user)}
        onRevoke={(g) => {
          revoke.reset();
          setRevoking(g);
        }}
        revokingId={revoke.isPending ? revoke.variables?.grant.id : undefined}
      />
      <RevokeDialog
        grant={revoking}
        pending={revoke.isPending}
        error={revoke.error}
        onRevoke={(grant, reason) => revoke.mutate({ grant, reason })}
        onCancel={() => setRevoking(undefined)}
      />
    </>
  );
}

/** The provider's queue: applications for its entries by deadline, and the grants it gave. */
export function ReviewPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const requested = params.get('tab');
  const tab: Tab = isTab(requested) ? requested : 'pending';
  return (
    <>
      <PageHeader title={t('access.review.title')} description={t('access.review.intro')} />
      <Card>
        <Tabs
          activeKey={tab}
          onChange={(key) => setParams(key === 'pending' ? {} : { tab: key }, { replace: true })}
          items={[
            {
              key: 'pending',
              label: t('access.review.tabs.pending'),
              children: <ProviderApplications pending />,
            },
            {
              key: 'all',
              label: t('access.review.tabs.all'),
              children: <ProviderApplications pending={false} />,
            },
            { key: 'grants', label: t('access.review.tabs.grants'), children: <ProviderGrants /> },
          ]}
        />
      </Card>
    </>
  );
}

/** The big data centre's queue: applications for important data the provider already approved. */
export function CentrePage() {
  const { t } = useTranslation();
  const api = useAccessApi();
  const applications = useQuery({
    queryKey: [...ACCESS_KEY, 'applications', 'centre'],
    queryFn: ({ signal }) => api.applications({ view: 'centre', limit: 200, offset: 0 }, signal),
  });
  const rows = [...(applications.data?.items ?? [])].sort(byDeadline);
  return (
    <>
      <PageHeader title={t('access.centre.title')} description={t('access.centre.intro')} />
      <Card>
        {applications.error ? <ProblemAlert error={applications.error} /> : null}
        <ApplicationsTable
          testId="centre-queue"
          caption={t('access.centre.caption')}
          rows={rows}
          loading={applications.isFetching}
          perspective="provider"
          emptyText={t('access.centre.empty')}
        />
      </Card>
    </>
  );
}
