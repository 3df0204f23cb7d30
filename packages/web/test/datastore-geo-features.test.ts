import { describe, expect, it } from 'vitest';
import type { DatastoreField } from '../src/features/datastore/datastore-types.ts';
import {
  geoColumns,
  geometryShapes,
  mapOption,
  paddedBounds,
  parseGeopoint,
  position,
  recordShapes,
  shapeBounds,
  shapeCounts,
} from '../src/features/datastore/geo-features.ts';

describe('datastore geometry reading', () => {
  it('accepts positions on the globe only', () => {
    expect(position('116.4', 39.9)).toEqual([116.4, 39.9]);
    expect(position(500000, 4400000)).toBeUndefined();
    expect(position('', 1)).toBeUndefined();
    expect(position(null, 1)).toBeUndefined();
  });

  it('reads Table Schema geopoints in their three forms', () => {
    expect(parseGeopoint('116.4, 39.9')).toEqual([116.4, 39.9]);
    expect(parseGeopoint([116.4, 39.9])).toEqual([116.4, 39.9]);
    expect(parseGeopoint({ lon: 116.4, lat: 39.9 })).toEqual([116.4, 39.9]);
    expect(parseGeopoint('nowhere')).toBeUndefined();
  });

  it('reads points, lines and polygons, from objects or JSON text', () => {
    expect(geometryShapes({ type: 'Point', coordinates: [116.4, 39.9] }, 0)).toEqual([
      { kind: 'point', position: [116.4, 39.9], row: 0 },
    ]);
    expect(geometryShapes('{"type":"LineString","coordinates":[[116,39],[117,40]]}', 2)).toEqual([
      {
        kind: 'line',
        paths: [
          [
            [116, 39],
            [117, 40],
          ],
        ],
        row: 2,
      },
    ]);
    const square = [
      [116, 39],
      [117, 39],
      [117, 40],
      [116, 39],
    ];
    const multi = geometryShapes({ type: 'MultiPolygon', coordinates: [[square], [square]] }, 1);
    expect(multi).toHaveLength(2);
    expect(multi[0]).toMatchObject({ kind: 'area', rings: [square] });
    const feature = {
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          geometry: {
            type: 'MultiPoint',
            coordinates: [
              [1, 2],
              [3, 4],
              ['x', 5],
            ],
          },
        },
      ],
    };
    expect(geometryShapes(feature, 0)).toHaveLength(2);
  });

  it('drops what is not GeoJSON', () => {
    expect(geometryShapes('not json', 0)).toEqual([]);
    expect(geometryShapes({ type: 'LineString', coordinates: [[1, 2]] }, 0)).toEqual([]);
    expect(geometryShapes({ type: 'Circle', coordinates: [1, 2] }, 0)).toEqual([]);
    expect(geometryShapes(null, 0)).toEqual([]);
  });
});

describe('datastore record shapes', () => {
  const fields: DatastoreField[] = [
    { name: 'lat', type: 'number' },
    { name: 'lon', type: 'number' },
    { name: 'where', type: 'geopoint' },
    { name: 'shape', type: 'geojson' },
  ];

  it('reads latitude and longitude columns and counts rows without a location', () => {
    const geo = { kind: 'latlon' as const, lat: 'lat', lon: 'lon' };
    expect(geoColumns(geo)).toEqual(['lon', 'lat']);
    const { shapes, skipped } = recordShapes(
      [
        { lat: 39.9, lon: 116.4 },
        { lat: null, lon: 116 },
        { lat: '40', lon: '117' },
      ],
      geo,
      fields,
    );
    expect(shapes.map((s) => (s.kind === 'point' ? s.position : null))).toEqual([
      [116.4, 39.9],
      [117, 40],
    ]);
    expect(shapes[1]?.row).toBe(2);
    expect(skipped).toBe(1);
  });

  it('reads a geopoint column and a GeoJSON column', () => {
    expect(recordShapes([{ where: '1, 2' }], { kind: 'geojson', field: 'where' }, fields).shapes).toEqual([
      { kind: 'point', position: [1, 2], row: 0 },
    ]);
    const { shapes } = recordShapes(
      [
        {
          shape: {
            type: 'LineString',
            coordinates: [
              [1, 2],
              [3, 4],
            ],
          },
        },
        { shape: { type: 'Point', coordinates: [5, 6] } },
      ],
      { kind: 'geojson', field: 'shape' },
      fields,
    );
    expect(shapeCounts(shapes)).toEqual({ points: 1, lines: 1, areas: 0 });
    expect(shapeBounds(shapes)).toEqual({ minLon: 1, minLat: 2, maxLon: 5, maxLat: 6 });
  });

  it('pads bounds and never leaves them empty', () => {
    const single = paddedBounds({ minLon: 116, minLat: 39, maxLon: 116, maxLat: 39 });
    expect(single.maxLon - single.minLon).toBeCloseTo(0.01);
    expect(paddedBounds({ minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 })).toEqual({
      minLon: -180,
      minLat: -90,
      maxLon: 180,
      maxLat: 90,
    });
  });
});

interface Rendered {
  type: string;
  shape?: { paths: { shape: { points: number[][] } }[] };
  children?: { shape: { points: number[][] } }[];
}
type RenderItem = (
  params: { dataIndex: number },
  api: { coord: (p: [number, number]) => number[] },
) => Rendered;

describe('datastore map option', () => {
  const labels = {
    lon: 'Longitude',
    lat: 'Latitude',
    points: 'Points',
    lines: 'Lines',
    areas: 'Areas',
    rowLabel: (row: number) => `Row ${row + 1}`,
  };

  it('puts points in a scatter series and shapes in custom series on lon/lat axes', () => {
    const shapes = [
      ...geometryShapes({ type: 'Point', coordinates: [116, 39] }, 0),
      ...geometryShapes(
        {
          type: 'LineString',
          coordinates: [
            [116, 39],
            [117, 40],
          ],
        },
        1,
      ),
      ...geometryShapes(
        {
          type: 'Polygon',
          coordinates: [
            [
              [116, 39],
              [117, 39],
              [117, 40],
              [116, 39],
            ],
          ],
        },
        2,
      ),
    ];
    const option = mapOption(shapes, labels, false) as {
      xAxis: { min: number; max: number; name: string };
      yAxis: { min: number; max: number };
      series: { type: string; name: string; data: unknown[]; renderItem?: RenderItem }[];
    };
    expect(option.xAxis.name).toBe('Longitude');
    expect(option.xAxis.min).toBeLessThan(116);
    expect(option.yAxis.max).toBeGreaterThan(40);
    expect(option.series.map((s) => [s.type, s.name])).toEqual([
      ['custom', 'Areas'],
      ['custom', 'Lines'],
      ['scatter', 'Points'],
    ]);
    expect(option.series[2]?.data).toEqual([{ value: [116, 39], row: 0 }]);
    // The renderer projects each coordinate through the axes.
    const api = { coord: ([x, y]: [number, number]) => [x * 10, y * 10] };
    const area = option.series[0]?.renderItem?.({ dataIndex: 0 }, api);
    expect(area?.type).toBe('compoundPath');
    expect(area?.shape?.paths[0]?.shape.points[1]).toEqual([1170, 390]);
    const line = option.series[1]?.renderItem?.({ dataIndex: 0 }, api);
    expect(line?.children?.[0]?.shape.points).toEqual([
      [1160, 390],
      [1170, 400],
    ]);
  });

  it('has no series when there is nothing to draw', () => {
    expect((mapOption([], labels) as { series: unknown[] }).series).toEqual([]);
  });
});
