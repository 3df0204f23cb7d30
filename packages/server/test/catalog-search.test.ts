import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EntryMetadata } from '../src/modules/catalog/index.ts';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

let t: TestPlatform;
let operator: Caller;
let transportEditor: Caller;
let healthAdmin: Caller;
let companyAdmin: Caller;
let citizen: Caller;
const codes = new Map<string, string>();

function get(url: string, caller?: Caller) {
  return t.platform.app.inject({ method: 'GET', url, headers: headers(caller) });
}

function search(query: Record<string, string | string[]>, caller?: Caller) {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) for (const value of [v].flat()) params.append(k, value);
  return get(`/api/v1/catalog/entries?${params}`, caller);
}

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  operator = await t.login('operator');
  transportEditor = await t.login('transport-editor');
  const transportAdmin = await t.login('transport-admin');
  healthAdmin = await t.login('health-admin');
  companyAdmin = await t.login('company-admin');
  citizen = await t.login('citizen');
  const transport = await organizationByCode(t, 'bjjtw');
  const health = await organizationByCode(t, 'bjwjw');
  const entries: [string, EntryMetadata, Caller, Caller][] = [
    ['bus', sampleEntry(transport), transportEditor, transportAdmin],
    [
      'metro',
      sampleEntry(transport, {
        title: {
          zh: '北京市地铁站点客流',
          en: 'Beijing metro station ridership',
          fr: 'Fréquentation des stations de métro',
        },
        summary: {
          zh: '各地铁站每日进出站客流量统计数据。',
          en: 'Daily entries and exits at every metro station.',
        },
        keywords: ['地铁', 'metro', '客流'],
        formats: ['CSV'],
        updateCycle: 'daily',
        license: 'CC0-1.0',
        openType: 'conditional',
        openCondition: '用于交通规划研究',
      }),
      transportEditor,
      transportAdmin,
    ],
    [
      'plates',
      sampleEntry(transport, {
        title: { zh: '机动车号牌登记信息', en: 'Vehicle plate registrations' },
        summary: {
          zh: '全市机动车号牌登记与变更信息，仅供政务共享。',
          en: 'Registrations and changes of vehicle plates, shared between institutions only.',
        },
        keywords: ['车牌'],
        openType: 'not_open',
        shareType: 'conditional',
        shareCondition: '公安、交通部门办理业务使用',
        informationItems: [
          {
            name: 'plate_no',
            type: 'string',
            description: '号牌号码',
            grade: 'important',
            personalInfo: 'personal',
          },
        ],
        grade: 'important',
      }),
      transportEditor,
      transportAdmin,
    ],
    [
      'secret',
      sampleEntry(transport, {
        title: { zh: '交通指挥调度内部数据', en: 'Traffic command internal data' },
        summary: { zh: '交通指挥中心内部调度数据，不予共享。', en: 'Internal dispatch data, never shared.' },
        keywords: ['调度'],
        openType: 'not_open',
        shareType: 'not_shared',
        informationItems: [
          {
            name: 'dispatch_id',
            type: 'string',
            description: '调度编号',
            grade: 'core',
            personalInfo: 'none',
          },
        ],
        grade: 'core',
      }),
      transportEditor,
      transportAdmin,
    ],
    [
      'clinics',
      sampleEntry(health, {
        title: { zh: '北京市发热门诊名录', en: 'Beijing fever clinics', fr: 'Cliniques de fièvre de Pékin' },
        summary: {
          zh: '全市设有发热门诊的医疗机构名称、地址和开放时间。',
          en: 'Hospitals with a fever clinic: names, addresses and opening hours.',
          fr: 'Réseau de données des hôpitaux avec une clinique de fièvre.',
        },
        theme: 'health',
        keywords: ['发热门诊', 'hospital'],
        formats: ['XLSX'],
        updateCycle: 'weekly',
        distributions: [
          {
            id: 'd1',
            kind: 'file',
            title: { zh: '名录' },
            format: 'XLSX',
            url: 'https://data.example.org/clinics.xlsx',
          },
        ],
      }),
      healthAdmin,
      healthAdmin,
    ],
  ];
  for (const [key, entry, editor, admin] of entries) {
    const { code } = await publishEntry(t, editor, admin, operator, entry);
    codes.set(key, code);
  }
});
afterAll(async () => t.close());

describe('full-text search in Chinese, English and French', () => {
  it('finds 北京市公交线路 by 公交, a word the segmenter alone would miss', async () => {
    for (const q of ['公交', '北京公交', '公交线路', 'bus', 'routes', 'Beiji']) {
      const body = (await search({ q })).json();
      expect(
        body.items.map((i: { code: string }) => i.code),
        q,
      ).toContain(codes.get('bus'));
    }
    expect((await search({ q: '地铁' })).json().items.map((i: { code: string }) => i.code)).not.toContain(
      codes.get('bus'),
    );
  });

  it('matches French with or without accents, and searches information items', async () => {
    for (const q of ['réseau', 'reseau', 'données', 'fièvre', 'fievre']) {
      const body = (await search({ q })).json();
      expect(
        body.items.map((i: { code: string }) => i.code),
        q,
      ).toContain(codes.get('clinics'));
    }
    const byField = (await search({ q: 'first_departure' })).json();
    expect(byField.items.map((i: { code: string }) => i.code)).toContain(codes.get('bus'));
  });

  it('ranks a title match above a summary match', async () => {
    const body = (await search({ q: '客流' })).json();
    expect(body.items[0].code).toBe(codes.get('metro'));
  });
});

