import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Card, Select, Space, Table } from 'antd';
import { useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useParams } from 'react-router';
import { ApiError } from '../../api/client.ts';
import { EmptyText } from '../../components/empty-text.tsx';
import { formatDate } from '../../components/format.ts';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { providerShown } from '../access/access-badges.tsx';
import { OpenTypeBadge } from '../catalog/badges.tsx';
import { formatPercent } from '../catalog/format-catalog.ts';
import { localized } from '../catalog/localized.ts';
import {
  cityItemRows,
  type OrganizationRow,
  openedShare,
  organizationRows,
  PROGRESS_ORDER,
  parseYear,
  progressChartOption,
  totalOf,
  totalsSentence,
  yearChoices,
} from './city-plan.ts';
import { cityPlanDownloads, OPENING_KEY, useOpeningApi } from './opening-api.ts';
import { ProgressBadge } from './opening-badges.tsx';
import type { CityPlan, ItemProgress, PlanTotals } from './opening-types.ts';
import { ProgressChart } from './progress-chart.tsx';
import '../catalog/catalog.css';
import './opening.css';

type CityItem = CityPlan['items'][number];

function reducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

function useProgressLabels(): Record<ItemProgress, string> {
  const { t } = useTranslation();
  return useMemo(
    () =>
      Object.fromEntries(PROGRESS_ORDER.map((p) => [p, t(`opening.progress.${p}`)])) as Record<
        ItemProgress,
        string
      >,
    [t],
  );
}

function Totals({ totals }: { totals: PlanTotals }) {
  const { t, i18n } = useTranslation();
  const labels = useProgressLabels();
  const number = new Intl.NumberFormat(i18n.language);
  return (
    <table className="dp-kv" data-testid="city-plan-totals" style={{ marginBottom: 20 }}>
      <caption>{t('opening.city.totalsCaption')}</caption>
      <tbody>
        <tr>
          <th scope="row">{t('opening.city.plannedItems')}</th>
          <td>{number.format(totals.items)}</td>
        </tr>
        {PROGRESS_ORDER.map((p) => (
          <tr key={p}>
            <th scope="row">{labels[p]}</th>
            <td>{number.format(totalOf(totals, p))}</td>
          </tr>
        ))}
        <tr>
          <th scope="row">{t('opening.city.openedShare')}</th>
          <td>{formatPercent(openedShare(totals), i18n.language)}</td>
        </tr>
      </tbody>
    </table>
  );
}

function ProgressByOrganization({ rows, totals }: { rows: OrganizationRow[]; totals: PlanTotals }) {
  const { t } = useTranslation();
  const labels = useProgressLabels();
  const option = useMemo(() => progressChartOption(rows, labels, !reducedMotion()), [rows, labels]);
  const caption = t('opening.city.byOrganizationCaption');
  return (
    <section aria-labelledby="city-plan-progress" style={{ marginBottom: 24 }}>
      <h2 id="city-plan-progress" style={{ fontSize: 18, margin: '0 0 12px' }}>
        {t('opening.city.progressTitle')}
      </h2>
      <div className="dp-plan-progress">
        <ProgressChart
          label={t('opening.city.chartLabel', {
            summary: totalsSentence(
              totals,
              labels,
              t('opening.city.plannedItems'),
              t('common.listSeparator'),
            ),
          })}
          option={option}
          height={Math.max(200, 60 + rows.length * 36)}
        />
        <TableRegion label={caption}>
          <Table<OrganizationRow>
            data-testid="city-plan-organizations"
            rowKey="organizationId"
            dataSource={rows}
            pagination={false}
            size="small"
            caption={<span className="dp-table-caption">{caption}</span>}
            locale={{ emptyText: <EmptyText>{t('opening.city.empty')}</EmptyText> }}
            columns={[
              {
                title: t('opening.fields.organization'),
                key: 'name',
                render: (_: unknown, r: OrganizationRow) => <span lang={r.lang}>{r.name}</span>,
              },
              {
                title: t('opening.city.plannedItems'),
                key: 'items',
                align: 'right',
                render: (_: unknown, r: OrganizationRow) => r.totals.items,
              },
              ...PROGRESS_ORDER.map((p) => ({
                title: labels[p],
                key: p,
                align: 'right' as const,
                render: (_: unknown, r: OrganizationRow) => totalOf(r.totals, p),
              })),
            ]}
          />
        </TableRegion>
      </div>
    </section>
  );
}

