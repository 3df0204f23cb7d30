import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Form, Input, InputNumber, Select, Switch } from 'antd';
import { useEffect, useId, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client.ts';
import { formatDateTime } from '../../components/format.ts';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { Badge } from '../catalog/badges.tsx';
import { useDatastoreApi } from './datastore-api.ts';
import { type DatastoreIntake, type DatastoreResource, INTAKE_FORMATS } from './datastore-types.ts';
import { formatCount } from './format-datastore.ts';
import {
  FREQUENCIES,
  formValuesOf,
  INTERVAL_PRESETS,
  type IntakeField,
  type IntakeFormValues,
  intakeFieldErrors,
  intakeRequest,
  intakeStatusKey,
  intakeStatusTone,
  MAX_INTERVAL_MINUTES,
  MIN_INTERVAL_MINUTES,
} from './intake-form.ts';

/** How the last pull went, when the next one is due, and the error of a failed one. */
function IntakeStatusPanel({ intake }: { intake: DatastoreIntake }) {
  const { t, i18n } = useTranslation();
  const titleId = useId();
  return (
    <div data-testid="intake-status" style={{ display: 'grid', gap: 12, marginBottom: 24 }}>
      <h3 id={titleId} style={{ fontSize: 16, margin: 0 }}>
        {t('datastore.intake.statusTitle')}
      </h3>
      {intake.lastStatus === 'failed' ? (
        <Alert
          type="error"
          showIcon
          data-testid="intake-last-error"
          title={t('datastore.intake.failedTitle')}
          description={intake.lastError ?? undefined}
        />
      ) : null}
      <table className="dp-kv" aria-labelledby={titleId}>
        <tbody>
          <tr>
            <th scope="row">{t('datastore.intake.lastRunAt')}</th>
            <td>
              {intake.lastRunAt === null
                ? t('datastore.intake.statuses.never')
                : formatDateTime(intake.lastRunAt, i18n.language)}
            </td>
          </tr>
          <tr>
            <th scope="row">{t('datastore.intake.lastStatus')}</th>
            <td data-testid="intake-last-status" data-status={intake.lastStatus ?? 'never'}>
              <Badge
                text={t(intakeStatusKey(intake.lastStatus))}
                tone={intakeStatusTone(intake.lastStatus)}
              />
            </td>
          </tr>
          <tr>
            <th scope="row">{t('datastore.intake.failures')}</th>
            <td data-testid="intake-failures">{formatCount(intake.failures, i18n.language)}</td>
          </tr>
          <tr>
            <th scope="row">{t('datastore.intake.nextRunAt')}</th>
            <td>
              {intake.enabled
                ? formatDateTime(intake.nextRunAt, i18n.language)
                : t('datastore.intake.paused')}
            </td>
          </tr>
        </tbody>
      </table>
    </div>
  );
}

function IntakeForm({ resourceId, intake }: { resourceId: string; intake: DatastoreIntake | null }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const api = useDatastoreApi();
  const queryClient = useQueryClient();
  const titleId = useId();
  const [form] = Form.useForm<IntakeFormValues>();
  const frequency = Form.useWatch('frequency', form) ?? formValuesOf(intake).frequency;
  // The first field the server refused takes the focus once the form is enabled again.
  const focusAfterSave = useRef<IntakeField | undefined>(undefined);

  const save = useMutation({
    mutationFn: (values: IntakeFormValues) => api.setIntake(resourceId, intakeRequest(values)),
    onSuccess: (saved) => {
      queryClient.setQueryData(['datastore', 'intake', resourceId], saved);
      // The server writes the address in its normal form; show what it keeps.
      form.setFieldsValue(formValuesOf(saved));
      void message.success(t('datastore.intake.saved'));
    },
    onError: (error, values) => {
      if (!(error instanceof ApiError) || error.status !== 400) return;
      const fields = intakeFieldErrors(error.errors, values.frequency);
      form.setFields(
        fields.map(({ field, reason }) => ({
          name: field,
          errors: [
            t(`datastore.intake.invalid.${field === 'frequency' ? 'intervalMinutes' : field}`, { reason }),
          ],
        })),
      );
      focusAfterSave.current = fields[0]?.field;
    },
  });
  useEffect(() => {
    if (save.isPending || focusAfterSave.current === undefined) return;
    form.focusField(focusAfterSave.current);
    focusAfterSave.current = undefined;
  }, [save.isPending, form]);
  const onFields =
    save.error instanceof ApiError &&
    save.error.status === 400 &&
    intakeFieldErrors(save.error.errors, frequency).length > 0;

  return (
    <section aria-labelledby={titleId}>
      <h3 id={titleId} style={{ fontSize: 16, margin: '0 0 12px' }}>
        {t('datastore.intake.settingsTitle')}
      </h3>
      <Form<IntakeFormValues>
        form={form}
        name="intake"
        layout="vertical"
        style={{ maxWidth: 720 }}
        initialValues={formValuesOf(intake)}
        disabled={save.isPending}
        onValuesChange={(changed: Partial<IntakeFormValues>) => {
          // A preset also fills in its minutes, so "other interval" starts from the last choice.
          const chosen = changed.frequency;
          if (chosen !== undefined && chosen !== 'custom')
            form.setFieldValue('intervalMinutes', INTERVAL_PRESETS[chosen]);
        }}
        onFinish={(values) => save.mutate(values)}
      >
        <Form.Item
          label={t('datastore.intake.url')}
          name="url"
          extra={t('datastore.intake.urlHelp')}
          rules={[{ required: true, whitespace: true, message: t('datastore.intake.urlRequired') }]}
        >
          <Input inputMode="url" autoComplete="off" spellCheck={false} maxLength={2000} />
        </Form.Item>
        <Form.Item
          label={t('datastore.intake.format')}
          name="format"
          extra={t('datastore.intake.formatHelp')}
        >
          <Select
            style={{ maxWidth: 320 }}
            options={(['auto', ...INTAKE_FORMATS] as const).map((f) => ({
              value: f,
              label: t(`datastore.intake.formats.${f}`),
            }))}
          />
        </Form.Item>
        <Form.Item label={t('datastore.intake.frequency')} name="frequency" required>
          <Select
            style={{ maxWidth: 320 }}
            options={FREQUENCIES.map((f) => ({ value: f, label: t(`datastore.intake.frequencies.${f}`) }))}
          />
        </Form.Item>
        {frequency === 'custom' ? (
          <Form.Item
            label={t('datastore.intake.intervalMinutes')}
            name="intervalMinutes"
            extra={t('datastore.intake.intervalHelp')}
            rules={[
              {
                required: true,
                type: 'integer',
                min: MIN_INTERVAL_MINUTES,
                max: MAX_INTERVAL_MINUTES,
                message: t('datastore.intake.intervalRange'),
              },
            ]}
          >
            <InputNumber
              min={MIN_INTERVAL_MINUTES}
              max={MAX_INTERVAL_MINUTES}
              precision={0}
              style={{ width: 200 }}
            />
          </Form.Item>
        ) : null}
        <Form.Item
          label={t('datastore.intake.enabled')}
          name="enabled"
          valuePropName="checked"
          extra={t('datastore.intake.enabledHelp')}
        >
          <Switch />
        </Form.Item>
        {save.error && !onFields ? (
          <div style={{ marginBottom: 16 }}>
            <ProblemAlert error={save.error} />
          </div>
        ) : null}
        <Button type="primary" htmlType="submit" loading={save.isPending}>
          {t('datastore.intake.save')}
        </Button>
      </Form>
    </section>
  );
}

/** The table's scheduled intake for its managers: its settings and how its last pull went. */
export function IntakeView({ resource }: { resource: DatastoreResource }) {
  const { t } = useTranslation();
  const api = useDatastoreApi();
  const intake = useQuery({
    queryKey: ['datastore', 'intake', resource.id],
    queryFn: ({ signal }) => api.intake(resource.id, signal),
    // Pulls happen on the server's schedule; look again now and then while the intake is on.
    refetchInterval: (query) => (query.state.data?.enabled ? 60_000 : false),
  });

  return (
    <section aria-labelledby="data-intake-title" data-testid="data-intake">
      <h2 id="data-intake-title" style={{ fontSize: 18, margin: '0 0 12px' }}>
        {t('datastore.intake.title')}
      </h2>
      <p style={{ maxWidth: 720 }}>{t('datastore.intake.intro')}</p>
      {intake.isPending ? <p>{t('common.loading')}</p> : null}
      {intake.error ? <ProblemAlert error={intake.error} /> : null}
      {intake.isSuccess ? (
        <>
          {intake.data === null ? (
            <Alert
              type="info"
              showIcon
              data-testid="intake-none"
              style={{ marginBottom: 16, maxWidth: 720 }}
              title={t('datastore.intake.noneTitle')}
              description={t('datastore.intake.none')}
            />
          ) : (
            <IntakeStatusPanel intake={intake.data} />
          )}
          <IntakeForm resourceId={resource.id} intake={intake.data} />
        </>
      ) : null}
    </section>
  );
}
