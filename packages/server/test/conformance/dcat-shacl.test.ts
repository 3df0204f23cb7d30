import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Parser, Store } from 'n3';
import SHACLValidator from 'rdf-validate-shacl';
import { RdfXmlParser } from 'rdfxml-streaming-parser';
import { describe, expect, it } from 'vitest';
import type { CatalogRecord, EntryMetadata, ProviderRef } from '../../src/modules/catalog/catalog.model.ts';
import {
  type DcatContext,
  type DcatFormat,
  type HarvestParseResult,
  parseDcat,
  serializeCatalog,
} from '../../src/modules/catalog/dcat/index.ts';
import { parseToStore } from '../support/rdf.ts';
import { SHARED_DIR, sharedAvailable } from '../support/shared.ts';

const SHARED = SHARED_DIR;
const SHAPES = join(SHARED, 'standards/dcat-ap/3.0.1/shacl');
const FIXTURES = join(SHARED, 'fixtures/dcat');

const SH = 'http://www.w3.org/ns/shacl#';
const DCAT = 'http://www.w3.org/ns/dcat#';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

const ctx: DcatContext = {
  baseUrl: 'https://data.city.example/',
  catalogTitle: { zh: '城市公共数据目录', en: 'City public data catalog' },
  catalogDescription: { zh: '本市公共数据资源目录' },
  publisher: { id: 'o0', code: 'bigdata', name: '市大数据中心', creditCode: '11110000MB0000000X' },
};

const providers: ProviderRef[] = [
  {
    id: 'o1',
    code: 'jtw',
    name: '市交通委员会',
    nameEn: 'Transport Commission',
    creditCode: '11110000000021135M',
  },
  { id: 'o2', code: 'wjw', name: '市卫生健康委员会', creditCode: '111100000000131433' },
];

function entry(index: number, metadata: Partial<EntryMetadata>): CatalogRecord {
  const provider = providers[index % providers.length]!;
  const code = `2-01-001-001-${String(index).padStart(6, '0')}`;
  return {
    id: `record-${index}`,
    code,
    state: 'published',
    version: 1,
    provider,
    createdAt: '2024-01-01T00:00:00.000Z',
    updatedAt: '2024-02-01T00:00:00.000Z',
    usageCount: 0,
    metadata: {
      title: { zh: `数据集 ${index}` },
      summary: { zh: `数据集 ${index} 的说明` },
      organizationId: provider.id,
      providerCreditCode: provider.creditCode,
      classification: 'thematic',
      theme: 'government',
      keywords: [],
      formats: [],
      informationItems: [],
      shareType: 'unconditional',
      openType: 'unconditional',
      updateCycle: 'irregular',
      relatedCodes: [],
      grade: 'general-1',
      distributions: [],
      ...metadata,
    },
  };
}

