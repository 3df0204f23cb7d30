import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import { localized } from '../src/features/catalog/localized.ts';
import {
  cityItemRows,
  openedShare,
  organizationRows,
  PROGRESS_ORDER,
  parseYear,
  progressChartOption,
  totalOf,
  totalsOf,
  totalsSentence,
  yearChoices,
} from '../src/features/opening/city-plan.ts';
import { cityPlanDownloads, createOpeningApi } from '../src/features/opening/opening-api.ts';
import type { CityPlan, ItemProgress, PlanItem } from '../src/features/opening/opening-types.ts';

const TRANSPORT = 'org-transport';
const HEALTH = 'org-health';
const ECONOMY = 'org-economy';

function item(
  code: string,
  progress: ItemProgress,
  organizationId: string,
): PlanItem & { organizationId: string } {
  return {
    entryCode: code,
    entryTitle: { zh: `条目 ${code}`, en: `Entry ${code}` },
    openType: 'unconditional',
    condition: null,
    plannedDate: '2026-06-30',
    progress,
    openedAt: progress.startsWith('opened') ? '2026-06-01T00:00:00Z' : null,
    organizationId,
  };
}

const ITEMS = [
  item('A1', 'opened_on_time', TRANSPORT),
  item('A2', 'opened_on_time', TRANSPORT),
  item('A3', 'opened_late', TRANSPORT),
  item('A4', 'overdue', TRANSPORT),
  item('B1', 'planned', HEALTH),
  item('B2', 'overdue', HEALTH),
  item('C1', 'opened_on_time', ECONOMY),
  item('C2', 'planned', ECONOMY),
];

const CITY: CityPlan = {
  year: 2026,
  totals: totalsOf(ITEMS),
  organizations: [
    {
      organizationId: HEALTH,
      organizationName: { zh: '北京市卫生健康委员会', en: 'Health Commission' },
      totals: totalsOf(ITEMS.filter((i) => i.organizationId === HEALTH)),
    },
    {
      organizationId: TRANSPORT,
      organizationName: '北京市交通委员会',
      totals: totalsOf(ITEMS.filter((i) => i.organizationId === TRANSPORT)),
    },
    {
      organizationId: ECONOMY,
      organizationName: { zh: '北京市经济和信息化局', en: 'Economy Bureau' },
      totals: totalsOf(ITEMS.filter((i) => i.organizationId === ECONOMY)),
    },
  ],
  items: ITEMS,
};

const nameOf = (name: CityPlan['organizations'][number]['organizationName']) =>
  typeof name === 'string' ? { text: name, lang: 'zh-CN' } : localized(name, 'en');

describe('city plan totals', () => {
  it('adds the items up by progress', () => {
    expect(CITY.totals).toEqual({ items: 8, openedOnTime: 3, openedLate: 1, overdue: 2, planned: 2 });
    expect(PROGRESS_ORDER.map((p) => totalOf(CITY.totals, p))).toEqual([3, 1, 2, 2]);
    expect(openedShare(CITY.totals)).toBe(0.5);
    expect(openedShare(totalsOf([]))).toBe(0);
  });

  it('says the totals in words for the chart’s screen-reader name', () => {
    const labels = { opened_on_time: 'On time', opened_late: 'Late', overdue: 'Overdue', planned: 'Planned' };
    expect(totalsSentence(CITY.totals, labels, 'Items', ', ')).toBe(
      'Items 8, On time 3, Late 1, Overdue 2, Planned 2',
    );
  });
});