describe('facets, sorting and paging', () => {
  it('counts facets over the matches and narrows by them', async () => {
    const all = (await search({})).json();
    expect(all.total).toBe(3);
    const orgFacet = all.facets.organization;
    expect(orgFacet).toContainEqual({ value: 'bjjtw', count: 2 });
    expect(orgFacet).toContainEqual({ value: 'bjwjw', count: 1 });
    expect(all.facets.openType.map((f: { value: string }) => f.value).sort()).toEqual([
      'conditional',
      'unconditional',
    ]);
    const narrowed = (await search({ organization: 'bjjtw', format: 'API' })).json();
    expect(narrowed.items.map((i: { code: string }) => i.code)).toEqual([codes.get('bus')]);
    const either = (await search({ theme: ['health', 'transport'] })).json();
    expect(either.total).toBe(3);
  });

  it('browses with the counts the triggers keep, equal to counting every entry', async () => {
    const every = { classification: ['base', 'thematic', 'departmental'] };
    const sortFacets = (facets: Record<string, { value: string; count: number }[]>) =>
      Object.fromEntries(
        Object.entries(facets).map(([k, v]) => [k, [...v].sort((a, b) => a.value.localeCompare(b.value))]),
      );
    for (const caller of [undefined, healthAdmin, transportEditor, operator]) {
      const browse = (await search({}, caller)).json();
      const counted = (await search(every, caller)).json();
      expect(browse.total).toBe(counted.total);
      expect(sortFacets(browse.facets)).toEqual(sortFacets(counted.facets));
      expect(browse.items.map((i: { code: string }) => i.code)).toEqual(
        counted.items.map((i: { code: string }) => i.code),
      );
    }
  });

  it('sorts by name and pages', async () => {
    const first = (await search({ sort: 'name', limit: '2' })).json();
    const second = (await search({ sort: 'name', limit: '2', offset: '2' })).json();
    expect(first.items).toHaveLength(2);
    expect(second.items).toHaveLength(1);
    const names = [...first.items, ...second.items].map((i: { title: { zh: string } }) => i.title.zh);
    expect(names).toEqual([...names].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
  });
});

describe('who sees not-open entries', () => {
  it('hides not-open entries from the public, shows shared ones to institutions, the rest to their provider', async () => {
    const see = async (caller: Caller | undefined) =>
      (await search({ limit: '50' }, caller)).json().items.map((i: { code: string }) => i.code) as string[];
    const anonymous = await see(undefined);
    expect(anonymous).not.toContain(codes.get('plates'));
    expect(await see(citizen)).not.toContain(codes.get('plates'));
    expect(await see(companyAdmin)).not.toContain(codes.get('plates'));
    const otherInstitution = await see(healthAdmin);
    expect(otherInstitution).toContain(codes.get('plates'));
    expect(otherInstitution).not.toContain(codes.get('secret'));
    const provider = await see(transportEditor);
    expect(provider).toContain(codes.get('secret'));
    expect(await see(operator)).toContain(codes.get('secret'));
    expect((await get(`/api/v1/catalog/entries/${codes.get('secret')}`)).statusCode).toBe(404);
    expect((await get(`/api/v1/catalog/entries/${codes.get('secret')}`, healthAdmin)).statusCode).toBe(404);
  });
});

describe('objections follow the entry visibility', () => {
  it('does not show the public objections to entries it may not see', async () => {
    const filed = await t.platform.app.inject({
      method: 'POST',
      url: `/api/v1/catalog/entries/${codes.get('plates')}/objections`,
      headers: headers(healthAdmin),
      payload: { message: '号牌信息更新不及时' },
    });
    expect(filed.statusCode).toBe(201);
    const ids = async (caller?: Caller) =>
      (await get('/api/v1/catalog/objections', caller))
        .json()
        .items.map((o: { id: string }) => o.id) as string[];
    expect(await ids()).not.toContain(filed.json().id);
    expect(await ids(citizen)).not.toContain(filed.json().id);
    expect(await ids(healthAdmin)).toContain(filed.json().id);
    expect(await ids(transportEditor)).toContain(filed.json().id);
  });
});

describe('hostile search input', () => {
  it('answers with results or a 400, never a 500', async () => {
    const hostile = [
      "'",
      '\\',
      "'; DROP TABLE catalog_entries; --",
      'title:foo AND (bar OR "baz")',
      '&|!():*<>',
      'a:*',
      '"unbalanced',
      '((((((((((',
      '\u0000\u0001',
      '公交'.repeat(300),
      'x'.repeat(600),
      '🚌🚇',
      '%00%27',
    ];
    for (const q of hostile) {
      const response = await search({ q });
      expect([200, 400], q.slice(0, 40)).toContain(response.statusCode);
    }
    expect((await search({ sort: 'drop' })).statusCode).toBe(400);
    expect((await search({ limit: '100000' })).statusCode).toBe(400);
    const stillThere = await search({ q: '公交' });
    expect(stillThere.json().total).toBeGreaterThan(0);
  });
});