/** Records that exercise every export path: all open types and cycles, every kind of distribution. */
const RECORDS: CatalogRecord[] = [
  entry(1, {
    title: { zh: '公交线路', en: 'Bus lines', fr: 'Lignes de bus' },
    summary: { zh: '公交线路与站点', en: 'Bus lines and stops' },
    theme: 'transport',
    keywords: ['公交', 'bus'],
    formats: ['CSV', 'GeoJSON', 'API'],
    updateCycle: 'realtime',
    releaseDate: '2023-01-01',
    lastUpdate: '2024-01-31',
    license: 'CC-BY-4.0',
    contactPoint: { name: '数据开放科', email: 'open@jtw.city.example', phone: '010-5555 0101' },
    spatialCoverage: '全市',
    temporalCoverage: { start: '2020-01-01', end: '2024-12-31' },
    relatedCodes: ['2-01-001-001-000002'],
    informationItems: [
      { name: 'line_no', title: { zh: '线路' }, type: 'string', grade: 'general-1', personalInfo: 'none' },
    ],
    distributions: [
      {
        id: 'csv',
        kind: 'file',
        title: { zh: '线路表' },
        format: 'CSV',
        url: 'https://files.city.example/lines.csv',
        byteSize: 1024,
      },
      {
        id: 'geo',
        kind: 'file',
        title: { zh: '站点' },
        format: 'GeoJSON',
        url: 'https://files.city.example/stops.geojson',
      },
      {
        id: 'api',
        kind: 'api',
        title: { zh: '接口', en: 'API' },
        format: 'API',
        url: 'https://api.city.example/lines',
      },
    ],
    extras: { steward: '张明', count: 3, flags: ['a', 'b'] },
  }),
  entry(2, {
    theme: 'health',
    openType: 'conditional',
    openCondition: '申请后开放',
    shareType: 'conditional',
    updateCycle: 'monthly',
    license: 'CC0-1.0',
    formats: ['XLSX', 'DOCX'],
    distributions: [
      {
        id: 'x',
        kind: 'file',
        title: { zh: '表格' },
        format: 'XLSX',
        url: 'https://files.city.example/h.xlsx',
      },
      {
        id: 'doc',
        kind: 'file',
        title: { zh: '文档' },
        format: 'DOCX',
        url: 'https://files.city.example/h.docx',
        mediaType: 'application/msword',
      },
      { id: 'table', kind: 'datastore', title: { zh: '数据表' }, format: 'JSON' },
    ],
  }),
  entry(3, {
    theme: 'economy',
    openType: 'not_open',
    shareType: 'not_shared',
    updateCycle: 'yearly',
    license: 'beijing-open-data-1.0',
    grade: 'important',
    formats: ['PDF', 'SHP', 'ZIP', 'RDF', 'XML'],
    distributions: [
      {
        id: 'p',
        kind: 'file',
        title: { zh: '报告' },
        format: 'PDF',
        url: 'https://files.city.example/r.pdf',
      },
      {
        id: 's',
        kind: 'file',
        title: { zh: '图层' },
        format: 'SHP',
        url: 'https://files.city.example/s.shp',
      },
      {
        id: 'z',
        kind: 'file',
        title: { zh: '压缩包' },
        format: 'ZIP',
        url: 'https://files.city.example/a.zip',
      },
      { id: 'r', kind: 'file', title: { zh: 'RDF' }, format: 'RDF', url: 'https://files.city.example/a.rdf' },
      { id: 'm', kind: 'file', title: { zh: 'XML' }, format: 'XML', url: 'https://files.city.example/a.xml' },
    ],
  }),
  entry(4, { theme: 'weather', updateCycle: 'daily', license: 'ODC-BY-1.0' }),
  entry(5, { theme: 'custom-theme', updateCycle: 'weekly', temporalCoverage: { start: '2021-01-01' } }),
  entry(6, { updateCycle: 'quarterly', contactPoint: { name: '', email: 'only-email@city.example' } }),
];

async function exportText(format: DcatFormat): Promise<string> {
  let out = '';
  for await (const chunk of serializeCatalog(format, RECORDS, ctx)) out += chunk;
  return out;
}

function toStore(format: DcatFormat, text: string): Promise<Store> {
  return parseToStore(format, text, ctx.baseUrl);
}

function loadShapes(...files: string[]): Store {
  const store = new Store();
  for (const file of files) store.addQuads(new Parser().parse(readFileSync(join(SHAPES, file), 'utf8')));
  return store;
}

async function violations(shapes: Store, data: Store): Promise<string[]> {
  const validator = new SHACLValidator(shapes);
  const report = await validator.validate(data);
  return report.results
    .filter((result) => result.severity?.value === `${SH}Violation`)
    .map(
      (result) =>
        `${result.focusNode?.value} ${result.path?.value ?? ''} ${result.sourceConstraintComponent?.value.replace(SH, 'sh:')}: ${result.message.map((m) => m.value).join('; ')}`,
    );
}

describe.skipIf(!sharedAvailable)('DCAT-AP 3.0.1 SHACL conformance of the export', () => {
  it.each(['ttl', 'jsonld', 'rdf'] as const)(
    '%s has no violations of shapes.ttl + range.ttl',
    async (format) => {
      const shapes = loadShapes('shapes.ttl', 'range.ttl');
      const data = await toStore(format, await exportText(format));
      expect(data.countQuads(null, RDF_TYPE, `${DCAT}Dataset`, null)).toBe(RECORDS.length);
      const found = await violations(shapes, data);
      expect(found, `violations:\n${found.join('\n')}`).toEqual([]);
    },
  );

  it('uses EU vocabularies where mdr-vocabularies.shape.ttl expects them', async () => {
    const data = await toStore('ttl', await exportText('ttl'));
    const found = await violations(loadShapes('mdr-vocabularies.shape.ttl'), data);
    expect(found, `violations:\n${found.join('\n')}`).toEqual([]);
  });

  it('the validator does report violations (control: a real-world fixture)', async () => {
    const deri = new Store(
      new Parser().parse(readFileSync(join(FIXTURES, 'ckanext-dcat/examples/dcat/dataset_deri.ttl'), 'utf8')),
    );
    // The fixtures README: frequency and spatial given as literals.
    expect(await violations(loadShapes('shapes.ttl'), deri)).toHaveLength(2);
  });
});

