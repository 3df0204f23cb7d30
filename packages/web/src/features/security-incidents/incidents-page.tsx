import { useQuery } from '@tanstack/react-query';
import { Button, Card, Checkbox, Select, Table } from 'antd';
import { useId } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useSession } from '../auth/session.ts';
import { localized } from '../catalog/localized.ts';
import { DeadlineText, IncidentStateBadge, SeverityBadge } from './incident-badges.tsx';
import { INCIDENTS_KEY, useIncidentsApi } from './incidents-api.ts';
import { mayManageIncidents } from './incidents-model.ts';
import { INCIDENT_STATES, type Incident, type IncidentState } from './incidents-types.ts';
import '../catalog/catalog.css';
import './incidents.css';

/** Incidents the reader may see, newest first; overdue reporting deadlines stand out in words and colour. */
export function IncidentsPage() {
  const { t, i18n } = useTranslation();
  const api = useIncidentsApi();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const stateId = useId();
  const state = (params.get('state') ?? undefined) as IncidentState | undefined;
  const overdueOnly = params.get('overdue') === 'true';
  const incidents = useQuery({
    queryKey: [...INCIDENTS_KEY, 'list', state ?? 'all', overdueOnly],
    queryFn: ({ signal }) =>
      api.list({ ...(state ? { state } : {}), ...(overdueOnly ? { overdue: true } : {}) }, signal),
  });
  const setFilter = (next: { state?: string | undefined; overdue?: boolean }) => {
    const p = new URLSearchParams(params);
    if ('state' in next) {
      if (next.state) p.set('state', next.state);
      else p.delete('state');
    }
    if (next.overdue !== undefined) {
      if (next.overdue) p.set('overdue', 'true');
      else p.delete('overdue');
    }
    setParams(p);
  };
  const caption = t('securityIncidents.list.caption');
  return (
    <>
      <PageHeader
        title={t('securityIncidents.list.title')}
        description={t('securityIncidents.list.intro')}
        extra={
          mayManageIncidents(user) ? (
            <Button type="primary" onClick={() => navigate('/security/incidents/new')}>
              {t('securityIncidents.list.new')}
            </Button>
          ) : undefined
        }
      />
      <Card>
        <div className="dp-toolbar">
          <div>
            <label htmlFor={stateId} className="dp-field-label">
              {t('securityIncidents.fields.state')}
            </label>
            <Select<string>
              id={stateId}
              value={state ?? 'all'}
              style={{ width: 180 }}
              onChange={(v) => setFilter({ state: v === 'all' ? undefined : v })}
              options={[
                { value: 'all', label: t('securityIncidents.list.allStates') },
                ...INCIDENT_STATES.map((s) => ({ value: s, label: t(`securityIncidents.states.${s}`) })),
              ]}
            />
          </div>
          <Checkbox checked={overdueOnly} onChange={(e) => setFilter({ overdue: e.target.checked })}>
            {t('securityIncidents.list.overdueOnly')}
          </Checkbox>
        </div>
        {incidents.error ? <ProblemAlert error={incidents.error} /> : null}
        <TableRegion label={caption}>
          <Table<Incident>
            rowKey="id"
            loading={incidents.isPending}
            dataSource={incidents.data?.items ?? []}
            pagination={{ pageSize: 20, hideOnSinglePage: true }}
            title={() => <span className="dp-visually-hidden">{caption}</span>}
            locale={{ emptyText: <EmptyText>{t('securityIncidents.list.empty')}</EmptyText> }}
            columns={[
              {
                title: t('securityIncidents.fields.title'),
                dataIndex: 'title',
                render: (_: unknown, row) => (
                  <Link to={`/security/incidents/${encodeURIComponent(row.id)}`}>{row.title}</Link>
                ),
              },
              {
                title: t('securityIncidents.fields.organization'),
                dataIndex: 'organizationName',
                render: (_: unknown, row) => {
                  const name = localized(row.organizationName, i18n.language);
                  return <span lang={name.lang}>{name.text}</span>;
                },
              },
              {
                title: t('securityIncidents.fields.kind'),
                dataIndex: 'kind',
                render: (_: unknown, row) => t(`securityIncidents.kinds.${row.kind}`),
              },
              {
                title: t('securityIncidents.fields.severity'),
                dataIndex: 'severity',
                render: (_: unknown, row) => <SeverityBadge value={row.severity} />,
              },
              {
                title: t('securityIncidents.fields.state'),
                dataIndex: 'state',
                render: (_: unknown, row) => <IncidentStateBadge value={row.state} />,
              },
              {
                title: t('securityIncidents.fields.detectedAt'),
                dataIndex: 'detectedAt',
                render: (_: unknown, row) => formatDateTime(row.detectedAt, i18n.language),
              },
              {
                title: t('securityIncidents.fields.deadline'),
                dataIndex: 'deadlineAt',
                render: (_: unknown, row) => <DeadlineText incident={row} />,
              },
            ]}
          />
        </TableRegion>
      </Card>
    </>
  );
}
