import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANONYMOUS } from '../src/kernel/auth/index.ts';
import { isValidCreditCode, withCreditCheck } from '../src/lib/credit-code.ts';
import { CLASSIFICATION_CLASS } from '../src/modules/catalog/catalog.model.ts';
import { DEFAULT_PROFILE } from '../src/modules/catalog/catalog.profile.ts';
import type { EntryMetadata } from '../src/modules/catalog/index.ts';
import { demoCatalogEntries } from '../src/platform/demo-catalog.ts';
import { BEIJING_BOUNDS, type DemoTable, demoTables, URBAN_BOUNDS } from '../src/platform/demo-datastore.ts';
import type { TestPlatform } from './support/test-platform.ts';

// The demo organisations as the seed creates them (codes and credit codes of ORGANIZATIONS).
const ORGS = [
  ['bjbdc', '12110000MB0123456'],
  ['bjjtw', '11110000000021135'],
  ['bjwjw', '11110000000022137'],
  ['haidian', '11110108000023142'],
  ['bjsthjj', '11110000000024151'],
  ['bjscjgj', '11110000000025163'],
  ['bjghzrzyw', '11110000000026178'],
  ['bjjw', '11110000000027184'],
  ['demo-tech', '91110108MA01ABCD2'],
].map(([code, credit]) => ({ id: code!, code: code!, creditCode: withCreditCheck(credit!) }));

interface SeededEntry {
  metadata: EntryMetadata;
  published: boolean;
}

/**
 * The catalog as the seed leaves it: organisations listed in code order, codes from one sequence per
 * classification and theme, the last two entries of each institution left as drafts and Haidian's
 * submission waiting for review.
 */
function seededCatalog(): Map<string, SeededEntry> {
  const orgs = [...ORGS].sort((a, b) => a.code.localeCompare(b.code));
  const entries = demoCatalogEntries(orgs);
  const themes = DEFAULT_PROFILE.codeLists.themes ?? [];
  const sequences = new Map<string, number>();
  const perOrg = new Map<string, number>();
  for (const e of entries) perOrg.set(e.organizationId, (perOrg.get(e.organizationId) ?? 0) + 1);
  const position = new Map<string, number>();
  const byCode = new Map<string, SeededEntry>();
  for (const metadata of entries) {
    const theme =
      Math.max(
        0,
        themes.findIndex((t) => t.code === metadata.theme),
      ) + 1;
    const prefix = `${CLASSIFICATION_CLASS[metadata.classification]}-${String(theme).padStart(2, '0')}-001-001`;
    const sequence = (sequences.get(prefix) ?? 0) + 1;
    sequences.set(prefix, sequence);
    const index = position.get(metadata.organizationId) ?? 0;
    position.set(metadata.organizationId, index + 1);
    const published =
      metadata.organizationId !== 'haidian' &&
      index < Math.max(1, (perOrg.get(metadata.organizationId) ?? 0) - 2);
    byCode.set(`${prefix}-${String(sequence).padStart(6, '0')}`, { metadata, published });
  }
  return byCode;
}

const tables = demoTables();

function table(filename: string): DemoTable {
  const found = tables.find((t) => t.filename === filename);
  if (found === undefined) throw new Error(`no table ${filename}`);
  return found;
}

const parsed = new Map<string, Record<string, string>[]>();

function rows(filename: string): Record<string, string>[] {
  let list = parsed.get(filename);
  if (list === undefined) {
    list = parse(table(filename).content, { columns: true, skip_empty_lines: true }) as Record<
      string,
      string
    >[];
    parsed.set(filename, list);
  }
  return list;
}

function header(filename: string): string[] {
  return table(filename).content.slice(0, table(filename).content.indexOf('\n')).split(',');
}

interface StopFeature {
  type: string;
  geometry: { type: string; coordinates: number[] };
  properties: Record<string, unknown>;
}

function stopFeatures(): StopFeature[] {
  const parsed = JSON.parse(table('bus-stops.geojson').content) as { type: string; features: StopFeature[] };
  expect(parsed.type).toBe('FeatureCollection');
  return parsed.features;
}

function within(
  lon: number,
  lat: number,
  b: { minLon: number; maxLon: number; minLat: number; maxLat: number },
): boolean {
  return lon >= b.minLon && lon <= b.maxLon && lat >= b.minLat && lat <= b.maxLat;
}

/** Collects offending values, so a failure shows them all and a pass costs one assertion. */
function expectNumbers(list: Record<string, string>[], columns: string[], integer = false): void {
  const bad: string[] = [];
  for (const column of columns)
    for (const row of list) {
      const value = Number(row[column]);
      if (row[column] === '' || !Number.isFinite(value) || (integer && !Number.isInteger(value)))
        bad.push(`${column}=${row[column]}`);
    }
  expect(bad).toEqual([]);
}

/** GB 11714 check character of an organisation code body. */
function orgCodeCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number.parseInt(body8[i]!, 36) * weights[i]!;
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

