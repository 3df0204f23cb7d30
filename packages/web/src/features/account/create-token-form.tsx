import { Button, Form, Input, InputNumber } from 'antd';
import { useTranslation } from 'react-i18next';
import { CheckboxGroupField } from '../../components/checkbox-group-field.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { permissionLabel } from '../admin/role-labels.ts';
import type { NewToken } from './tokens-api.ts';

interface CreateTokenFormProps {
  permissions: string[];
  pending: boolean;
  error: unknown;
  onCreate: (token: NewToken) => void;
}

export function CreateTokenForm({ permissions, pending, error, onCreate }: CreateTokenFormProps) {
  const { t } = useTranslation();
  const [form] = Form.useForm<NewToken>();
  return (
    <Form<NewToken>
      name="token"
      form={form}
      style={{ maxWidth: 640 }}
      layout="vertical"
      initialValues={{ name: '', scopes: [], expiresInDays: 90 }}
      onFinish={(values) => onCreate({ ...values, name: values.name.trim() })}
      disabled={pending}
    >
      <Form.Item
        label={t('tokens.name')}
        name="name"
        extra={t('tokens.nameHelp')}
        rules={[{ required: true, whitespace: true, message: t('tokens.nameRequired') }, { max: 100 }]}
      >
        <Input maxLength={100} />
      </Form.Item>
      <Form.Item
        label={t('tokens.scopes')}
        name="scopes"
        required
        extra={t('tokens.scopesHelp')}
        rules={[
          {
            validator: (_, value: string[] | undefined) =>
              value && value.length > 0
                ? Promise.resolve()
                : Promise.reject(new Error(t('tokens.scopesRequired'))),
          },
        ]}
      >
        <CheckboxGroupField
          label={t('tokens.scopes')}
          options={permissions.map((p) => ({
            value: p,
            label: (
              <span>
                {permissionLabel(t, p)} <code className="dp-code">{p}</code>
              </span>
            ),
          }))}
        />
      </Form.Item>
      <Form.Item
        label={t('tokens.expiresInDays')}
        name="expiresInDays"
        rules={[{ required: true, type: 'integer', min: 1, max: 365, message: t('tokens.expiresRange') }]}
      >
        <InputNumber min={1} max={365} precision={0} style={{ width: 160 }} />
      </Form.Item>
      {error ? (
        <div style={{ marginBottom: 16 }}>
          <ProblemAlert error={error} />
        </div>
      ) : null}
      <Button type="primary" htmlType="submit" loading={pending}>
        {t('tokens.create')}
      </Button>
    </Form>
  );
}
