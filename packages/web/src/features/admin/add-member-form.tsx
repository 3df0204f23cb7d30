import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { MEMBER_ROLES, type MemberRole } from '../../api/types.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { adminApi } from './admin-api.ts';
import { UserPicker } from './user-picker.tsx';

interface AddMemberValues {
  userId: string;
  role: MemberRole;
}

interface AddMemberFormProps {
  organizationId: string;
  /** Operators can search users; an organisation's own admin types the user's username. */
  canSearchUsers: boolean;
}

export function AddMemberForm({ organizationId, canSearchUsers }: AddMemberFormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AddMemberValues>();
  const queryClient = useQueryClient();
  const add = useMutation({
    mutationFn: (v: AddMemberValues) =>
      canSearchUsers
        ? adminApi.setMember(organizationId, v.userId.trim(), v.role)
        : adminApi.addMemberByUsername(organizationId, v.userId.trim(), v.role),
    onSuccess: (member) => {
      void message.success(t('members.added', { name: member.displayName || member.username }));
      form.resetFields();
      void queryClient.invalidateQueries({ queryKey: ['organizations'] });
    },
  });

  return (
    <Form<AddMemberValues>
      name="member"
      form={form}
      layout="vertical"
      initialValues={{ role: 'member' }}
      onFinish={(v) => add.mutate(v)}
      disabled={add.isPending}
    >
      <Form.Item
        label={canSearchUsers ? t('members.user') : t('members.userId')}
        name="userId"
        rules={[{ required: true, whitespace: true, message: t('common.required') }]}
      >
        {canSearchUsers ? <UserPicker /> : <Input autoComplete="off" />}
      </Form.Item>
      <Form.Item label={t('members.role')} name="role" rules={[{ required: true }]}>
        <Select options={MEMBER_ROLES.map((r) => ({ value: r, label: t(`memberRoles.${r}`) }))} />
      </Form.Item>
      {add.error ? (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert error={add.error} />
        </div>
      ) : null}
      <Button type="primary" htmlType="submit" loading={add.isPending}>
        {t('members.add')}
      </Button>
    </Form>
  );
}
