import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Select, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { MEMBER_ROLES, type Member, type MemberRole } from '../../api/types.ts';
import { ActionLabel } from '../../components/action-label.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { adminApi } from './admin-api.ts';

interface MembersTableProps {
  organizationId: string;
  members: Member[];
  loading: boolean;
}

export function MembersTable({ organizationId, members, loading }: MembersTableProps) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const queryClient = useQueryClient();
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['organizations'] });

  const changeRole = useMutation({
    mutationFn: (v: { userId: string; role: MemberRole }) =>
      adminApi.setMember(organizationId, v.userId, v.role),
    onSuccess: () => {
      void message.success(t('members.roleChanged'));
      void refresh();
    },
    onError: () => void message.error(t('errors.generic')),
  });
  const remove = useMutation({
    mutationFn: (userId: string) => adminApi.removeMember(organizationId, userId),
    onSuccess: () => {
      void message.success(t('members.removed'));
      void refresh();
    },
    onError: () => void message.error(t('errors.generic')),
  });

  return (
    <TableRegion label={t('members.listTitle')}>
      <Table<Member>
        rowKey="userId"
        loading={loading}
        dataSource={members}
        pagination={false}
        locale={{ emptyText: <EmptyText>{t('members.empty')}</EmptyText> }}
        columns={[
          { title: t('users.displayName'), dataIndex: 'displayName' },
          { title: t('users.username'), dataIndex: 'username', render: (v: string) => <code>{v}</code> },
          {
            title: t('members.role'),
            dataIndex: 'role',
            render: (role: MemberRole, m: Member) => (
              <Select<MemberRole>
                size="small"
                value={role}
                style={{ width: 140 }}
                aria-label={t('members.roleOf', { name: m.displayName })}
                options={MEMBER_ROLES.map((r) => ({ value: r, label: t(`memberRoles.${r}`) }))}
                onChange={(next) => changeRole.mutate({ userId: m.userId, role: next })}
              />
            ),
          },
          {
            title: t('common.actions'),
            key: 'actions',
            render: (_: unknown, m: Member) => (
              <Button
                danger
                size="small"
                onClick={() =>
                  modal.confirm({
                    title: t('members.removeConfirm', { name: m.displayName }),
                    okText: t('members.remove'),
                    okButtonProps: { danger: true },
                    cancelText: t('common.cancel'),
                    onOk: () => remove.mutateAsync(m.userId),
                  })
                }
              >
                <ActionLabel text={t('members.remove')} context={m.displayName} />
              </Button>
            ),
          },
        ]}
      />
    </TableRegion>
  );
}
