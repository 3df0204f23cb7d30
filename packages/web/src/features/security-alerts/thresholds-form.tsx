import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Checkbox, Form, InputNumber, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { ALERTS_KEY, useAlertsApi } from './alerts-api.ts';
import { thresholdProblems } from './alerts-model.ts';
import { OUTSIDE_TERMS, type Thresholds } from './alerts-types.ts';

type NumberPath = [keyof Thresholds, string] | ['intervalSeconds'];

/** The numbers of each rule, in the order the form shows them. */
const GROUPS: {
  group: Exclude<keyof Thresholds, 'intervalSeconds'>;
  numbers: { key: string; min: number; step?: number }[];
}[] = [
  {
    group: 'volumeUser',
    numbers: [
      { key: 'floor', min: 1 },
      { key: 'downloadFloor', min: 1 },
      { key: 'factor', min: 1, step: 0.5 },
      { key: 'days', min: 1 },
    ],
  },
  {
    group: 'volumeTable',
    numbers: [
      { key: 'floor', min: 1 },
      { key: 'factor', min: 1, step: 0.5 },
      { key: 'days', min: 1 },
    ],
  },
  { group: 'grantTerms', numbers: [{ key: 'count', min: 1 }] },
  {
    group: 'signIns',
    numbers: [
      { key: 'windowMinutes', min: 1 },
      { key: 'perAccount', min: 1 },
      { key: 'perAddress', min: 1 },
    ],
  },
  {
    group: 'tokenAddresses',
    numbers: [
      { key: 'windowMinutes', min: 1 },
      { key: 'addresses', min: 2 },
    ],
  },
  { group: 'sensitiveFields', numbers: [{ key: 'count', min: 1 }] },
];

/** Operators set the thresholds of the rules; every change is validated by the server and logged. */
export function ThresholdsForm() {
  const { t, i18n } = useTranslation();
  const api = useAlertsApi();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<Thresholds>();
  const current = useQuery({
    queryKey: [...ALERTS_KEY, 'thresholds'],
    queryFn: ({ signal }) => api.thresholds(signal),
  });
  const save = useMutation({
    mutationFn: (body: Thresholds) => api.saveThresholds(body),
    onSuccess: (view) => {
      queryClient.setQueryData([...ALERTS_KEY, 'thresholds'], view);
      form.setFieldsValue(view.thresholds);
      void message.success(t('securityAlerts.thresholds.saved'));
    },
  });
  const problems = Form.useWatch([], form) as Thresholds | undefined;
  const invalid = problems?.volumeUser === undefined ? [] : thresholdProblems(problems);
  const label = (path: NumberPath) => t(`securityAlerts.thresholds.fields.${path.join('.')}`);

  return (
    <Card
      title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityAlerts.thresholds.title')}</h2>}
      style={{ marginTop: 24 }}
    >
      <ProblemAlert error={current.error} />
      {current.data ? (
        <Form<Thresholds>
          form={form}
          name="monitoring-thresholds"
          layout="vertical"
          initialValues={current.data.thresholds}
          onFinish={(values) => save.mutate({ ...current.data.thresholds, ...values })}
        >
          {current.data.updatedAt ? (
            <p>
              {t('securityAlerts.thresholds.updated', {
                at: formatDateTime(current.data.updatedAt, i18n.language),
              })}
            </p>
          ) : null}
          <Form.Item label={label(['intervalSeconds'])} name="intervalSeconds" rules={[{ required: true }]}>
            <InputNumber min={10} max={86_400} />
          </Form.Item>
          {GROUPS.map(({ group, numbers }) => (
            <fieldset
              key={group}
              style={{ border: '1px solid #d9d9d9', padding: '8px 16px', marginBottom: 16 }}
            >
              <legend style={{ fontSize: 16, width: 'auto', padding: '0 4px' }}>
                {t(`securityAlerts.thresholds.groups.${group}`)}
              </legend>
              <Form.Item
                label={t('securityAlerts.thresholds.enabled')}
                name={[group, 'enabled']}
                valuePropName="checked"
              >
                <Switch />
              </Form.Item>
              {numbers.map((n) => (
                <Form.Item
                  key={n.key}
                  label={label([group, n.key])}
                  name={[group, n.key]}
                  rules={[{ required: true }]}
                >
                  <InputNumber min={n.min} step={n.step ?? 1} />
                </Form.Item>
              ))}
              {group === 'grantTerms' ? (
                <Form.Item
                  label={t('securityAlerts.thresholds.fields.grantTerms.reasons')}
                  name={['grantTerms', 'reasons']}
                >
                  <Checkbox.Group
                    options={OUTSIDE_TERMS.map((r) => ({
                      value: r,
                      label: t(`securityAlerts.reasons.${r}`),
                    }))}
                  />
                </Form.Item>
              ) : null}
            </fieldset>
          ))}
          {invalid.length > 0 ? (
            <Alert
              type="warning"
              showIcon
              style={{ marginBottom: 12 }}
              message={t('securityAlerts.thresholds.invalid')}
              description={invalid.map((p) => t(`securityAlerts.thresholds.fields.${p}`)).join(', ')}
            />
          ) : null}
          <Button type="primary" htmlType="submit" loading={save.isPending} disabled={invalid.length > 0}>
            {t('securityAlerts.thresholds.save')}
          </Button>
        </Form>
      ) : null}
      <ProblemAlert error={save.error} />
    </Card>
  );
}
