import type { DataRecord, DatastoreField, GeoConfig } from './datastore-types.ts';

/** [longitude, latitude], as GeoJSON orders them. */
export type Position = [number, number];

export type Shape =
  | { kind: 'point'; position: Position; row: number }
  | { kind: 'line'; paths: Position[][]; row: number }
  | { kind: 'area'; rings: Position[][]; row: number };

export interface Bounds {
  minLon: number;
  minLat: number;
  maxLon: number;
  maxLat: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function toNumber(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
  }
  return undefined;
}

/** A longitude and latitude on the globe, or undefined (swapped or projected coordinates are not guessed at). */
export function position(lon: unknown, lat: unknown): Position | undefined {
  const x = toNumber(lon);
  const y = toNumber(lat);
  if (x === undefined || y === undefined) return undefined;
  if (x < -180 || x > 180 || y < -90 || y > 90) return undefined;
  return [x, y];
}

function readPosition(value: unknown): Position | undefined {
  return Array.isArray(value) ? position(value[0], value[1]) : undefined;
}

function readPath(value: unknown): Position[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const path = value.map(readPosition);
  return path.every((p) => p !== undefined) && path.length >= 2 ? (path as Position[]) : undefined;
}

function readPaths(value: unknown): Position[][] | undefined {
  if (!Array.isArray(value)) return undefined;
  const paths = value.map(readPath);
  return paths.every((p) => p !== undefined) && paths.length > 0 ? (paths as Position[][]) : undefined;
}

/** Table Schema geopoint: "lon, lat" text, [lon, lat], or {lon, lat}. */
export function parseGeopoint(value: unknown): Position | undefined {
  if (typeof value === 'string') {
    const parts = value.split(',');
    return parts.length === 2 ? position(parts[0], parts[1]) : undefined;
  }
  if (Array.isArray(value)) return readPosition(value);
  if (isRecord(value)) return position(value.lon ?? value.longitude, value.lat ?? value.latitude);
  return undefined;
}

/** The shapes of a GeoJSON geometry, feature or collection (JSON text is read too); invalid parts are dropped. */
export function geometryShapes(value: unknown, row: number, depth = 0): Shape[] {
  let geometry = value;
  if (typeof geometry === 'string') {
    try {
      geometry = JSON.parse(geometry);
    } catch {
      return [];
    }
  }
  // Collections nest; a hostile value must not recurse for ever.
  if (!isRecord(geometry) || depth > 4) return [];
  const coordinates = geometry.coordinates;
  switch (geometry.type) {
    case 'Point': {
      const p = readPosition(coordinates);
      return p ? [{ kind: 'point', position: p, row }] : [];
    }
    case 'MultiPoint':
      return Array.isArray(coordinates)
        ? coordinates.flatMap((c) => {
            const p = readPosition(c);
            return p ? [{ kind: 'point' as const, position: p, row }] : [];
          })
        : [];
    case 'LineString': {
      const path = readPath(coordinates);
      return path ? [{ kind: 'line', paths: [path], row }] : [];
    }
    case 'MultiLineString': {
      const paths = readPaths(coordinates);
      return paths ? [{ kind: 'line', paths, row }] : [];
    }
    case 'Polygon': {
      const rings = readPaths(coordinates);
      return rings ? [{ kind: 'area', rings, row }] : [];
    }
    case 'MultiPolygon':
      return Array.isArray(coordinates)
        ? coordinates.flatMap((c) => {
            const rings = readPaths(c);
            return rings ? [{ kind: 'area' as const, rings, row }] : [];
          })
        : [];
    case 'GeometryCollection':
      return Array.isArray(geometry.geometries)
        ? geometry.geometries.flatMap((g) => geometryShapes(g, row, depth + 1))
        : [];
    case 'Feature':
      return geometryShapes(geometry.geometry, row, depth + 1);
    case 'FeatureCollection':
      return Array.isArray(geometry.features)
        ? geometry.features.flatMap((f) => geometryShapes(f, row, depth + 1))
        : [];
    default:
      return [];
  }
}

/** The columns the map needs from the records endpoint. */
export function geoColumns(geo: GeoConfig): string[] {
  return geo.kind === 'latlon' ? [geo.lon, geo.lat] : [geo.field];
}

/** Every record's shapes, and how many records had no usable location. */
export function recordShapes(
  records: DataRecord[],
  geo: GeoConfig,
  fields: DatastoreField[],
): { shapes: Shape[]; skipped: number } {
  const shapes: Shape[] = [];
  let skipped = 0;
  const geopoint = geo.kind === 'geojson' && fields.find((f) => f.name === geo.field)?.type === 'geopoint';
  records.forEach((record, row) => {
    let found: Shape[];
    if (geo.kind === 'latlon') {
      const p = position(record[geo.lon], record[geo.lat]);
      found = p ? [{ kind: 'point', position: p, row }] : [];
    } else if (geopoint) {
      const p = parseGeopoint(record[geo.field]);
      found = p ? [{ kind: 'point', position: p, row }] : [];
    } else {
      found = geometryShapes(record[geo.field], row);
    }
    if (found.length === 0) skipped += 1;
    shapes.push(...found);
  });
  return { shapes, skipped };
}

function shapePositions(shape: Shape): Position[] {
  if (shape.kind === 'point') return [shape.position];
  return (shape.kind === 'line' ? shape.paths : shape.rings).flat();
}

export function shapeBounds(shapes: Shape[]): Bounds | undefined {
  let bounds: Bounds | undefined;
  for (const shape of shapes) {
    for (const [lon, lat] of shapePositions(shape)) {
      if (bounds === undefined) bounds = { minLon: lon, minLat: lat, maxLon: lon, maxLat: lat };
      else {
        bounds.minLon = Math.min(bounds.minLon, lon);
        bounds.minLat = Math.min(bounds.minLat, lat);
        bounds.maxLon = Math.max(bounds.maxLon, lon);
        bounds.maxLat = Math.max(bounds.maxLat, lat);
      }
    }
  }
  return bounds;
}

