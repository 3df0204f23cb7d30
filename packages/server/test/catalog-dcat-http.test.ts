import { Parser } from 'n3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type Caller,
  headers,
  organizationByCode,
  publishEntry,
  sampleEntry,
} from './support/catalog-fixtures.ts';
import { startTestPlatform, type TestPlatform } from './support/test-platform.ts';

const DCAT_DATASET = 'http://www.w3.org/ns/dcat#Dataset';
const RDF_TYPE = 'http://www.w3.org/1999/02/22-rdf-syntax-ns#type';

let t: TestPlatform;
let operator: Caller;
let transportAdmin: Caller;
let haidianMember: Caller;
let transport: { id: string; creditCode: string };
let openCode: string;
let closedCode: string;

function datasets(turtle: string): string[] {
  return new Parser()
    .parse(turtle)
    .filter((q) => q.predicate.value === RDF_TYPE && q.object.value === DCAT_DATASET)
    .map((q) => q.subject.value);
}

async function runHarvest(caller: Caller, body: Record<string, unknown>) {
  const response = await t.platform.app.inject({
    method: 'POST',
    url: '/api/v1/catalog/harvests',
    headers: headers(caller),
    payload: body,
  });
  if (response.statusCode !== 202) return { status: response.statusCode, body: response.json() };
  const { jobId } = response.json() as { jobId: string };
  while (await t.platform.jobs.runOnce()) {
    // run queued jobs to the end
  }
  const job = await t.platform.app.inject({
    method: 'GET',
    url: `/api/v1/jobs/${jobId}`,
    headers: headers(caller),
  });
  return { status: 202, body: job.json() };
}

beforeAll(async () => {
  t = await startTestPlatform({ DATAPOLIS_LOGIN_MAX_FAILURES: '1000' });
  operator = await t.login('operator');
  const editor = await t.login('transport-editor');
  transportAdmin = await t.login('transport-admin');
  haidianMember = await t.login('haidian-member');
  transport = await organizationByCode(t, 'bjjtw');
  openCode = (await publishEntry(t, editor, transportAdmin, operator, sampleEntry(transport))).code;
  closedCode = (
    await publishEntry(
      t,
      editor,
      transportAdmin,
      operator,
      sampleEntry(transport, {
        title: { zh: '交通执法内部记录' },
        openType: 'not_open',
        shareType: 'not_shared',
        informationItems: [
          {
            name: 'case_id',
            type: 'string',
            description: '案件编号',
            grade: 'important',
            personalInfo: 'none',
          },
        ],
        grade: 'important',
      }),
    )
  ).code;
});
afterAll(async () => t.close());

