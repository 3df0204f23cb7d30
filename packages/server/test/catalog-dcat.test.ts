import { Parser, Store } from 'n3';
import { describe, expect, it, vi } from 'vitest';
import type { CatalogRecord, Distribution, ProviderRef } from '../src/modules/catalog/catalog.model.ts';
import {
  DCAT_MEDIA_TYPES,
  type DcatContext,
  type DcatFormat,
  datasetIri,
  type HarvestedRecord,
  negotiateDcatFormat,
  parseDcat,
  recordQuads,
  serializeCatalog,
  serializeRecord,
} from '../src/modules/catalog/dcat/index.ts';
import { parseToStore } from './support/rdf.ts';

const ctx: DcatContext = {
  baseUrl: 'https://data.city.example',
  catalogTitle: {
    zh: '城市公共数据目录',
    en: 'City public data catalog',
    fr: 'Catalogue des données publiques',
  },
  catalogDescription: { zh: '本市政务数据资源目录', en: 'The catalog of public data resources of the city' },
  publisher: {
    id: 'org-0',
    code: 'bigdata',
    name: '市大数据中心',
    nameEn: 'City Big Data Centre',
    creditCode: '11110000MB0000000X',
  },
};

const transport: ProviderRef = {
  id: 'org-1',
  code: 'jtw',
  name: '市交通委员会',
  nameEn: 'Transport Commission',
  creditCode: '11110000000021135M',
};
const health: ProviderRef = {
  id: 'org-2',
  code: 'wjw',
  name: '市卫生健康委员会',
  creditCode: '111100000000131433',
};

function record(
  id: string,
  code: string,
  overrides: Partial<CatalogRecord['metadata']>,
  provider = transport,
): CatalogRecord {
  return {
    id,
    code,
    state: 'published',
    version: 3,
    provider,
    createdAt: '2024-01-10T08:00:00.000Z',
    updatedAt: '2024-03-05T09:30:00.000Z',
    publishedAt: '2024-01-12T00:00:00.000Z',
    usageCount: 12,
    metadata: {
      code,
      title: { zh: '占位' },
      summary: { zh: '占位' },
      organizationId: provider.id,
      providerCreditCode: provider.creditCode,
      classification: 'thematic',
      theme: 'transport',
      keywords: [],
      formats: [],
      informationItems: [],
      shareType: 'unconditional',
      openType: 'unconditional',
      updateCycle: 'daily',
      relatedCodes: [],
      grade: 'general-1',
      distributions: [],
      ...overrides,
    },
  };
}

const busLines = record('5f0c1d7e-1111-4c1e-9a55-0d5c2c1e0001', '2-01-001-001-000001', {
  title: { zh: '公交线路与站点', en: 'Bus lines and stops' },
  summary: {
    zh: '全市公交线路、站点位置及首末班时间。',
    en: 'Bus lines, stop locations and first/last departures.',
  },
  theme: 'transport',
  keywords: ['公交', '站点', 'bus'],
  formats: ['CSV', 'GeoJSON', 'API'],
  openType: 'unconditional',
  updateCycle: 'daily',
  releaseDate: '2023-05-01',
  lastUpdate: '2024-02-28',
  license: 'CC-BY-4.0',
  contactPoint: { name: '数据开放科', email: 'open@jtw.city.example', phone: '+86 10 5555 0101' },
  spatialCoverage: '全市',
  temporalCoverage: { start: '2020-01-01', end: '2024-12-31' },
  relatedCodes: ['2-01-001-001-000002'],
  grade: 'general-2',
  informationItems: [
    {
      name: 'line_no',
      title: { zh: '线路编号', en: 'Line number' },
      type: 'string',
      grade: 'general-1',
      personalInfo: 'none',
    },
    {
      name: 'stop_location',
      title: { zh: '站点位置' },
      type: 'geopoint',
      grade: 'general-2',
      personalInfo: 'none',
      description: 'WGS84',
    },
  ],
  distributions: [
    {
      id: 'lines-csv',
      kind: 'file',
      title: { zh: '线路表', en: 'Lines table' },
      format: 'CSV',
      url: 'https://files.city.example/transport/lines.csv',
      mediaType: 'text/csv',
      byteSize: 482113,
    },
    {
      id: 'stops-geojson',
      kind: 'file',
      title: { zh: '站点图层', en: 'Stops layer' },
      format: 'GeoJSON',
      url: 'https://files.city.example/transport/stops.geojson',
      byteSize: 2210044,
    },
    {
      id: 'realtime-api',
      kind: 'api',
      title: { zh: '实时到站查询接口', en: 'Real-time arrivals API' },
      format: 'API',
      url: 'https://api.city.example/transport/arrivals?line={line}',
      description: '按线路查询车辆到站时间',
    },
  ],
  extras: { dataSteward: '张明', records: 1843, verified: true, tags: ['交通', 'GTFS'] },
});

