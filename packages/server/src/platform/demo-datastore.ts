import { withCreditCheck } from '../lib/credit-code.ts';
import { hash, mulberry32, type Rng } from './demo-random.ts';

/**
 * Tables behind a few of the demo city's open catalog entries: bus lines and stops, hourly air quality,
 * Chaoyang's public car parks and company registrations. Everything comes from seeded generators, so every
 * run gives the same files; places are real Beijing neighbourhoods, while lots, companies, addresses and
 * credit codes are made up.
 */

export interface DemoTable {
  /** Resource code of an unconditionally open entry the demo catalog seed publishes. */
  entryCode: string;
  name: string;
  description: string;
  filename: string;
  /** CSV with a header line, or a GeoJSON FeatureCollection. */
  content: string;
  primaryKey?: string[];
  indexes?: string[][];
}

/**
 * Resource codes as the seed hands them out: organisations in code order, entries in template order,
 * one sequence per classification and theme.
 */
const ENTRY_CODES = {
  /** 北京市交通委员会 · 北京市公交线路 */
  busLines: '2-04-001-001-000001',
  /** 北京市交通委员会 · 北京市公交站点 */
  busStops: '2-04-001-001-000002',
  /** 北京市生态环境局 · 北京市空气质量实时监测（AQI） */
  airQuality: '2-08-001-001-000001',
  /** 北京市交通委员会 · 朝阳区公共停车场 (the car park entries are per district) */
  parking: '2-04-001-001-000006',
  /** 北京市市场监督管理局 · 北京市新设市场主体统计 (the registration entries are open on conditions only) */
  registrations: '2-18-001-001-000001',
} as const;

// ---- Deterministic randomness --------------------------------------------------------------------

function rngFor(name: string): Rng {
  return mulberry32(0xda7a_2026 ^ hash(name));
}

