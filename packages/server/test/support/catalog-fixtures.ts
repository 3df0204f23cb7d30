import type { EntryMetadata } from '../../src/modules/catalog/index.ts';
import type { TestPlatform } from './test-platform.ts';

export interface Caller {
  cookie: string;
  csrf: string;
}

/** A complete, valid entry of an organisation; tests change what they are about. */
export function sampleEntry(
  org: { id: string; creditCode: string },
  overrides: Partial<EntryMetadata> = {},
): EntryMetadata {
  return {
    title: { zh: '北京市公交线路', en: 'Beijing bus routes', fr: "Lignes d'autobus de Pékin" },
    summary: {
      zh: '全市地面公交线路的名称、起终点、首末班时间和票价信息。',
      en: 'Names, terminals, first and last departures and fares of every bus route in the city.',
    },
    organizationId: org.id,
    providerCreditCode: org.creditCode,
    classification: 'thematic',
    theme: 'transport',
    keywords: ['公交', 'bus', '线路'],
    formats: ['CSV', 'API'],
    informationItems: [
      {
        name: 'route_name',
        title: { zh: '线路名称' },
        type: 'string',
        description: '线路的名称',
        grade: 'general-1',
        personalInfo: 'none',
      },
      {
        name: 'first_departure',
        type: 'time',
        description: '首班车时间',
        grade: 'general-1',
        personalInfo: 'none',
      },
      { name: 'fare', type: 'number', description: '票价（元）', grade: 'general-2', personalInfo: 'none' },
    ],
    shareType: 'unconditional',
    shareMethod: '接口调用',
    openType: 'unconditional',
    updateCycle: 'monthly',
    releaseDate: '2024-01-15',
    lastUpdate: new Date(Date.now() - 10 * 86_400_000).toISOString().slice(0, 10),
    relatedCodes: [],
    license: 'CC-BY-4.0',
    contactPoint: { name: '交通委信息中心', email: 'data@jtw.beijing.gov.cn', phone: '010-12345678' },
    spatialCoverage: '北京市',
    grade: 'general-1',
    distributions: [
      {
        id: 'd1',
        kind: 'file',
        title: { zh: '公交线路 CSV' },
        format: 'CSV',
        url: 'https://data.example.org/bus-routes.csv',
        byteSize: 120_000,
      },
      {
        id: 'd2',
        kind: 'api',
        title: { zh: '公交线路接口' },
        format: 'API',
        url: 'https://api.example.org/bus-routes',
      },
    ],
    ...overrides,
  };
}

export function headers(
  caller: Caller | undefined,
  extra: Record<string, string> = {},
): Record<string, string> {
  return caller === undefined ? extra : { cookie: caller.cookie, 'x-csrf-token': caller.csrf, ...extra };
}

export async function organizationByCode(
  t: TestPlatform,
  code: string,
): Promise<{ id: string; creditCode: string }> {
  const page = await t.platform.identity.listOrganizations(undefined, 0, 100);
  const org = page.items.find((o) => o.code === code);
  if (org === undefined) throw new Error(`no organisation ${code}`);
  return { id: org.id, creditCode: org.creditCode };
}

/** Drafts, submits and approves an entry through the API; returns its code. */
export async function publishEntry(
  t: TestPlatform,
  editor: Caller,
  admin: Caller,
  operator: Caller,
  entry: EntryMetadata,
): Promise<{ id: string; code: string }> {
  const created = await t.platform.app.inject({
    method: 'POST',
    url: '/api/v1/catalog/entries',
    headers: headers(editor),
    payload: entry,
  });
  if (created.statusCode !== 201) throw new Error(`create failed: ${created.body}`);
  const { id, code } = created.json() as { id: string; code: string };
  const submitted = await t.platform.app.inject({
    method: 'POST',
    url: '/api/v1/catalog/submissions',
    headers: headers(admin),
    payload: { organizationId: entry.organizationId, entryIds: [id] },
  });
  if (submitted.statusCode !== 201) throw new Error(`submit failed: ${submitted.body}`);
  const approved = await t.platform.app.inject({
    method: 'POST',
    url: `/api/v1/catalog/submissions/${(submitted.json() as { id: string }).id}/approve`,
    headers: headers(operator),
    payload: {},
  });
  if (approved.statusCode !== 200) throw new Error(`approve failed: ${approved.body}`);
  return { id, code };
}