const hospitals = record(
  '5f0c1d7e-2222-4c1e-9a55-0d5c2c1e0002',
  '1-02-003-004-000017',
  {
    title: {
      zh: '医疗机构名录',
      en: 'Register of medical institutions',
      fr: 'Registre des établissements médicaux',
    },
    summary: {
      zh: '全市医疗机构名称、等级与地址。',
      en: 'Names, grades and addresses of medical institutions.',
    },
    classification: 'base',
    theme: 'health',
    keywords: ['医院', 'hospital', 'santé'],
    formats: ['XLSX', 'JSON'],
    shareType: 'conditional',
    shareCondition: '仅限政务部门使用',
    openType: 'conditional',
    openCondition: '实名申请后开放',
    updateCycle: 'monthly',
    releaseDate: '2022-11-15',
    lastUpdate: '2024-03-01',
    license: 'CC0-1.0',
    grade: 'general-3',
    informationItems: [
      { name: 'name', title: { zh: '机构名称' }, type: 'string', grade: 'general-1', personalInfo: 'none' },
      { name: 'legal_person_phone', type: 'string', grade: 'general-3', personalInfo: 'personal' },
    ],
    distributions: [
      {
        id: 'register-xlsx',
        kind: 'file',
        title: { zh: '名录表格', en: 'Register spreadsheet' },
        format: 'XLSX',
        url: 'https://files.city.example/health/register.xlsx',
      },
      { id: 'register-table', kind: 'datastore', title: { zh: '名录数据表' }, format: 'JSON' },
    ],
  },
  health,
);

const clinicalRecords = record(
  '5f0c1d7e-3333-4c1e-9a55-0d5c2c1e0003',
  '3-05-010-002-000003',
  {
    title: { zh: '门诊病历统计' },
    summary: { zh: '按科室汇总的门诊病历数量，不含个人信息。' },
    classification: 'departmental',
    theme: 'health',
    keywords: ['病历'],
    formats: ['PDF', 'SHP', 'ZIP'],
    shareType: 'not_shared',
    openType: 'not_open',
    updateCycle: 'yearly',
    releaseDate: '2021-06-30',
    license: 'beijing-open-data-1.0',
    grade: 'important',
    distributions: [
      {
        id: 'report',
        kind: 'file',
        title: { zh: '年度报告' },
        format: 'PDF',
        url: 'https://files.city.example/health/report-2023.pdf',
      },
      {
        id: 'districts',
        kind: 'file',
        title: { zh: '辖区边界' },
        format: 'SHP',
        url: 'https://files.city.example/health/districts.shp',
      },
      {
        id: 'archive',
        kind: 'file',
        title: { zh: '历史数据包' },
        format: 'ZIP',
        url: 'https://files.city.example/health/archive.zip',
      },
    ],
  },
  health,
);

const weather = record('5f0c1d7e-4444-4c1e-9a55-0d5c2c1e0004', '2-09-001-001-000008', {
  title: { zh: '实时气象观测', en: 'Real-time weather observations' },
  summary: { zh: '全市自动气象站每分钟观测数据。' },
  theme: 'weather',
  keywords: ['气象', 'weather'],
  formats: ['API'],
  updateCycle: 'realtime',
  openType: 'unconditional',
  lastUpdate: '2024-03-05',
  license: 'ODC-BY-1.0',
  distributions: [
    {
      id: 'obs-api',
      kind: 'api',
      title: { zh: '观测数据接口' },
      format: 'API',
      url: 'https://api.city.example/weather/observations',
    },
  ],
});

const RECORDS = [busLines, hospitals, clinicalRecords, weather];
const FORMATS: DcatFormat[] = ['ttl', 'jsonld', 'rdf', 'nt'];

async function* asAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield item;
}

async function exportCatalog(format: DcatFormat, records: CatalogRecord[]): Promise<string> {
  let out = '';
  for await (const chunk of serializeCatalog(format, asAsync(records), ctx)) out += chunk;
  return out;
}

function quadsOf(format: DcatFormat, text: string): Promise<Store> {
  return parseToStore(format, text, ctx.baseUrl);
}

