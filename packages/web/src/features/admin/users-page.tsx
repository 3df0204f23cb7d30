import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../../api/types.ts';
import { ActionLabel } from '../../components/action-label.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { adminApi } from './admin-api.ts';
import { PagedSearchTable } from './paged-search-table.tsx';
import { roleLabel } from './role-labels.ts';
import { UserFormModal } from './user-form-modal.tsx';

export function UsersPage() {
  const { t } = useTranslation();
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<User | undefined>();
  const [editOpen, setEditOpen] = useState(false);

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
      <PagedSearchTable<User>
        label={t('users.title')}
        searchLabel={t('users.search')}
        queryKey={['users', 'list']}
        fetchPage={adminApi.listUsers}
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
        ]}
        actions={(u) => (
          <Button
            size="small"
            onClick={() => {
              setEditing(u);
              setEditOpen(true);
            }}
          >
            <ActionLabel text={t('common.edit')} context={u.displayName} />
          </Button>
        )}
      />
      <UserFormModal open={creating} onClose={() => setCreating(false)} />
      <UserFormModal open={editOpen} user={editing} onClose={() => setEditOpen(false)} />
    </>
  );
}