const CKAN = join(FIXTURES, 'ckanext-dcat/examples/dcat');
const GOVDATA = join(FIXTURES, 'govdata-de');
const POD = join(FIXTURES, 'project-open-data/v1.1/examples');

async function harvest(file: string): Promise<HarvestParseResult> {
  return parseDcat(readFileSync(file, 'utf8'), {
    baseIri: `https://harvest.example/${file.split('/').pop()}`,
  });
}

function titled(result: HarvestParseResult, title: string) {
  const found = result.records.find(
    (record) => record.metadata.title.zh === title || record.metadata.title.en === title,
  );
  if (!found)
    throw new Error(
      `no dataset titled ${title}: ${result.records.map((r) => r.metadata.title.zh).join(', ')}`,
    );
  return found;
}

function distributionCount(result: HarvestParseResult): number {
  return result.records.reduce((sum, record) => sum + record.metadata.distributions.length, 0);
}

describe.skipIf(!sharedAvailable)('harvesting the DCAT fixtures', () => {
  it('reads the ckanext-dcat examples', async () => {
    const catalog = await harvest(join(CKAN, 'catalog.rdf'));
    expect(catalog.fatal).toBeUndefined();
    expect(catalog.records).toHaveLength(2);
    const first = titled(catalog, 'Example dataset 1');
    expect(first.metadata.distributions).toHaveLength(3);
    expect(first.metadata.keywords).toEqual(['stats', 'pollution']);
    expect(first.metadata.distributions.map((d) => d.format)).toEqual(['CSV', 'PDF', '']);
    expect(first.repairs).toContain('dct:language given as text "en" instead of an EU language IRI');
    expect(titled(catalog, 'Example dataset 2').metadata.distributions).toHaveLength(2);

    expect((await harvest(join(CKAN, 'catalog_datasets_list.rdf'))).records).toHaveLength(2);

    const pod = await harvest(join(CKAN, 'catalog_pod.jsonld'));
    expect(pod.records).toHaveLength(1);
    const widgets = titled(pod, 'U.S. Widget Manufacturing Statistics');
    expect(widgets.metadata.distributions).toHaveLength(4);
    expect(widgets.metadata.contactPoint).toEqual({ name: 'Jane Doe', email: 'jane.doe@agency.gov' });
    expect(widgets.publisherName).toBe('Widget Services');
    expect(widgets.metadata).toMatchObject({
      updateCycle: 'yearly',
      license: 'CC0-1.0',
      lastUpdate: '2011-11-19',
    });

    const graph = await harvest(join(CKAN, 'catalog_with_at_graph.jsonld'));
    expect(graph.records).toHaveLength(1);
    const titleDataset = titled(graph, 'Title dataset');
    expect(titleDataset.metadata.distributions).toHaveLength(1);
    expect(titleDataset.metadata.distributions[0]?.url).toBe('http://example2.org/files/download.zip');

    const deri = await harvest(join(CKAN, 'dataset_deri.ttl'));
    expect(deri.records).toHaveLength(1);
    const vehicles = titled(deri, 'Abandoned Vehicles');
    expect(vehicles.metadata.distributions).toEqual([
      expect.objectContaining({
        title: {
          zh: 'CSV distribution of: Abandoned Vehicles',
          en: 'CSV distribution of: Abandoned Vehicles',
        },
        url: 'http://data.london.gov.uk/datafiles/environment/abandoned-vehicles-borough.csv',
        format: 'CSV',
      }),
    ]);
    expect(vehicles.metadata).toMatchObject({ updateCycle: 'yearly', spatialCoverage: 'Greater London' });
    expect(vehicles.repairs).toContain('dct:issued "06/05/2009" is not a date; dropped');

    const invalid = await harvest(join(CKAN, 'dataset.ttl'));
    expect(invalid.fatal).toMatch(/healthdcatap.*line 149/);
    expect(invalid.records).toEqual([]);

    const expectations: [string, number, number][] = [
      ['dataset.rdf', 1, 1],
      ['dataset_afs.ttl', 1, 2],
      ['dataset_gob_es.ttl', 1, 1],
      ['dataset_gov_de.rdf', 1, 9],
      ['dataset_health.ttl', 1, 1],
      ['dataset_health_multilingual.ttl', 1, 1],
      ['dataset_health_no_blank.ttl', 1, 0],
      ['dataset_multilingual.ttl', 1, 1],
      ['dataset_sweden.rdf', 1, 1],
    ];
    for (const [file, datasets, distributions] of expectations) {
      const result = await harvest(join(CKAN, file));
      expect(result.fatal, file).toBeUndefined();
      expect(result.skipped, file).toEqual([]);
      expect([file, result.records.length, distributionCount(result)]).toEqual([
        file,
        datasets,
        distributions,
      ]);
    }
    const gobEs = await harvest(join(CKAN, 'dataset_gob_es.ttl'));
    expect(gobEs.records[0]?.repairs).toContain(
      'dct:language given as text "es" instead of an EU language IRI',
    );
    const multilingual = await harvest(join(CKAN, 'dataset_multilingual.ttl'));
    expect(multilingual.records[0]?.metadata.title.en).toBe('Test DCAT dataset');
  });

  it('reads the municipal and federal German catalogs quickly', async () => {
    const started = performance.now();
    const rostock = await harvest(join(GOVDATA, 'dashboard/rostock-catalog-original-input.rdf'));
    expect(rostock.fatal).toBeUndefined();
    expect(rostock.records).toHaveLength(100);
    expect(distributionCount(rostock)).toBe(773);
    expect(rostock.skipped).toEqual([]);
    // The known real-world problems are repaired and reported, not fatal.
    expect(
      rostock.records.every((record) =>
        record.repairs.some((note) => note.startsWith('dct:language given as text')),
      ),
    ).toBe(true);
    expect(
      rostock.records.some((record) => record.repairs.some((note) => note.startsWith('dcat:byteSize typed'))),
    ).toBe(true);
    expect(rostock.records.every((record) => record.metadata.license !== undefined)).toBe(true);
    expect(performance.now() - started).toBeLessThan(5000);

    const destatis = await harvest(join(GOVDATA, 'dashboard/destatis-catalog-original-input.rdf'));
    expect(destatis.records).toHaveLength(135);
    expect(distributionCount(destatis)).toBe(135);

    for (const file of [
      'dashboard/brandenburg-catalog-dataset-extracted.rdf',
      'dashboard/brandenburg-catalog-dataset-extracted.ttl',
      'dashboard/bremen-catalog-dataset-extracted.ttl',
      'dashboard/destatis-catalog-dataset-extracted.rdf',
      'dashboard/rostock-catalog-dataset-extracted.rdf',
      'v3.0_shapes/quicktest.ttl',
      'v3.0_shapes/deprecated.ttl',
    ]) {
      const result = await harvest(join(GOVDATA, file));
      expect(result.fatal, file).toBeUndefined();
      expect([file, result.records.length]).toEqual([file, 1]);
    }
  });

  it('parses RDF/XML with relative IRIs against the document URL', async () => {
    const file = join(GOVDATA, 'dashboard/bremen-catalog-dataset-extracted.rdf');
    const text = readFileSync(file, 'utf8');
    // A strict parser without a base IRI fails on rdf:resource="info@statistik.bremen.de".
    await expect(
      new Promise((resolve, reject) => {
        const parser = new RdfXmlParser();
        parser.on('data', () => undefined);
        parser.on('error', reject);
        parser.on('end', resolve);
        parser.end(text);
      }),
    ).rejects.toThrow(/baseIRI/);
    const result = await parseDcat(text, { baseIri: 'https://www.transparenz.bremen.de/catalog.rdf' });
    expect(result.fatal).toBeUndefined();
    expect(result.records).toHaveLength(1);
    expect(result.records[0]?.metadata.contactPoint?.email).toBe('info@statistik.bremen.de');
  });

  it('reads the Project Open Data data.json examples', async () => {
    for (const file of ['catalog-sample.json', 'catalog-sample-extended.json']) {
      const result = await harvest(join(POD, file));
      expect(result.fatal, file).toBeUndefined();
      expect(result.records.map((record) => record.metadata.title.zh)).toEqual([
        'U.S. Widget Manufacturing Statistics',
        'U.S. Widget Phase Modulation Ranges',
        'U.S. Widget Phase Modulation Ranges for 2011',
      ]);
      const widgets = result.records[0]!;
      expect(widgets.sourceUri).toMatch(/^http:\/\/dx\.doi\.org\/10\.7927\//);
      expect(widgets.metadata.distributions).toHaveLength(4);
      expect(widgets.metadata.contactPoint).toEqual({ name: 'Jane Doe', email: 'jane.doe@agency.gov' });
      expect(widgets.metadata.openType).toBe('unconditional');
      expect(widgets.publisherName).toBe('Widget Services');
    }
    const extended = await harvest(join(POD, 'catalog-sample-extended.json'));
    expect(extended.records[0]?.metadata).toMatchObject({
      updateCycle: 'yearly',
      license: 'CC0-1.0',
      temporalCoverage: { start: '2009-09-01', end: '2010-05-31' },
      spatialCoverage: 'United States',
    });
  });
});