function between(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

function at<T>(values: readonly T[], index: number): T {
  const value = values[index];
  if (value === undefined) throw new Error(`demo datastore: no value at ${index}`);
  return value;
}

function pick<T>(rng: Rng, values: readonly T[]): T {
  return at(values, Math.floor(rng() * values.length));
}

function weighted<T>(rng: Rng, values: readonly T[], weight: (value: T) => number): T {
  let total = 0;
  for (const v of values) total += weight(v);
  let r = rng() * total;
  for (const v of values) {
    r -= weight(v);
    if (r < 0) return v;
  }
  return at(values, values.length - 1);
}

function gaussian(rng: Rng): number {
  const u = Math.max(rng(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng());
}

/** k distinct integers from [min, max], ascending. */
function distinctInts(rng: Rng, k: number, min: number, max: number): number[] {
  const chosen = new Set<number>();
  while (chosen.size < k) chosen.add(between(rng, min, max));
  return [...chosen].sort((a, b) => a - b);
}

// ---- Output helpers -------------------------------------------------------------------------------

type Cell = string | number | boolean;

function csvCell(value: Cell): string {
  if (typeof value !== 'string') return String(value);
  return /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

function csv(header: readonly string[], rows: readonly (readonly Cell[])[]): string {
  const lines = [header.join(',')];
  for (const row of rows) lines.push(row.map(csvCell).join(','));
  return `${lines.join('\n')}\n`;
}

/** Rounds for output without trailing float noise (116.40000000000001). */
function round(value: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function hhmmss(minutes: number): string {
  const m = ((minutes % 1440) + 1440) % 1440;
  return `${pad(Math.floor(m / 60), 2)}:${pad(m % 60, 2)}:00`;
}

/** Distance in km, flat-earth: fine at city scale. */
function km(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dx = (lon2 - lon1) * 111.32 * Math.cos((((lat1 + lat2) / 2) * Math.PI) / 180);
  const dy = (lat2 - lat1) * 110.57;
  return Math.hypot(dx, dy);
}

const CENTRE = { lon: 116.3975, lat: 39.9087 };

/** The bus network stays inside the urban box; other tables stay inside the municipality. */
export const URBAN_BOUNDS = { minLon: 116.0, maxLon: 116.8, minLat: 39.6, maxLat: 40.2 } as const;
export const BEIJING_BOUNDS = { minLon: 115.4, maxLon: 117.6, minLat: 39.4, maxLat: 41.1 } as const;

// ---- Places ---------------------------------------------------------------------------------------

interface Area {
  stem: string;
  district: string;
  lon: number;
  lat: number;
  /** Relative density of stops. */
  weight: number;
}

/** Neighbourhoods with approximate coordinates; stops cluster around them, busier near the centre. */
const AREAS: Area[] = (
  [
    ['东直门', '东城区', 116.434, 39.941, 3],
    ['王府井', '东城区', 116.411, 39.914, 3],
    ['崇文门', '东城区', 116.417, 39.901, 3],
    ['雍和宫', '东城区', 116.417, 39.949, 2],
    ['天坛', '东城区', 116.41, 39.882, 2],
    ['安定门', '东城区', 116.408, 39.949, 2],
    ['东单', '东城区', 116.418, 39.908, 2],
    ['左安门', '东城区', 116.43, 39.87, 2],
    ['西单', '西城区', 116.374, 39.907, 3],
    ['西直门', '西城区', 116.353, 39.941, 3],
    ['德胜门', '西城区', 116.379, 39.948, 2],
    ['复兴门', '西城区', 116.356, 39.907, 2],
    ['阜成门', '西城区', 116.356, 39.924, 2],
    ['宣武门', '西城区', 116.374, 39.899, 2],
    ['菜市口', '西城区', 116.374, 39.889, 2],
    ['广安门', '西城区', 116.355, 39.889, 2],
    ['白纸坊', '西城区', 116.35, 39.877, 1.5],
    ['新街口', '西城区', 116.372, 39.94, 2],
    ['国贸', '朝阳区', 116.461, 39.909, 3],
    ['大望路', '朝阳区', 116.476, 39.908, 2.5],
    ['三里屯', '朝阳区', 116.455, 39.937, 2.5],
    ['望京', '朝阳区', 116.47, 39.996, 3],
    ['酒仙桥', '朝阳区', 116.494, 39.968, 2],
    ['双井', '朝阳区', 116.462, 39.893, 2.5],
    ['劲松', '朝阳区', 116.461, 39.884, 2],
    ['潘家园', '朝阳区', 116.459, 39.874, 2],
    ['亚运村', '朝阳区', 116.405, 39.996, 2.5],
    ['大屯', '朝阳区', 116.42, 40.005, 2],
    ['朝阳公园', '朝阳区', 116.478, 39.944, 2],
    ['四惠', '朝阳区', 116.495, 39.909, 2],
    ['常营', '朝阳区', 116.598, 39.93, 1.5],
    ['管庄', '朝阳区', 116.595, 39.91, 1.5],
    ['十八里店', '朝阳区', 116.488, 39.846, 1.5],
    ['来广营', '朝阳区', 116.455, 40.025, 1.5],
    ['东坝', '朝阳区', 116.553, 39.966, 1.5],
    ['孙河', '朝阳区', 116.535, 40.035, 1],
    ['小红门', '朝阳区', 116.446, 39.842, 1.5],
    ['高碑店', '朝阳区', 116.528, 39.905, 1.5],
    ['中关村', '海淀区', 116.316, 39.983, 3],
    ['五道口', '海淀区', 116.338, 39.992, 2.5],
    ['魏公村', '海淀区', 116.323, 39.956, 2],
    ['公主坟', '海淀区', 116.31, 39.907, 2.5],
    ['五棵松', '海淀区', 116.274, 39.907, 2],
    ['万柳', '海淀区', 116.289, 39.974, 2],
    ['上地', '海淀区', 116.307, 40.035, 2],
    ['西二旗', '海淀区', 116.306, 40.053, 2],
    ['清河', '海淀区', 116.335, 40.03, 2],
    ['学院路', '海淀区', 116.352, 39.99, 2],
    ['紫竹院', '海淀区', 116.311, 39.94, 2],
    ['甘家口', '海淀区', 116.33, 39.925, 2],
    ['苏州街', '海淀区', 116.306, 39.975, 2],
    ['西三旗', '海淀区', 116.34, 40.06, 1.5],
    ['香山', '海淀区', 116.19, 39.99, 1],
    ['温泉', '海淀区', 116.18, 40.04, 1],
    ['四季青', '海淀区', 116.25, 39.96, 1],
    ['丰台', '丰台区', 116.287, 39.858, 2],
    ['六里桥', '丰台区', 116.31, 39.88, 2],
    ['丽泽', '丰台区', 116.31, 39.865, 1.5],
    ['木樨园', '丰台区', 116.385, 39.865, 2],
    ['方庄', '丰台区', 116.43, 39.865, 2],
    ['刘家窑', '丰台区', 116.42, 39.863, 1.5],
    ['宋家庄', '丰台区', 116.43, 39.845, 1.5],
    ['大红门', '丰台区', 116.4, 39.85, 1.5],
    ['卢沟桥', '丰台区', 116.24, 39.85, 1],
    ['科技园', '丰台区', 116.23, 39.83, 1],
    ['青塔', '丰台区', 116.26, 39.89, 1.5],
    ['花乡', '丰台区', 116.3, 39.83, 1],
    ['八角', '石景山区', 116.21, 39.91, 1.5],
    ['古城', '石景山区', 116.19, 39.91, 1.5],
    ['苹果园', '石景山区', 116.18, 39.925, 1.5],
    ['鲁谷', '石景山区', 116.23, 39.895, 1.5],
    ['八宝山', '石景山区', 116.245, 39.907, 1],
    ['首钢园', '石景山区', 116.17, 39.915, 1],
    ['通州北苑', '通州区', 116.64, 39.905, 1.5],
    ['果园', '通州区', 116.66, 39.88, 1.5],
    ['梨园', '通州区', 116.67, 39.87, 1.5],
    ['九棵树', '通州区', 116.655, 39.875, 1],
    ['土桥', '通州区', 116.68, 39.85, 1],
    ['运河', '通州区', 116.69, 39.91, 1],
    ['宋庄', '通州区', 116.71, 39.96, 0.8],
    ['马驹桥', '通州区', 116.57, 39.76, 0.8],
    ['台湖', '通州区', 116.6, 39.84, 0.8],
    ['回龙观', '昌平区', 116.34, 40.07, 2],
    ['天通苑', '昌平区', 116.42, 40.07, 2],
    ['沙河', '昌平区', 116.28, 40.14, 1],
    ['霍营', '昌平区', 116.36, 40.075, 1],
    ['北七家', '昌平区', 116.42, 40.11, 1],
    ['昌平鼓楼', '昌平区', 116.23, 40.19, 1],
    ['小汤山', '昌平区', 116.39, 40.17, 0.8],
    ['黄村', '大兴区', 116.33, 39.73, 1.5],
    ['西红门', '大兴区', 116.33, 39.79, 1.5],
    ['旧宫', '大兴区', 116.45, 39.81, 1.5],
    ['亦庄', '大兴区', 116.505, 39.795, 1.5],
    ['瀛海', '大兴区', 116.44, 39.76, 1],
    ['天宫院', '大兴区', 116.32, 39.67, 1],
    ['顺义石园', '顺义区', 116.655, 40.13, 1.5],
    ['后沙峪', '顺义区', 116.55, 40.1, 1],
    ['天竺', '顺义区', 116.59, 40.06, 1],
    ['马坡', '顺义区', 116.63, 40.17, 0.8],
    ['南法信', '顺义区', 116.61, 40.12, 0.8],
    ['良乡', '房山区', 116.14, 39.73, 1.5],
    ['长阳', '房山区', 116.2, 39.76, 1],
    ['阎村', '房山区', 116.11, 39.74, 0.8],
    ['窦店', '房山区', 116.08, 39.67, 0.8],
    ['大峪', '门头沟区', 116.1, 39.94, 1],
    ['永定', '门头沟区', 116.09, 39.91, 0.8],
  ] as const
).map(([stem, district, lon, lat, weight]) => ({ stem, district, lon, lat, weight }));

/** Points scattered around an area, inside the given bounds. */
function scatter(
  rng: Rng,
  area: { lon: number; lat: number },
  sigmaKm: number,
  bounds: { minLon: number; maxLon: number; minLat: number; maxLat: number },
): [number, number] {
  for (;;) {
    const lon = area.lon + (gaussian(rng) * sigmaKm) / 85.3;
    const lat = area.lat + (gaussian(rng) * sigmaKm) / 110.6;
    if (lon > bounds.minLon && lon < bounds.maxLon && lat > bounds.minLat && lat < bounds.maxLat)
      return [round(lon, 6), round(lat, 6)];
  }
}

// ---- Bus network ----------------------------------------------------------------------------------

interface Stop {
  id: string;
  name: string;
  district: string;
  area: Area;
  lon: number;
  lat: number;
  lines: string[];
}

interface Line {
  id: string;
  name: string;
  type: string;
  operator: string;
  start: Stop;
  end: Stop;
  lengthKm: number;
  stopCount: number;
  first: string;
  last: string;
  fare: number;
}

const STOP_SUFFIXES = [
  '',
  '东',
  '西',
  '南',
  '北',
  '路口东',
  '路口西',
  '路口南',
  '路口北',
  '桥东',
  '桥西',
  '桥南',
  '桥北',
  '东口',
  '西口',
  '北里',
  '南里',
  '小区',
  '公交场站',
  '地铁站',
];

const BUS_GROUP_BRANCHES = [
  '北京公交集团第一客运分公司',
  '北京公交集团第二客运分公司',
  '北京公交集团第三客运分公司',
  '北京公交集团第四客运分公司',
  '北京公交集团第五客运分公司',
  '北京公交集团第六客运分公司',
  '北京公交集团第七客运分公司',
  '北京公交集团第八客运分公司',
];
const TROLLEY = '北京公交集团电车客运分公司';
const SUBURBAN_OPERATOR = '北京八方达客运有限责任公司';
const YUNTONG_OPERATOR = '北京新月联合汽车有限公司';
const SUBURBAN_DISTRICTS = new Set(['通州区', '昌平区', '大兴区', '顺义区', '房山区', '门头沟区']);

/** Beijing's ground-bus fare: 2 yuan for 10 km, 1 yuan more for every 5 km after. */
function busFare(lengthKm: number): number {
  return 2 + Math.max(0, Math.ceil((lengthKm - 10) / 5));
}

function makeStops(rng: Rng, count: number): Stop[] {
  const stops: Stop[] = [];
  const names = new Set<string>();
  while (stops.length < count) {
    const area = weighted(rng, AREAS, (a) => a.weight);
    let name: string | undefined;
    for (let attempt = 0; attempt < 6 && name === undefined; attempt += 1) {
      const candidate = `${area.stem}${pick(rng, STOP_SUFFIXES)}站`;
      if (!names.has(candidate)) name = candidate;
    }
    if (name === undefined) continue;
    names.add(name);
    const [lon, lat] = scatter(rng, area, 1.1, URBAN_BOUNDS);
    stops.push({
      id: `BS${pad(stops.length + 1, 5)}`,
      name,
      district: area.district,
      area,
      lon,
      lat,
      lines: [],
    });
  }
  return stops;
}

interface LineKind {
  type: string;
  name: (n: number) => string;
  id: (n: number) => string;
  numbers: number[];
  /** Straight-line distance between the ends, km. */
  span: readonly [number, number];
}

function lineKinds(rng: Rng): LineKind[] {
  return [
    {
      type: '常规线路',
      name: (n) => `${n}路`,
      id: (n) => String(n),
      numbers: distinctInts(rng, 180, 1, 699),
      span: [4, 18],
    },
    {
      type: '郊区线路',
      name: (n) => `${n}路`,
      id: (n) => String(n),
      numbers: distinctInts(rng, 30, 801, 999),
      span: [12, 35],
    },
    {
      type: '特线',
      name: (n) => `特${n}路`,
      id: (n) => `特${n}`,
      numbers: distinctInts(rng, 12, 1, 20),
      span: [10, 22],
    },
    {
      type: '夜班线路',
      name: (n) => `夜${n}路`,
      id: (n) => `夜${n}`,
      numbers: distinctInts(rng, 20, 1, 40),
      span: [12, 30],
    },
    {
      type: '快速公交',
      name: (n) => `快速公交${n}线`,
      id: (n) => `快速公交${n}`,
      numbers: [1, 2, 3, 4],
      span: [14, 24],
    },
    {
      type: '专线',
      name: (n) => `专${n}路`,
      id: (n) => `专${n}`,
      numbers: distinctInts(rng, 35, 1, 199),
      span: [2, 7],
    },
    {
      type: '运通线路',
      name: (n) => `运通${n}线`,
      id: (n) => `运通${n}`,
      numbers: distinctInts(rng, 19, 101, 130),
      span: [10, 26],
    },
  ];
}

/** Stops within reach of the straight line between two ends, in travel order. */
function stopsAlong(stops: readonly Stop[], a: Stop, b: Stop, reachKm: number): Stop[] {
  const ax = a.lon * 85.3;
  const ay = a.lat * 110.6;
  const dx = b.lon * 85.3 - ax;
  const dy = b.lat * 110.6 - ay;
  const len2 = dx * dx + dy * dy || 1;
  const along: { stop: Stop; t: number }[] = [];
  for (const s of stops) {
    const px = s.lon * 85.3 - ax;
    const py = s.lat * 110.6 - ay;
    const t = (px * dx + py * dy) / len2;
    if (t < 0 || t > 1) continue;
    const off = Math.hypot(px - t * dx, py - t * dy);
    if (off <= reachKm) along.push({ stop: s, t });
  }
  return along.sort((x, y) => x.t - y.t).map((x) => x.stop);
}

function busNetwork(): { stops: Stop[]; lines: Line[] } {
  const rng = rngFor('bus-network');
  const stops = makeStops(rng, 800);
  const byArea = new Map<Area, Stop[]>();
  for (const s of stops) byArea.set(s.area, [...(byArea.get(s.area) ?? []), s]);
  const nearest = (area: Area): Stop => {
    const own = byArea.get(area);
    if (own !== undefined && own.length > 0) return pick(rng, own);
    let best = at(stops, 0);
    for (const s of stops)
      if (km(s.lon, s.lat, area.lon, area.lat) < km(best.lon, best.lat, area.lon, area.lat)) best = s;
    return best;
  };
  const outer = AREAS.filter((a) => SUBURBAN_DISTRICTS.has(a.district));
  const lines: Line[] = [];
  for (const kind of lineKinds(rng)) {
    for (const n of kind.numbers) {
      const [minSpan, maxSpan] = kind.span;
      const from =
        kind.type === '郊区线路'
          ? weighted(rng, outer, (a) => a.weight)
          : weighted(rng, AREAS, (a) => a.weight);
      // An end at the right distance; widen the range rather than loop forever at the edge of town.
      let to = from;
      for (let attempt = 0; attempt < 40; attempt += 1) {
        const candidate = weighted(rng, AREAS, (a) => a.weight);
        const d = km(from.lon, from.lat, candidate.lon, candidate.lat);
        const slack = attempt * 0.5;
        if (candidate !== from && d >= minSpan - slack && d <= maxSpan + slack) {
          to = candidate;
          break;
        }
      }
      if (to === from) to = at(AREAS, (AREAS.indexOf(from) + 7) % AREAS.length);
      const start = nearest(from);
      let end = nearest(to);
      if (end === start) end = at(stops, (stops.indexOf(start) + 1) % stops.length);
      const straight = km(start.lon, start.lat, end.lon, end.lat);
      const lengthKm = round(Math.max(2.5, straight * (1.2 + rng() * 0.3) + 0.5), 1);
      const route = stopsAlong(stops, start, end, kind.type === '专线' ? 0.9 : 0.6);
      const spacing = kind.type === '快速公交' ? 1.1 : kind.type === '郊区线路' ? 1.0 : 0.65;
      const stopCount = Math.max(
        route.length,
        Math.min(90, Math.max(6, Math.round(lengthKm / spacing) + between(rng, -2, 3))),
      );
      const name = kind.name(n);
      for (const s of route) s.lines.push(name);
      const night = kind.type === '夜班线路';
      const first = night
        ? 23 * 60 + pick(rng, [0, 10, 20, 30])
        : kind.type === '专线'
          ? 6 * 60 + pick(rng, [0, 15, 30])
          : 5 * 60 + 5 * between(rng, 0, 18);
      const last = night
        ? 4 * 60 + pick(rng, [0, 10, 20, 30])
        : kind.type === '专线'
          ? 19 * 60 + pick(rng, [0, 30, 60])
          : 21 * 60 + 10 * between(rng, 0, 15);
      const operator =
        kind.type === '运通线路'
          ? YUNTONG_OPERATOR
          : kind.type === '常规线路' && n >= 101 && n <= 124
            ? TROLLEY
            : kind.type === '郊区线路' && rng() < 0.6
              ? SUBURBAN_OPERATOR
              : pick(rng, BUS_GROUP_BRANCHES);
      lines.push({
        id: kind.id(n),
        name,
        type: kind.type,
        operator,
        start,
        end,
        lengthKm,
        stopCount,
        first: hhmmss(first),
        last: hhmmss(last),
        fare: busFare(lengthKm),
      });
    }
  }
  // A stop no line reaches still has a bus: the line passing closest to it.
  for (const s of stops) {
    if (s.lines.length > 0) continue;
    let best = at(lines, 0);
    let bestKm = Number.POSITIVE_INFINITY;
    for (const line of lines) {
      const d =
        km(s.lon, s.lat, line.start.lon, line.start.lat) + km(s.lon, s.lat, line.end.lon, line.end.lat);
      const extra = d - km(line.start.lon, line.start.lat, line.end.lon, line.end.lat);
      if (extra < bestKm) {
        bestKm = extra;
        best = line;
      }
    }
    s.lines.push(best.name);
  }
  return { stops, lines };
}

function busLinesTable(lines: readonly Line[]): DemoTable {
  const header = [
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
  ];
  const rows = lines.map((l) => [
    l.id,
    l.name,
    l.type,
    l.operator,
    l.start.name,
    l.end.name,
    l.lengthKm,
    l.stopCount,
    l.first,
    l.last,
    l.fare,
    l.start.district,
  ]);
  return {
    entryCode: ENTRY_CODES.busLines,
    name: '公交线路',
    description:
      '地面公交线路的线路类型、运营单位、起终点站、线路长度、站点数、首末班时间和全程票价（元）；所属区为起点站所在区。',
    filename: 'bus-lines.csv',
    content: csv(header, rows),
    primaryKey: ['route_id'],
    indexes: [['district'], ['route_type'], ['operator_name'], ['route_length_km']],
  };
}

function busStopsTable(stops: readonly Stop[]): DemoTable {
  const features = stops.map((s) =>
    JSON.stringify({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [s.lon, s.lat] },
      properties: { stop_id: s.id, stop_name: s.name, district: s.district, lines_served: s.lines.join(';') },
    }),
  );
  return {
    entryCode: ENTRY_CODES.busStops,
    name: '公交站点',
    description: '公交站点的编号、名称、所属区、经停线路（以分号分隔）和位置（WGS-84 经纬度）。',
    filename: 'bus-stops.geojson',
    content: `{"type":"FeatureCollection","features":[\n${features.join(',\n')}\n]}\n`,
    primaryKey: ['stop_id'],
    indexes: [['district'], ['stop_name']],
  };
}

// ---- Air quality ----------------------------------------------------------------------------------

interface Station {
  code: string;
  name: string;
  district: string;
  lon: number;
  lat: number;
  /** Multipliers for particles, nitrogen dioxide (traffic) and ozone (background sites). */
  pm: number;
  no2: number;
  o3: number;
}

/** The city's monitoring network, sites at approximate coordinates. */
const STATIONS: Station[] = (
  [
    ['东城东四', '东城区', 116.417, 39.929, 1, 1, 1],
    ['东城天坛', '东城区', 116.407, 39.886, 1.02, 1, 1],
    ['西城官园', '西城区', 116.339, 39.929, 1, 1, 1],
    ['西城万寿西宫', '西城区', 116.352, 39.878, 1.05, 1, 1],
    ['朝阳奥体中心', '朝阳区', 116.397, 39.982, 0.97, 1, 1.02],
    ['朝阳农展馆', '朝阳区', 116.461, 39.937, 1.03, 1.05, 0.98],
    ['海淀万柳', '海淀区', 116.287, 39.987, 0.95, 0.95, 1.03],
    ['海淀北部新区', '海淀区', 116.174, 40.09, 0.85, 0.8, 1.08],
    ['海淀植物园', '海淀区', 116.207, 40.002, 0.82, 0.7, 1.12],
    ['丰台花园', '丰台区', 116.279, 39.863, 1.05, 1, 1],
    ['丰台云岗', '丰台区', 116.146, 39.824, 0.95, 0.85, 1.05],
    ['石景山古城', '石景山区', 116.184, 39.914, 0.95, 0.95, 1.03],
    ['房山良乡', '房山区', 116.136, 39.742, 1.15, 0.9, 1],
    ['大兴黄村', '大兴区', 116.404, 39.718, 1.15, 0.95, 1],
    ['亦庄开发区', '大兴区', 116.506, 39.795, 1.1, 1, 0.98],
    ['通州新城', '通州区', 116.663, 39.886, 1.12, 1, 0.98],
    ['顺义新城', '顺义区', 116.655, 40.127, 0.95, 0.9, 1.02],
    ['昌平镇', '昌平区', 116.23, 40.217, 0.85, 0.85, 1.05],
    ['门头沟龙泉镇', '门头沟区', 116.106, 39.937, 0.9, 0.85, 1.05],
    ['平谷镇', '平谷区', 117.1, 40.143, 0.9, 0.8, 1.03],
    ['怀柔镇', '怀柔区', 116.628, 40.328, 0.8, 0.75, 1.06],
    ['密云镇', '密云区', 116.832, 40.37, 0.8, 0.75, 1.06],
    ['延庆夏都', '延庆区', 115.972, 40.453, 0.7, 0.65, 1.1],
    ['昌平定陵', '昌平区', 116.22, 40.292, 0.72, 0.5, 1.2],
    ['延庆八达岭', '延庆区', 115.988, 40.365, 0.68, 0.5, 1.22],
    ['密云水库', '密云区', 116.911, 40.499, 0.62, 0.45, 1.25],
    ['平谷东高村', '平谷区', 117.12, 40.1, 0.9, 0.6, 1.12],
    ['通州永乐店', '通州区', 116.783, 39.712, 1.22, 0.75, 1.05],
    ['大兴榆垡', '大兴区', 116.3, 39.52, 1.3, 0.8, 1.05],
    ['房山琉璃河', '房山区', 116.0, 39.58, 1.3, 0.8, 1.05],
    ['东城前门', '东城区', 116.395, 39.899, 1.08, 1.45, 0.82],
    ['东城永定门内', '东城区', 116.394, 39.876, 1.08, 1.4, 0.82],
    ['西城西直门北', '西城区', 116.349, 39.954, 1.06, 1.5, 0.8],
    ['丰台南三环', '丰台区', 116.368, 39.856, 1.1, 1.5, 0.8],
    ['朝阳东四环', '朝阳区', 116.483, 39.939, 1.08, 1.55, 0.78],
  ] as const
).map(([name, district, lon, lat, pm, no2, o3], i) => ({
  code: `BJAQ${pad(i + 1, 3)}`,
  name,
  district,
  lon,
  lat,
  pm,
  no2,
  o3,
}));

const AIR_DAYS = 14;
/** The fortnight ends the day before the demo catalog's reference day (2026-11-01). */
const AIR_START = Date.UTC(2026, 9, 18);

interface Episode {
  start: number;
  peak: number;
  end: number;
  amplitude: number;
}

/** Two stagnant spells that build up over a day or two and are swept away by a cold front. */
const EPISODES: Episode[] = [
  { start: 3 * 24 + 6, peak: 4 * 24 + 22, end: 5 * 24 + 14, amplitude: 165 },
  { start: 9 * 24 + 12, peak: 10 * 24 + 20, end: 11 * 24 + 10, amplitude: 95 },
];

/** Haze arrives later and leaves earlier further north. */
function episodeLevel(hour: number, lat: number): number {
  const rise = (lat - 39.85) * 12;
  const fall = (lat - 39.85) * 6;
  let level = 0;
  for (const e of EPISODES) {
    const start = e.start + rise;
    const peak = e.peak + rise;
    const end = e.end - fall;
    if (hour <= start || hour >= end) continue;
    const x = hour < peak ? (hour - start) / (peak - start) : 1 - (hour - peak) / (end - peak);
    level += e.amplitude * x * x * (3 - 2 * x);
  }
  return level;
}

/** HJ 633-2012: concentration breakpoints for IAQI 0, 50, 100, 150, 200, 300, 400, 500. */
const IAQI_LEVELS = [0, 50, 100, 150, 200, 300, 400, 500];
const BREAKPOINTS: Record<string, readonly number[]> = {
  // Hourly particle values are rated against the 24-hour limits, as the real-time AQI does.
  'PM2.5': [0, 35, 75, 115, 150, 250, 350, 500],
  PM10: [0, 50, 150, 250, 350, 420, 500, 600],
  SO2: [0, 150, 500, 650, 800],
  NO2: [0, 100, 200, 700, 1200, 2340, 3090, 3840],
  CO: [0, 5, 10, 35, 60, 90, 120, 150],
  O3: [0, 160, 200, 300, 400, 800, 1000, 1200],
};

const POLLUTANTS = ['PM2.5', 'PM10', 'NO2', 'O3', 'SO2', 'CO'];

function iaqi(pollutant: string, value: number): number {
  const bp = BREAKPOINTS[pollutant] ?? [];
  for (let i = 1; i < bp.length; i += 1) {
    const hi = at(bp, i);
    if (value <= hi) {
      const lo = at(bp, i - 1);
      const ilo = at(IAQI_LEVELS, i - 1);
      const ihi = at(IAQI_LEVELS, i);
      return ilo + ((ihi - ilo) * (value - lo)) / (hi - lo);
    }
  }
  return at(IAQI_LEVELS, bp.length - 1);
}

function aqiLevel(aqi: number): string {
  if (aqi <= 50) return '优';
  if (aqi <= 100) return '良';
  if (aqi <= 150) return '轻度污染';
  if (aqi <= 200) return '中度污染';
  if (aqi <= 300) return '重度污染';
  return '严重污染';
}

function airQualityTable(): DemoTable {
  const rng = rngFor('air-quality');
  const hours = AIR_DAYS * 24;
  // A slowly wandering regional background, shared by every station.
  const background: number[] = [];
  let drift = 0;
  for (let h = 0; h < hours; h += 1) {
    drift = 0.93 * drift + 0.12 * gaussian(rng);
    background.push(24 * Math.exp(drift));
  }
  const noise = STATIONS.map(() => 0);
  const rows: Cell[][] = [];
  for (let h = 0; h < hours; h += 1) {
    const hod = h % 24;
    const time = new Date(AIR_START + h * 3_600_000).toISOString().slice(0, 19);
    // Particles peak around 1 am under the shallow night-time boundary layer.
    const pmDiurnal = 1 + 0.22 * Math.cos((2 * Math.PI * (hod - 1)) / 24);
    const rush = 1 + 0.35 * Math.exp(-((hod - 8) ** 2) / 4) + 0.4 * Math.exp(-((hod - 20) ** 2) / 8);
    const midday = 1 - 0.3 * Math.exp(-((hod - 14) ** 2) / 10);
    const sun = hod >= 8 && hod <= 21 ? Math.sin((Math.PI * (hod - 8)) / 14) ** 1.5 : 0;
    for (let i = 0; i < STATIONS.length; i += 1) {
      const st = at(STATIONS, i);
      const n = 0.75 * at(noise, i) + 0.16 * gaussian(rng);
      noise[i] = n;
      const episode = episodeLevel(h, st.lat);
      const pm25 = Math.max(
        3,
        (at(background, h) * pmDiurnal * st.pm + episode * st.pm * (0.85 + 0.15 * pmDiurnal)) * Math.exp(n),
      );
      // Coarse dust makes up more of the mass on clean, windy days.
      const coarse = 1.2 + 0.6 * Math.exp(-pm25 / 60) + 0.1 * rng();
      const pm10 = pm25 * coarse;
      const no2 = Math.max(2, st.no2 * (18 + 0.28 * pm25) * rush * midday * Math.exp(0.6 * n));
      const haze = Math.min(1, episode / 150);
      const o3 = Math.max(
        2,
        ((st.o3 * (12 + 95 * sun) + (st.o3 - 1) * 40) * (1 - 0.6 * haze) - 0.25 * Math.max(0, no2 - 30)) *
          Math.exp(0.5 * n),
      );
      const so2 = Math.max(1, 2.5 + 0.035 * pm25 + rng() * 2);
      const co = Math.max(0.1, 0.25 + 0.0085 * pm25 + 0.002 * no2 * (st.no2 > 1.3 ? 1.3 : 1));
      // In POLLUTANTS order, which is also the order of the columns.
      const values = [
        Math.round(pm25),
        Math.round(pm10),
        Math.round(no2),
        Math.round(o3),
        Math.round(so2),
        round(co, 1),
      ];
      let aqi = 0;
      let primary = '';
      for (let p = 0; p < POLLUTANTS.length; p += 1) {
        const pollutant = at(POLLUTANTS, p);
        const index = Math.ceil(iaqi(pollutant, at(values, p)));
        if (index > aqi) {
          aqi = index;
          primary = pollutant;
        }
      }
      rows.push([
        st.code,
        st.name,
        st.district,
        time,
        aqi,
        aqiLevel(aqi),
        aqi > 50 ? primary : '',
        ...values,
        st.lat,
        st.lon,
      ]);
    }
  }
  const header = [
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
  ];
  return {
    entryCode: ENTRY_CODES.airQuality,
    name: '空气质量小时监测',
    description:
      '各空气质量监测站点逐小时的 AQI、空气质量级别、首要污染物和六项污染物浓度（PM2.5、PM10、NO2、O3、SO2 为 μg/m³，CO 为 mg/m³），时间为北京时间整点；含两次重污染过程。',
    filename: 'air-quality-hourly.csv',
    content: csv(header, rows),
    primaryKey: ['monitor_station_id', 'monitor_time'],
    indexes: [['monitor_time'], ['district', 'monitor_time'], ['aqi']],
  };
}

// ---- Public car parks (Chaoyang) ------------------------------------------------------------------

const CHAOYANG_BOUNDS = { minLon: 116.38, maxLon: 116.66, minLat: 39.81, maxLat: 40.08 } as const;

/** Chaoyang's neighbourhoods, denser around the business districts. */
const CHAOYANG_AREAS: Area[] = (
  [
    ['国贸', 116.461, 39.909, 5],
    ['大望路', 116.476, 39.908, 4],
    ['三里屯', 116.455, 39.937, 4],
    ['工体', 116.447, 39.93, 3],
    ['亮马桥', 116.462, 39.95, 3],
    ['望京', 116.47, 39.996, 5],
    ['酒仙桥', 116.494, 39.968, 3],
    ['双井', 116.462, 39.893, 4],
    ['劲松', 116.461, 39.884, 3],
    ['潘家园', 116.459, 39.874, 3],
    ['亚运村', 116.405, 39.996, 4],
    ['大屯', 116.42, 40.005, 3],
    ['奥林匹克公园', 116.393, 40.0, 3],
    ['朝阳公园', 116.478, 39.944, 3],
    ['四惠', 116.495, 39.909, 3],
    ['慈云寺', 116.49, 39.92, 2],
    ['常营', 116.598, 39.93, 3],
    ['管庄', 116.595, 39.91, 2],
    ['十八里店', 116.488, 39.846, 2],
    ['来广营', 116.455, 40.025, 2],
    ['东坝', 116.553, 39.966, 2],
    ['孙河', 116.535, 40.035, 1.5],
    ['小红门', 116.446, 39.842, 1.5],
    ['高碑店', 116.528, 39.905, 2],
    ['金盏', 116.62, 39.98, 1],
    ['豆各庄', 116.56, 39.86, 1],
    ['北苑', 116.43, 40.04, 2],
    ['安贞', 116.405, 39.968, 3],
    ['和平街', 116.425, 39.965, 2],
    ['太阳宫', 116.445, 39.972, 2],
  ] as const
).map(([stem, lon, lat, weight]) => ({ stem, district: '朝阳区', lon, lat, weight }));

const FACILITIES = [
  '大厦',
  '广场',
  '中心',
  '家园',
  '花园',
  '商城',
  '公园',
  '体育中心',
  '小区',
  '产业园',
  '市场',
  '国际公寓',
  '购物中心',
  '医院',
  '文化馆',
  '商务楼',
];
const STREET_SUFFIXES = [
  '路',
  '街',
  '东路',
  '西路',
  '南路',
  '北路',
  '大街',
  '东街',
  '西街',
  '中路',
  '南里',
  '北里',
];

/** Two characters for fictitious brand names (companies, car park operators). */
const BRAND_CHARS =
  '瑞丰华泰鑫恒盛嘉宏远通达佳信德源润弘博睿智创新卓越星辰云海天宇易合安和汇聚融铭晟昊坤锦程尚优悦启航益诚朗煜岚翔骏澄沐凯'.split(
    '',
  );

function brand(rng: Rng): string {
  const a = pick(rng, BRAND_CHARS);
  let b = pick(rng, BRAND_CHARS);
  while (b === a) b = pick(rng, BRAND_CHARS);
  return a + b;
}

function parkingTable(): DemoTable {
  const rng = rngFor('parking-chaoyang');
  const operators: string[] = [];
  while (operators.length < 24) {
    const name = `北京${brand(rng)}${pick(rng, ['停车管理', '物业管理', '静态交通', '停车服务'])}有限公司`;
    if (!operators.includes(name)) operators.push(name);
  }
  const names = new Set<string>();
  const rows: Cell[][] = [];
  while (rows.length < 1200) {
    const area = weighted(rng, CHAOYANG_AREAS, (a) => a.weight);
    const [lon, lat] = scatter(rng, area, 1.0, CHAOYANG_BOUNDS);
    const fromCentre = km(lon, lat, CENTRE.lon, CENTRE.lat);
    const roadside = rng() < 0.15;
    const parkAndRide = !roadside && fromCentre > 11 && rng() < 0.25;
    const facility = pick(rng, FACILITIES);
    const street = `${area.stem}${pick(rng, STREET_SUFFIXES)}`;
    const name = roadside
      ? `${street}路侧停车场`
      : parkAndRide
        ? `${area.stem}P+R停车场`
        : `${area.stem}${facility}${pick(rng, ['停车场', '地下停车场', '立体停车库', '地面停车场'])}`;
    if (names.has(name)) continue;
    names.add(name);
    const type = roadside
      ? '道路停车'
      : parkAndRide
        ? 'P+R停车场'
        : rng() < 0.55
          ? '配建公共停车场'
          : '独立公共停车场';
    const total = roadside
      ? between(rng, 12, 80)
      : Math.round(Math.min(2500, Math.max(30, 180 * Math.exp(0.8 * gaussian(rng)))));
    const charging = roadside ? 0 : Math.floor(total * rng() * (rng() < 0.3 ? 0.3 : 0.12));
    // Prices step down ring by ring from the centre; park-and-ride is cheap to keep cars out of town.
    const price = parkAndRide
      ? 1
      : fromCentre < 7
        ? pick(rng, roadside ? [15, 10] : [10, 8])
        : fromCentre < 11
          ? pick(rng, roadside ? [10, 6] : [6, 5])
          : pick(rng, [2.5, 3, 4, 5]);
    const open24 = roadside ? false : parkAndRide || rng() < 0.7;
    rows.push([
      `CY-P${pad(rows.length + 1, 4)}`,
      name,
      type,
      '朝阳区',
      `北京市朝阳区${street}${between(rng, 1, 199)}号`,
      lat,
      lon,
      total,
      charging,
      price,
      open24,
      pick(rng, operators),
    ]);
  }
  const header = [
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
  ];
  return {
    entryCode: ENTRY_CODES.parking,
    name: '朝阳区公共停车场',
    description:
      '朝阳区备案公共停车场的类型、地址、位置（WGS-84）、总泊位数、充电泊位数、小客车每小时收费（元）、是否 24 小时开放和运营单位。名称、地址和运营单位为演示虚构。',
    filename: 'parking-chaoyang.csv',
    content: csv(header, rows),
    primaryKey: ['parking_id'],
    indexes: [['parking_type'], ['hourly_price'], ['total_spaces'], ['operator_name']],
  };
}

// ---- Company registrations ------------------------------------------------------------------------

/** District, administrative division code (GB/T 2260) and share of new companies. */
const DISTRICT_CODES: readonly (readonly [string, string, number])[] = [
  ['东城区', '110101', 4],
  ['西城区', '110102', 5],
  ['朝阳区', '110105', 20],
  ['丰台区', '110106', 7],
  ['石景山区', '110107', 3],
  ['海淀区', '110108', 18],
  ['门头沟区', '110109', 2],
  ['房山区', '110111', 4],
  ['通州区', '110112', 7],
  ['顺义区', '110113', 6],
  ['昌平区', '110114', 7],
  ['大兴区', '110115', 7],
  ['怀柔区', '110116', 3],
  ['平谷区', '110117', 2],
  ['密云区', '110118', 2],
  ['延庆区', '110119', 2],
];

/** GB/T 4754-2017 sections with words companies in them put in their names, and a share. */
const INDUSTRIES: readonly (readonly [string, string, readonly string[], number])[] = [
  ['A', '农、林、牧、渔业', ['农业发展', '园艺', '生态农业'], 2],
  ['B', '采矿业', ['矿业'], 0.3],
  ['C', '制造业', ['食品', '机械制造', '医疗器械', '电子设备', '新材料'], 6],
  ['D', '电力、热力、燃气及水生产和供应业', ['新能源', '热力', '能源科技'], 1],
  ['E', '建筑业', ['建筑工程', '装饰工程', '市政工程'], 6],
  ['F', '批发和零售业', ['商贸', '贸易', '电子商务', '医药'], 16],
  ['G', '交通运输、仓储和邮政业', ['物流', '运输', '供应链管理'], 4],
  ['H', '住宿和餐饮业', ['餐饮管理', '酒店管理'], 5],
  ['I', '信息传输、软件和信息技术服务业', ['科技', '信息技术', '网络科技', '软件', '数据科技'], 18],
  ['J', '金融业', ['投资管理', '资产管理'], 1],
  ['K', '房地产业', ['房地产开发', '物业管理', '房地产经纪'], 3],
  ['L', '租赁和商务服务业', ['商务咨询', '企业管理', '广告', '会展服务'], 16],
  ['M', '科学研究和技术服务业', ['技术服务', '科技发展', '工程技术', '检测技术'], 12],
  ['N', '水利、环境和公共设施管理业', ['环境工程', '园林绿化'], 1.5],
  ['O', '居民服务、修理和其他服务业', ['家政服务', '汽车维修', '美容美发'], 3],
  ['P', '教育', ['教育科技', '教育咨询'], 2],
  ['Q', '卫生和社会工作', ['健康管理', '养老服务'], 1.5],
  ['R', '文化、体育和娱乐业', ['文化传媒', '影视文化', '体育发展'], 4],
];

const LEGAL_FORMS: readonly (readonly [string, number])[] = [
  ['有限责任公司（自然人投资或控股）', 45],
  ['有限责任公司（自然人独资）', 28],
  ['有限责任公司（法人独资）', 12],
  ['其他有限责任公司', 8],
  ['有限责任公司（外商投资、非独资）', 2],
  ['股份有限公司（非上市、自然人投资或控股）', 5],
];

const CAPITALS = [1, 3, 5, 10, 20, 30, 50, 100, 200, 300, 500, 800, 1000, 2000, 3000, 5000, 10000];
const CAPITAL_WEIGHTS = [2, 3, 6, 14, 6, 6, 12, 18, 8, 6, 8, 2, 5, 2, 1, 1, 0.5];
const CAPITAL_INDEXES = CAPITALS.map((_, i) => i);

/** The credit-code alphabet (no I, O, S, V, Z). */
const CODE_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'.split('');

/**
 * GB 11714 check character of an 8-character organisation code body. Real credit codes carry the
 * organisation code with a correct check character; ours carry a wrong one, so none can be a real one.
 */
function orgCodeCheck(body8: string): string {
  const weights = [3, 7, 9, 10, 5, 8, 4, 2];
  let sum = 0;
  for (let i = 0; i < 8; i += 1) sum += Number.parseInt(body8.charAt(i), 36) * at(weights, i);
  const c = 11 - (sum % 11);
  return c === 10 ? 'X' : c === 11 ? '0' : String(c);
}

function fictitiousCreditCode(rng: Rng, division: string): string {
  let body = 'MA0';
  for (let i = 0; i < 5; i += 1) body += pick(rng, CODE_CHARS);
  const real = orgCodeCheck(body);
  let check = pick(rng, CODE_CHARS);
  while (check === real) check = pick(rng, CODE_CHARS);
  // 9 = registered by market regulation, 1 = enterprise.
  return withCreditCheck(`91${division}${body}${check}`);
}

const FIRST_DAY = Date.UTC(2015, 0, 1);
const LAST_DAY = Date.UTC(2025, 11, 31);
/** Age is counted to the demo catalog's reference day. */
const REFERENCE_DAY = Date.UTC(2026, 10, 1);

function registrationsTable(): DemoTable {
  const rng = rngFor('company-registrations');
  const codes = new Set<string>();
  const names = new Set<string>();
  const rows: { date: string; cells: Cell[] }[] = [];
  while (rows.length < 5000) {
    const [district, division] = weighted(rng, DISTRICT_CODES, (d) => d[2]);
    const [section, industry, words] = weighted(rng, INDUSTRIES, (s) => s[3]);
    const name = `${district.replace(/区$/, '')}${brand(rng)}${pick(rng, words)}有限公司`;
    const form = weighted(rng, LEGAL_FORMS, (f) => f[1])[0];
    const code = fictitiousCreditCode(rng, division);
    if (names.has(name) || codes.has(code)) continue;
    names.add(name);
    codes.add(code);
    // More companies each year, and mostly registered on working days.
    const span = (LAST_DAY - FIRST_DAY) / 86_400_000;
    let day = Math.floor(span * (rng() < 0.6 ? rng() : Math.sqrt(rng())));
    const weekday = new Date(FIRST_DAY + day * 86_400_000).getUTCDay();
    if ((weekday === 0 || weekday === 6) && rng() < 0.9) day = Math.max(0, day - (weekday === 0 ? 2 : 1));
    const time = FIRST_DAY + day * 86_400_000;
    const date = new Date(time).toISOString().slice(0, 10);
    let capital = at(
      CAPITALS,
      weighted(rng, CAPITAL_INDEXES, (i) => at(CAPITAL_WEIGHTS, i)),
    );
    if (form.startsWith('股份')) capital = Math.max(capital, 500);
    if (form.includes('自然人独资')) capital = Math.min(capital, 1000);
    if (rng() < 0.06) capital = round(capital * (0.3 + rng() * 1.2), 4);
    const age = (REFERENCE_DAY - time) / (365.25 * 86_400_000);
    const r = rng();
    const status =
      r < 0.02 + 0.025 * age
        ? '注销'
        : r < 0.02 + 0.025 * age + (age > 2 ? 0.006 * age : 0)
          ? '吊销'
          : rng() < 0.15
            ? '在业'
            : '存续';
    rows.push({ date, cells: [code, name, form, section, industry, district, capital, date, status] });
  }
  rows.sort((a, b) =>
    a.date < b.date ? -1 : a.date > b.date ? 1 : String(a.cells[0]) < String(b.cells[0]) ? -1 : 1,
  );
  const header = [
    'credit_code',
    'enterprise_name',
    'enterprise_type',
    'industry_code',
    'industry',
    'district',
    'registered_capital',
    'registration_date',
    'business_status',
  ];
  return {
    entryCode: ENTRY_CODES.registrations,
    name: '企业设立登记',
    description:
      '2015—2025 年设立登记的企业：统一社会信用代码、名称、企业类型、国民经济行业门类、所属区、注册资本（万元）、成立日期和登记状态。企业及代码均为演示虚构，代码校验位有效。',
    filename: 'company-registrations.csv',
    content: csv(
      header,
      rows.map((r) => r.cells),
    ),
    primaryKey: ['credit_code'],
    indexes: [
      ['district'],
      ['industry_code'],
      ['registration_date'],
      ['business_status'],
      ['registered_capital'],
    ],
  };
}

/** The demo tables, in a fixed order; the same on every call. */
export function demoTables(): DemoTable[] {
  const { stops, lines } = busNetwork();
  return [
    busLinesTable(lines),
    busStopsTable(stops),
    airQualityTable(),
    parkingTable(),
    registrationsTable(),
  ];
}
