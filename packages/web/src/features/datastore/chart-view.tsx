import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Radio, Select, Spin } from 'antd';
import { useCallback, useId, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { EmptyText } from '../../components/empty-text.tsx';
import { ProblemAlert } from '../../components/problem-alert.tsx';
import {
  aggregateQuery,
  CHART_KINDS,
  type ChartKind,
  chartOption,
  chartPoints,
  GROUP_LIMIT,
  groupableFields,
  metricChoices,
  parseMetric,
  pointsSummary,
} from './aggregate-chart.ts';
import { useDatastoreApi } from './datastore-api.ts';
import type { DatastoreField, DatastoreResource } from './datastore-types.ts';
import { EChart } from './echart.tsx';
import { fieldLabel } from './filter-bar.tsx';

/** "Sum of price", "Number of rows": a metric in words. */
export function useMetricLabel(fields: DatastoreField[]) {
  const { t } = useTranslation();
  return useCallback(
    (metric: string): string => {
      const { fn, field } = parseMetric(metric);
      if (fn === 'count' || field === undefined) return t('datastore.chart.metrics.count');
      const f = fields.find((x) => x.name === field);
      return t(`datastore.chart.metrics.${fn}`, { field: fieldLabel(f, field) });
    },
    [t, fields],
  );
}

function reducedMotion(): boolean {
  return window.matchMedia?.('(prefers-reduced-motion: reduce)').matches ?? false;
}

/** Rows grouped by one column and summed up, as a bar, line or pie chart with its figures as a table. */
export function ChartView({ resource }: { resource: DatastoreResource }) {
  const { t, i18n } = useTranslation();
  const api = useDatastoreApi();
  const id = useId();
  const groups = groupableFields(resource.fields);
  const metrics = metricChoices(resource.fields);
  const [groupBy, setGroupBy] = useState<string | undefined>(groups[0]?.name);
  const [metric, setMetric] = useState('count');
  const [kind, setKind] = useState<ChartKind>('bar');
  const metricLabel = useMetricLabel(resource.fields);
  const groupField = resource.fields.find((f) => f.name === groupBy);
  const aggregate = useQuery({
    queryKey: ['datastore', 'aggregate', resource.id, resource.liveVersion, groupBy, metric],
    queryFn: ({ signal }) =>
      api.aggregate(resource.id, aggregateQuery(groupBy ?? '', metric, undefined), signal),
    enabled: groupBy !== undefined,
    placeholderData: keepPreviousData,
  });
  const number = useMemo(
    () => new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 2 }),
    [i18n.language],
  );
  const points = useMemo(
    () =>
      aggregate.data && groupBy
        ? chartPoints(aggregate.data, groupBy, metric, groupField, t('datastore.values.empty'))
        : [],
    [aggregate.data, groupBy, metric, groupField, t],
  );
  const groupLabel = fieldLabel(groupField, groupBy ?? '');
  const option = useMemo(
    () => chartOption(points, kind, { metric: metricLabel(metric), group: groupLabel }, !reducedMotion()),
    [points, kind, metric, groupLabel, metricLabel],
  );

  if (groups.length === 0) {
    return (
      <section aria-labelledby="data-chart-title">
        <h2 id="data-chart-title" style={{ fontSize: 18, margin: '0 0 12px' }}>
          {t('datastore.chart.title')}
        </h2>
        <p>{t('datastore.chart.noGroups')}</p>
      </section>
    );
  }

  const chartLabel = t('datastore.chart.label', {
    kind: t(`datastore.chart.kinds.${kind}`),
    metric: metricLabel(metric),
    group: groupLabel,
    values: pointsSummary(
      points,
      (v) => number.format(v),
      t('common.listSeparator'),
      (count) => t('datastore.chart.more', { count }),
    ),
  });

  return (
    <section aria-labelledby="data-chart-title">
      <h2 id="data-chart-title" style={{ fontSize: 18, margin: '0 0 12px' }}>
        {t('datastore.chart.title')}
      </h2>
      <div className="dp-toolbar">
        <div>
          <label htmlFor={`${id}-group`} className="dp-field-label">
            {t('datastore.chart.groupBy')}
          </label>
          <Select
            id={`${id}-group`}
            value={groupBy}
            style={{ width: 220 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={groups.map((f) => ({ value: f.name, label: fieldLabel(f, f.name) }))}
            onChange={setGroupBy}
          />
        </div>
        <div>
          <label htmlFor={`${id}-metric`} className="dp-field-label">
            {t('datastore.chart.metric')}
          </label>
          <Select
            id={`${id}-metric`}
            value={metric}
            style={{ width: 260 }}
            showSearch={{ optionFilterProp: 'label' }}
            options={metrics.map((m) => ({ value: m, label: metricLabel(m) }))}
            onChange={setMetric}
          />
        </div>
        <div>
          <span id={`${id}-kind`} className="dp-field-label">
            {t('datastore.chart.kind')}
          </span>
          <Radio.Group
            aria-labelledby={`${id}-kind`}
            optionType="button"
            value={kind}
            onChange={(e) => setKind(e.target.value as ChartKind)}
            options={CHART_KINDS.map((k) => ({ value: k, label: t(`datastore.chart.kinds.${k}`) }))}
          />
        </div>
      </div>
      {aggregate.error ? <ProblemAlert error={aggregate.error} /> : null}
      {aggregate.isPending ? <Spin description={t('common.loading')} /> : null}
      {aggregate.data && points.length === 0 ? <EmptyText>{t('datastore.chart.empty')}</EmptyText> : null}
      {points.length > 0 ? (
        <>
          <EChart label={chartLabel} option={option} testId="data-chart" />
          {points.length >= GROUP_LIMIT ? (
            <p className="dp-meta-line">{t('datastore.chart.limited', { count: GROUP_LIMIT })}</p>
          ) : null}
          <details style={{ marginTop: 12 }}>
            <summary>{t('datastore.chart.showFigures')}</summary>
            <table className="dp-kv" style={{ marginTop: 8 }} data-testid="chart-figures">
              <caption>
                {t('datastore.chart.figuresCaption', { metric: metricLabel(metric), group: groupLabel })}
              </caption>
              <thead>
                <tr>
                  <th scope="col">{groupLabel}</th>
                  <th scope="col">{metricLabel(metric)}</th>
                </tr>
              </thead>
              <tbody>
                {points.map((p, i) => (
                  // Two groups can show the same text (an empty value and the word for it).
                  // biome-ignore lint/suspicious/noArrayIndexKey: rows have no other identity
                  <tr key={i}>
                    <th scope="row">{p.name}</th>
                    <td>{p.value === null ? '—' : number.format(p.value)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      ) : null}
    </section>
  );
}
