import { useQuery } from '@tanstack/react-query';
import { Card, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDateTime } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useSession } from '../auth/session.ts';
import { organizationName } from '../catalog/localized.ts';
import { mayReadAlerts } from '../security-alerts/alerts-model.ts';
import { mayReadIncidents } from '../security-incidents/incidents-model.ts';
import { mayReadTransfers } from '../security-transfers/transfers-model.ts';
import { GradedChart } from './graded-chart.tsx';
import { dashboardTotals, deadlinePassed, gradedChartOption } from './grading-levels.ts';
import { SECURITY_KEY, useSecurityApi } from './security-api.ts';
import type { DashboardRow } from './security-types.ts';
import '../catalog/catalog.css';
import './security.css';

/** Per institution: what is left to grade, what awaits a security officer, alerts, incidents, officers. */
export function SecurityDashboardPage() {
  const { t, i18n } = useTranslation();
  const api = useSecurityApi();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const dashboard = useQuery({
    queryKey: [...SECURITY_KEY, 'dashboard'],
    queryFn: ({ signal }) => api.dashboard(signal),
  });
  const rows = dashboard.data?.organizations ?? [];
  const totals = dashboardTotals(rows);
  const now = new Date();
  const name = (r: DashboardRow) =>
    organizationName({ name: r.name, nameEn: r.nameEn ?? undefined }, i18n.language);
  const caption = t('securityGrading.dashboard.caption');
  const named = (officer: { name: string } | null) =>
    officer ? (
      officer.name
    ) : (
      <span className="dp-security-overdue">{t('securityGrading.dashboard.notNamed')}</span>
    );
  return (
    <>
      <PageHeader
        title={t('securityGrading.dashboard.title')}
        description={t('securityGrading.dashboard.intro')}
      />
      <nav className="dp-security-links" aria-label={t('securityGrading.dashboard.linksLabel')}>
        {mayReadAlerts(user) ? <Link to="/security/alerts">{t('securityAlerts.nav')}</Link> : null}
        {mayReadIncidents(user) ? <Link to="/security/incidents">{t('securityIncidents.nav')}</Link> : null}
        {mayReadTransfers(user) ? <Link to="/security/transfers">{t('securityTransfers.nav')}</Link> : null}
        <Link to="/security/important-data">{t('securityGrading.importantData.title')}</Link>
        <Link to="/security/officers">{t('securityGrading.officers.title')}</Link>
      </nav>
      {dashboard.error ? <ProblemAlert error={dashboard.error} /> : null}
      <Card style={{ marginBottom: 20 }}>
        <p data-testid="security-totals">
          {t('securityGrading.dashboard.totals', {
            entries: totals.entries,
            graded: totals.graded,
            ungraded: totals.ungraded,
            awaiting: totals.awaitingConfirmation,
          })}
        </p>
        {totals.entries > 0 ? (
          <GradedChart
            label={t('securityGrading.dashboard.chartLabel', {
              graded: totals.graded,
              ungraded: totals.ungraded,
            })}
            height={Math.max(160, 36 * rows.filter((r) => r.entries > 0).length + 60)}
            option={gradedChartOption(rows, {
              graded: t('securityGrading.dashboard.graded'),
              ungraded: t('securityGrading.dashboard.ungraded'),
              name: (r) => name(r).text,
            })}
          />
        ) : null}
      </Card>
      <Card>
        <TableRegion label={caption}>
          <Table<DashboardRow>
            data-testid="security-dashboard"
            rowKey="organizationId"
            loading={dashboard.isFetching}
            dataSource={rows}
            pagination={false}
            caption={<span className="dp-table-caption">{caption}</span>}
            locale={{ emptyText: <EmptyText>{t('securityGrading.dashboard.empty')}</EmptyText> }}
            columns={[
              {
                title: t('securityGrading.fields.organization'),
                key: 'organization',
                render: (_: unknown, r: DashboardRow) => {
                  const shown = name(r);
                  return <span lang={shown.lang}>{shown.text}</span>;
                },
              },
              { title: t('securityGrading.dashboard.entries'), dataIndex: 'entries', align: 'right' },
              { title: t('securityGrading.dashboard.ungraded'), dataIndex: 'ungraded', align: 'right' },
              {
                title: t('securityGrading.dashboard.awaiting'),
                dataIndex: 'awaitingConfirmation',
                align: 'right',
              },
              { title: t('securityGrading.dashboard.important'), dataIndex: 'important', align: 'right' },
              { title: t('securityGrading.dashboard.core'), dataIndex: 'core', align: 'right' },
              { title: t('securityGrading.dashboard.alerts'), dataIndex: 'openAlerts', align: 'right' },
              { title: t('securityGrading.dashboard.incidents'), dataIndex: 'openIncidents', align: 'right' },
              {
                title: t('securityGrading.dashboard.deadline'),
                key: 'deadline',
                className: 'dp-nowrap',
                render: (_: unknown, r: DashboardRow) => {
                  if (!r.nextDeadline) return '—';
                  const late =
                    r.deadlinePassed || deadlinePassed(r.nextDeadline, now) || r.overdueIncidents > 0;
                  const text = formatDateTime(r.nextDeadline, i18n.language);
                  return late ? (
                    <span className="dp-security-overdue" data-testid="deadline-overdue">
                      {text} · {t('securityGrading.dashboard.overdue', { count: r.overdueIncidents })}
                    </span>
                  ) : (
                    text
                  );
                },
              },
              {
                title: t('securityGrading.officers.chiefDataOfficer'),
                key: 'cdo',
                render: (_: unknown, r: DashboardRow) => named(r.chiefDataOfficer),
              },
              {
                title: t('securityGrading.officers.securityOfficer'),
                key: 'so',
                render: (_: unknown, r: DashboardRow) => named(r.securityOfficer),
              },
              {
                title: t('common.actions'),
                key: 'actions',
                className: 'dp-nowrap',
                render: (_: unknown, r: DashboardRow) => (
                  <Link
                    to={`/security/important-data?organization=${encodeURIComponent(r.organizationId)}`}
                    aria-label={t('securityGrading.dashboard.importantFor', { name: name(r).text })}
                  >
                    {t('securityGrading.importantData.short')}
                  </Link>
                ),
              },
            ]}
          />
        </TableRegion>
      </Card>
    </>
  );
}