describe('DCAT-AP at the catalog URIs', () => {
  it('serves the public catalog as Turtle, without not-open entries', async () => {
    const response = await t.platform.app.inject({ method: 'GET', url: '/catalog.ttl' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/turtle');
    const found = datasets(response.body);
    expect(found.some((iri) => iri.endsWith(`/catalog/entries/${openCode}`))).toBe(true);
    expect(found.some((iri) => iri.endsWith(`/catalog/entries/${closedCode}`))).toBe(false);
  });

  it('negotiates the format on /catalog and on each entry URI', async () => {
    const jsonld = await t.platform.app.inject({
      method: 'GET',
      url: '/catalog',
      headers: { accept: 'application/ld+json' },
    });
    expect(jsonld.headers['content-type']).toContain('application/ld+json');
    expect(JSON.parse(jsonld.body)['@graph'].length).toBeGreaterThan(1);
    const rdf = await t.platform.app.inject({
      method: 'GET',
      url: `/catalog/entries/${openCode}`,
      headers: { accept: 'application/rdf+xml' },
    });
    expect(rdf.headers['content-type']).toContain('application/rdf+xml');
    expect(rdf.body).toContain('北京市公交线路');
    const nt = await t.platform.app.inject({ method: 'GET', url: '/catalog.nt' });
    expect(nt.headers['content-type']).toContain('application/n-triples');
    expect(
      (await t.platform.app.inject({ method: 'GET', url: '/catalog', headers: { accept: 'image/png' } }))
        .statusCode,
    ).toBe(406);
    expect(
      (
        await t.platform.app.inject({
          method: 'GET',
          url: `/catalog/entries/${closedCode}`,
          headers: { accept: 'text/turtle' },
        })
      ).statusCode,
    ).toBe(404);
    const api = await t.platform.app.inject({
      method: 'GET',
      url: `/api/v1/catalog/entries/${openCode}/dcat?format=ttl`,
    });
    expect(datasets(api.body)).toHaveLength(1);
  });

  it('writes IRIs under the configured public address', async () => {
    const other = await startTestPlatform(
      { DATAPOLIS_PUBLIC_URL: 'https://data.city.example/' },
      { seed: false },
    );
    try {
      const response = await other.platform.app.inject({ method: 'GET', url: '/catalog.ttl' });
      expect(response.body).toContain('<https://data.city.example/catalog>');
      const ckan = await other.platform.app.inject({ method: 'GET', url: '/api/3/action/status_show' });
      expect(ckan.json().result.site_url).toBe('https://data.city.example');
    } finally {
      await other.close();
    }
  });

  it('describes an entry as a Frictionless data package', async () => {
    const response = await t.platform.app.inject({
      method: 'GET',
      url: `/api/v1/catalog/entries/${openCode}/datapackage.json`,
    });
    expect(response.statusCode).toBe(200);
    const pkg = response.json();
    expect(pkg.name).toBe(openCode);
    expect(pkg.resources[0]).toMatchObject({
      path: 'https://data.example.org/bus-routes.csv',
      format: 'csv',
      profile: 'tabular-data-resource',
    });
    expect(pkg.resources[0].schema.fields.map((f: { name: string }) => f.name)).toEqual([
      'route_name',
      'first_departure',
      'fare',
    ]);
    expect(pkg.licenses[0].name).toBe('CC-BY-4.0');
  });
});

describe('harvesting a DCAT catalog', () => {
  const turtle = (extraTitle = '') => `
@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
<https://harvest.example.org/catalog> a dcat:Catalog ; dct:title "Example"@en ; dcat:dataset <https://harvest.example.org/ds/1>, <https://harvest.example.org/ds/2>, <https://harvest.example.org/ds/3> .
<https://harvest.example.org/ds/1> a dcat:Dataset ; dct:title "Air quality stations${extraTitle}"@en, "空气质量监测站"@zh ;
  dct:description "Locations of the air quality monitoring stations of the city."@en ; dcat:keyword "air", "空气" ;
  dct:accrualPeriodicity <http://publications.europa.eu/resource/authority/frequency/DAILY> ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://harvest.example.org/files/air.csv> ; dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> ] .
<https://harvest.example.org/ds/2> a dcat:Dataset ; dct:title "Noise measurements"@en ; dct:description "Noise measured at street level every hour."@en ;
  dcat:keyword "noise" ;
  dcat:distribution [ a dcat:Distribution ; dcat:accessURL <https://harvest.example.org/files/noise.json> ; dcat:mediaType "application/json" ] .
<https://harvest.example.org/ds/3> a dcat:Dataset ; dct:description "A record with no title at all." .
`;

  it('imports what it can, reports what it cannot, and is idempotent', async () => {
    const first = await runHarvest(operator, {
      organizationId: transport.id,
      content: turtle(),
      format: 'ttl',
      publish: true,
    });
    expect(first.body.status).toBe('succeeded');
    const report = first.body.result;
    expect(report.created).toBe(2);
    expect(report.problems).toHaveLength(1);
    expect(report.problems[0].reason).toMatch(/title/i);
    const found = await t.platform.app.inject({
      method: 'GET',
      url: `/api/v1/catalog/entries?q=${encodeURIComponent('空气质量')}`,
    });
    expect(found.json().total).toBe(1);

    const again = await runHarvest(operator, {
      organizationId: transport.id,
      content: turtle(),
      format: 'ttl',
      publish: true,
    });
    expect(again.body.result).toMatchObject({ created: 0, updated: 0, unchanged: 2 });

    const changed = await runHarvest(operator, {
      organizationId: transport.id,
      content: turtle(' (2026)'),
      format: 'ttl',
      publish: true,
    });
    expect(changed.body.result).toMatchObject({ created: 0, updated: 1, unchanged: 1 });
    const count = await t.platform.app.inject({ method: 'GET', url: `/api/v1/catalog/entries?q=noise` });
    expect(count.json().total).toBe(1);
  });

  it('imports nothing from a malformed document, and says where it broke', async () => {
    const before = (
      await t.platform.app.inject({ method: 'GET', url: '/api/v1/catalog/entries?limit=0' })
    ).json().total;
    const broken = await runHarvest(operator, {
      organizationId: transport.id,
      content: `${turtle()}\n<https://x> a <broken`,
      format: 'ttl',
      publish: true,
    });
    expect(broken.body.result.fatal).toMatch(/line/i);
    expect(broken.body.result.created).toBe(0);
    const json = await runHarvest(operator, {
      organizationId: transport.id,
      content: '{"@graph": [',
      publish: true,
    });
    expect(json.body.result.fatal).toBeDefined();
    const after = (
      await t.platform.app.inject({ method: 'GET', url: '/api/v1/catalog/entries?limit=0' })
    ).json().total;
    expect(after).toBe(before);
  });

  it('does not fetch private or local addresses', async () => {
    for (const url of [
      'http://127.0.0.1:9/catalog.ttl',
      'http://localhost:9/x',
      'http://[::1]:9/x',
      'http://10.1.2.3/x',
    ]) {
      const refused = await runHarvest(operator, { organizationId: transport.id, url });
      expect(refused.body.result.fatal, url).toMatch(/private or local address/);
    }
  });

  it('lets only operators and the institution admin harvest, and only operators publish at once', async () => {
    expect(
      (await runHarvest(haidianMember, { organizationId: transport.id, content: turtle() })).status,
    ).toBe(403);
    expect(
      (await runHarvest(transportAdmin, { organizationId: transport.id, content: turtle(), publish: true }))
        .status,
    ).toBe(403);
    const drafts = await runHarvest(transportAdmin, {
      organizationId: transport.id,
      content: turtle(),
      format: 'ttl',
    });
    expect(drafts.status).toBe(202);
    expect((await runHarvest(operator, { organizationId: transport.id })).status).toBe(400);
  });
});
