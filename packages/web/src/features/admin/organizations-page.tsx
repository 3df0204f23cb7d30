import { Button, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Organization } from '../../api/types.ts';
import { ActionLabel } from '../../components/action-label.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { adminApi } from './admin-api.ts';
import { OrganizationFormModal } from './organization-form-modal.tsx';
import { PagedSearchTable } from './paged-search-table.tsx';

export function OrganizationsPage() {
  const { t } = useTranslation();
  const [editing, setEditing] = useState<Organization | undefined>();
  const [editOpen, setEditOpen] = useState(false);
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader
        title={t('organizations.title')}
        description={t('organizations.intro')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('organizations.create')}
          </Button>
        }
      />
      <PagedSearchTable<Organization>
        label={t('organizations.title')}
        searchLabel={t('organizations.search')}
        queryKey={['organizations']}
        fetchPage={adminApi.listOrganizations}
        columns={[
          {
            title: t('organizations.name'),
            dataIndex: 'name',
            render: (name: string, o: Organization) => (
              <Link to={`/admin/organizations/${encodeURIComponent(o.id)}`} state={{ name }}>
                {name}
              </Link>
            ),
          },
          {
            title: t('organizations.nameEn'),
            dataIndex: 'nameEn',
            render: (v: string | null) => (v ? <span lang="en">{v}</span> : '—'),
          },
          {
            title: t('organizations.code'),
            className: 'dp-nowrap',
            dataIndex: 'code',
            render: (v: string) => <code>{v}</code>,
          },
          {
            title: t('organizations.kind'),
            className: 'dp-nowrap',
            dataIndex: 'kind',
            render: (k: string) => t(`organizations.kinds.${k}`, { defaultValue: k }),
          },
          {
            title: t('organizations.creditCode'),
            className: 'dp-nowrap',
            dataIndex: 'creditCode',
            render: (v: string) => <span className="dp-mono">{v}</span>,
          },
          {
            title: t('organizations.memberCount'),
            className: 'dp-nowrap',
            dataIndex: 'memberCount',
            align: 'right',
          },
        ]}
        actions={(o) => (
          <Space>
            <Button
              size="small"
              onClick={() => {
                setEditing(o);
                setEditOpen(true);
              }}
            >
              <ActionLabel text={t('common.edit')} context={o.name} />
            </Button>
            <Link to={`/admin/organizations/${encodeURIComponent(o.id)}`} state={{ name: o.name }}>
              <ActionLabel text={t('organizations.members')} context={o.name} />
            </Link>
          </Space>
        )}
      />
      <OrganizationFormModal open={creating} onClose={() => setCreating(false)} />
      <OrganizationFormModal open={editOpen} organization={editing} onClose={() => setEditOpen(false)} />
    </>
  );
}
