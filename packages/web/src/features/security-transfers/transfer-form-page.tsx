import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Input, InputNumber, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { organizationName } from '../catalog/localized.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { RouteExplanation } from './transfer-badges.tsx';
import { TRANSFERS_KEY, useTransfersApi } from './transfers-api.ts';
import { previewBody } from './transfers-model.ts';
import type { TransferDraft } from './transfers-types.ts';
import '../catalog/catalog.css';
import './transfers.css';

/** Waits until the value has stopped changing for `ms`, so that typing a number asks the server once. */
function useSettled<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}

/** A new request; the route it needs is computed live from the year's cumulative volumes. */
export function TransferFormPage() {
  const { t, i18n } = useTranslation();
  const api = useTransfersApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const institutions = useInstitutions();
  const adminOf = new Set(user?.memberships.filter((m) => m.role === 'admin').map((m) => m.organizationId));
  const choices = (institutions.data ?? []).filter((o) => adminOf.has(o.id));
  const [form] = Form.useForm<TransferDraft>();
  const values = Form.useWatch([], form) as TransferDraft | undefined;
  const body = values
    ? previewBody({ ...values, entryCodes: values.entryCodes ?? [], country: values.country ?? '' })
    : null;
  const settled = useSettled(body === null ? null : JSON.stringify(body), 300);
  const route = useQuery({
    queryKey: [...TRANSFERS_KEY, 'route', settled],
    queryFn: ({ signal }) => api.route(JSON.parse(settled!), signal),
    enabled: settled !== null,
    retry: false,
  });
  const create = useMutation({
    mutationFn: api.create,
    onSuccess: (transfer) => {
      void queryClient.invalidateQueries({ queryKey: TRANSFERS_KEY });
      navigate(`/security/transfers/${encodeURIComponent(transfer.id)}`);
    },
  });
  return (
    <>
      <PageHeader title={t('securityTransfers.new.title')} description={t('securityTransfers.new.intro')} />
      <div className="dp-transfer-form">
        <Card>
          <Form<TransferDraft>
            form={form}
            name="new-transfer"
            layout="vertical"
            initialValues={{
              organizationId: choices.length === 1 ? choices[0]?.id : undefined,
              entryCodes: [],
              importantDataDeclared: false,
              recipient: '',
              country: '',
              purpose: '',
              peopleCount: 0,
              sensitivePeopleCount: 0,
            }}
            onFinish={(v) => {
              if (!v.organizationId) {
                form.setFields([
                  { name: 'organizationId', errors: [t('securityTransfers.new.organizationRequired')] },
                ]);
                return;
              }
              create.mutate({
                organizationId: v.organizationId,
                entryCodes: v.entryCodes,
                importantDataDeclared: v.importantDataDeclared ?? false,
                recipient: v.recipient,
                country: v.country.trim().toUpperCase(),
                purpose: v.purpose,
                peopleCount: v.peopleCount ?? 0,
                sensitivePeopleCount: v.sensitivePeopleCount ?? 0,
              });
            }}
          >
            <Form.Item label={t('securityTransfers.fields.organization')} name="organizationId" required>
              <Select
                options={choices.map((o) => {
                  const name = organizationName(o, i18n.language);
                  return { value: o.id, label: <span lang={name.lang}>{name.text}</span> };
                })}
              />
            </Form.Item>
            <Form.Item
              label={t('securityTransfers.fields.entryCodes')}
              name="entryCodes"
              extra={t('securityTransfers.new.entryCodesHelp')}
              rules={[{ required: true, message: t('securityTransfers.new.entryCodesRequired') }]}
            >
              <Select mode="tags" tokenSeparators={[',', ' ']} open={false} />
            </Form.Item>
            <Form.Item name="importantDataDeclared" valuePropName="checked">
              <Checkbox>{t('securityTransfers.fields.importantDataDeclared')}</Checkbox>
            </Form.Item>
            <Form.Item
              label={t('securityTransfers.fields.recipient')}
              name="recipient"
              rules={[{ required: true, message: t('securityTransfers.new.recipientRequired') }]}
            >
              <Input maxLength={300} />
            </Form.Item>
            <Form.Item
              label={t('securityTransfers.fields.country')}
              name="country"
              extra={t('securityTransfers.new.countryHelp')}
              rules={[
                {
                  required: true,
                  pattern: /^[A-Za-z]{2}$/,
                  message: t('securityTransfers.new.countryInvalid'),
                },
              ]}
            >
              <Input maxLength={2} style={{ width: 100, textTransform: 'uppercase' }} autoComplete="off" />
            </Form.Item>
            <Form.Item
              label={t('securityTransfers.fields.purpose')}
              name="purpose"
              rules={[{ required: true, message: t('securityTransfers.new.purposeRequired') }]}
            >
              <Input.TextArea rows={3} />
            </Form.Item>
            <Form.Item label={t('securityTransfers.fields.peopleCount')} name="peopleCount" required>
              <InputNumber min={0} max={2_000_000_000} precision={0} style={{ width: 220 }} />
            </Form.Item>
            <Form.Item
              label={t('securityTransfers.fields.sensitivePeopleCount')}
              name="sensitivePeopleCount"
              required
            >
              <InputNumber min={0} max={2_000_000_000} precision={0} style={{ width: 220 }} />
            </Form.Item>
            {create.error ? <ProblemAlert error={create.error} /> : null}
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('securityTransfers.new.submit')}
            </Button>
          </Form>
        </Card>
        <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('securityTransfers.new.routeTitle')}</h2>}>
          {/* Announced politely as the volumes change, without moving the focus. */}
          <div aria-live="polite">
            {settled === null ? <p>{t('securityTransfers.new.routeWaiting')}</p> : null}
            {route.data && settled !== null ? <RouteExplanation assessment={route.data} /> : null}
          </div>
          {route.error && settled !== null ? <ProblemAlert error={route.error} /> : null}
        </Card>
      </div>
    </>
  );
}
