import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../src/api/client.ts';
import type { SessionUser } from '../src/api/types.ts';
import type { Institution } from '../src/features/catalog/catalog-types.ts';
import { createUsageApi } from '../src/features/usage/usage-api.ts';
import { usageNavItems } from '../src/features/usage/usage-navigation.ts';
import type { OrganizationUsage, TopUsage } from '../src/features/usage/usage-types.ts';
import {
  addDays,
  callerRows,
  channelTotals,
  chartLabel,
  chosenOrganization,
  dailySeries,
  entryRows,
  formatDay,
  formatMonth,
  kindTotals,
  MOST_USED_QUERY,
  mayReadUsage,
  parsePeriod,
  readsEveryOrganization,
  readsTable,
  seriesFacts,
  usageChartOption,
  usageLink,
  usageOrganizations,
} from '../src/features/usage/usage-view.ts';
import en from '../src/i18n/en.json' with { type: 'json' };
import fr from '../src/i18n/fr.json' with { type: 'json' };
import zhCN from '../src/i18n/zh-CN.json' with { type: 'json' };

const TRANSPORT = 'org-transport';
const HEALTH = 'org-health';
const COMPANY = 'org-company';

function org(id: string, name: string, kind: string, nameEn?: string): Institution {
  return {
    id,
    code: id,
    name,
    ...(nameEn ? { nameEn } : {}),
    creditCode: '',
    kind,
    listed: 0,
    entries: 0,
    quality: null,
  };
}

const ORGANIZATIONS = [
  org(TRANSPORT, '北京市交通委员会', 'institution', 'Transport Commission'),
  org(HEALTH, '北京市卫生健康委员会', 'institution'),
  org(COMPANY, '某科技公司', 'company'),
];

function user(overrides: Partial<SessionUser> = {}): SessionUser {
  return {
    id: 'u',
    username: 'u',
    displayName: 'U',
    email: null,
    platformRoles: [],
    memberships: [],
    permissions: [],
    ...overrides,
  };
}

const citizen = user();
const transportMember = user({
  memberships: [{ organizationId: TRANSPORT, organizationName: '北京市交通委员会', role: 'member' }],
});
const transportAdmin = user({
  memberships: [{ organizationId: TRANSPORT, organizationName: '北京市交通委员会', role: 'admin' }],
});
const companyAdmin = user({
  memberships: [{ organizationId: COMPANY, organizationName: '某科技公司', role: 'admin' }],
});
const operator = user({
  platformRoles: ['operator'],
  memberships: [{ organizationId: HEALTH, organizationName: '北京市卫生健康委员会', role: 'member' }],
});
const auditor = user({ platformRoles: ['auditor'] });
const statistician = user({ platformRoles: ['statistician'] });
const securityOfficer = user({ platformRoles: ['security_officer'] });

/** 90 days from 2 March 2026: reads on five of them. */
const REPORT: OrganizationUsage = {
  organizationId: TRANSPORT,
  days: 90,
  since: '2026-03-02',
  total: 60,
  entries: [
    {
      entryCode: 'B-2',
      title: { zh: '公交站点', en: 'Bus stops' },
      count: 20,
      channels: { records: 5, download: 15 },
    },
    {
      entryCode: 'A-1',
      title: { zh: '公交线路' },
      count: 20,
      channels: { records: 12, aggregate: 3, sql: 5 },
    },
    { entryCode: 'C-3', title: { zh: '停车场' }, count: 20, channels: { download: 20 } },
  ],
  callers: [
    { kind: 'anonymous', organizationId: null, organizationName: null, count: 6 },
    { kind: 'system', organizationId: HEALTH, organizationName: '北京市卫生健康委员会', count: 24 },
    { kind: 'institution', organizationId: HEALTH, organizationName: '北京市卫生健康委员会', count: 24 },
    { kind: 'company', organizationId: COMPANY, organizationName: '某科技公司', count: 6 },
  ],
  series: [
    { day: '2026-03-02', count: 10 },
    { day: '2026-03-31', count: 5 },
    { day: '2026-04-01', count: 25 },
    { day: '2026-05-15', count: 12 },
    { day: '2026-05-30', count: 8 },
  ],
};