function Items({ plan, names }: { plan: CityPlan; names: Map<string, { text: string; lang: string }> }) {
  const { t, i18n } = useTranslation();
  const labels = useProgressLabels();
  const progressId = useId();
  const orgId = useId();
  const [progress, setProgress] = useState<ItemProgress | 'all'>('all');
  const [organization, setOrganization] = useState<string>('all');
  const rows = cityItemRows(plan.items, progress, organization);
  const caption = t('opening.city.itemsCaption', { count: rows.length });
  return (
    <section aria-labelledby="city-plan-items" style={{ marginBottom: 24 }}>
      <h2 id="city-plan-items" style={{ fontSize: 18, margin: '0 0 12px' }}>
        {t('opening.city.itemsTitle')}
      </h2>
      <div className="dp-toolbar">
        <div>
          <label htmlFor={progressId} className="dp-field-label">
            {t('opening.fields.progress')}
          </label>
          <Select<ItemProgress | 'all'>
            id={progressId}
            value={progress}
            style={{ width: 200 }}
            onChange={setProgress}
            options={[
              { value: 'all', label: t('opening.city.allProgress') },
              ...PROGRESS_ORDER.map((p) => ({ value: p, label: labels[p] })),
            ]}
          />
        </div>
        <div>
          <label htmlFor={orgId} className="dp-field-label">
            {t('opening.fields.organization')}
          </label>
          <Select<string>
            id={orgId}
            value={organization}
            style={{ width: 280 }}
            onChange={setOrganization}
            options={[
              { value: 'all', label: t('opening.city.allOrganizations') },
              ...[...names].map(([id, name]) => ({ value: id, label: name.text })),
            ]}
          />
        </div>
      </div>
      <TableRegion label={caption}>
        <Table<CityItem>
          data-testid="city-plan-items"
          rowKey={(i) => `${i.organizationId}:${i.entryCode}`}
          dataSource={rows}
          pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
          caption={<span className="dp-table-caption">{caption}</span>}
          locale={{ emptyText: <EmptyText>{t('opening.city.noItems')}</EmptyText> }}
          columns={[
            {
              title: t('opening.fields.entry'),
              key: 'entry',
              render: (_: unknown, i: CityItem) => {
                const title = localized(i.entryTitle, i18n.language);
                return (
                  <>
                    <Link to={`/catalog/entries/${encodeURIComponent(i.entryCode)}`} lang={title.lang}>
                      {title.text || i.entryCode}
                    </Link>
                    <br />
                    <span className="dp-code">{i.entryCode}</span>
                  </>
                );
              },
            },
            {
              title: t('opening.fields.organization'),
              key: 'organization',
              render: (_: unknown, i: CityItem) => {
                const name = names.get(i.organizationId);
                return name ? <span lang={name.lang}>{name.text}</span> : '—';
              },
            },
            {
              title: t('opening.fields.openType'),
              dataIndex: 'openType',
              render: (v: string) => <OpenTypeBadge value={v} />,
            },
            {
              title: t('opening.fields.condition'),
              dataIndex: 'condition',
              render: (v: string | null) => v || '—',
            },
            {
              title: t('opening.fields.plannedDate'),
              dataIndex: 'plannedDate',
              className: 'dp-nowrap',
              render: (v: string) => formatDate(v, i18n.language),
            },
            {
              title: t('opening.fields.progress'),
              dataIndex: 'progress',
              render: (v: string) => <ProgressBadge value={v} />,
            },
            {
              title: t('opening.fields.openedAt'),
              dataIndex: 'openedAt',
              className: 'dp-nowrap',
              render: (v: string | null) => formatDate(v, i18n.language),
            },
          ]}
        />
      </TableRegion>
    </section>
  );
}

function Downloads({ year }: { year: number }) {
  const { t } = useTranslation();
  const links = cityPlanDownloads(year);
  return (
    <Card title={<h2 style={{ margin: 0, fontSize: 18 }}>{t('opening.city.downloadsTitle')}</h2>}>
      <p style={{ marginTop: 0 }}>{t('opening.city.downloadsIntro')}</p>
      <Space wrap size="large" data-testid="city-plan-downloads">
        <a href={links.csv} download={`opening-plan-${year}.csv`}>
          {t('opening.city.downloadCsv')}
        </a>
        <a href={links.ttl} download={`opening-plan-${year}.ttl`}>
          {t('opening.city.downloadTtl')}
        </a>
      </Space>
    </Card>
  );
}

/** `/opening` goes to this year's plan. */
export function CityPlanRedirect() {
  return <Navigate to={`/opening/${new Date().getFullYear()}`} replace />;
}

/** The city-wide opening plan of a year: approved items of every institution and how far each has come. */
export function CityPlanPage() {
  const { t, i18n } = useTranslation();
  const navigate = useNavigate();
  const api = useOpeningApi();
  const yearId = useId();
  const { year: param } = useParams();
  const year = parseYear(param);
  const plan = useQuery({
    queryKey: [...OPENING_KEY, 'city', year],
    queryFn: ({ signal }) => api.city(year ?? 0, signal),
    enabled: year !== undefined,
    placeholderData: keepPreviousData,
  });
  const rows = useMemo(
    () => (plan.data ? organizationRows(plan.data, (n) => providerShown(n, i18n.language)) : []),
    [plan.data, i18n.language],
  );
  const names = useMemo(
    () => new Map(rows.map((r) => [r.organizationId, { text: r.name, lang: r.lang }])),
    [rows],
  );
  const choices = yearChoices();
  if (year === undefined) return <CityPlanRedirect />;
  const missing = plan.error instanceof ApiError && plan.error.status === 404;
  return (
    <>
      <PageHeader title={t('opening.city.title', { year })} description={t('opening.city.intro')} />
      <div className="dp-toolbar">
        <div>
          <label htmlFor={yearId} className="dp-field-label">
            {t('opening.fields.year')}
          </label>
          <Select<number>
            id={yearId}
            value={year}
            style={{ width: 140 }}
            onChange={(y) => navigate(`/opening/${y}`)}
            options={(choices.includes(year) ? choices : [year, ...choices]).map((y) => ({
              value: y,
              label: String(y),
            }))}
          />
        </div>
      </div>
      {plan.error && !missing ? <ProblemAlert error={plan.error} /> : null}
      {missing || (plan.data && plan.data.totals.items === 0) ? (
        <p data-testid="city-plan-empty">
          <EmptyText>{t('opening.city.emptyYear', { year })}</EmptyText>
        </p>
      ) : null}
      {plan.data && plan.data.totals.items > 0 ? (
        <>
          <Totals totals={plan.data.totals} />
          <ProgressByOrganization rows={rows} totals={plan.data.totals} />
          <Items plan={plan.data} names={names} />
        </>
      ) : null}
      {plan.data || missing ? <Downloads year={year} /> : null}
    </>
  );
}
