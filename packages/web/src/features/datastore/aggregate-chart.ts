import type { QueryParams } from '../catalog/catalog-api.ts';
import type { AggregateResult, DatastoreField } from './datastore-types.ts';
import { NUMERIC_TYPES, TEMPORAL_TYPES } from './datastore-types.ts';

export const CHART_KINDS = ['bar', 'line', 'pie'] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

export const METRIC_FUNCTIONS = ['sum', 'avg', 'min', 'max'] as const;
export type MetricFunction = 'count' | (typeof METRIC_FUNCTIONS)[number];

/** At most this many groups are asked for; more would not read as a chart anyway. */
export const GROUP_LIMIT = 50;

/** Columns worth grouping by: codes, names, yes/no, dates and whole numbers, not free-form structures. */
export function groupableFields(fields: DatastoreField[]): DatastoreField[] {
  const types = ['string', 'integer', 'boolean', 'year', 'yearmonth', 'date'];
  return fields.filter((f) => types.includes(f.type));
}

/** `count`, then sum/avg/min/max of every numeric column, as the server names them (`sum:price`). */
export function metricChoices(fields: DatastoreField[]): string[] {
  const numeric = fields.filter((f) => NUMERIC_TYPES.includes(f.type));
  return ['count', ...numeric.flatMap((f) => METRIC_FUNCTIONS.map((fn) => `${fn}:${f.name}`))];
}

export function parseMetric(metric: string): { fn: MetricFunction; field: string | undefined } {
  const at = metric.indexOf(':');
  if (at === -1) return { fn: 'count', field: undefined };
  return { fn: metric.slice(0, at) as MetricFunction, field: metric.slice(at + 1) };
}

export function aggregateQuery(groupBy: string, metric: string, filters: string | undefined): QueryParams {
  return { groupBy, metrics: metric, limit: GROUP_LIMIT, ...(filters ? { filters } : {}) };
}

export interface ChartPoint {
  /** The group's value as text; an empty group keeps the label the page gives it. */
  name: string;
  value: number | null;
}

/** Numbers may arrive as strings (exact decimals); anything else that is not a number counts as missing. */
function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : null;
  }
  return null;
}

/**
 * One point per group. Groups with an order (numbers, dates) keep it, so a line chart runs through time;
 * the others go largest first, which is how a bar chart is read.
 */
export function chartPoints(
  result: AggregateResult,
  groupBy: string,
  metric: string,
  groupField: DatastoreField | undefined,
  emptyLabel: string,
): ChartPoint[] {
  const points = result.rows.map((row) => {
    const key = row[groupBy];
    return {
      name: key === null || key === undefined || key === '' ? emptyLabel : String(key),
      value: toNumber(row[metric]),
      sortKey: key,
    };
  });
  const ordered =
    groupField !== undefined &&
    (NUMERIC_TYPES.includes(groupField.type) || TEMPORAL_TYPES.includes(groupField.type));
  if (ordered) {
    points.sort((a, b) => compareKeys(a.sortKey, b.sortKey));
  } else {
    points.sort((a, b) => (b.value ?? Number.NEGATIVE_INFINITY) - (a.value ?? Number.NEGATIVE_INFINITY));
  }
  return points.map(({ name, value }) => ({ name, value }));
}

function compareKeys(a: unknown, b: unknown): number {
  if (a === null || a === undefined) return 1;
  if (b === null || b === undefined) return -1;
  const na = toNumber(a);
  const nb = toNumber(b);
  if (na !== null && nb !== null) return na - nb;
  return String(a).localeCompare(String(b));
}

/** "A 12, B 7, … (5 more)": the words a screen reader gets for the chart. */
export function pointsSummary(
  points: ChartPoint[],
  format: (value: number) => string,
  separator: string,
  more: (count: number) => string,
  max = 12,
): string {
  const shown = points.slice(0, max).map((p) => `${p.name} ${p.value === null ? '—' : format(p.value)}`);
  const rest = points.length - shown.length;
  return rest > 0 ? `${shown.join(separator)}${separator}${more(rest)}` : shown.join(separator);
}

interface OptionLabels {
  metric: string;
  group: string;
}

const TEXT = '#1f1f1f';
const BLUE = '#0050b3';
// Pie slices need many distinguishable colours; each slice also carries its name, so colour is not the only cue.
const PALETTE = ['#0050b3', '#c41d20', '#237804', '#ad4e00', '#531dab', '#006d75', '#9e1068', '#595959'];

/** The ECharts option for the points; `animation` follows the reader's reduced-motion setting. */
export function chartOption(
  points: ChartPoint[],
  kind: ChartKind,
  labels: OptionLabels,
  animation = true,
): Record<string, unknown> {
  const base = {
    // The wrapper's role="img" and label describe the chart; ECharts' own description would repeat it.
    aria: { enabled: false },
    animation,
    color: PALETTE,
    tooltip: { trigger: kind === 'pie' ? 'item' : 'axis' },
  };
  if (kind === 'pie') {
    return {
      ...base,
      series: [
        {
          type: 'pie',
          name: labels.metric,
          radius: ['0%', '65%'],
          data: points.map((p) => ({ name: p.name, value: p.value ?? 0 })),
          label: { color: TEXT, formatter: '{b}: {c}' },
        },
      ],
    };
  }
  return {
    ...base,
    grid: { left: 64, right: 24, top: 32, bottom: 72 },
    xAxis: {
      type: 'category',
      name: labels.group,
      nameLocation: 'middle',
      nameGap: 52,
      data: points.map((p) => p.name),
      axisLabel: { color: TEXT, rotate: points.length > 8 ? 40 : 0, hideOverlap: true },
      nameTextStyle: { color: TEXT },
    },
    yAxis: {
      type: 'value',
      name: labels.metric,
      axisLabel: { color: TEXT },
      nameTextStyle: { color: TEXT },
    },
    series: [
      {
        type: kind,
        name: labels.metric,
        data: points.map((p) => p.value),
        itemStyle: { color: BLUE },
        lineStyle: { color: BLUE, width: 2 },
        // Numbers on the marks, so the chart reads without judging heights (few points only, else clutter).
        label: { show: points.length <= 20, position: 'top', color: TEXT },
        barMaxWidth: 48,
      },
    ],
  };
}