/** Bounds with a margin, never of zero size (a single point still gets a visible neighbourhood). */
export function paddedBounds(bounds: Bounds, ratio = 0.05): Bounds {
  const padLon = Math.max((bounds.maxLon - bounds.minLon) * ratio, 0.005);
  const padLat = Math.max((bounds.maxLat - bounds.minLat) * ratio, 0.005);
  return {
    minLon: Math.max(-180, bounds.minLon - padLon),
    minLat: Math.max(-90, bounds.minLat - padLat),
    maxLon: Math.min(180, bounds.maxLon + padLon),
    maxLat: Math.min(90, bounds.maxLat + padLat),
  };
}

export function shapeCounts(shapes: Shape[]): { points: number; lines: number; areas: number } {
  const counts = { points: 0, lines: 0, areas: 0 };
  for (const s of shapes) {
    if (s.kind === 'point') counts.points += 1;
    else if (s.kind === 'line') counts.lines += 1;
    else counts.areas += 1;
  }
  return counts;
}

interface MapLabels {
  lon: string;
  lat: string;
  points: string;
  lines: string;
  areas: string;
  /** Tooltip text of a shape, from its record's row index on the page. */
  rowLabel: (row: number) => string;
}

type Coord = (value: Position) => number[];

/**
 * Shapes drawn on plain longitude/latitude axes: no tiles, nothing fetched from elsewhere. Points are a
 * scatter series; lines and areas are custom series that project their coordinates through the axes.
 */
export function mapOption(shapes: Shape[], labels: MapLabels, animation = true): Record<string, unknown> {
  const bounds = paddedBounds(shapeBounds(shapes) ?? { minLon: -180, minLat: -90, maxLon: 180, maxLat: 90 });
  const centre = [(bounds.minLon + bounds.maxLon) / 2, (bounds.minLat + bounds.maxLat) / 2];
  const points = shapes.filter((s) => s.kind === 'point');
  const lines = shapes.filter((s) => s.kind === 'line');
  const areas = shapes.filter((s) => s.kind === 'area');
  const axis = (name: string, min: number, max: number) => ({
    type: 'value',
    name,
    nameLocation: 'middle',
    nameGap: 32,
    min: round(min),
    max: round(max),
    axisLabel: { color: '#1f1f1f' },
    nameTextStyle: { color: '#1f1f1f' },
    splitLine: { lineStyle: { color: '#e4e7ec' } },
  });
  // Each custom item sits at the centre so the axes' extents are not disturbed; its index finds the shape.
  const customData = (list: Shape[]) => list.map((_, i) => [centre[0], centre[1], i]);
  const series: Record<string, unknown>[] = [];
  if (areas.length > 0) {
    series.push({
      type: 'custom',
      name: labels.areas,
      clip: true,
      data: customData(areas),
      encode: { x: 0, y: 1, tooltip: [] },
      tooltip: { formatter: (p: { dataIndex: number }) => labels.rowLabel(areas[p.dataIndex]?.row ?? 0) },
      renderItem: (params: { dataIndex: number }, api: { coord: Coord }) => {
        const shape = areas[params.dataIndex];
        if (shape?.kind !== 'area') return null;
        // One compound path per polygon: holes wind the other way and so stay empty.
        return {
          type: 'compoundPath',
          shape: {
            paths: shape.rings.map((ring) => ({ type: 'polygon', shape: { points: ring.map(api.coord) } })),
          },
          style: { fill: 'rgba(0, 80, 179, 0.25)', stroke: '#0050b3', lineWidth: 1 },
        };
      },
    });
  }
  if (lines.length > 0) {
    series.push({
      type: 'custom',
      name: labels.lines,
      clip: true,
      data: customData(lines),
      encode: { x: 0, y: 1, tooltip: [] },
      tooltip: { formatter: (p: { dataIndex: number }) => labels.rowLabel(lines[p.dataIndex]?.row ?? 0) },
      renderItem: (params: { dataIndex: number }, api: { coord: Coord }) => {
        const shape = lines[params.dataIndex];
        if (shape?.kind !== 'line') return null;
        return {
          type: 'group',
          children: shape.paths.map((path) => ({
            type: 'polyline',
            shape: { points: path.map(api.coord) },
            style: { fill: null, stroke: '#ad4e00', lineWidth: 2 },
          })),
        };
      },
    });
  }
  if (points.length > 0) {
    series.push({
      type: 'scatter',
      name: labels.points,
      symbolSize: 7,
      itemStyle: { color: '#c41d20', borderColor: '#fff', borderWidth: 1 },
      data: points.map((s) => (s.kind === 'point' ? { value: s.position, row: s.row } : null)),
      tooltip: { formatter: (p: { data: { row: number } }) => labels.rowLabel(p.data.row) },
    });
  }
  return {
    aria: { enabled: false },
    animation,
    grid: { left: 64, right: 24, top: 24, bottom: 48 },
    tooltip: { trigger: 'item' },
    xAxis: axis(labels.lon, bounds.minLon, bounds.maxLon),
    yAxis: axis(labels.lat, bounds.minLat, bounds.maxLat),
    // Wheel and drag zoom; `none` keeps shapes whose anchor leaves the window drawn.
    dataZoom: [
      { type: 'inside', xAxisIndex: 0, filterMode: 'none' },
      { type: 'inside', yAxisIndex: 0, filterMode: 'none' },
    ],
    series,
  };
}

function round(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}