describe('who sees the usage and sharing links', () => {
  const links = (u: SessionUser | undefined) => usageNavItems(u, ORGANIZATIONS).map((i) => i.to);

  it('shows the usage view to members of any organisation and to the oversight roles', () => {
    expect(links(undefined)).toEqual([]);
    expect(links(citizen)).toEqual([]);
    expect(links(securityOfficer)).toEqual([]);
    expect(links(transportMember)).toEqual(['/usage']);
    expect(links(companyAdmin)).toEqual(['/usage']);
    expect(links(auditor)).toEqual(['/usage']);
    expect(links(statistician)).toEqual(['/usage']);
  });

  it('adds the sharing console for admins of a public institution and for the operator', () => {
    expect(links(transportAdmin)).toEqual(['/usage', '/sharing']);
    expect(links(operator)).toEqual(['/usage', '/sharing']);
    // Before the list of organisations has loaded, only the operator is sure to manage systems.
    expect(usageNavItems(transportAdmin, undefined).map((i) => i.to)).toEqual(['/usage']);
    expect(usageNavItems(operator, undefined).map((i) => i.to)).toEqual(['/usage', '/sharing']);
    expect(usageNavItems(transportAdmin, ORGANIZATIONS).map((i) => i.key)).toEqual([
      'usage.nav.usage',
      'clients.nav.sharing',
    ]);
  });

  it('lets the route guard through the same people as the link', () => {
    expect(mayReadUsage(transportMember)).toBe(true);
    expect(mayReadUsage(citizen)).toBe(false);
    expect(mayReadUsage(auditor)).toBe(true);
    expect(readsEveryOrganization(transportAdmin)).toBe(false);
    expect(readsEveryOrganization(statistician)).toBe(true);
  });
});

describe('the organisation and period pickers', () => {
  it('offers members their own organisations, the oversight roles every one with their own first', () => {
    expect(usageOrganizations(transportMember, ORGANIZATIONS, 'en')).toEqual([
      { id: TRANSPORT, name: 'Transport Commission', lang: 'en' },
    ]);
    expect(usageOrganizations(transportMember, ORGANIZATIONS, 'zh-CN')[0]?.name).toBe('北京市交通委员会');
    // Before the list loads, the membership's own name serves.
    expect(usageOrganizations(transportMember, undefined, 'en')).toEqual([
      { id: TRANSPORT, name: '北京市交通委员会', lang: 'zh-CN' },
    ]);
    expect(usageOrganizations(operator, ORGANIZATIONS, 'fr').map((c) => c.id)).toEqual([
      HEALTH,
      TRANSPORT,
      COMPANY,
    ]);
    expect(usageOrganizations(auditor, ORGANIZATIONS, 'en')).toHaveLength(3);
    expect(usageOrganizations(undefined, ORGANIZATIONS, 'en')).toEqual([]);
  });

  it('keeps the organisation of the address only when the reader may open it', () => {
    const memberChoices = usageOrganizations(transportMember, ORGANIZATIONS, 'en');
    expect(chosenOrganization(TRANSPORT, memberChoices, transportMember)).toBe(TRANSPORT);
    expect(chosenOrganization(HEALTH, memberChoices, transportMember)).toBe(TRANSPORT);
    expect(chosenOrganization(null, memberChoices, transportMember)).toBe(TRANSPORT);
    // The operator's deep link from the sharing console works before the list has loaded.
    expect(chosenOrganization(COMPANY, [], operator)).toBe(COMPANY);
    expect(chosenOrganization(null, [], auditor)).toBeUndefined();
  });

  it('reads the period from the address, 30 days unless it is one offered', () => {
    expect(parsePeriod('7')).toBe(7);
    expect(parsePeriod('365')).toBe(365);
    expect(parsePeriod('31')).toBe(30);
    expect(parsePeriod('abc')).toBe(30);
    expect(parsePeriod(null)).toBe(30);
    expect(usageLink()).toBe('/usage');
    expect(usageLink(TRANSPORT)).toBe('/usage?organization=org-transport');
    expect(usageLink('a b', 90)).toBe('/usage?organization=a+b&days=90');
  });
});

