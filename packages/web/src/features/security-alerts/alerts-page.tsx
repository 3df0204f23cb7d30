import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { App, Button, Card, Descriptions, Input, Select, Space, Table, Tag } from 'antd';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useSession } from '../auth/session.ts';
import { organizationName } from '../catalog/localized.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { ALERTS_KEY, useAlertsApi } from './alerts-api.ts';
import {
  evidenceRows,
  filterFromParams,
  mayConfigureMonitoring,
  mayHandleAlerts,
  mayRunMonitoring,
  nextMoves,
  SEVERITY_COLOR,
} from './alerts-model.ts';
import { ALERT_RULES, ALERT_STATES, type AlertView } from './alerts-types.ts';
import { ThresholdsForm } from './thresholds-form.tsx';

function SeverityTag({ severity }: { severity: AlertView['severity'] }) {
  const { t } = useTranslation();
  return <Tag color={SEVERITY_COLOR[severity]}>{t(`securityAlerts.severity.${severity}`)}</Tag>;
}

/** One alert: what was seen, in which window, the evidence, and what may be done with it. */
function AlertDetail({ alert, onChanged }: { alert: AlertView; onChanged: (next: AlertView) => void }) {
  const { t, i18n } = useTranslation();
  const api = useAlertsApi();
  const { message } = App.useApp();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const [note, setNote] = useState('');
  const noteId = useId();
  const act = useMutation({
    mutationFn: (move: 'acknowledge' | 'close' | 'escalate') => api[move](alert.id, note.trim() || undefined),
    onSuccess: (next) => {
      setNote('');
      onChanged(next);
      void message.success(t(`securityAlerts.done.${next.state}`));
    },
  });
  const moves = mayHandleAlerts(user) ? nextMoves(alert.state) : [];
  return (
    <Card
      title={<h2 style={{ margin: 0, fontSize: 18 }}>{t(`securityAlerts.rules.${alert.rule}`)}</h2>}
      style={{ marginTop: 20 }}
      data-testid="alert-detail"
    >
      <Descriptions column={1} size="small" bordered>
        <Descriptions.Item label={t('securityAlerts.columns.severity')}>
          <SeverityTag severity={alert.severity} />
        </Descriptions.Item>
        <Descriptions.Item label={t('securityAlerts.columns.state')}>
          {t(`securityAlerts.states.${alert.state}`)}
        </Descriptions.Item>
        <Descriptions.Item label={t('securityAlerts.columns.subject')}>
          {`${alert.subject.type}: ${alert.subject.id}`}
        </Descriptions.Item>
        {alert.object ? (
          <Descriptions.Item label={t('securityAlerts.columns.object')}>
            {`${alert.object.type}: ${alert.object.id}`}
          </Descriptions.Item>
        ) : null}
        <Descriptions.Item label={t('securityAlerts.columns.window')}>
          {`${formatDateTime(alert.window.start, i18n.language)} – ${formatDateTime(alert.window.end, i18n.language)}`}
        </Descriptions.Item>
        {alert.incidentId ? (
          <Descriptions.Item label={t('securityAlerts.incident')}>{alert.incidentId}</Descriptions.Item>
        ) : null}
        {alert.note ? (
          <Descriptions.Item label={t('securityAlerts.note')}>{alert.note}</Descriptions.Item>
        ) : null}
      </Descriptions>
      <h3 style={{ fontSize: 16, marginTop: 16 }}>{t('securityAlerts.evidence')}</h3>
      <Descriptions column={1} size="small" bordered>
        {evidenceRows(alert.evidence).map((row) => (
          <Descriptions.Item key={row.key} label={t(`securityAlerts.evidenceKeys.${row.key}`, row.key)}>
            {row.value}
          </Descriptions.Item>
        ))}
      </Descriptions>
      {moves.length > 0 ? (
        <div style={{ marginTop: 16 }}>
          <label htmlFor={noteId} className="dp-field-label">
            {t('securityAlerts.note')}
          </label>
          <Input.TextArea
            id={noteId}
            value={note}
            maxLength={2000}
            rows={2}
            onChange={(e) => setNote(e.target.value)}
          />
          <Space style={{ marginTop: 8 }} wrap>
            {moves.map((move) => (
              <Button
                key={move}
                type={move === 'escalate' ? 'primary' : 'default'}
                danger={move === 'escalate'}
                loading={act.isPending && act.variables === move}
                onClick={() => act.mutate(move)}
              >
                {t(`securityAlerts.actions.${move}`)}
              </Button>
            ))}
          </Space>
        </div>
      ) : null}
      <ProblemAlert error={act.error} />
    </Card>
  );
}

