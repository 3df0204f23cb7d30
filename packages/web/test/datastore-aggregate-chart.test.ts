import { describe, expect, it } from 'vitest';
import {
  aggregateQuery,
  chartOption,
  chartPoints,
  groupableFields,
  metricChoices,
  parseMetric,
  pointsSummary,
} from '../src/features/datastore/aggregate-chart.ts';
import type { AggregateResult, DatastoreField } from '../src/features/datastore/datastore-types.ts';

const FIELDS: DatastoreField[] = [
  { name: 'district', type: 'string' },
  { name: 'year', type: 'year' },
  { name: 'price', type: 'number' },
  { name: 'shape', type: 'geojson' },
];

const RESULT: AggregateResult = {
  groupBy: ['district'],
  metrics: ['count', 'sum:price'],
  rows: [
    { district: '海淀', count: 3, 'sum:price': '12.5' },
    { district: '朝阳', count: 9, 'sum:price': '40' },
    { district: null, count: 1, 'sum:price': null },
  ],
};

describe('datastore chart choices', () => {
  it('offers groupable columns and count plus numeric metrics', () => {
    expect(groupableFields(FIELDS).map((f) => f.name)).toEqual(['district', 'year']);
    expect(metricChoices(FIELDS)).toEqual(['count', 'sum:price', 'avg:price', 'min:price', 'max:price']);
    expect(parseMetric('avg:pm2.5:x')).toEqual({ fn: 'avg', field: 'pm2.5:x' });
    expect(parseMetric('count')).toEqual({ fn: 'count', field: undefined });
  });

  it('builds the aggregate query', () => {
    expect(aggregateQuery('district', 'sum:price', undefined)).toEqual({
      groupBy: 'district',
      metrics: 'sum:price',
      limit: 50,
    });
    expect(aggregateQuery('district', 'count', '{"a":1}').filters).toBe('{"a":1}');
  });
});

describe('datastore chart points', () => {
  it('orders unordered groups by value, reads decimal strings, names the empty group', () => {
    const points = chartPoints(RESULT, 'district', 'sum:price', FIELDS[0], '(empty)');
    expect(points).toEqual([
      { name: '朝阳', value: 40 },
      { name: '海淀', value: 12.5 },
      { name: '(empty)', value: null },
    ]);
  });

  it('keeps ordered groups in their own order', () => {
    const result: AggregateResult = {
      groupBy: ['year'],
      metrics: ['count'],
      rows: [
        { year: 2022, count: 5 },
        { year: null, count: 1 },
        { year: 2020, count: 9 },
        { year: '2021', count: 7 },
      ],
    };
    const points = chartPoints(result, 'year', 'count', FIELDS[1], '—');
    expect(points.map((p) => p.name)).toEqual(['2020', '2021', '2022', '—']);
  });

  it('summarises the points for a screen reader', () => {
    const points = [
      { name: 'A', value: 1200 },
      { name: 'B', value: null },
      { name: 'C', value: 3 },
    ];
    const text = pointsSummary(
      points,
      (v) => v.toLocaleString('en'),
      ', ',
      (n) => `${n} more`,
      2,
    );
    expect(text).toBe('A 1,200, B —, 1 more');
    expect(pointsSummary(points.slice(0, 1), String, ', ', String)).toBe('A 1200');
  });
});

describe('datastore chart option', () => {
  const points = [
    { name: '朝阳', value: 40 },
    { name: '海淀', value: 12.5 },
  ];
  const labels = { metric: 'Sum of price', group: 'District' };

  it('draws bars and lines on a category axis', () => {
    const option = chartOption(points, 'bar', labels, false) as {
      xAxis: { data: string[]; name: string };
      series: { type: string; data: unknown[] }[];
      animation: boolean;
    };
    expect(option.animation).toBe(false);
    expect(option.xAxis.data).toEqual(['朝阳', '海淀']);
    expect(option.xAxis.name).toBe('District');
    expect(option.series[0]).toMatchObject({ type: 'bar', data: [40, 12.5] });
    const line = chartOption(points, 'line', labels) as { series: { type: string }[] };
    expect(line.series[0]?.type).toBe('line');
  });

  it('draws a pie with named slices and no axes', () => {
    const option = chartOption([...points, { name: 'x', value: null }], 'pie', labels) as Record<
      string,
      unknown
    >;
    expect(option.xAxis).toBeUndefined();
    expect(option.series).toEqual([
      expect.objectContaining({
        type: 'pie',
        data: [
          { name: '朝阳', value: 40 },
          { name: '海淀', value: 12.5 },
          { name: 'x', value: 0 },
        ],
      }),
    ]);
  });
});