describe('progress by organisation', () => {
  const rows = organizationRows(CITY, nameOf);
  const labels = { opened_on_time: 'On time', opened_late: 'Late', overdue: 'Overdue', planned: 'Planned' };

  it('lists organisations with most items first, then by name, in the reader’s language', () => {
    expect(rows.map((r) => [r.name, r.lang, r.totals.items])).toEqual([
      ['北京市交通委员会', 'zh-CN', 4],
      ['Economy Bureau', 'en', 2],
      ['Health Commission', 'en', 2],
    ]);
  });

  it('stacks the four kinds of progress per organisation, the same figures as the table', () => {
    const option = progressChartOption(rows, labels, false) as {
      animation: boolean;
      yAxis: { data: string[] };
      series: { name: string; type: string; stack: string; data: number[] }[];
    };
    expect(option.animation).toBe(false);
    // Category axes draw bottom-up: reversed so the chart reads top-down like the table.
    expect(option.yAxis.data).toEqual(['Health Commission', 'Economy Bureau', '北京市交通委员会']);
    expect(option.series.map((s) => [s.name, s.type, s.stack])).toEqual([
      ['On time', 'bar', 'items'],
      ['Late', 'bar', 'items'],
      ['Overdue', 'bar', 'items'],
      ['Planned', 'bar', 'items'],
    ]);
    expect(option.series.map((s) => s.data)).toEqual([
      [0, 1, 2],
      [0, 0, 1],
      [1, 0, 1],
      [1, 1, 0],
    ]);
    // Each bar adds up to the organisation's total.
    for (const [i, row] of [...rows].reverse().entries())
      expect(option.series.reduce((sum, s) => sum + (s.data[i] ?? 0), 0)).toBe(row.totals.items);
  });
});

describe('the items table', () => {
  it('filters by progress and organisation and sorts by planned date, then code', () => {
    const dated = [
      { ...item('Z9', 'planned', HEALTH), plannedDate: '2026-03-31' },
      ...ITEMS,
      { ...item('A0', 'overdue', TRANSPORT), plannedDate: '2026-01-15' },
    ];
    expect(cityItemRows(dated, 'all', 'all').map((i) => i.entryCode)).toEqual([
      'A0',
      'Z9',
      'A1',
      'A2',
      'A3',
      'A4',
      'B1',
      'B2',
      'C1',
      'C2',
    ]);
    expect(cityItemRows(dated, 'overdue', 'all').map((i) => i.entryCode)).toEqual(['A0', 'A4', 'B2']);
    expect(cityItemRows(dated, 'overdue', TRANSPORT).map((i) => i.entryCode)).toEqual(['A0', 'A4']);
    expect(cityItemRows(dated, 'opened_late', HEALTH)).toEqual([]);
    // Each filtered list agrees with the totals for it.
    expect(cityItemRows(ITEMS, 'planned', 'all').length).toBe(CITY.totals.planned);
  });
});

describe('the year in the address', () => {
  it('accepts four-digit years of this century and offers the last five and the next one', () => {
    expect(parseYear('2026')).toBe(2026);
    expect(parseYear('26')).toBeUndefined();
    expect(parseYear('plans')).toBeUndefined();
    expect(parseYear('1999')).toBeUndefined();
    expect(yearChoices(new Date('2026-05-01'))).toEqual([2027, 2026, 2025, 2024, 2023, 2022]);
    expect(cityPlanDownloads(2026)).toEqual({
      csv: '/api/v1/opening/city/2026/plan.csv',
      ttl: '/api/v1/opening/city/2026/plan.ttl',
    });
  });
});

// A real HTTP server standing in for the public city plan route.
let server: Server;
let base = '';

beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/api/v1/opening/city/2026') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(CITY));
    } else {
      res
        .writeHead(404, { 'content-type': 'application/problem+json' })
        .end(JSON.stringify({ title: 'Not found', status: 404, code: 'not-found' }));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the city plan page’s data', () => {
  const api = () => createOpeningApi({ language: 'en', csrfToken: undefined, base });

  it('reads the plan and its totals agree with its items', async () => {
    const plan = await api().city(2026);
    expect(plan.totals).toEqual(totalsOf(plan.items));
    const rows = organizationRows(plan, nameOf);
    expect(rows.reduce((sum, r) => sum + r.totals.items, 0)).toBe(plan.totals.items);
  });

  it('gets a 404 for a year without a plan, which the page shows as an empty year', async () => {
    const error = await api()
      .city(2019)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(404);
  });
});
