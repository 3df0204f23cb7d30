import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Button, Card, Checkbox, Form, Input, InputNumber, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { useSession } from '../auth/session.ts';
import { organizationName } from '../catalog/localized.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { INCIDENTS_KEY, useIncidentsApi } from './incidents-api.ts';
import {
  INCIDENT_KINDS,
  type IncidentKind,
  NOTICE_ITEMS,
  type NoticeFields,
  SEVERITIES,
  type Severity,
} from './incidents-types.ts';
import '../catalog/catalog.css';

interface FormValues {
  organizationId?: string;
  kind: IncidentKind;
  title: string;
  description: string;
  entryCodes: string[];
  peopleAffected: number;
  cii: boolean;
  severity: Severity | 'proposed';
  detectedAt: string;
  notice: Partial<NoticeFields>;
}

/** A local date-time for the native picker, in the reader's time zone. */
function localNow(): string {
  const now = new Date();
  return new Date(now.getTime() - now.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
}

/** Records an incident; the server proposes its severity and computes its reporting deadline. */
export function NewIncidentPage() {
  const { t, i18n } = useTranslation();
  const api = useIncidentsApi();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const institutions = useInstitutions();
  // Security officers record for any organisation; an organisation's admins for their own.
  const officer = user?.platformRoles.includes('security_officer') ?? false;
  const adminOf = new Set(user?.memberships.filter((m) => m.role === 'admin').map((m) => m.organizationId));
  const choices = (institutions.data ?? []).filter((o) => officer || adminOf.has(o.id));
  const [form] = Form.useForm<FormValues>();
  const create = useMutation({
    mutationFn: api.create,
    onSuccess: (incident) => {
      void queryClient.invalidateQueries({ queryKey: INCIDENTS_KEY });
      navigate(`/security/incidents/${encodeURIComponent(incident.id)}`);
    },
  });
  return (
    <>
      <PageHeader title={t('securityIncidents.new.title')} description={t('securityIncidents.new.intro')} />
      <Card>
        <Form<FormValues>
          form={form}
          name="new-incident"
          layout="vertical"
          style={{ maxWidth: 760 }}
          initialValues={{
            organizationId: choices.length === 1 ? choices[0]?.id : undefined,
            kind: 'leak',
            entryCodes: [],
            peopleAffected: 0,
            cii: false,
            severity: 'proposed',
            detectedAt: localNow(),
            notice: {},
          }}
          onFinish={(v) => {
            if (!v.organizationId) {
              form.setFields([
                { name: 'organizationId', errors: [t('securityIncidents.new.organizationRequired')] },
              ]);
              return;
            }
            const notice = Object.fromEntries(
              Object.entries(v.notice ?? {}).filter(
                ([, value]) => typeof value === 'string' && value.trim() !== '',
              ),
            );
            create.mutate({
              organizationId: v.organizationId,
              kind: v.kind,
              title: v.title,
              description: v.description ?? '',
              entryCodes: v.entryCodes ?? [],
              peopleAffected: v.peopleAffected ?? 0,
              cii: v.cii ?? false,
              ...(v.severity === 'proposed' ? {} : { severity: v.severity }),
              detectedAt: new Date(v.detectedAt).toISOString(),
              notice,
            });
          }}
        >
          <Form.Item label={t('securityIncidents.fields.organization')} name="organizationId" required>
            <Select
              options={choices.map((o) => {
                const name = organizationName(o, i18n.language);
                return { value: o.id, label: <span lang={name.lang}>{name.text}</span> };
              })}
            />
          </Form.Item>
          <Form.Item label={t('securityIncidents.fields.kind')} name="kind" required>
            <Select
              options={INCIDENT_KINDS.map((k) => ({ value: k, label: t(`securityIncidents.kinds.${k}`) }))}
            />
          </Form.Item>
          <Form.Item
            label={t('securityIncidents.fields.title')}
            name="title"
            rules={[{ required: true, message: t('securityIncidents.new.titleRequired') }]}
          >
            <Input maxLength={300} />
          </Form.Item>
          <Form.Item label={t('securityIncidents.fields.description')} name="description">
            <Input.TextArea rows={4} />
          </Form.Item>
          <Form.Item
            label={t('securityIncidents.fields.entryCodes')}
            name="entryCodes"
            extra={t('securityIncidents.new.entryCodesHelp')}
          >
            <Select mode="tags" tokenSeparators={[',', ' ']} open={false} />
          </Form.Item>
          <Form.Item label={t('securityIncidents.fields.peopleAffected')} name="peopleAffected" required>
            <InputNumber min={0} max={2_000_000_000} precision={0} style={{ width: 220 }} />
          </Form.Item>
          <Form.Item name="cii" valuePropName="checked">
            <Checkbox>{t('securityIncidents.fields.cii')}</Checkbox>
          </Form.Item>
          <Form.Item
            label={t('securityIncidents.fields.severity')}
            name="severity"
            extra={t('securityIncidents.new.severityHelp')}
          >
            <Select
              options={[
                { value: 'proposed', label: t('securityIncidents.new.severityProposed') },
                ...SEVERITIES.map((s) => ({ value: s, label: t(`securityIncidents.severity.${s}`) })),
              ]}
            />
          </Form.Item>
          <Form.Item label={t('securityIncidents.fields.detectedAt')} name="detectedAt" required>
            <Input type="datetime-local" style={{ width: 260 }} />
          </Form.Item>
          <fieldset>
            <legend>{t('securityIncidents.notice.legend')}</legend>
            {NOTICE_ITEMS.map((item) => (
              <Form.Item key={item} label={t(`securityIncidents.notice.${item}`)} name={['notice', item]}>
                <Input.TextArea rows={2} />
              </Form.Item>
            ))}
          </fieldset>
          {create.error ? <ProblemAlert error={create.error} /> : null}
          <Form.Item>
            <Button type="primary" htmlType="submit" loading={create.isPending}>
              {t('securityIncidents.new.submit')}
            </Button>
          </Form.Item>
        </Form>
      </Card>
    </>
  );
}