function byCode(records: HarvestedRecord[], code: string): HarvestedRecord {
  const found = records.find((item) => item.sourceUri === datasetIri(ctx, code));
  if (!found) throw new Error(`no record for ${code}`);
  return found;
}

function expectSameDistributions(actual: Distribution[], expected: Distribution[]): void {
  expect(actual.map((d) => d.id)).toEqual(expected.map((d) => d.id));
  for (const original of expected) {
    const back = actual.find((d) => d.id === original.id)!;
    expect(back.kind).toBe(original.kind);
    expect(back.title).toEqual(original.title);
    expect(back.format).toBe(original.format);
    // URLs come back as IRIs: normalised, with the characters Turtle forbids percent-encoded.
    expect(back.url).toBe(
      original.url === undefined
        ? undefined
        : new URL(original.url).href.replace(/[{}]/g, encodeURIComponent),
    );
    if (original.mediaType) expect(back.mediaType).toBe(original.mediaType);
    if (original.byteSize !== undefined) expect(back.byteSize).toBe(original.byteSize);
    if (original.description) expect(back.description).toBe(original.description);
  }
}

describe('DCAT-AP export and harvest round trip', () => {
  it.each(FORMATS)('keeps the metadata through %s', async (format) => {
    const text = await exportCatalog(format, RECORDS);
    const parsed = await parseDcat(text, {
      baseIri: `${ctx.baseUrl}/catalog`,
      contentType: DCAT_MEDIA_TYPES[format],
    });
    expect(parsed.fatal).toBeUndefined();
    expect(parsed.skipped).toEqual([]);
    expect(parsed.records).toHaveLength(RECORDS.length);

    for (const original of RECORDS) {
      const back = byCode(parsed.records, original.code);
      const m = original.metadata;
      expect(back.metadata.title).toEqual(m.title);
      expect(back.metadata.summary).toEqual(m.summary);
      expect(back.metadata.keywords).toEqual(m.keywords);
      expect(new Set(back.metadata.formats)).toEqual(new Set(m.formats));
      expect(back.metadata.updateCycle).toBe(m.updateCycle);
      expect(back.metadata.openType).toBe(m.openType);
      expect(back.metadata.shareType).toBe(m.shareType);
      expect(back.metadata.classification).toBe(m.classification);
      expect(back.metadata.theme).toBe(m.theme);
      expect(back.metadata.grade).toBe(m.grade);
      expect(back.metadata.license).toBe(m.license);
      expect(back.metadata.releaseDate).toBe(m.releaseDate ?? original.publishedAt?.slice(0, 10));
      expect(back.metadata.lastUpdate).toBe(m.lastUpdate ?? original.updatedAt.slice(0, 10));
      expect(back.metadata.informationItems).toEqual(m.informationItems);
      expect(back.metadata.shareCondition).toBe(m.shareCondition);
      expect(back.metadata.openCondition).toBe(m.openCondition);
      expect(back.metadata.spatialCoverage).toBe(m.spatialCoverage);
      expect(back.metadata.temporalCoverage).toEqual(m.temporalCoverage);
      expect(back.metadata.extras).toEqual(m.extras);
      expect(back.metadata.sourceUri).toBe(datasetIri(ctx, original.code));
      expect(back.relatedSourceUris).toEqual(m.relatedCodes.map((code) => datasetIri(ctx, code)));
      expect(back.publisherName).toBe(original.provider.name);
      expectSameDistributions(back.metadata.distributions, m.distributions);
      // Our own export is complete DCAT-AP: nothing needs repairing.
      expect(back.repairs).toEqual([]);
    }
    const bus = byCode(parsed.records, busLines.code).metadata;
    expect(bus.contactPoint).toEqual({
      name: '数据开放科',
      email: 'open@jtw.city.example',
      phone: '+86-10-5555-0101',
    });
  });

  it('writes the same triples in every format', async () => {
    const counts: Record<string, number> = {};
    for (const format of FORMATS)
      counts[format] = (await quadsOf(format, await exportCatalog(format, RECORDS))).size;
    expect(counts.jsonld).toBeGreaterThan(300);
    expect(counts).toEqual({
      ttl: counts.jsonld,
      jsonld: counts.jsonld,
      rdf: counts.jsonld,
      nt: counts.jsonld,
    });
  });

  it('types what DCAT-AP range shapes expect and maps to EU vocabularies', () => {
    const quads = recordQuads(busLines, ctx);
    const store = new Store(quads);
    const typeOf = (iri: string) =>
      store.getObjects(iri, 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type', null).map((t) => t.value);
    const dataset = datasetIri(ctx, busLines.code);
    const object = (predicate: string) => store.getObjects(dataset, predicate, null).map((t) => t.value);
    expect(object('http://purl.org/dc/terms/accrualPeriodicity')).toEqual([
      'http://publications.europa.eu/resource/authority/frequency/DAILY',
    ]);
    expect(object('http://purl.org/dc/terms/accessRights')).toEqual([
      'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
    ]);
    expect(object('http://www.w3.org/ns/dcat#theme')).toEqual([
      `${ctx.baseUrl}/catalog/themes/transport`,
      'http://publications.europa.eu/resource/authority/data-theme/TRAN',
    ]);
    expect(typeOf(`${ctx.baseUrl}/organizations/jtw`)).toContain('http://xmlns.com/foaf/0.1/Agent');
    expect(typeOf('https://creativecommons.org/licenses/by/4.0/')).toEqual([
      'http://purl.org/dc/terms/LicenseDocument',
    ]);
    const csv = `${dataset}/distributions/lines-csv`;
    expect(store.getObjects(csv, 'http://purl.org/dc/terms/format', null)[0]?.value).toBe(
      'http://publications.europa.eu/resource/authority/file-type/CSV',
    );
    const size = store.getObjects(csv, 'http://www.w3.org/ns/dcat#byteSize', null)[0];
    expect(size?.termType === 'Literal' && size.datatype.value).toBe(
      'http://www.w3.org/2001/XMLSchema#nonNegativeInteger',
    );
    expect(typeOf(`${dataset}/services/realtime-api`)).toEqual(['http://www.w3.org/ns/dcat#DataService']);
    // Every distribution has the mandatory access URL, also the datastore table without a URL yet.
    for (const r of RECORDS) {
      const s = new Store(recordQuads(r, ctx));
      for (const d of s.getObjects(datasetIri(ctx, r.code), 'http://www.w3.org/ns/dcat#distribution', null)) {
        expect(s.countQuads(d, 'http://www.w3.org/ns/dcat#accessURL', null, null)).toBe(1);
      }
    }
  });

  it('writes a single record as a document with the catalog node', async () => {
    const text = await serializeRecord('ttl', weather, ctx);
    const store = new Store(new Parser().parse(text));
    expect(store.countQuads(null, null, 'http://www.w3.org/ns/dcat#Catalog', null)).toBe(1);
    expect(
      store.countQuads(
        `${ctx.baseUrl}/catalog`,
        'http://www.w3.org/ns/dcat#dataset',
        datasetIri(ctx, weather.code),
        null,
      ),
    ).toBe(1);
  });

  it('streams a large catalog chunk by chunk', async () => {
    const count = 300;
    async function* many(): AsyncGenerator<CatalogRecord> {
      for (let i = 0; i < count; i++) {
        yield { ...busLines, id: `rec-${i}`, code: `2-01-001-001-${String(i).padStart(6, '0')}` };
      }
    }
    const collect = async (format: DcatFormat) => {
      const chunks: string[] = [];
      for await (const chunk of serializeCatalog(format, many(), ctx)) chunks.push(chunk);
      return chunks;
    };
    const turtle = await collect('ttl');
    expect(turtle.length).toBeGreaterThanOrEqual(count);
    const store = await quadsOf('ttl', turtle.join(''));
    expect(store.countQuads(null, null, 'http://www.w3.org/ns/dcat#Dataset', null)).toBe(count);
    // The shared publisher is described once, not once per record.
    expect(store.countQuads(`${ctx.baseUrl}/organizations/jtw`, null, null, null)).toBe(5);
    expect(turtle.join('').split(`<${ctx.baseUrl}/organizations/jtw> a `).length - 1).toBe(1);

    const json = await collect('jsonld');
    expect(json.length).toBeGreaterThanOrEqual(count);
    const document = JSON.parse(json.join('')) as { '@graph': { '@type'?: string[] }[] };
    expect(document['@graph'].filter((node) => node['@type']?.includes('dcat:Dataset'))).toHaveLength(count);
    for (const format of ['rdf', 'nt'] as const)
      expect((await collect(format)).length).toBeGreaterThanOrEqual(count);
  });

  it('negotiates the format from an Accept header', () => {
    expect(negotiateDcatFormat('application/ld+json')).toBe('jsonld');
    expect(negotiateDcatFormat('text/turtle;q=0.5, application/rdf+xml')).toBe('rdf');
    expect(negotiateDcatFormat('application/n-triples')).toBe('nt');
    expect(negotiateDcatFormat('*/*')).toBe('ttl');
    expect(negotiateDcatFormat(undefined)).toBe('ttl');
    expect(negotiateDcatFormat('image/png')).toBeUndefined();
    expect(negotiateDcatFormat('text/turtle;q=0, image/png')).toBeUndefined();
  });
});

describe('DCAT harvest parsing', () => {
  it('reports broken Turtle with the line', async () => {
    const result = await parseDcat(
      '@prefix dcat: <http://www.w3.org/ns/dcat#> .\n<a> a dcat:Dataset ;\n  dct:title "x" .\n',
      {
        baseIri: 'https://source.example/catalog.ttl',
      },
    );
    expect(result.fatal).toMatch(/Turtle.*line 3/);
    expect(result.records).toEqual([]);
  });

  it('reports invalid JSON and broken XML', async () => {
    const json = await parseDcat('{ "dataset": [ { "title": "x", } ] }', {
      baseIri: 'https://source.example/data.json',
    });
    expect(json.fatal).toMatch(/^Invalid JSON/);
    const xml = await parseDcat(
      '<?xml version="1.0"?>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n<rdf:Description>\n</rdf:RDF>',
      {
        baseIri: 'https://source.example/catalog.rdf',
      },
    );
    expect(xml.fatal).toMatch(/^Invalid RDF\/XML.*[Ll]ine/);
  });

  it('skips a dataset without a title and imports the others', async () => {
    const turtle = `
      @prefix dcat: <http://www.w3.org/ns/dcat#> .
      @prefix dct: <http://purl.org/dc/terms/> .
      <https://source.example/catalog> a dcat:Catalog ;
        dcat:dataset <https://source.example/ds/1>, <https://source.example/ds/2>, [ a dcat:Dataset ; dct:title "Anonymous" ] .
      <https://source.example/ds/1> a dcat:Dataset ;
        dct:description "No title here"@en .
      <https://source.example/ds/2> a dcat:Dataset ;
        dct:title "Luftqualität"@de, "空气质量"@zh-CN ;
        dct:language "de" ;
        dct:issued "2021-13-40" ;
        dct:modified "2023-04-05T10:00:00+02:00"^^<http://www.w3.org/2001/XMLSchema#dateTime> ;
        dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/WEEKLY> ;
        dcat:theme <http://publications.europa.eu/resource/authority/data-theme/ENVI> .
    `;
    const result = await parseDcat(turtle, { baseIri: 'https://source.example/catalog.ttl' });
    expect(result.fatal).toBeUndefined();
    expect(result.skipped).toEqual([
      { sourceUri: 'https://source.example/ds/1', reason: expect.stringContaining('no title') },
      { title: 'Anonymous', reason: expect.stringContaining('neither an IRI nor an identifier') },
    ]);
    expect(result.records).toHaveLength(1);
    const [air] = result.records;
    expect(air?.metadata.title).toEqual({ zh: '空气质量' });
    expect(air?.metadata.summary).toEqual({ zh: '空气质量' });
    expect(air?.metadata.updateCycle).toBe('weekly');
    expect(air?.metadata.theme).toBe('environment');
    expect(air?.metadata.openType).toBe('unconditional');
    expect(air?.metadata.releaseDate).toBeUndefined();
    expect(air?.metadata.lastUpdate).toBe('2023-04-05');
    expect(air?.repairs).toEqual(
      expect.arrayContaining([
        'no description; used the title',
        'no dct:accessRights; open type set to "unconditional"',
        expect.stringContaining('dct:issued "2021-13-40"'),
        expect.stringContaining('dct:language given as text "de"'),
      ]),
    );
  });

  it('maps every dataset of a data.json catalog', async () => {
    const dataJson = {
      conformsTo: 'https://project-open-data.cio.gov/v1.1/schema',
      dataset: [
        {
          title: 'Street Trees',
          description: 'Inventory of street trees',
          keyword: ['trees', 'environment'],
          modified: '2024-01-31',
          publisher: { name: 'Parks Department' },
          contactPoint: { fn: 'Parks Data Team', hasEmail: 'mailto:data@parks.example.gov' },
          identifier: 'https://data.example.gov/id/street-trees',
          accessLevel: 'public',
          license: 'http://creativecommons.org/publicdomain/zero/1.0/',
          spatial: 'Springfield',
          temporal: '2015-01-01/2023-12-31',
          accrualPeriodicity: 'R/P1M',
          theme: ['Environment'],
          distribution: [
            { downloadURL: 'https://data.example.gov/trees.csv', mediaType: 'text/csv', title: 'Trees CSV' },
            { accessURL: 'https://data.example.gov/api/trees', format: 'API', title: 'Trees API' },
          ],
        },
        {
          title: 'Building Permits',
          description: 'Permits issued',
          keyword: ['permits'],
          modified: '2023-07-01T12:00:00Z',
          publisher: { name: 'Planning Office' },
          contactPoint: { fn: 'Planning', hasEmail: 'mailto:plan@example.gov' },
          identifier: 'permits-001',
          accessLevel: 'restricted public',
          accrualPeriodicity: 'R/P1D',
        },
      ],
    };
    const result = await parseDcat(JSON.stringify(dataJson), {
      baseIri: 'https://data.example.gov/data.json',
      contentType: 'application/json',
    });
    expect(result.fatal).toBeUndefined();
    expect(result.records).toHaveLength(2);
    const [trees, permits] = result.records;
    expect(trees?.sourceUri).toBe('https://data.example.gov/id/street-trees');
    expect(trees?.metadata).toMatchObject({
      title: { zh: 'Street Trees', en: 'Street Trees' },
      keywords: ['trees', 'environment'],
      formats: ['CSV', 'API'],
      openType: 'unconditional',
      updateCycle: 'monthly',
      theme: 'environment',
      license: 'CC0-1.0',
      lastUpdate: '2024-01-31',
      spatialCoverage: 'Springfield',
      temporalCoverage: { start: '2015-01-01', end: '2023-12-31' },
      contactPoint: { name: 'Parks Data Team', email: 'data@parks.example.gov' },
    });
    expect(trees?.metadata.distributions.map((d) => [d.kind, d.format, d.url])).toEqual([
      ['file', 'CSV', 'https://data.example.gov/trees.csv'],
      ['api', 'API', 'https://data.example.gov/api/trees'],
    ]);
    expect(trees?.publisherName).toBe('Parks Department');
    expect(permits?.sourceUri).toBe('https://data.example.gov/data.json#permits-001');
    expect(permits?.metadata).toMatchObject({
      openType: 'conditional',
      updateCycle: 'daily',
      lastUpdate: '2023-07-01',
    });
  });

  it('refuses remote JSON-LD contexts and serves the DCAT-AP 3 context offline', async () => {
    const fetchSpy = vi.spyOn(globalThis, 'fetch');
    try {
      const remote = await parseDcat(
        JSON.stringify({
          '@context': 'https://contexts.example.org/catalog.jsonld',
          '@type': 'Dataset',
          title: 'x',
        }),
        { baseIri: 'https://source.example/catalog.jsonld' },
      );
      expect(remote.fatal).toContain('https://contexts.example.org/catalog.jsonld');
      expect(remote.fatal).not.toContain('\n');

      const dcatAp = await parseDcat(
        JSON.stringify({
          '@context': 'https://semiceu.github.io/DCAT-AP/releases/3.0.1/context/dcat-ap.jsonld',
          '@graph': [
            {
              '@id': 'https://source.example/ds/bees',
              '@type': 'Dataset',
              title: [{ '@value': 'Bee population', '@language': 'en' }],
              description: [{ '@value': 'A dataset about bee population', '@language': 'en' }],
              frequency: 'http://publications.europa.eu/resource/authority/frequency/ANNUAL',
              accessRights: 'http://publications.europa.eu/resource/authority/access-right/PUBLIC',
              datasetDistribution: ['https://source.example/ds/bees/csv'],
            },
            {
              '@id': 'https://source.example/ds/bees/csv',
              '@type': 'Distribution',
              accessUrl: ['https://source.example/files/bees.csv'],
              format: 'http://publications.europa.eu/resource/authority/file-type/CSV',
            },
          ],
        }),
        { baseIri: 'https://source.example/catalog.jsonld', contentType: 'application/ld+json' },
      );
      expect(dcatAp.fatal).toBeUndefined();
      expect(dcatAp.records[0]?.metadata).toMatchObject({
        title: { zh: 'Bee population', en: 'Bee population' },
        updateCycle: 'yearly',
        formats: ['CSV'],
      });
      expect(fetchSpy).not.toHaveBeenCalled();
    } finally {
      fetchSpy.mockRestore();
    }
  });
});
