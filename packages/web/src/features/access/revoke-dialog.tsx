import { Alert, Form, Input, Modal } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import type { Grant } from './access-types.ts';
import { revokeReason } from './application-rules.ts';

interface RevokeDialogProps {
  grant: Grant | undefined;
  pending: boolean;
  error: unknown;
  onRevoke: (grant: Grant, reason: string) => void;
  onCancel: () => void;
}

/** Revoking a grant asks for the reason the grantee will read, and says it takes effect at once. */
export function RevokeDialog({ grant, pending, error, onRevoke, onCancel }: RevokeDialogProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<{ reason?: string }>();
  useEffect(() => {
    if (grant) form.resetFields();
  }, [grant, form]);
  return (
    <Modal
      open={grant !== undefined}
      title={t('access.revoke.title', {
        entry: grant?.entryCode ?? '',
        grantee: grant?.grantee.username ?? '',
      })}
      okText={t('access.revoke.action')}
      okButtonProps={{ danger: true, loading: pending }}
      cancelText={t('common.cancel')}
      onCancel={onCancel}
      onOk={() => form.submit()}
      destroyOnHidden
    >
      <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('access.revoke.warning')} />
      <Form
        form={form}
        name="revoke"
        layout="vertical"
        onFinish={(values) => {
          const reason = revokeReason(values.reason);
          if (reason === undefined || grant === undefined) {
            form.setFields([{ name: 'reason', errors: [t('access.revoke.reasonRequired')] }]);
            return;
          }
          onRevoke(grant, reason);
        }}
      >
        <Form.Item
          label={t('access.revoke.reason')}
          name="reason"
          required
          extra={t('access.revoke.reasonHelp')}
        >
          <Input.TextArea rows={3} maxLength={2000} autoFocus />
        </Form.Item>
      </Form>
      {error ? <ProblemAlert error={error} /> : null}
    </Modal>
  );
}
