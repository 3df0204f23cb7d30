import { useQuery } from '@tanstack/react-query';
import { Card, Col, Row } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useParams } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { hasPermission, PERMISSIONS, useSession } from '../auth/session.ts';
import { AddMemberForm } from './add-member-form.tsx';
import { adminApi } from './admin-api.ts';
import { MembersTable } from './members-table.tsx';

function stateName(state: unknown): string | undefined {
  if (typeof state === 'object' && state !== null && 'name' in state && typeof state.name === 'string') {
    return state.name;
  }
  return undefined;
}

export function OrganizationMembersPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const location = useLocation();
  const { data: session } = useSession();
  const user = session?.user;

  const members = useQuery({
    queryKey: ['organizations', id, 'members'],
    queryFn: ({ signal }) => adminApi.listMembers(id, signal),
  });
  // The name comes from the link that led here, the user's memberships, or the API, in that order.
  const knownName =
    stateName(location.state) ?? user?.memberships.find((m) => m.organizationId === id)?.organizationName;
  const organization = useQuery({
    queryKey: ['organizations', id],
    queryFn: ({ signal }) => adminApi.getOrganization(id, signal),
    enabled: knownName === undefined,
    retry: false,
  });
  const name = knownName ?? organization.data?.name;

  return (
    <>
      <PageHeader
        title={name ? t('members.titleNamed', { name }) : t('members.title')}
        description={t('members.intro')}
      />
      {hasPermission(user, PERMISSIONS.manageOrganizations) ? (
        <p>
          <Link to="/admin/organizations">{t('members.backToList')}</Link>
        </p>
      ) : null}
      <Row gutter={[20, 20]}>
        <Col xs={24} lg={16}>
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('members.listTitle')}</h2>}>
            {members.error ? <ProblemAlert error={members.error} /> : null}
            <MembersTable organizationId={id} members={members.data ?? []} loading={members.isFetching} />
          </Card>
        </Col>
        <Col xs={24} lg={8}>
          <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('members.addTitle')}</h2>}>
            <AddMemberForm organizationId={id} canSearchUsers={hasPermission(user, PERMISSIONS.readUsers)} />
          </Card>
        </Col>
      </Row>
    </>
  );
}
