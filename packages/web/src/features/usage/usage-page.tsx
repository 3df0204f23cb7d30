import { useQuery } from '@tanstack/react-query';
import { Select, Table } from 'antd';
import { useId, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router';
import { PageLoading } from '../../app/status-pages.tsx';
import { EmptyText } from '../../components/empty-text.tsx';
import { PageHeader } from '../../components/page-header.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import { TableRegion } from '../../components/table-region.tsx';
import { useSession } from '../auth/session.ts';
import { Badge } from '../catalog/badges.tsx';
import { formatPercent } from '../catalog/format-catalog.ts';
import { localized } from '../catalog/localized.ts';
import { useInstitutions } from '../catalog/use-catalog-data.ts';
import { EChart } from '../datastore/echart.tsx';
import { USAGE_KEY, useUsageApi } from './usage-api.ts';
import {
  CALLER_KINDS,
  type OrganizationUsage,
  USAGE_CHANNELS,
  USAGE_PERIODS,
  type UsagePeriod,
} from './usage-types.ts';
import {
  type CallerRow,
  callerRows,
  callerTone,
  channelTotals,
  chartLabel,
  chosenOrganization,
  dailySeries,
  type EntryRow,
  entryRows,
  formatDay,
  formatMonth,
  kindTotals,
  parsePeriod,
  type ReadsRow,
  readsTable,
  seriesFacts,
  usageChartOption,
  usageOrganizations,
} from './usage-view.ts';
import '../catalog/catalog.css';
import './usage.css';

function reducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

function useNumber(): (n: number) => string {
  const { i18n } = useTranslation();
  return useMemo(() => {
    const format = new Intl.NumberFormat(i18n.language);
    return (n: number) => format.format(n);
  }, [i18n.language]);
}

export function CallerKindBadge({ kind }: { kind: string }) {
  const { t } = useTranslation();
  return (
    <Badge
      kind={t('usage.fields.callerKind')}
      text={t(`usage.kinds.${kind}`, { defaultValue: kind })}
      tone={callerTone(kind)}
    />
  );
}

function Summary({ report }: { report: OrganizationUsage }) {
  const { t, i18n } = useTranslation();
  const number = useNumber();
  const channels = channelTotals(report.entries);
  const kinds = kindTotals(report);
  const series = dailySeries(report);
  const facts = seriesFacts(series);
  return (
    <section aria-labelledby="usage-summary" style={{ marginBottom: 24 }}>
      <h2 id="usage-summary" className="dp-section-title">
        {t('usage.summary.title')}
      </h2>
      <div className="dp-usage-summary">
        <table className="dp-kv" data-testid="usage-totals">
          <caption>{t('usage.summary.channelsCaption')}</caption>
          <tbody>
            <tr>
              <th scope="row">{t('usage.summary.period')}</th>
              <td>
                {t('usage.summary.range', {
                  from: formatDay(facts.first ?? report.since, i18n.language, true),
                  to: formatDay(facts.last ?? report.since, i18n.language, true),
                })}
              </td>
            </tr>
            <tr>
              <th scope="row">{t('usage.summary.total')}</th>
              <td data-testid="usage-total">{number(report.total)}</td>
            </tr>
            {USAGE_CHANNELS.map((c) => (
              <tr key={c}>
                <th scope="row">{t(`usage.channels.${c}`)}</th>
                <td>{number(channels[c])}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <table className="dp-kv">
          <caption>{t('usage.summary.kindsCaption')}</caption>
          <tbody>
            {CALLER_KINDS.map((k) => (
              <tr key={k}>
                <th scope="row">{t(`usage.kinds.${k}`)}</th>
                <td>{number(kinds[k])}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function Daily({ report }: { report: OrganizationUsage }) {
  const { t, i18n } = useTranslation();
  const number = useNumber();
  const series = useMemo(() => dailySeries(report), [report]);
  const facts = seriesFacts(series);
  const table = readsTable(series);
  const reads = t('usage.fields.reads');
  const option = useMemo(
    () => usageChartOption(series, reads, (day) => formatDay(day, i18n.language), !reducedMotion()),
    [series, reads, i18n.language],
  );
  const named = chartLabel(facts, report.since, (day) => formatDay(day, i18n.language, true), number);
  const label = t(named.key, named.values);
  const caption = table.unit === 'day' ? t('usage.daily.dayCaption') : t('usage.daily.monthCaption');
  return (
    <section aria-labelledby="usage-daily" style={{ marginBottom: 24 }}>
      <h2 id="usage-daily" className="dp-section-title">
        {t('usage.daily.title')}
      </h2>
      <div className="dp-usage-daily">
        <EChart label={label} option={option} height={320} testId="usage-chart" />
        <TableRegion label={caption}>
          <Table<ReadsRow>
            data-testid="usage-daily-table"
            rowKey="key"
            size="small"
            dataSource={table.rows}
            pagination={false}
            caption={<span className="dp-table-caption">{caption}</span>}
            columns={[
              {
                title: table.unit === 'day' ? t('usage.fields.day') : t('usage.fields.month'),
                dataIndex: 'key',
                className: 'dp-nowrap',
                render: (key: string) =>
                  table.unit === 'day' ? (
                    <time dateTime={key}>{formatDay(key, i18n.language, true)}</time>
                  ) : (
                    <time dateTime={key}>{formatMonth(key, i18n.language)}</time>
                  ),
              },
              {
                title: reads,
                dataIndex: 'count',
                align: 'right',
                render: (n: number) => number(n),
              },
            ]}
          />
        </TableRegion>
      </div>
    </section>
  );
}

function Entries({ report }: { report: OrganizationUsage }) {
  const { t, i18n } = useTranslation();
  const number = useNumber();
  const rows = entryRows(report.entries);
  const caption = t('usage.entries.caption', { count: rows.length });
  return (
    <section aria-labelledby="usage-entries" style={{ marginBottom: 24 }}>
      <h2 id="usage-entries" className="dp-section-title">
        {t('usage.entries.title')}
      </h2>
      <TableRegion label={caption}>
        <Table<EntryRow>
          data-testid="usage-entries"
          rowKey="entryCode"
          size="small"
          dataSource={rows}
          pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
          caption={<span className="dp-table-caption">{caption}</span>}
          locale={{ emptyText: <EmptyText>{t('usage.entries.empty')}</EmptyText> }}
          columns={[
            {
              title: t('usage.fields.entry'),
              key: 'entry',
              render: (_: unknown, r: EntryRow) => {
                const title = localized(r.title, i18n.language);
                return (
                  <>
                    <Link to={`/catalog/entries/${encodeURIComponent(r.entryCode)}`} lang={title.lang}>
                      {title.text || r.entryCode}
                    </Link>
                    <br />
                    <span className="dp-code">{r.entryCode}</span>
                  </>
                );
              },
            },
            {
              title: t('usage.fields.reads'),
              dataIndex: 'count',
              align: 'right',
              render: (n: number) => <strong>{number(n)}</strong>,
            },
            ...USAGE_CHANNELS.map((c) => ({
              title: t(`usage.channels.${c}`),
              key: c,
              align: 'right' as const,
              render: (_: unknown, r: EntryRow) => number(r.channels[c]),
            })),
          ]}
        />
      </TableRegion>
    </section>
  );
}

function Callers({ report }: { report: OrganizationUsage }) {
  const { t, i18n } = useTranslation();
  const number = useNumber();
  const rows = callerRows(report);
  const caption = t('usage.callers.caption');
  return (
    <section aria-labelledby="usage-callers" style={{ marginBottom: 24 }}>
      <h2 id="usage-callers" className="dp-section-title">
        {t('usage.callers.title')}
      </h2>
      <p className="dp-meta-line" style={{ marginTop: 0 }}>
        {t('usage.callers.intro')}
      </p>
      <TableRegion label={caption}>
        <Table<CallerRow>
          data-testid="usage-callers"
          rowKey="key"
          size="small"
          dataSource={rows}
          pagination={{ pageSize: 50, showSizeChanger: false, hideOnSinglePage: true }}
          caption={<span className="dp-table-caption">{caption}</span>}
          locale={{ emptyText: <EmptyText>{t('usage.callers.empty')}</EmptyText> }}
          columns={[
            {
              title: t('usage.fields.callerKind'),
              dataIndex: 'kind',
              render: (kind: string) => <CallerKindBadge kind={kind} />,
            },
            {
              title: t('usage.fields.organization'),
              key: 'organization',
              render: (_: unknown, r: CallerRow) =>
                r.organizationName ? (
                  // Organisation names are the Chinese names the platform registers.
                  <span lang="zh-CN">{r.organizationName}</span>
                ) : r.organizationId ? (
                  <span className="dp-code">{r.organizationId}</span>
                ) : (
                  <span className="dp-meta-line">{t('usage.callers.noOrganization')}</span>
                ),
            },
            {
              title: t('usage.fields.reads'),
              dataIndex: 'count',
              align: 'right',
              render: (n: number) => number(n),
            },
            {
              title: t('usage.fields.share'),
              dataIndex: 'share',
              align: 'right',
              render: (share: number) => formatPercent(share, i18n.language),
            },
          ]}
        />
      </TableRegion>
    </section>
  );
}

/** How an organisation's data is read: totals, a line per day, per entry and channel, and by whom (Art. 18). */
export function UsagePage() {
  const { t, i18n } = useTranslation();
  const api = useUsageApi();
  const orgId = useId();
  const periodId = useId();
  const [params, setParams] = useSearchParams();
  const { data: session } = useSession();
  const user = session?.authenticated ? session.user : undefined;
  const institutions = useInstitutions();
  const choices = useMemo(
    () => usageOrganizations(user, institutions.data, i18n.language),
    [user, institutions.data, i18n.language],
  );
  const organization = chosenOrganization(params.get('organization'), choices, user);
  const days = parsePeriod(params.get('days'));
  const report = useQuery({
    queryKey: [...USAGE_KEY, 'organization', organization, days],
    queryFn: ({ signal }) => api.organization(organization ?? '', days, signal),
    enabled: organization !== undefined,
  });
  const choose = (next: { organization?: string; days?: UsagePeriod }) => {
    const chosen = next.organization ?? organization;
    setParams({ ...(chosen ? { organization: chosen } : {}), days: String(next.days ?? days) });
  };

  // A chosen organisation the list does not name yet (an operator's deep link) still gets a label.
  const options = choices.map((c) => ({
    value: c.id,
    label: <span lang={c.lang}>{c.name}</span>,
    searchText: c.name,
  }));
  if (organization !== undefined && !choices.some((c) => c.id === organization))
    options.unshift({ value: organization, label: <span>{organization}</span>, searchText: organization });

  const data = report.data;
  return (
    <>
      <PageHeader title={t('usage.title')} description={t('usage.intro')} />
      <div className="dp-toolbar">
        <div>
          <label htmlFor={orgId} className="dp-field-label">
            {t('usage.fields.organization')}
          </label>
          <Select<string>
            id={orgId}
            value={organization ?? null}
            style={{ minWidth: 300 }}
            placeholder={t('usage.chooseOrganization')}
            showSearch={{ optionFilterProp: 'searchText' }}
            loading={institutions.isPending}
            onChange={(value) => choose({ organization: value })}
            options={options}
          />
        </div>
        <div>
          <label htmlFor={periodId} className="dp-field-label">
            {t('usage.fields.period')}
          </label>
          <Select<UsagePeriod>
            id={periodId}
            value={days}
            style={{ width: 180 }}
            onChange={(value) => choose({ days: value })}
            options={USAGE_PERIODS.map((d) => ({ value: d, label: t('usage.periods.days', { count: d }) }))}
          />
        </div>
      </div>
      {organization === undefined ? (
        institutions.isPending ? (
          <PageLoading />
        ) : (
          <p data-testid="usage-no-organization">
            <EmptyText>{t('usage.noOrganization')}</EmptyText>
          </p>
        )
      ) : null}
      {report.error ? <ProblemAlert error={report.error} /> : null}
      {organization !== undefined && report.isPending ? <PageLoading /> : null}
      {data ? (
        <>
          <Summary report={data} />
          {data.total === 0 ? (
            <p data-testid="usage-empty">
              <EmptyText>{t('usage.empty', { count: data.days })}</EmptyText>
            </p>
          ) : (
            <>
              <Daily report={data} />
              <Entries report={data} />
              <Callers report={data} />
            </>
          )}
        </>
      ) : null}
    </>
  );
}
