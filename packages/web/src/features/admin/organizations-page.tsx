import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { Organization } from '../../api/types.ts';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDate } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { adminApi } from './admin-api.ts';
import { OrganizationFormModal } from './organization-form-modal.tsx';
import { SearchBox } from './search-box.tsx';
import { usePagedList } from './use-paged-list.ts';

export function OrganizationsPage() {
  const { t, i18n } = useTranslation();
  const list = usePagedList();
  const [editing, setEditing] = useState<Organization | undefined>();
  const [editOpen, setEditOpen] = useState(false);
  const [creating, setCreating] = useState(false);

  const organizations = useQuery({
    queryKey: ['organizations', list.params],
    queryFn: ({ signal }) => adminApi.listOrganizations(list.params, signal),
    placeholderData: keepPreviousData,
  });

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
      <Card>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <SearchBox
            label={t('organizations.search')}
            buttonLabel={t('common.search')}
            onSearch={list.search}
          />
          {organizations.error ? <ProblemAlert error={organizations.error} /> : null}
          <TableRegion label={t('organizations.title')}>
            <Table<Organization>
              rowKey="id"
              loading={organizations.isFetching}
              dataSource={organizations.data?.items ?? []}
              locale={{ emptyText: <EmptyText>{t('common.empty')}</EmptyText> }}
              pagination={{
                current: list.page,
                pageSize: list.pageSize,
                total: organizations.data?.total ?? 0,
                showSizeChanger: false,
                showTotal: (total) => t('common.total', { total }),
                onChange: list.change,
              }}
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
                {
                  title: t('common.createdAt'),
                  className: 'dp-nowrap',
                  dataIndex: 'createdAt',
                  render: (v: string) => formatDate(v, i18n.language),
                },
                {
                  title: t('common.actions'),
                  className: 'dp-nowrap',
                  key: 'actions',
                  render: (_: unknown, o: Organization) => (
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
                  ),
                },
              ]}
            />
          </TableRegion>
        </Space>
      </Card>
      <OrganizationFormModal open={creating} onClose={() => setCreating(false)} />
      <OrganizationFormModal open={editOpen} organization={editing} onClose={() => setEditOpen(false)} />
    </>
  );
}
