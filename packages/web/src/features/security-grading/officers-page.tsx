import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Form, Input, Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { adminApi } from '../admin/admin-api.ts';
import { useSession } from '../auth/session.ts';
import { OrganizationPicker } from './organization-picker.tsx';
import { SECURITY_KEY, useSecurityApi } from './security-api.ts';
import type { Officer, OfficerRole } from './security-types.ts';
import './security.css';

const ROLES: OfficerRole[] = ['chief-data-officer', 'security-officer'];

function AppointForm({ organizationId }: { organizationId: string }) {
  const { t } = useTranslation();
  const api = useSecurityApi();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{
    role: OfficerRole;
    userId: string;
    name: string;
    email?: string;
    phone?: string;
  }>();
  const members = useQuery({
    queryKey: ['organizations', organizationId, 'members'],
    queryFn: ({ signal }) => adminApi.listMembers(organizationId, signal),
  });
  const appoint = useMutation({
    mutationFn: (v: { role: OfficerRole; userId: string; name: string; email?: string; phone?: string }) =>
      api.appoint(organizationId, v.role, {
        userId: v.userId,
        name: v.name,
        ...(v.email ? { email: v.email } : {}),
        ...(v.phone ? { phone: v.phone } : {}),
      }),
    onSuccess: (next) => {
      queryClient.setQueryData([...SECURITY_KEY, 'officers', organizationId], next);
      void queryClient.invalidateQueries({ queryKey: [...SECURITY_KEY, 'dashboard'] });
      void message.success(t('securityGrading.officers.saved'));
      form.resetFields();
    },
  });
  return (
    <Card
      title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityGrading.officers.appointTitle')}</h2>}
      style={{ marginBottom: 20 }}
    >
      <Form
        form={form}
        layout="vertical"
        name="appoint-officer"
        onFinish={(v) => appoint.mutate(v)}
        style={{ maxWidth: 520 }}
      >
        <Form.Item label={t('securityGrading.officers.role')} name="role" rules={[{ required: true }]}>
          <Select
            options={ROLES.map((r) => ({ value: r, label: t(`securityGrading.officers.roles.${r}`) }))}
          />
        </Form.Item>
        <Form.Item label={t('securityGrading.officers.member')} name="userId" rules={[{ required: true }]}>
          <Select
            loading={members.isLoading}
            onChange={(userId: string) => {
              const m = members.data?.find((x) => x.userId === userId);
              if (m && !form.getFieldValue('name')) form.setFieldValue('name', m.displayName || m.username);
            }}
            options={(members.data ?? []).map((m) => ({
              value: m.userId,
              label: `${m.displayName} (${m.username})`,
            }))}
          />
        </Form.Item>
        <Form.Item label={t('securityGrading.officers.name')} name="name" rules={[{ required: true }]}>
          <Input maxLength={200} />
        </Form.Item>
        <Form.Item label={t('securityGrading.officers.email')} name="email">
          <Input type="email" maxLength={320} />
        </Form.Item>
        <Form.Item label={t('securityGrading.officers.phone')} name="phone">
          <Input maxLength={40} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={appoint.isPending}>
          {t('securityGrading.officers.appoint')}
        </Button>
      </Form>
      <ProblemAlert error={appoint.error ?? members.error} />
    </Card>
  );
}

/** An organisation's chief data officer and security officer (Art. 46, 48), and who held them before. */
export function OfficersPage() {
  const { t, i18n } = useTranslation();
  const api = useSecurityApi();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const [params, setParams] = useSearchParams();
  const organizationId = params.get('organization') ?? undefined;
  const officers = useQuery({
    queryKey: [...SECURITY_KEY, 'officers', organizationId],
    queryFn: ({ signal }) => api.officers(organizationId!, signal),
    enabled: organizationId !== undefined,
  });
  const mayAppoint =
    organizationId !== undefined &&
    (user?.platformRoles.includes('operator') ||
      user?.memberships.some((m) => m.organizationId === organizationId && m.role === 'admin'));
  const caption = t('securityGrading.officers.historyCaption');
  const holder = (o: Officer | null) =>
    o ? [o.name, o.email, o.phone].filter(Boolean).join(' · ') : t('securityGrading.dashboard.notNamed');
  return (
    <>
      <PageHeader
        title={t('securityGrading.officers.title')}
        description={t('securityGrading.officers.intro')}
      />
      <OrganizationPicker value={organizationId} onChange={(id) => setParams({ organization: id })} />
      {officers.error ? <ProblemAlert error={officers.error} /> : null}
      {officers.data ? (
        <Card style={{ marginBottom: 20 }}>
          <dl>
            <dt>{t('securityGrading.officers.chiefDataOfficer')}</dt>
            <dd data-testid="cdo">{holder(officers.data.chiefDataOfficer)}</dd>
            <dt>{t('securityGrading.officers.securityOfficer')}</dt>
            <dd data-testid="security-officer">{holder(officers.data.securityOfficer)}</dd>
          </dl>
          <TableRegion label={caption}>
            <Table<Officer>
              rowKey={(o) => `${o.role}-${o.appointedAt}`}
              dataSource={officers.data.history}
              pagination={false}
              caption={<span className="dp-table-caption">{caption}</span>}
              columns={[
                {
                  title: t('securityGrading.officers.role'),
                  dataIndex: 'role',
                  render: (v: string) => t(`securityGrading.officers.roles.${v}`),
                },
                { title: t('securityGrading.officers.name'), dataIndex: 'name' },
                {
                  title: t('securityGrading.officers.from'),
                  dataIndex: 'appointedAt',
                  render: (v: string) => formatDateTime(v, i18n.language),
                },
                {
                  title: t('securityGrading.officers.until'),
                  dataIndex: 'endedAt',
                  render: (v: string | null) =>
                    v ? formatDateTime(v, i18n.language) : t('securityGrading.officers.current'),
                },
              ]}
            />
          </TableRegion>
        </Card>
      ) : null}
      {mayAppoint && organizationId ? <AppointForm organizationId={organizationId} /> : null}
    </>
  );
}