describe('demo datastore tables', () => {
  it('are the same on every call', () => {
    expect(demoTables()).toEqual(tables);
  });

  it('are five distinct tables, small enough to seed quickly', () => {
    expect(tables.map((t) => t.filename)).toEqual([
      'bus-lines.csv',
      'bus-stops.geojson',
      'air-quality-hourly.csv',
      'parking-chaoyang.csv',
      'company-registrations.csv',
    ]);
    expect(new Set(tables.map((t) => t.name)).size).toBe(tables.length);
    const bytes = tables.reduce((sum, t) => sum + Buffer.byteLength(t.content), 0);
    expect(bytes).toBeLessThan(3_000_000);
  });

  it('belong to open entries the seed publishes, whose titles fit the data', () => {
    const catalog = seededCatalog();
    const titles: Record<string, string> = {
      'bus-lines.csv': '北京市公交线路',
      'bus-stops.geojson': '北京市公交站点',
      'air-quality-hourly.csv': '北京市空气质量实时监测（AQI）',
      'parking-chaoyang.csv': '朝阳区公共停车场',
      'company-registrations.csv': '北京市新设市场主体统计',
    };
    for (const t of tables) {
      const entry = catalog.get(t.entryCode);
      expect(entry, t.entryCode).toBeDefined();
      expect(entry!.metadata.openType, t.entryCode).toBe('unconditional');
      expect(entry!.published, t.entryCode).toBe(true);
      expect(entry!.metadata.title.zh).toBe(titles[t.filename]);
    }
  });

  it('key and index only columns they have, with unique keys', () => {
    for (const t of tables) {
      const columns = t.filename.endsWith('.geojson')
        ? Object.keys(stopFeatures()[0]!.properties)
        : header(t.filename);
      for (const c of [...(t.primaryKey ?? []), ...(t.indexes ?? []).flat()])
        expect(columns, `${t.filename}: ${c}`).toContain(c);
      const keys = t.filename.endsWith('.geojson')
        ? stopFeatures().map((f) => JSON.stringify((t.primaryKey ?? []).map((c) => f.properties[c])))
        : rows(t.filename).map((r) => JSON.stringify((t.primaryKey ?? []).map((c) => r[c])));
      expect(new Set(keys).size, t.filename).toBe(keys.length);
    }
  });

  it('lists bus lines with times, lengths and fares', () => {
    expect(header('bus-lines.csv')).toEqual([
      'route_id',
      'route_name',
      'route_type',
      'operator_name',
      'start_stop',
      'end_stop',
      'route_length_km',
      'stop_count',
      'first_departure',
      'last_departure',
      'fare',
      'district',
    ]);
    const lines = rows('bus-lines.csv');
    expect(lines.length).toBe(300);
    expectNumbers(lines, ['route_length_km', 'fare']);
    expectNumbers(lines, ['stop_count'], true);
    for (const l of lines) {
      expect(l.route_name).toMatch(/^((特|夜|专)?\d+路|快速公交\d线|运通\d+线)$/);
      expect(l.first_departure).toMatch(/^([01]\d|2[0-3]):[0-5]\d:00$/);
      expect(l.last_departure).toMatch(/^([01]\d|2[0-3]):[0-5]\d:00$/);
      expect(l.start_stop).not.toBe(l.end_stop);
    }
    expect(new Set(lines.map((l) => l.route_name)).size).toBe(300);
  });

  it('places bus stops as GeoJSON points inside the city, each served by a listed line', () => {
    const features = stopFeatures();
    expect(features.length).toBe(800);
    const lineNames = new Set(rows('bus-lines.csv').map((l) => l.route_name));
    const stopNames = new Set<string>();
    for (const f of features) {
      expect(f.type).toBe('Feature');
      expect(f.geometry.type).toBe('Point');
      expect(f.geometry.coordinates.length).toBe(2);
      const [lon, lat] = f.geometry.coordinates as [number, number];
      expect(within(lon, lat, URBAN_BOUNDS), `${lon},${lat}`).toBe(true);
      expect(Object.keys(f.properties)).toEqual(['stop_id', 'stop_name', 'district', 'lines_served']);
      expect(f.properties.stop_name).toMatch(/站$/);
      const served = String(f.properties.lines_served).split(';');
      expect(served.length).toBeGreaterThan(0);
      for (const name of served) expect(lineNames.has(name), name).toBe(true);
      stopNames.add(String(f.properties.stop_name));
    }
    expect(stopNames.size).toBe(800);
    for (const l of rows('bus-lines.csv')) {
      expect(stopNames.has(l.start_stop!)).toBe(true);
      expect(stopNames.has(l.end_stop!)).toBe(true);
    }
  });

  it('reads air quality every hour for a fortnight at 35 stations', () => {
    expect(header('air-quality-hourly.csv')).toEqual([
      'monitor_station_id',
      'monitor_station_name',
      'district',
      'monitor_time',
      'aqi',
      'aqi_level',
      'primary_pollutant',
      'pm25',
      'pm10',
      'no2',
      'o3',
      'so2',
      'co',
      'latitude',
      'longitude',
    ]);
    const readings = rows('air-quality-hourly.csv');
    expect(readings.length).toBe(35 * 14 * 24);
    expect(new Set(readings.map((r) => r.monitor_station_id)).size).toBe(35);
    expect(new Set(readings.map((r) => r.monitor_time)).size).toBe(14 * 24);
    expectNumbers(readings, ['aqi'], true);
    expectNumbers(readings, ['pm25', 'pm10', 'no2', 'o3', 'so2', 'co', 'latitude', 'longitude']);
    const bad = readings.filter(
      (r) =>
        !/^2026-10-\d\dT\d\d:00:00$/.test(r.monitor_time!) ||
        !within(Number(r.longitude), Number(r.latitude), BEIJING_BOUNDS) ||
        (r.primary_pollutant === '') !== Number(r.aqi) <= 50,
    );
    expect(bad).toEqual([]);
    // A couple of polluted days among cleaner ones, by the city's mean AQI of the day.
    const days = new Map<string, number[]>();
    for (const r of readings) {
      const day = r.monitor_time!.slice(0, 10);
      days.set(day, [...(days.get(day) ?? []), Number(r.aqi)]);
    }
    const means = [...days.values()].map((v) => v.reduce((a, b) => a + b, 0) / v.length);
    expect(means.filter((m) => m > 100).length).toBeGreaterThanOrEqual(2);
    expect(means.filter((m) => m > 100).length).toBeLessThanOrEqual(4);
    expect(means.filter((m) => m <= 50).length).toBeGreaterThanOrEqual(5);
  });

  it('lists Chaoyang car parks with spaces, prices and opening', () => {
    expect(header('parking-chaoyang.csv')).toEqual([
      'parking_id',
      'parking_name',
      'parking_type',
      'district',
      'address',
      'latitude',
      'longitude',
      'total_spaces',
      'charging_spaces',
      'hourly_price',
      'open_24h',
      'operator_name',
    ]);
    const lots = rows('parking-chaoyang.csv');
    expect(lots.length).toBe(1200);
    expectNumbers(lots, ['total_spaces', 'charging_spaces'], true);
    expectNumbers(lots, ['hourly_price', 'latitude', 'longitude']);
    for (const l of lots) {
      expect(l.district).toBe('朝阳区');
      expect(l.address).toMatch(/^北京市朝阳区.+\d+号$/);
      expect(['true', 'false']).toContain(l.open_24h);
      expect(Number(l.charging_spaces)).toBeLessThanOrEqual(Number(l.total_spaces));
      expect(within(Number(l.longitude), Number(l.latitude), URBAN_BOUNDS)).toBe(true);
    }
  });

  it('registers companies under valid, fictitious credit codes', () => {
    expect(header('company-registrations.csv')).toEqual([
      'credit_code',
      'enterprise_name',
      'enterprise_type',
      'industry_code',
      'industry',
      'district',
      'registered_capital',
      'registration_date',
      'business_status',
    ]);
    const companies = rows('company-registrations.csv');
    expect(companies.length).toBe(5000);
    expectNumbers(companies, ['registered_capital']);
    const divisions: Record<string, string> = { 朝阳区: '110105', 海淀区: '110108', 东城区: '110101' };
    const statuses = ['存续', '在业', '注销', '吊销'];
    const problems = companies.flatMap((c) => {
      const code = c.credit_code!;
      const found: string[] = [];
      if (!isValidCreditCode(code)) found.push('check character');
      if (!/^9111\d{4}MA0/.test(code)) found.push('prefix');
      // No real organisation code: its own GB 11714 check character is deliberately wrong.
      if (code[16] === orgCodeCheck(code.slice(8, 16))) found.push('could be real');
      if (divisions[c.district!] !== undefined && code.slice(2, 8) !== divisions[c.district!])
        found.push('division');
      if (!c.enterprise_name!.endsWith('有限公司')) found.push('name ending');
      if (!c.enterprise_name!.startsWith(c.district!.replace(/区$/, ''))) found.push('name district');
      if (!/^[A-R]$/.test(c.industry_code!)) found.push('industry');
      if (!statuses.includes(c.business_status!)) found.push('status');
      if (c.registration_date! < '2015-01-01' || c.registration_date! > '2025-12-31') found.push('date');
      return found.map((f) => `${code}: ${f}`);
    });
    expect(problems).toEqual([]);
    expect(new Set(companies.map((c) => c.credit_code)).size).toBe(5000);
    expect(new Set(companies.map((c) => c.enterprise_name)).size).toBe(5000);
  });
});

// The derivation above mirrors the seed; this checks it against the real workflow once. The platform is
// loaded here, not at the top, so the checks of the tables themselves run even while it does not build.
describe('demo datastore entries on a seeded platform', () => {
  let t: TestPlatform | undefined;
  beforeAll(async () => {
    const { startTestPlatform } = await import('./support/test-platform.ts');
    t = await startTestPlatform({}, { seedCatalog: true });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('are published and unconditionally open', async () => {
    for (const table of tables) {
      const record = await t!.platform.catalog.getPublished(ANONYMOUS, table.entryCode);
      expect(record.metadata.openType, table.entryCode).toBe('unconditional');
      expect(record.state, table.entryCode).toBe('published');
    }
  });
});