describe('reads per day', () => {
  const series = dailySeries(REPORT);

  it('has every day of the period, with 0 on days without reads', () => {
    expect(series).toHaveLength(90);
    expect(series[0]).toEqual({ day: '2026-03-02', count: 10 });
    expect(series[1]).toEqual({ day: '2026-03-03', count: 0 });
    expect(series[29]).toEqual({ day: '2026-03-31', count: 5 });
    expect(series[30]).toEqual({ day: '2026-04-01', count: 25 });
    expect(series[89]?.day).toBe('2026-05-30');
    expect(series.reduce((sum, p) => sum + p.count, 0)).toBe(REPORT.total);
    expect(addDays('2028-02-28', 1)).toBe('2028-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('names the total and the busiest day for the chart’s screen-reader label', () => {
    expect(seriesFacts(series)).toEqual({
      total: 60,
      first: '2026-03-02',
      last: '2026-05-30',
      peak: { day: '2026-04-01', count: 25 },
    });
    expect(seriesFacts(dailySeries({ since: '2026-05-01', days: 7, series: [] })).peak).toBeUndefined();
  });

  it('fills every placeholder of the chart’s name, in each language', () => {
    const day = (d: string) => formatDay(d, 'en', true);
    const busy = chartLabel(seriesFacts(series), REPORT.since, day, String);
    expect(busy).toEqual({
      key: 'usage.daily.chartLabel',
      values: { from: 'Mar 2, 2026', to: 'May 30, 2026', total: '60', day: 'Apr 1, 2026', peak: '25' },
    });
    const quiet = chartLabel(seriesFacts([]), '2026-05-01', day, String);
    expect(quiet).toEqual({
      key: 'usage.daily.chartLabelEmpty',
      values: { from: 'May 1, 2026', to: 'May 1, 2026' },
    });
    for (const catalog of [zhCN, en, fr]) {
      for (const named of [busy, quiet]) {
        const name = named.key.split('.').pop() as 'chartLabel' | 'chartLabelEmpty';
        const text = catalog.usage.daily[name];
        const placeholders = [...text.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();
        expect(placeholders).toEqual(Object.keys(named.values).sort());
      }
    }
  });

  it('draws one line through the same figures, dates in the reader’s language', () => {
    const option = usageChartOption(series, 'Reads', (d) => formatDay(d, 'en'), false) as {
      animation: boolean;
      xAxis: { data: string[] };
      series: { type: string; name: string; data: number[]; showSymbol: boolean }[];
    };
    expect(option.animation).toBe(false);
    expect(option.xAxis.data[0]).toBe('Mar 2');
    expect(option.series).toHaveLength(1);
    expect(option.series[0]).toMatchObject({ type: 'line', name: 'Reads', showSymbol: false });
    expect(option.series[0]?.data).toEqual(series.map((p) => p.count));
  });

  it('gives the table beside the chart a row per day up to a month, per month beyond', () => {
    const week = dailySeries({ since: '2026-05-24', days: 7, series: REPORT.series });
    expect(readsTable(week)).toEqual({
      unit: 'day',
      rows: [
        { key: '2026-05-24', count: 0 },
        { key: '2026-05-25', count: 0 },
        { key: '2026-05-26', count: 0 },
        { key: '2026-05-27', count: 0 },
        { key: '2026-05-28', count: 0 },
        { key: '2026-05-29', count: 0 },
        { key: '2026-05-30', count: 8 },
      ],
    });
    expect(readsTable(series)).toEqual({
      unit: 'month',
      rows: [
        { key: '2026-03', count: 15 },
        { key: '2026-04', count: 25 },
        { key: '2026-05', count: 20 },
      ],
    });
    expect(formatMonth('2026-03', 'en')).toBe('March 2026');
    expect(formatMonth('2026-03', 'fr')).toBe('mars 2026');
    expect(formatDay('2026-03-02', 'en', true)).toBe('Mar 2, 2026');
  });
});

describe('the entries and callers tables', () => {
  it('lists entries most read first, then by code, with every channel', () => {
    const rows = entryRows(REPORT.entries);
    expect(rows.map((r) => r.entryCode)).toEqual(['A-1', 'B-2', 'C-3']);
    expect(rows[0]?.channels).toEqual({ records: 12, download: 0, aggregate: 3, sql: 5 });
    expect(rows[2]?.channels).toEqual({ records: 0, download: 20, aggregate: 0, sql: 0 });
    for (const row of rows) expect(Object.values(row.channels).reduce((a, b) => a + b, 0)).toBe(row.count);
    const totals = channelTotals(REPORT.entries);
    expect(totals).toEqual({ records: 17, download: 35, aggregate: 3, sql: 5 });
    expect(Object.values(totals).reduce((a, b) => a + b, 0)).toBe(REPORT.total);
  });

  it('lists who reads by kind and organisation, systems under their institution, with their share', () => {
    const rows = callerRows(REPORT);
    expect(rows.map((r) => [r.kind, r.organizationName, r.count])).toEqual([
      ['institution', '北京市卫生健康委员会', 24],
      ['system', '北京市卫生健康委员会', 24],
      ['company', '某科技公司', 6],
      ['anonymous', null, 6],
    ]);
    expect(rows.map((r) => r.share)).toEqual([0.4, 0.4, 0.1, 0.1]);
    expect(new Set(rows.map((r) => r.key)).size).toBe(rows.length);
    expect(kindTotals(REPORT)).toEqual({ institution: 24, system: 24, company: 6, user: 0, anonymous: 6 });
    expect(callerRows({ callers: [] })).toEqual([]);
  });
});

// A real HTTP server standing in for the usage routes.
let server: Server;
let base = '';
const seen: string[] = [];
const TOP: TopUsage = {
  days: 30,
  items: [
    { entryCode: 'A-1', title: { zh: '公交线路', en: 'Bus lines' }, organizationId: TRANSPORT, count: 42 },
  ],
};

beforeAll(async () => {
  server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url} ${req.headers['accept-language']}`);
    const send = (status: number, value: unknown, type = 'application/json') =>
      res.writeHead(status, { 'content-type': type }).end(JSON.stringify(value));
    const url = new URL(req.url ?? '/', 'http://stand-in');
    if (url.pathname === '/api/v1/usage/top') {
      send(200, { ...TOP, days: Number(url.searchParams.get('days')) });
    } else if (url.pathname === `/api/v1/usage/organizations/${TRANSPORT}`) {
      send(200, { ...REPORT, days: Number(url.searchParams.get('days') ?? 30) });
    } else if (url.pathname.startsWith('/api/v1/usage/organizations/')) {
      send(
        403,
        { title: 'Forbidden', status: 403, code: 'FORBIDDEN', detail: 'Not a member.' },
        'application/problem+json',
      );
    } else {
      send(404, { title: 'Not found', status: 404, code: 'ROUTE_NOT_FOUND' }, 'application/problem+json');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the usage pages’ data', () => {
  const api = () => createUsageApi({ language: 'fr', csrfToken: undefined, base });

  it('asks the home page’s top ten of the last 30 days', async () => {
    seen.length = 0;
    const top = await api().top(MOST_USED_QUERY);
    expect(top.items[0]).toMatchObject({ entryCode: 'A-1', count: 42 });
    expect(seen).toEqual(['GET /api/v1/usage/top?days=30&limit=10 fr']);
  });

  it('reads an organisation’s usage for the chosen period and shapes it for the page', async () => {
    seen.length = 0;
    const report = await api().organization(TRANSPORT, 90);
    expect(seen).toEqual([`GET /api/v1/usage/organizations/${TRANSPORT}?days=90 fr`]);
    expect(dailySeries(report)).toHaveLength(90);
    expect(entryRows(report.entries).reduce((sum, r) => sum + r.count, 0)).toBe(report.total);
    expect(callerRows(report).reduce((sum, r) => sum + r.count, 0)).toBe(report.total);
  });

  it('passes the refusal for another organisation on as a 403', async () => {
    const error = await api()
      .organization('org/other', 30)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).status).toBe(403);
    expect(seen.at(-1)).toBe('GET /api/v1/usage/organizations/org%2Fother?days=30 fr');
  });
});
