import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Space, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types.ts';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDate } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { adminApi } from './admin-api.ts';
import { roleLabel } from './role-labels.ts';
import { SearchBox } from './search-box.tsx';
import { usePagedList } from './use-paged-list.ts';
import { UserFormModal } from './user-form-modal.tsx';

export function UsersPage() {
  const { t, i18n } = useTranslation();
  const list = usePagedList();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | undefined>();
  const [editOpen, setEditOpen] = useState(false);

  const users = useQuery({
    queryKey: ['users', 'list', list.params],
    queryFn: ({ signal }) => adminApi.listUsers(list.params, signal),
    placeholderData: keepPreviousData,
  });

  return (
    <>
      <PageHeader
        title={t('users.title')}
        description={t('users.intro')}
        extra={
          <Button type="primary" onClick={() => setCreating(true)}>
            {t('users.create')}
          </Button>
        }
      />
      <Card>
        <Space orientation="vertical" size="middle" style={{ width: '100%' }}>
          <SearchBox label={t('users.search')} buttonLabel={t('common.search')} onSearch={list.search} />
          {users.error ? <ProblemAlert error={users.error} /> : null}
          <TableRegion label={t('users.title')}>
            <Table<User>
              rowKey="id"
              loading={users.isFetching}
              dataSource={users.data?.items ?? []}
              locale={{ emptyText: <EmptyText>{t('common.empty')}</EmptyText> }}
              pagination={{
                current: list.page,
                pageSize: list.pageSize,
                total: users.data?.total ?? 0,
                showSizeChanger: false,
                showTotal: (total) => t('common.total', { total }),
                onChange: list.change,
              }}
              columns={[
                { title: t('users.displayName'), dataIndex: 'displayName' },
                {
                  title: t('users.username'),
                  className: 'dp-nowrap',
                  dataIndex: 'username',
                  render: (v: string) => <code>{v}</code>,
                },
                { title: t('users.email'), dataIndex: 'email' },
                {
                  title: t('users.platformRoles'),
                  dataIndex: 'platformRoles',
                  render: (roles: string[]) =>
                    roles.length ? roles.map((r) => roleLabel(t, r)).join(t('common.listSeparator')) : '—',
                },
                {
                  title: t('users.status'),
                  className: 'dp-nowrap',
                  dataIndex: 'disabled',
                  render: (disabled: boolean) => (
                    <span className={`dp-status ${disabled ? 'dp-status-neutral' : 'dp-status-ok'}`}>
                      {disabled ? t('users.states.disabled') : t('users.states.active')}
                    </span>
                  ),
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
                  render: (_: unknown, u: User) => (
                    <Button
                      size="small"
                      onClick={() => {
                        setEditing(u);
                        setEditOpen(true);
                      }}
                    >
                      <ActionLabel text={t('common.edit')} context={u.displayName} />
                    </Button>
                  ),
                },
              ]}
            />
          </TableRegion>
        </Space>
      </Card>
      <UserFormModal open={creating} onClose={() => setCreating(false)} />
      <UserFormModal open={editOpen} user={editing} onClose={() => setEditOpen(false)} />
    </>
  );
}
