import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Form, Input, Modal, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { PLATFORM_ROLES, type User } from '../../api/types.ts';
import { CheckboxGroupField } from '../../components/checkbox-group-field.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { adminApi, withoutEmpty } from './admin-api.ts';
import { applyFieldErrors } from './form-errors.ts';
import { roleLabel } from './role-labels.ts';

interface UserFormValues {
  username: string;
  displayName: string;
  email?: string;
  password?: string;
  platformRoles: string[];
  disabled: boolean;
}

interface UserFormModalProps {
  open: boolean;
  user?: User | undefined;
  onClose: () => void;
}

const FIELDS = ['username', 'displayName', 'email', 'password', 'platformRoles', 'disabled'] as const;

export function UserFormModal({ open, user, onClose }: UserFormModalProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<UserFormValues>();
  const queryClient = useQueryClient();
  const editing = user !== undefined;

  const save = useMutation({
    mutationFn: async (v: UserFormValues) => {
      if (user) {
        return adminApi.updateUser(user.id, {
          ...withoutEmpty({
            displayName: v.displayName,
            platformRoles: v.platformRoles,
            disabled: v.disabled,
            password: v.password,
          }),
          // An emptied email is sent as null, which removes it.
          email: v.email?.trim() || null,
        });
      }
      return adminApi.createUser({
        username: v.username.trim(),
        displayName: v.displayName.trim(),
        ...withoutEmpty({ email: v.email }),
        password: v.password ?? '',
        platformRoles: v.platformRoles,
      });
    },
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (error) => applyFieldErrors(form, error, FIELDS),
  });

  return (
    <Modal
      open={open}
      title={editing ? t('users.editTitle') : t('users.createTitle')}
      okText={editing ? t('common.save') : t('users.create')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      onOk={() => form.submit()}
      onCancel={onClose}
      destroyOnHidden
      afterClose={() => save.reset()}
    >
      <Form<UserFormValues>
        name="user"
        form={form}
        layout="vertical"
        preserve={false}
        initialValues={
          user
            ? { ...user, email: user.email ?? '', password: '' }
            : { username: '', displayName: '', email: '', password: '', platformRoles: [], disabled: false }
        }
        onFinish={(v) => save.mutate(v)}
      >
        <Form.Item
          label={t('users.username')}
          name="username"
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input disabled={editing} autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('users.displayName')}
          name="displayName"
          rules={[{ required: true, whitespace: true, message: t('common.required') }]}
        >
          <Input autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={t('users.email')}
          name="email"
          rules={[{ type: 'email', message: t('users.emailInvalid') }]}
        >
          <Input type="email" autoComplete="off" />
        </Form.Item>
        <Form.Item
          label={editing ? t('users.newPassword') : t('users.password')}
          name="password"
          extra={editing ? t('users.newPasswordHelp') : t('users.passwordHelp')}
          rules={[
            { required: !editing, message: t('common.required') },
            { min: 10, message: t('users.passwordTooShort') },
          ]}
        >
          <Input.Password autoComplete="new-password" visibilityToggle={false} />
        </Form.Item>
        <Form.Item label={t('users.platformRoles')} name="platformRoles">
          <CheckboxGroupField
            label={t('users.platformRoles')}
            options={PLATFORM_ROLES.map((r) => ({ value: r, label: roleLabel(t, r) }))}
          />
        </Form.Item>
        {editing ? (
          <Form.Item label={t('users.disabled')} name="disabled" valuePropName="checked">
            <Switch />
          </Form.Item>
        ) : null}
        {save.error ? <ProblemAlert error={save.error} /> : null}
      </Form>
    </Modal>
  );
}