/** Monitoring alerts (Art. 46 of the regulation: surveillance and early warning): filter, read the evidence, acknowledge, close or escalate. */
export function AlertsPage() {
  const { t, i18n } = useTranslation();
  const api = useAlertsApi();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const institutions = useInstitutions();
  const [params, setParams] = useSearchParams();
  const filter = filterFromParams(params);
  const selectedId = params.get('alert') ?? undefined;
  const stateId = useId();
  const ruleId = useId();
  const orgId = useId();

  const list = useQuery({
    queryKey: [...ALERTS_KEY, filter],
    queryFn: ({ signal }) => api.list(filter, signal),
  });
  const selected = useQuery({
    queryKey: [...ALERTS_KEY, 'one', selectedId],
    queryFn: ({ signal }) => api.get(selectedId!, signal),
    enabled: selectedId !== undefined,
  });
  const run = useMutation({
    mutationFn: () => api.run(),
    onSuccess: (report) => {
      void queryClient.invalidateQueries({ queryKey: ALERTS_KEY });
      void message.success(t('securityAlerts.ran', { count: report.alerts }));
    },
  });

  const update = (changes: Record<string, string | undefined>) => {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === undefined || value === '') next.delete(key);
      else next.set(key, value);
    }
    setParams(next);
  };
  const orgName = (id: string | null) => {
    if (id === null) return t('securityAlerts.platform');
    const org = institutions.data?.find((o) => o.id === id);
    if (org === undefined) return id;
    const shown = organizationName(org, i18n.language);
    return <span lang={shown.lang}>{shown.text}</span>;
  };
  const caption = t('securityAlerts.caption');

  return (
    <>
      <PageHeader
        title={t('securityAlerts.title')}
        description={t('securityAlerts.intro')}
        extra={
          mayRunMonitoring(user) ? (
            <Button onClick={() => run.mutate()} loading={run.isPending}>
              {t('securityAlerts.run')}
            </Button>
          ) : null
        }
      />
      <ProblemAlert error={run.error} />
      <Space wrap style={{ marginBottom: 16 }} align="end">
        <div>
          <label htmlFor={stateId} className="dp-field-label">
            {t('securityAlerts.columns.state')}
          </label>
          <Select<string>
            id={stateId}
            allowClear
            style={{ minWidth: 160 }}
            value={filter.state ?? null}
            placeholder={t('securityAlerts.all')}
            onChange={(v?: string) => update({ state: v, page: undefined })}
            options={ALERT_STATES.map((s) => ({ value: s, label: t(`securityAlerts.states.${s}`) }))}
          />
        </div>
        <div>
          <label htmlFor={ruleId} className="dp-field-label">
            {t('securityAlerts.columns.rule')}
          </label>
          <Select<string>
            id={ruleId}
            allowClear
            style={{ minWidth: 240 }}
            value={filter.rule ?? null}
            placeholder={t('securityAlerts.all')}
            onChange={(v?: string) => update({ rule: v, page: undefined })}
            options={ALERT_RULES.map((r) => ({ value: r, label: t(`securityAlerts.rules.${r}`) }))}
          />
        </div>
        <div>
          <label htmlFor={orgId} className="dp-field-label">
            {t('securityAlerts.columns.organization')}
          </label>
          <Select<string>
            id={orgId}
            allowClear
            showSearch
            optionFilterProp="label"
            style={{ minWidth: 240 }}
            value={filter.organizationId ?? null}
            placeholder={t('securityAlerts.all')}
            onChange={(v?: string) => update({ organization: v, page: undefined })}
            options={(institutions.data ?? []).map((o) => ({
              value: o.id,
              label: organizationName(o, i18n.language).text,
            }))}
          />
        </div>
      </Space>
      <ProblemAlert error={list.error} />
      <TableRegion label={caption}>
        <Table<AlertView>
          rowKey="id"
          loading={list.isLoading}
          dataSource={list.data?.items ?? []}
          caption={<span className="dp-table-caption">{caption}</span>}
          pagination={{
            current: filter.offset / filter.limit + 1,
            pageSize: filter.limit,
            total: list.data?.total ?? 0,
            showSizeChanger: false,
            onChange: (page) => update({ page: String(page) }),
          }}
          rowClassName={(a) => (a.id === selectedId ? 'ant-table-row-selected' : '')}
          columns={[
            {
              title: t('securityAlerts.columns.createdAt'),
              dataIndex: 'createdAt',
              render: (v: string) => formatDateTime(v, i18n.language),
            },
            {
              title: t('securityAlerts.columns.severity'),
              dataIndex: 'severity',
              render: (v: AlertView['severity']) => <SeverityTag severity={v} />,
            },
            {
              title: t('securityAlerts.columns.rule'),
              dataIndex: 'rule',
              render: (v: string, a) => (
                <Button type="link" style={{ padding: 0 }} onClick={() => update({ alert: a.id })}>
                  {t(`securityAlerts.rules.${v}`)}
                </Button>
              ),
            },
            {
              title: t('securityAlerts.columns.organization'),
              dataIndex: 'organizationId',
              render: (v: string | null) => orgName(v),
            },
            {
              title: t('securityAlerts.columns.subject'),
              dataIndex: 'subject',
              render: (v: AlertView['subject']) => `${v.type}: ${v.id}`,
            },
            {
              title: t('securityAlerts.columns.state'),
              dataIndex: 'state',
              render: (v: string) => t(`securityAlerts.states.${v}`),
            },
          ]}
        />
      </TableRegion>
      <ProblemAlert error={selected.error} />
      {selected.data ? (
        <AlertDetail
          alert={selected.data}
          onChanged={(next) => {
            queryClient.setQueryData([...ALERTS_KEY, 'one', next.id], next);
            void queryClient.invalidateQueries({ queryKey: [...ALERTS_KEY] });
          }}
        />
      ) : null}
      {mayConfigureMonitoring(user) ? <ThresholdsForm /> : null}
    </>
  );
}
